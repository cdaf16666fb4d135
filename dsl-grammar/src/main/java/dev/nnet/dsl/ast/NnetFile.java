package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceFile;
import java.util.List;

/** A parsed {@code .nnet} file: the networks it declares, in source order. */
public record NnetFile(SourceFile source, List<NetworkDecl> networks) {
  public NnetFile {
    networks = List.copyOf(networks);
  }
}
