package dev.nnet.runtime;

/**
 * State values that no fitting could have produced — a vocabulary with a character out of range,
 * a word twice, a negative weight — found by {@link Network#checkState} before a model file's
 * values are loaded. {@link #index()} says which value of the state array is wrong, so the
 * model-file reader can name its byte offset.
 */
public final class InvalidStateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int index;

  /**
   * @param index the first wrong value's index in the state array
   * @param message what is wrong, naming the tensor
   */
  public InvalidStateException(int index, String message) {
    super(message);
    this.index = index;
  }

  /** The index in the state array of the first wrong value. */
  public int index() {
    return index;
  }
}
