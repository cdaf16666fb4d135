package dev.nnet.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one epoch of {@link Trainer#fit} measured. Values that were not measured are
 * {@link Double#NaN}: accuracies when the network has a single output, validation values when
 * there was no validation set.
 *
 * <p>{@link #values()} gives everything under Keras' names ({@code loss}, {@code accuracy},
 * {@code val_loss}, {@code val_accuracy}, {@code learning_rate}, …), as {@code History.history}
 * holds them.
 *
 * @param epoch the 1-based epoch number
 * @param loss the mean training loss over the epoch's mini-batches, weighted by batch size
 *     (measured in training mode, before each batch's update, as Keras reports it), without the
 *     regularization penalty, which is {@link #regularizationLoss} (Keras' {@code loss} is their
 *     sum)
 * @param accuracy the fraction of training samples whose output argmax matched the target class;
 *     the same as {@code metrics().get("accuracy")} when that was measured
 * @param validationLoss the loss on the validation set after the epoch, in inference mode
 * @param validationAccuracy the accuracy on the validation set after the epoch
 * @param seconds the epoch's wall-clock time, validation included
 * @param samplesPerSecond training samples per second of the training phase alone
 * @param learningRate the learning rate of the epoch's last optimizer step
 * @param regularizationLoss the mean over the epoch of {@link
 *     dev.nnet.runtime.Network#regularizationLoss()} (the L1/L2 penalty), weighted like the loss
 * @param metrics every training metric measured, by name, in the configured order (accuracy
 *     included); unmodifiable
 * @param validationMetrics every validation metric measured, by name without the {@code val_}
 *     prefix; unmodifiable
 */
public record EpochStats(
    int epoch,
    double loss,
    double accuracy,
    double validationLoss,
    double validationAccuracy,
    double seconds,
    double samplesPerSecond,
    double learningRate,
    double regularizationLoss,
    Map<String, Double> metrics,
    Map<String, Double> validationMetrics) {

  /** The name of the accuracy metric, and of the value {@link #accuracy} reports. */
  static final String ACCURACY = "accuracy";

  /**
   * Makes {@code accuracy} and {@code metrics().get("accuracy")} agree (likewise for validation):
   * an accuracy given on its own is added to the front of the metrics, and an accuracy that only
   * the metrics hold becomes {@link #accuracy}.
   *
   * @throws IllegalArgumentException if both are given and differ
   */
  public EpochStats {
    metrics = merge("accuracy", accuracy, metrics);
    validationMetrics = merge("validation accuracy", validationAccuracy, validationMetrics);
    accuracy = metrics.getOrDefault(ACCURACY, Double.NaN);
    validationAccuracy = validationMetrics.getOrDefault(ACCURACY, Double.NaN);
  }

  /** The statistics of a run without metrics, learning rate or regularization loss. */
  public EpochStats(
      int epoch,
      double loss,
      double accuracy,
      double validationLoss,
      double validationAccuracy,
      double seconds,
      double samplesPerSecond) {
    this(epoch, loss, accuracy, validationLoss, validationAccuracy, seconds, samplesPerSecond,
        Double.NaN, Double.NaN, Map.of(), Map.of());
  }

  private static Map<String, Double> merge(
      String what, double accuracy, Map<String, Double> metrics) {
    Map<String, Double> merged = new LinkedHashMap<>();
    Double listed = Objects.requireNonNull(metrics, "metrics").get(ACCURACY);
    if (!Double.isNaN(accuracy)) {
      if (listed != null && Double.compare(listed, accuracy) != 0) {
        throw new IllegalArgumentException(
            what + " " + accuracy + " differs from the metric 'accuracy', " + listed);
      }
      merged.put(ACCURACY, accuracy);
    }
    for (Map.Entry<String, Double> entry : metrics.entrySet()) {
      merged.put(Objects.requireNonNull(entry.getKey(), "metric name"),
          Objects.requireNonNull(entry.getValue(), "metric value"));
    }
    return Collections.unmodifiableMap(merged);
  }

  /** Whether a training accuracy was measured. */
  public boolean hasAccuracy() {
    return !Double.isNaN(accuracy);
  }

  /** Whether validation values were measured. */
  public boolean hasValidation() {
    return !Double.isNaN(validationLoss);
  }

  /**
   * Every value of the epoch under its Keras name, in this order: {@code loss}, the training
   * metrics, {@code val_loss} and the {@code val_} metrics (with validation), {@code learning_rate}
   * and {@code regularization_loss} (when measured). Unmodifiable.
   */
  public Map<String, Double> values() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("loss", loss);
    values.putAll(metrics);
    if (hasValidation()) {
      values.put("val_loss", validationLoss);
      for (Map.Entry<String, Double> entry : validationMetrics.entrySet()) {
        values.put("val_" + entry.getKey(), entry.getValue());
      }
    }
    if (!Double.isNaN(learningRate)) {
      values.put("learning_rate", learningRate);
    }
    if (!Double.isNaN(regularizationLoss)) {
      values.put("regularization_loss", regularizationLoss);
    }
    return Collections.unmodifiableMap(values);
  }

  /** The value of that name as {@link #values()} has it, or NaN if it was not measured. */
  public double value(String name) {
    return values().getOrDefault(Objects.requireNonNull(name, "name"), Double.NaN);
  }
}
