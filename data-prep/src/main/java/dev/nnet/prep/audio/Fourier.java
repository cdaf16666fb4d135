package dev.nnet.prep.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Discrete Fourier transforms of real signals by JTransforms (any length, not only powers of
 * two): the magnitude spectrum, and the complex spectrum and its inverse for filtering.
 */
public final class Fourier {
  private Fourier() {}

  /** |X[k]| for k = 0 … n/2 (the non-negative frequencies; bin k is k · rate / n Hz). */
  public static float[] magnitude(float[] signal) {
    double[] spectrum = spectrum(signal);
    float[] out = new float[signal.length / 2 + 1];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]);
    }
    return out;
  }

  /** The full complex spectrum, interleaved: re[0], im[0], re[1], im[1], … (2n values). */
  public static double[] spectrum(float[] signal) {
    if (signal.length == 0) {
      throw new IllegalArgumentException("the signal is empty");
    }
    double[] a = new double[2 * signal.length];
    for (int i = 0; i < signal.length; i++) {
      a[i] = signal[i];
    }
    new DoubleFFT_1D(signal.length).realForwardFull(a);
    return a;
  }

  /** The real part of the inverse of an interleaved complex spectrum of n = spectrum.length / 2 bins. */
  public static float[] inverse(double[] spectrum) {
    double[] a = spectrum.clone();
    new DoubleFFT_1D(a.length / 2).complexInverse(a, true);
    float[] out = new float[a.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a[2 * i];
    }
    return out;
  }

  /** The frequency in Hz of bin {@code k} of an {@code n}-point transform. */
  public static double frequency(int k, int n, int sampleRate) {
    return (double) k * sampleRate / n;
  }
}
