package dev.nnet.processor.ir;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The function a layer applies to its output: {@code relu}, or with a parameter
 * {@code leaky_relu(alpha: 0.2)}.
 *
 * @param kind which function
 * @param alpha the slope of leaky relu or the scale of elu; 0 for the others
 * @param approximate for gelu: the tanh approximation instead of the exact erf form
 */
public record Activation(Kind kind, double alpha, boolean approximate) {

  /** The functions. Element-wise except {@link #SOFTMAX}, which normalises each row. */
  public enum Kind {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX, LEAKY_RELU, ELU, SWISH, GELU;

    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the backward pass needs the input of the function, not only its output. */
    public boolean needsInput() {
      return this == SWISH || this == GELU;
    }
  }

  public static final Activation LINEAR = of(Kind.LINEAR);
  public static final Activation RELU = of(Kind.RELU);
  public static final Activation SIGMOID = of(Kind.SIGMOID);
  public static final Activation SOFTMAX = of(Kind.SOFTMAX);

  /** Keras's defaults: leaky relu's negative slope 0.2 (keras.activations), elu's alpha 1. */
  public static final double LEAKY_RELU_ALPHA = 0.2;
  public static final double ELU_ALPHA = 1.0;

  public static Activation of(Kind kind) {
    double alpha = kind == Kind.LEAKY_RELU ? LEAKY_RELU_ALPHA : kind == Kind.ELU ? ELU_ALPHA : 0;
    return new Activation(kind, alpha, false);
  }

  /** Every name an activation can be written with; {@code silu} is swish. */
  public static List<String> keywords() {
    List<String> names = new java.util.ArrayList<>(Arrays.stream(Kind.values()).map(Kind::keyword).toList());
    names.add("silu");
    return names;
  }

  public static Optional<Kind> kind(String keyword) {
    if (keyword.equals("silu")) {
      return Optional.of(Kind.SWISH);
    }
    return Arrays.stream(Kind.values()).filter(k -> k.keyword().equals(keyword)).findFirst();
  }

  public boolean is(Kind other) {
    return kind == other;
  }

  public String keyword() {
    return kind.keyword();
  }

  /** As written in a {@code .nnet} file, defaults left out. */
  @Override
  public String toString() {
    if ((kind == Kind.LEAKY_RELU && alpha != LEAKY_RELU_ALPHA) || (kind == Kind.ELU && alpha != ELU_ALPHA)) {
      return keyword() + "(alpha: " + alpha + ")";
    }
    return kind == Kind.GELU && approximate ? "gelu(approximate: true)" : keyword();
  }
}
