package dev.nnet.runtime.init;

/**
 * Fills a parameter tensor with starting values. Seeded: the same seed fills the same values.
 * {@code fanIn} and {@code fanOut} are the tensor's input and output widths (for a dense
 * weight [in, out]: in and out).
 */
public interface Initializer {

  /** The name as written in a {@code .nnet} file ({@code glorot_uniform}). */
  String name();

  void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed);

  void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed);
}
