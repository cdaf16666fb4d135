package dev.nnet.runtime.train;

import dev.nnet.runtime.optim.Optimizer;
import java.util.Objects;

/**
 * How to train: the optimizer, the mini-batch size and the number of epochs, as declared in a
 * network's {@code train} block (and overridable in code).
 */
public record TrainingConfig(Optimizer optimizer, int batchSize, int epochs) {
  public TrainingConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, but got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, but got " + epochs);
    }
  }

  public TrainingConfig withEpochs(int newEpochs) {
    return new TrainingConfig(optimizer, batchSize, newEpochs);
  }

  public TrainingConfig withBatchSize(int newBatchSize) {
    return new TrainingConfig(optimizer, newBatchSize, epochs);
  }
}
