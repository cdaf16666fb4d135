package dev.nnet.prep.audio;

import java.util.SplittableRandom;

/**
 * Seeded audio augmentation: added Gaussian noise at a signal-to-noise ratio, speed change
 * (resampling by linear interpolation, so pitch changes with speed, like a tape), and time shift.
 * The same random generator state gives the same result.
 */
public final class AudioAugment {
  private AudioAugment() {}

  /** Adds white Gaussian noise so that signal power / noise power is {@code snrDb} decibels. */
  public static float[] addNoise(float[] samples, double snrDb, SplittableRandom random) {
    double rms = Loudness.rms(samples);
    double sigma = rms / Math.pow(10, snrDb / 20);
    float[] out = new float[samples.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (samples[i] + sigma * gaussian(random));
    }
    return out;
  }

  /** Plays {@code factor} times faster (factor 2: half as long); values between samples interpolated. */
  public static float[] changeSpeed(float[] samples, double factor) {
    if (!(factor > 0.1 && factor < 10)) {
      throw new IllegalArgumentException("a speed factor must be between 0.1 and 10, but got " + factor);
    }
    int n = Math.max(1, (int) Math.round(samples.length / factor));
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double at = i * factor;
      int below = Math.min((int) at, samples.length - 1);
      int above = Math.min(below + 1, samples.length - 1);
      double t = at - below;
      out[i] = (float) (samples[below] * (1 - t) + samples[above] * t);
    }
    return out;
  }

  /** Moves the samples {@code shift} places later (earlier if negative), filling with silence. */
  public static float[] shift(float[] samples, int shift) {
    float[] out = new float[samples.length];
    for (int i = 0; i < out.length; i++) {
      int from = i - shift;
      if (from >= 0 && from < samples.length) {
        out[i] = samples[from];
      }
    }
    return out;
  }

  /** A standard normal value (Box–Muller), from {@code random}. */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
