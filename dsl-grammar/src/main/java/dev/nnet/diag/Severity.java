package dev.nnet.diag;

/** How bad a diagnostic is. Any {@link #ERROR} stops code generation for its network. */
public enum Severity {
  ERROR,
  WARNING,
  NOTE;

  /** The word a message starts with ({@code error}, {@code warning}, {@code note}). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
