package dev.nnet.processor.ir;

import java.util.Locale;

/** The element-wise (or, for softmax, row-wise) function a layer applies to its output. */
public enum Activation {
  LINEAR,
  RELU,
  SIGMOID,
  TANH,
  SOFTMAX;

  /** The name as written in a {@code .nnet} file. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
