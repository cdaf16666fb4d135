package dev.nnet.runtime.schedule;

/**
 * Keras' {@code CosineDecayRestarts}: cosine decay with warm restarts (Loshchilov &amp; Hutter
 * 2017, "SGDR: Stochastic gradient descent with warm restarts"). The first period lasts
 * {@code firstDecaySteps} steps; each period is {@code tMul} times as long as the previous one and
 * starts from {@code mMul} times the previous starting rate:
 *
 * <pre>
 *   f = step / firstDecaySteps
 *   tMul = 1:  i = ⌊f⌋,                                   f' = f − i
 *   tMul ≠ 1:  i = ⌊log(1 − f·(1 − tMul)) / log(tMul)⌋,    f' = (f − (1 − tMul^i)/(1 − tMul)) / tMul^i
 *   rate = baseRate · ((1 − alpha) · ½ · mMul^i · (1 + cos(π · f')) + alpha)
 * </pre>
 *
 * <p>i is the number of restarts so far and f' the fraction of the current period completed.
 * Keras' defaults are {@code tMul = 2}, {@code mMul = 1}, {@code alpha = 0}. Immutable.
 *
 * @param firstDecaySteps the length of the first period in steps, &gt;= 1
 * @param tMul the factor by which each period is longer than the one before, finite and &gt;= 1
 * @param mMul the factor each period's starting rate is multiplied by, finite and &gt; 0 (below 1
 *     each restart starts lower)
 * @param alpha the floor as a fraction of the base rate, in [0, 1]
 */
public record CosineDecayRestarts(long firstDecaySteps, double tMul, double mMul, double alpha)
    implements LearningRateSchedule {

  public static final double DEFAULT_T_MUL = 2.0;
  public static final double DEFAULT_M_MUL = 1.0;
  public static final double DEFAULT_ALPHA = 0.0;

  /**
   * @throws IllegalArgumentException if {@code firstDecaySteps} is &lt; 1, {@code tMul} is not
   *     finite and &gt;= 1, {@code mMul} is not finite and &gt; 0, or {@code alpha} is not in
   *     [0, 1]
   */
  public CosineDecayRestarts {
    Checks.atLeastOne("first decay steps", firstDecaySteps);
    // Below 1 the periods shrink geometrically and their sum converges: the formula turns NaN.
    if (!(tMul >= 1) || Double.isInfinite(tMul)) {
      throw new IllegalArgumentException("tMul must be a finite number >= 1, but got " + tMul);
    }
    Checks.positive("mMul", mMul);
    Checks.fraction("alpha", alpha);
  }

  /** Keras' defaults: periods doubling in length, every restart at the full base rate, floor 0. */
  public CosineDecayRestarts(long firstDecaySteps) {
    this(firstDecaySteps, DEFAULT_T_MUL, DEFAULT_M_MUL, DEFAULT_ALPHA);
  }

  @Override
  public double rate(double baseRate, int epoch, long step) {
    double completed = (double) step / firstDecaySteps;
    double restarts;
    if (tMul == 1.0) {
      restarts = Math.floor(completed);
      completed -= restarts;
    } else {
      restarts = Math.floor(Math.log(1.0 - completed * (1.0 - tMul)) / Math.log(tMul));
      double before = (1.0 - Math.pow(tMul, restarts)) / (1.0 - tMul);
      completed = (completed - before) / Math.pow(tMul, restarts);
    }
    double cosine = 0.5 * Math.pow(mMul, restarts) * (1.0 + Math.cos(Math.PI * completed));
    return baseRate * ((1 - alpha) * cosine + alpha);
  }

  @Override
  public String toString() {
    return "CosineDecayRestarts(firstDecaySteps=" + firstDecaySteps + ", tMul=" + tMul
        + ", mMul=" + mMul + ", alpha=" + alpha + ")";
  }
}
