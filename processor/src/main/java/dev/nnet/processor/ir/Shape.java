package dev.nnet.processor.ir;

import java.util.List;
import java.util.stream.Collectors;

/** The shape of one sample of a tensor; the batch dimension is never part of it. */
public record Shape(List<Integer> dimensions) {
  public Shape {
    dimensions = List.copyOf(dimensions);
  }

  public static Shape of(int... dimensions) {
    return new Shape(java.util.Arrays.stream(dimensions).boxed().toList());
  }

  public int rank() {
    return dimensions.size();
  }

  /** The number of elements in one sample. */
  public int size() {
    int size = 1;
    for (int dimension : dimensions) {
      size *= dimension;
    }
    return size;
  }

  /** {@code [28, 28]}, as shapes are written in {@code .nnet} files and in messages. */
  @Override
  public String toString() {
    return dimensions.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
