package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceFile;
import java.util.List;

/**
 * A parsed {@code .nnet} file: the networks it declares and its file-level constants, each in
 * source order.
 *
 * @param source the text as parsed
 * @param networks the networks written without syntax errors
 * @param lets the file-level {@code let} constants written without syntax errors; each is visible
 *     in every network of the file, wherever it is written, unless the network declares its own
 *     constant of the same name ({@link NetworkDecl#lets()})
 * @param gans the one-line GAN declarations ({@code gan Name(generator: G, discriminator: D)})
 *     written without syntax errors
 */
public record NnetFile(SourceFile source, List<NetworkDecl> networks, List<LetDecl> lets, List<GanDecl> gans) {
  public NnetFile {
    networks = List.copyOf(networks);
    lets = List.copyOf(lets);
    gans = List.copyOf(gans);
  }

  /** A file without one-line GAN declarations. */
  public NnetFile(SourceFile source, List<NetworkDecl> networks, List<LetDecl> lets) {
    this(source, networks, lets, List.of());
  }

  /** A file without file-level constants (the form before {@code let} existed). */
  public NnetFile(SourceFile source, List<NetworkDecl> networks) {
    this(source, networks, List.of());
  }
}
