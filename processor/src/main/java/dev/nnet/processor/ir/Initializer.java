package dev.nnet.processor.ir;

import java.util.Locale;

/** The initializers a layer can name for its weights or biases. */
public enum Initializer {
  GLOROT_UNIFORM,
  ZEROS;

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
