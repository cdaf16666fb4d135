package dev.nnet.prep.audio;

/**
 * The short-time Fourier transform: Hann-windowed frames of {@code frameSize} samples every
 * {@code hop} samples, each transformed. The last frame is zero-padded; a signal shorter than one
 * frame gives one frame.
 */
public final class Stft {
  private final int frameSize;
  private final int hop;
  private final double[] window;

  public Stft(int frameSize, int hop) {
    if (frameSize < 2 || hop < 1) {
      throw new IllegalArgumentException("need frameSize >= 2 and hop >= 1, but got " + frameSize + " and " + hop);
    }
    this.frameSize = frameSize;
    this.hop = hop;
    this.window = hann(frameSize);
  }

  /** The periodic Hann window: halves of it overlapped by 50 % sum to exactly 1. */
  public static double[] hann(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
    }
    return w;
  }

  public int frameSize() {
    return frameSize;
  }

  public int hop() {
    return hop;
  }

  /** Frequency bins per frame: frameSize / 2 + 1. */
  public int bins() {
    return frameSize / 2 + 1;
  }

  public int frames(int samples) {
    return samples <= frameSize ? 1 : 1 + (samples - frameSize + hop - 1) / hop;
  }

  /** One windowed frame, zero-padded past the end of the signal. */
  float[] frame(float[] signal, int f) {
    float[] frame = new float[frameSize];
    int from = f * hop;
    for (int i = 0; i < frameSize && from + i < signal.length; i++) {
      frame[i] = (float) (signal[from + i] * window[i]);
    }
    return frame;
  }

  /** The power spectrogram |X|², [frames][bins]. */
  public float[][] power(float[] signal) {
    int frames = frames(signal.length);
    float[][] out = new float[frames][];
    for (int f = 0; f < frames; f++) {
      float[] magnitude = Fourier.magnitude(frame(signal, f));
      for (int k = 0; k < magnitude.length; k++) {
        magnitude[k] *= magnitude[k];
      }
      out[f] = magnitude;
    }
    return out;
  }

  /** The magnitude spectrogram |X|, [frames][bins]. */
  public float[][] magnitude(float[] signal) {
    int frames = frames(signal.length);
    float[][] out = new float[frames][];
    for (int f = 0; f < frames; f++) {
      out[f] = Fourier.magnitude(frame(signal, f));
    }
    return out;
  }
}
