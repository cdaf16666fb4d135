package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/** {@code train { loss: ...  optimizer: ...  batch: 32  epochs: 5 }}. */
public record TrainBlock(List<Setting> settings, SourceSpan span) {
  public TrainBlock {
    settings = List.copyOf(settings);
  }
}
