package dev.nnet.runtime.schedule;

/**
 * Keras' {@code ExponentialDecay}: the rate decays by {@code decayRate} every {@code decaySteps}
 * optimizer steps, smoothly or in stairs:
 *
 * <pre>
 *   rate = baseRate · decayRate^(step / decaySteps)          staircase = false
 *   rate = baseRate · decayRate^⌊step / decaySteps⌋          staircase = true
 * </pre>
 *
 * <p>{@code step} counts optimizer steps from the start of training (0 for the first), as Keras'
 * {@code optimizer.iterations}. Immutable.
 *
 * @param decayRate the factor per {@code decaySteps} steps, finite and &gt; 0
 * @param decaySteps the number of steps over which the rate is multiplied by {@code decayRate},
 *     &gt;= 1
 * @param staircase whether the exponent is rounded down, so the rate changes every
 *     {@code decaySteps} steps only
 */
public record ExponentialDecay(double decayRate, long decaySteps, boolean staircase)
    implements LearningRateSchedule {

  /**
   * @throws IllegalArgumentException if {@code decayRate} is not finite and &gt; 0, or
   *     {@code decaySteps} is &lt; 1
   */
  public ExponentialDecay {
    Checks.positive("decay rate", decayRate);
    Checks.atLeastOne("decay steps", decaySteps);
  }

  @Override
  public double rate(double baseRate, int epoch, long step) {
    double exponent = staircase
        ? (double) Math.floorDiv(step, decaySteps)
        : (double) step / decaySteps;
    return baseRate * Math.pow(decayRate, exponent);
  }

  @Override
  public String toString() {
    return "ExponentialDecay(decayRate=" + decayRate + ", decaySteps=" + decaySteps
        + ", staircase=" + staircase + ")";
  }
}
