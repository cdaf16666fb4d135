package dev.nnet.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link Callback} that is told once per epoch: the simple form, for a lambda. For a progress
 * bar with an ETA use {@link ProgressBar}.
 */
@FunctionalInterface
public interface TrainingListener extends Callback {

  /** Called after each epoch, with the total number of epochs of the run. */
  void onEpochEnd(EpochStats stats, int epochs);

  /** Calls {@link #onEpochEnd(EpochStats, int)}. */
  @Override
  default void onEpochEnd(TrainingContext context, EpochStats stats) {
    onEpochEnd(stats, context.epochs());
  }

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

  /**
   * The line {@link #console} prints: the epoch, the loss, every training metric, the validation
   * loss and metrics, the regularization loss (when not 0), the time and the speed:
   *
   * <pre>
   * epoch E/N  loss: %.4f  accuracy: %.4f  f1: %.4f  val_loss: %.4f  val_accuracy: %.4f  val_f1: %.4f  regularization_loss: %.4f  (%.1f s, %.0f samples/s)
   * </pre>
   */
  static String format(EpochStats stats, int epochs) {
    return Lines.epoch(stats, epochs, false);
  }
}
