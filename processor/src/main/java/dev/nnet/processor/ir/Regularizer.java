package dev.nnet.processor.ir;

/**
 * A weight penalty declared on a layer: {@code l1(0.01)}, {@code l2(1e-4)} or
 * {@code l1_l2(l1: 0.01, l2: 0.01)}. Added to the loss and its gradient in training.
 */
public record Regularizer(double l1, double l2) {
  /** As written in a {@code .nnet} file. */
  @Override
  public String toString() {
    if (l1 != 0 && l2 != 0) {
      return "l1_l2(l1: " + l1 + ", l2: " + l2 + ")";
    }
    return l1 != 0 ? "l1(" + l1 + ")" : "l2(" + l2 + ")";
  }
}
