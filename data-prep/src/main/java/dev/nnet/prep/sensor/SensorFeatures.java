package dev.nnet.prep.sensor;

import dev.nnet.prep.audio.Fourier;
import dev.nnet.runtime.data.series.Rolling;
import dev.nnet.runtime.data.series.Series;

/**
 * Features of a fixed-rate signal: moving mean and variance over a trailing window (by the
 * runtime's {@link Rolling}, so they are causal and NaN before the first full window), and the
 * energy in frequency bands (from the FFT power spectrum).
 */
public final class SensorFeatures {
  private SensorFeatures() {}

  public static double[] movingMean(double[] values, int window) {
    return values(Rolling.mean(Series.of(values), window));
  }

  /** Population variance of each trailing window. */
  public static double[] movingVariance(double[] values, int window) {
    return values(Rolling.variance(Series.of(values), window));
  }

  private static double[] values(Series series) {
    double[] out = new double[series.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = series.value(i);
    }
    return out;
  }

  /**
   * The energy of the signal in each band [edges[b], edges[b + 1]) Hz: the sum of |X[k]|² / n over
   * the FFT bins whose frequency falls in the band (one-sided, so over all bands from 0 to
   * rate / 2 this is Parseval's total energy, up to the doubling of the mirrored bins).
   */
  public static double[] bandEnergies(float[] signal, double sampleRate, double... edges) {
    if (edges.length < 2) {
      throw new IllegalArgumentException("need at least two band edges, but got " + edges.length);
    }
    for (int b = 1; b < edges.length; b++) {
      if (!(edges[b] > edges[b - 1])) {
        throw new IllegalArgumentException("band edges must increase, but " + edges[b] + " follows " + edges[b - 1]);
      }
    }
    double[] spectrum = Fourier.spectrum(signal);
    int n = signal.length;
    double[] out = new double[edges.length - 1];
    for (int k = 0; k <= n / 2; k++) {
      double f = k * sampleRate / n;
      double power = (spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1]) / n;
      // Bins other than 0 and n/2 stand for a positive and a negative frequency: count both.
      double weight = k == 0 || 2 * k == n ? 1 : 2;
      for (int b = 0; b < out.length; b++) {
        if (f >= edges[b] && f < edges[b + 1]) {
          out[b] += weight * power;
        }
      }
    }
    return out;
  }
}
