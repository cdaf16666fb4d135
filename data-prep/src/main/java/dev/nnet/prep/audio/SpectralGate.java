package dev.nnet.prep.audio;

import java.util.Arrays;

/**
 * Noise reduction by spectral gating: the noise's magnitude per frequency is estimated (mean +
 * {@code sensitivity} standard deviations) from a noise clip, or from the quietest tenth of the
 * signal's own frames; then each STFT bin of the signal below that threshold is attenuated by
 * {@code reductionDb} decibels, and the signal is rebuilt by overlap-add. Frames are Hann-windowed
 * at 50 % overlap, which sums to 1, so with nothing gated the output equals the input.
 */
public final class SpectralGate {
  private final int frameSize;
  private final double sensitivity;
  private final double attenuation;

  public SpectralGate(int frameSize, double sensitivity, double reductionDb) {
    if (frameSize < 4 || frameSize % 2 != 0 || sensitivity < 0 || reductionDb < 0) {
      throw new IllegalArgumentException("need an even frameSize >= 4 and sensitivity, reductionDb >= 0, but got "
          + frameSize + ", " + sensitivity + ", " + reductionDb);
    }
    this.frameSize = frameSize;
    this.sensitivity = sensitivity;
    this.attenuation = Math.pow(10, -reductionDb / 20);
  }

  /** Gates with a threshold estimated from the quietest tenth of the signal's own frames. */
  public float[] apply(float[] signal) {
    double[][] spectra = spectra(signal);
    double[][] magnitudes = magnitudes(spectra);
    Integer[] order = new Integer[magnitudes.length];
    double[] energy = new double[magnitudes.length];
    for (int f = 0; f < magnitudes.length; f++) {
      order[f] = f;
      for (double m : magnitudes[f]) {
        energy[f] += m * m;
      }
    }
    Arrays.sort(order, (a, b) -> Double.compare(energy[a], energy[b]));
    double[][] quiet = new double[Math.max(1, magnitudes.length / 10)][];
    for (int i = 0; i < quiet.length; i++) {
      quiet[i] = magnitudes[order[i]];
    }
    return gate(signal.length, spectra, magnitudes, threshold(quiet));
  }

  /** Gates with a threshold estimated from {@code noise}, a clip of the noise alone. */
  public float[] apply(float[] signal, float[] noise) {
    double[][] spectra = spectra(signal);
    return gate(signal.length, spectra, magnitudes(spectra), threshold(magnitudes(spectra(noise))));
  }

  private double[] threshold(double[][] noise) {
    int bins = frameSize;
    double[] threshold = new double[bins];
    for (int k = 0; k < bins; k++) {
      double mean = 0;
      for (double[] frame : noise) {
        mean += frame[k];
      }
      mean /= noise.length;
      double variance = 0;
      for (double[] frame : noise) {
        variance += (frame[k] - mean) * (frame[k] - mean);
      }
      threshold[k] = mean + sensitivity * Math.sqrt(variance / noise.length);
    }
    return threshold;
  }

  /** Spectra of the Hann-windowed frames at hop frameSize / 2, the signal padded by half a frame at each end. */
  private double[][] spectra(float[] signal) {
    int hop = frameSize / 2;
    double[] window = Stft.hann(frameSize);
    int padded = signal.length + frameSize;
    int frames = (padded - frameSize + hop - 1) / hop + 1;
    double[][] out = new double[frames][];
    for (int f = 0; f < frames; f++) {
      float[] frame = new float[frameSize];
      for (int i = 0; i < frameSize; i++) {
        int at = f * hop + i - hop;
        frame[i] = at >= 0 && at < signal.length ? (float) (signal[at] * window[i]) : 0f;
      }
      out[f] = Fourier.spectrum(frame);
    }
    return out;
  }

  private double[][] magnitudes(double[][] spectra) {
    double[][] out = new double[spectra.length][frameSize];
    for (int f = 0; f < spectra.length; f++) {
      for (int k = 0; k < frameSize; k++) {
        out[f][k] = Math.hypot(spectra[f][2 * k], spectra[f][2 * k + 1]);
      }
    }
    return out;
  }

  private float[] gate(int length, double[][] spectra, double[][] magnitudes, double[] threshold) {
    int hop = frameSize / 2;
    double[] sum = new double[length];
    for (int f = 0; f < spectra.length; f++) {
      double[] spectrum = spectra[f].clone();
      for (int k = 0; k < frameSize; k++) {
        if (magnitudes[f][k] < threshold[k]) {
          spectrum[2 * k] *= attenuation;
          spectrum[2 * k + 1] *= attenuation;
        }
      }
      float[] frame = Fourier.inverse(spectrum);
      for (int i = 0; i < frameSize; i++) {
        int at = f * hop + i - hop;
        if (at >= 0 && at < length) {
          sum[at] += frame[i];
        }
      }
    }
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) sum[i];
    }
    return out;
  }
}
