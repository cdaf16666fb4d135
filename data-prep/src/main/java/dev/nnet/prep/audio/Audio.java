package dev.nnet.prep.audio;

/**
 * Mono audio: samples in [-1, 1] and their rate.
 *
 * @param samples the samples (not copied)
 * @param sampleRate samples per second
 */
public record Audio(float[] samples, int sampleRate) {
  public Audio {
    if (sampleRate < 1) {
      throw new IllegalArgumentException("the sample rate must be positive, but got " + sampleRate);
    }
  }

  /** The duration in seconds. */
  public double seconds() {
    return (double) samples.length / sampleRate;
  }

  /** The same rate with other samples. */
  public Audio with(float[] other) {
    return new Audio(other, sampleRate);
  }
}
