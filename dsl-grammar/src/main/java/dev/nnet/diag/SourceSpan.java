package dev.nnet.diag;

/**
 * Where something is in a source file: the 1-based line and column of its first character, and
 * its character offsets (start inclusive, end exclusive) so a diagnostic can underline it.
 */
public record SourceSpan(String file, int line, int column, int startOffset, int endOffset) {

  public SourceSpan {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
    }
    if (endOffset < startOffset) {
      throw new IllegalArgumentException("span ends before it starts: " + startOffset + ".." + endOffset);
    }
  }

  /** A span for something with no text of its own, such as a generated default. */
  public static SourceSpan synthetic(String file) {
    return new SourceSpan(file, 1, 1, 0, 0);
  }

  public int length() {
    return endOffset - startOffset;
  }

  /** The smallest span that covers both this and {@code other}. */
  public SourceSpan to(SourceSpan other) {
    if (other.startOffset < startOffset) {
      return other.to(this);
    }
    return new SourceSpan(file, line, column, startOffset, Math.max(endOffset, other.endOffset));
  }

  /** {@code file:line:col}, the form every diagnostic starts with. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
