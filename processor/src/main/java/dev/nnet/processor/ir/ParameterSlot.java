package dev.nnet.processor.ir;

import java.util.List;

/**
 * One parameter tensor's place in the flat parameter array.
 *
 * @param tensorName the name in model files ({@code hidden.weight})
 * @param constantName the generated offset constant ({@code HIDDEN_WEIGHTS_OFFSET})
 * @param offset the first index in the flat array
 * @param shape the tensor's shape ({@code [784, 128]} for a dense weight, row = input)
 * @param initializer the initializer's keyword ({@code glorot_uniform})
 * @param fanIn inputs feeding each output (for initializers)
 * @param fanOut outputs each input feeds (for initializers)
 */
public record ParameterSlot(
    String tensorName,
    String constantName,
    int offset,
    List<Integer> shape,
    Initializer initializer,
    int fanIn,
    int fanOut) {
  public ParameterSlot {
    shape = List.copyOf(shape);
  }

  public int size() {
    int size = 1;
    for (int dimension : shape) {
      size *= dimension;
    }
    return size;
  }
}
