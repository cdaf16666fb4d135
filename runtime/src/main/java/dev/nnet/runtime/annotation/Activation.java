package dev.nnet.runtime.annotation;

/**
 * The activations, for {@link Dense#activation()} and {@link ActivationLayer}: each constant is
 * the {@code .nnet} name in upper case. An activation with arguments, such as
 * {@code leaky_relu(alpha: 0.1)}, goes in {@code args}: {@code args = "activation: leaky_relu(alpha: 0.1)"}.
 */
public enum Activation {
  LINEAR,
  RELU,
  SIGMOID,
  TANH,
  SOFTMAX,
  LEAKY_RELU,
  ELU,
  SWISH,
  SILU,
  GELU
}
