package dev.nnet.runtime.data.text;

/**
 * Which tokens are dropped when a text has more tokens than the fixed length, as Keras'
 * {@code pad_sequences(truncating=…)}: {@link #PRE} drops them from the beginning (the last
 * {@code length} tokens are kept), {@link #POST} from the end (the first {@code length} are
 * kept).
 */
public enum Truncation {
  /** Drop from the beginning: {@code [1, 2, 3, 4, 5]} at length 3 → {@code [3, 4, 5]}. */
  PRE,
  /** Drop from the end: {@code [1, 2, 3, 4, 5]} at length 3 → {@code [1, 2, 3]}. */
  POST
}
