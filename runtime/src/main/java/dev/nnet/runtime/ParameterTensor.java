package dev.nnet.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A named tensor inside a network's flat parameter array, such as {@code hidden.weight} of shape
 * [784, 128] at offset 0. Model files store one entry per tensor under this name.
 */
public record ParameterTensor(String name, int offset, List<Integer> shape) {
  public ParameterTensor {
    Objects.requireNonNull(name, "name");
    shape = List.copyOf(shape);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, but got " + offset);
    }
  }

  /** The number of floats the tensor holds. */
  public int size() {
    int size = 1;
    for (int dimension : shape) {
      size *= dimension;
    }
    return size;
  }
}
