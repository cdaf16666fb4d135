package dev.nnet.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/** Told about the progress of {@link Trainer#fit}, once per epoch. */
@FunctionalInterface
public interface TrainingListener {

  /** Called after each epoch, with the total number of epochs of the run. */
  void onEpochEnd(EpochStats stats, int epochs);

  /** A listener that does nothing. */
  static TrainingListener silent() {
    return (stats, epochs) -> {};
  }

  /**
   * A listener printing one Keras-like line per epoch, such as
   *
   * <pre>
   * epoch 1/5  loss: 0.4123  accuracy: 0.8811  val_loss: 0.2934  val_accuracy: 0.9150  (1.3 s, 6154 samples/s)
   * </pre>
   *
   * <p>leaving out the values that were not measured. Numbers use {@link Locale#ROOT}, so the
   * output is the same on every machine.
   */
  static TrainingListener console(PrintStream out) {
    Objects.requireNonNull(out, "out");
    return (stats, epochs) -> out.println(format(stats, epochs));
  }

  /** The line {@link #console} prints. */
  static String format(EpochStats stats, int epochs) {
    StringBuilder line = new StringBuilder();
    line.append("epoch ").append(stats.epoch()).append('/').append(epochs);
    line.append(String.format(Locale.ROOT, "  loss: %.4f", stats.loss()));
    if (stats.hasAccuracy()) {
      line.append(String.format(Locale.ROOT, "  accuracy: %.4f", stats.accuracy()));
    }
    if (stats.hasValidation()) {
      line.append(String.format(Locale.ROOT, "  val_loss: %.4f", stats.validationLoss()));
    }
    if (!Double.isNaN(stats.validationAccuracy())) {
      line.append(String.format(Locale.ROOT, "  val_accuracy: %.4f", stats.validationAccuracy()));
    }
    line.append(String.format(Locale.ROOT, "  (%.1f s, %.0f samples/s)",
        stats.seconds(), stats.samplesPerSecond()));
    return line.toString();
  }
}
