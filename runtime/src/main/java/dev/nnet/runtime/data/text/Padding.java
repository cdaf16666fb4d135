package dev.nnet.runtime.data.text;

/**
 * Where padding ids (0) go when a text has fewer tokens than the fixed length: {@link #PRE}
 * before the tokens, {@link #POST} after them, as Keras' {@code pad_sequences(padding=…)}.
 * With {@code PRE}, a recurrent network reads the real tokens last, right before its output.
 */
public enum Padding {
  /** Zeros before the tokens: {@code [0, 0, 5, 7]}. */
  PRE,
  /** Zeros after the tokens: {@code [5, 7, 0, 0]}. */
  POST
}
