package dev.nnet.processor.ir;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A network's {@code train} block, resolved: what the generated {@code trainingConfig()} returns
 * and how the generated {@code computeGradients} evaluates the loss.
 *
 * @param losses per output, the loss and how it meets the output layer
 * @param optimizer the optimizer with every hyper-parameter filled in
 * @param batchSize mini-batch size (also the default batch capacity of the class)
 * @param epochs passes over the training data
 * @param metrics metrics reported per epoch
 * @param schedule learning-rate schedule, if any
 * @param clipNorm gradient clipping by global norm, if any
 * @param clipValue gradient clipping by value, if any
 * @param validationSplit share of the training data held out for validation, if any
 * @param shuffle whether each epoch visits the samples in a new seeded order
 * @param classWeights a weight per class, scaling each sample's loss by its class's, if any
 */
public record TrainingSpec(
    List<LossSpec> losses,
    RuntimeObject optimizer,
    int batchSize,
    int epochs,
    List<RuntimeObject> metrics,
    Optional<RuntimeObject> schedule,
    OptionalDouble clipNorm,
    OptionalDouble clipValue,
    OptionalDouble validationSplit,
    boolean shuffle,
    List<Double> classWeights) {
  /** The first output's loss (the only one of a single-output network). */
  public LossSpec loss() {
    return losses.get(0);
  }

  /** Target values per sample: every output's targets side by side. */
  public int targetWidth() {
    return losses.stream().mapToInt(LossSpec::targetWidth).sum();
  }

  public TrainingSpec {
    losses = List.copyOf(losses);
    metrics = List.copyOf(metrics);
    classWeights = List.copyOf(classWeights);
  }
}
