package dev.nnet.prep.audio;

/**
 * Triangular filters equally spaced on the mel scale (HTK: mel = 2595 · log10(1 + f / 700)),
 * from {@code minHz} to {@code maxHz}, over the bins of an {@code fftSize}-point spectrum. Filter
 * m rises from mel point m to m + 1 and falls to m + 2, with peak 1.
 */
public final class MelFilterBank {
  private final float[][] weights;
  private final double[] centres;

  public MelFilterBank(int filters, int fftSize, int sampleRate, double minHz, double maxHz) {
    if (filters < 1 || fftSize < 2 || !(minHz >= 0 && minHz < maxHz && maxHz <= sampleRate / 2.0)) {
      throw new IllegalArgumentException("need filters >= 1, fftSize >= 2 and 0 <= minHz < maxHz <= rate / 2,"
          + " but got " + filters + ", " + fftSize + ", " + minHz + ", " + maxHz);
    }
    int bins = fftSize / 2 + 1;
    double low = mel(minHz);
    double high = mel(maxHz);
    double[] hz = new double[filters + 2];
    for (int i = 0; i < hz.length; i++) {
      hz[i] = hz(low + (high - low) * i / (filters + 1));
    }
    weights = new float[filters][bins];
    centres = new double[filters];
    for (int m = 0; m < filters; m++) {
      centres[m] = hz[m + 1];
      for (int k = 0; k < bins; k++) {
        double f = Fourier.frequency(k, fftSize, sampleRate);
        double rise = (f - hz[m]) / (hz[m + 1] - hz[m]);
        double fall = (hz[m + 2] - f) / (hz[m + 2] - hz[m + 1]);
        weights[m][k] = (float) Math.max(0, Math.min(rise, fall));
      }
    }
  }

  public static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  public static double hz(double mel) {
    return 700 * (Math.pow(10, mel / 2595) - 1);
  }

  public int filters() {
    return weights.length;
  }

  /** The centre frequency of filter {@code m} in Hz. */
  public double centre(int m) {
    return centres[m];
  }

  /** Each filter's weighted sum of a power spectrum. */
  public float[] apply(float[] power) {
    float[] out = new float[weights.length];
    for (int m = 0; m < weights.length; m++) {
      double sum = 0;
      for (int k = 0; k < power.length && k < weights[m].length; k++) {
        sum += weights[m][k] * power[k];
      }
      out[m] = (float) sum;
    }
    return out;
  }
}
