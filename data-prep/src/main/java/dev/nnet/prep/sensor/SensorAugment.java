package dev.nnet.prep.sensor;

import java.util.SplittableRandom;

/**
 * Seeded augmentation of sensor signals (Um et al., 2017): additive Gaussian noise, jitter (each
 * sample read at a randomly displaced time, values interpolated between neighbours), and
 * magnitude scaling by one random factor per signal.
 */
public final class SensorAugment {
  private SensorAugment() {}

  /** Adds Gaussian noise of standard deviation {@code sigma}. */
  public static double[] noise(double[] values, double sigma, SplittableRandom random) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i] + sigma * gaussian(random);
    }
    return out;
  }

  /**
   * Reads sample i at time i + δ with δ Gaussian of standard deviation {@code sigmaSamples} (in
   * sample periods, clamped to ±1), interpolating linearly: timing jitter of the sensor's clock.
   */
  public static double[] jitter(double[] values, double sigmaSamples, SplittableRandom random) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      double delta = Math.max(-1, Math.min(1, sigmaSamples * gaussian(random)));
      double at = Math.min(Math.max(i + delta, 0), values.length - 1);
      int below = (int) Math.floor(at);
      int above = Math.min(below + 1, values.length - 1);
      double t = at - below;
      out[i] = values[below] * (1 - t) + values[above] * t;
    }
    return out;
  }

  /** Multiplies the whole signal by one factor drawn from a normal distribution around 1. */
  public static double[] scale(double[] values, double sigma, SplittableRandom random) {
    double factor = 1 + sigma * gaussian(random);
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i] * factor;
    }
    return out;
  }

  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
