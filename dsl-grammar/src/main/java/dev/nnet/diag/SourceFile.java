package dev.nnet.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of one source file and where its lines start, so that a diagnostic can quote the
 * line it points at.
 */
public final class SourceFile {
  private final String path;
  private final String text;
  private final int[] lineStarts;

  public SourceFile(String path, String text) {
    this.path = Objects.requireNonNull(path, "path");
    this.text = Objects.requireNonNull(text, "text");
    this.lineStarts = computeLineStarts(text);
  }

  /** The path as the user should see it in messages ({@code src/main/nnet/mnist.nnet}). */
  public String path() {
    return path;
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lineStarts.length;
  }

  /**
   * The text of line {@code line} (1-based) without its line terminator, or an empty string
   * for a line outside the file.
   */
  public String line(int line) {
    if (line < 1 || line > lineStarts.length) {
      return "";
    }
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] : text.length();
    while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(start, end);
  }

  // Line terminators: \n, \r\n and a lone \r (old Mac files) all end a line, as in ANTLR's
  // column counting only \n does; we count columns from the line start we compute here.
  private static int[] computeLineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        starts.add(i + 1);
      } else if (c == '\r') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        starts.add(i + 1);
      }
    }
    int[] result = new int[starts.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = starts.get(i);
    }
    return result;
  }

  /** The 1-based line that holds character offset {@code offset}. */
  public int lineOf(int offset) {
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  /** The 1-based column of character offset {@code offset} within its line. */
  public int columnOf(int offset) {
    return offset - lineStarts[lineOf(offset) - 1] + 1;
  }

  /** A span from character offset {@code start} (inclusive) to {@code end} (exclusive). */
  public SourceSpan span(int start, int end) {
    int clampedStart = Math.max(0, Math.min(start, text.length()));
    int clampedEnd = Math.max(clampedStart, Math.min(end, text.length()));
    return new SourceSpan(
        path,
        lineOf(clampedStart),
        columnOf(clampedStart),
        clampedStart,
        clampedEnd);
  }

  @Override
  public String toString() {
    return "SourceFile[" + path + "]";
  }
}
