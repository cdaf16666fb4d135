package dev.nnet.prep.audio;

/** Peak and RMS normalisation, and trimming of leading and trailing silence. */
public final class Loudness {
  private Loudness() {}

  /** Scales so the largest absolute sample is {@code peak} (silence stays silence). */
  public static float[] normalizePeak(float[] samples, double peak) {
    double max = 0;
    for (float s : samples) {
      max = Math.max(max, Math.abs(s));
    }
    return scale(samples, max > 0 ? peak / max : 1);
  }

  /** Scales so the root mean square is {@code rms} (silence stays silence). */
  public static float[] normalizeRms(float[] samples, double rms) {
    double current = rms(samples);
    return scale(samples, current > 0 ? rms / current : 1);
  }

  public static double rms(float[] samples) {
    double sum = 0;
    for (float s : samples) {
      sum += (double) s * s;
    }
    return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
  }

  /**
   * Drops the frames of {@code frame} samples at the start and end whose RMS is more than
   * {@code belowPeakDb} decibels under the loudest frame's.
   */
  public static float[] trimSilence(float[] samples, int frame, double belowPeakDb) {
    int frames = (samples.length + frame - 1) / frame;
    double[] energy = new double[frames];
    double loudest = 0;
    for (int f = 0; f < frames; f++) {
      int from = f * frame;
      int to = Math.min(samples.length, from + frame);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += (double) samples[i] * samples[i];
      }
      energy[f] = Math.sqrt(sum / (to - from));
      loudest = Math.max(loudest, energy[f]);
    }
    double threshold = loudest * Math.pow(10, -belowPeakDb / 20);
    int first = 0;
    while (first < frames && energy[first] < threshold) {
      first++;
    }
    int last = frames - 1;
    while (last > first && energy[last] < threshold) {
      last--;
    }
    if (first >= frames) {
      return samples.clone();
    }
    return java.util.Arrays.copyOfRange(samples, first * frame, Math.min(samples.length, (last + 1) * frame));
  }

  private static float[] scale(float[] samples, double factor) {
    float[] out = new float[samples.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (samples[i] * factor);
    }
    return out;
  }
}
