package dev.nnet.runtime.schedule;

/**
 * Multiplies the rate by {@code factor} every {@code everyEpochs} epochs:
 *
 * <pre>
 *   rate = baseRate · factor^⌊epoch / everyEpochs⌋        (epoch 0-based)
 * </pre>
 *
 * <p>so {@code new StepDecay(0.5, 10)} halves the rate after every 10 epochs (PyTorch's
 * {@code StepLR}; in Keras, a {@code LearningRateScheduler} callback with this function). The
 * rate changes only between epochs. Immutable.
 *
 * @param factor the multiplier, in (0, 1]
 * @param everyEpochs the number of epochs between two decays, &gt;= 1
 */
public record StepDecay(double factor, int everyEpochs) implements LearningRateSchedule {

  /**
   * @throws IllegalArgumentException if {@code factor} is not in (0, 1] or {@code everyEpochs} is
   *     &lt; 1
   */
  public StepDecay {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("factor must be in (0, 1], but got " + factor);
    }
    Checks.atLeastOne("everyEpochs", everyEpochs);
  }

  @Override
  public double rate(double baseRate, int epoch, long step) {
    return baseRate * Math.pow(factor, Math.floorDiv(epoch, everyEpochs));
  }

  @Override
  public String toString() {
    return "StepDecay(factor=" + factor + ", everyEpochs=" + everyEpochs + ")";
  }
}
