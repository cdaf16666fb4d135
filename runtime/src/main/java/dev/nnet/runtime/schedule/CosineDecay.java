package dev.nnet.runtime.schedule;

/**
 * Keras' {@code CosineDecay} (without its warm-up; wrap it in {@link LinearWarmup} for one):
 * half a cosine from the base rate down to {@code alpha · baseRate} over {@code decaySteps}
 * steps, then constant (Loshchilov &amp; Hutter 2017, "SGDR", without restarts):
 *
 * <pre>
 *   s       = min(step, decaySteps)
 *   cosine  = ½ · (1 + cos(π · s / decaySteps))
 *   rate    = baseRate · ((1 − alpha) · cosine + alpha)
 * </pre>
 *
 * <p>Immutable.
 *
 * @param decaySteps the number of steps to decay over, &gt;= 1
 * @param alpha the final rate as a fraction of the base rate, in [0, 1]
 */
public record CosineDecay(long decaySteps, double alpha) implements LearningRateSchedule {

  /** Keras' default floor: decay to 0. */
  public static final double DEFAULT_ALPHA = 0.0;

  /**
   * @throws IllegalArgumentException if {@code decaySteps} is &lt; 1 or {@code alpha} is not in
   *     [0, 1]
   */
  public CosineDecay {
    Checks.atLeastOne("decay steps", decaySteps);
    Checks.fraction("alpha", alpha);
  }

  /** Decay to 0 over {@code decaySteps} steps. */
  public CosineDecay(long decaySteps) {
    this(decaySteps, DEFAULT_ALPHA);
  }

  @Override
  public double rate(double baseRate, int epoch, long step) {
    double completed = (double) Math.min(step, decaySteps) / decaySteps;
    double cosine = 0.5 * (1 + Math.cos(Math.PI * completed));
    return baseRate * ((1 - alpha) * cosine + alpha);
  }

  @Override
  public String toString() {
    return "CosineDecay(decaySteps=" + decaySteps + ", alpha=" + alpha + ")";
  }
}
