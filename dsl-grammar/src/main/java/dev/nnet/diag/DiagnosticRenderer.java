package dev.nnet.diag;

/**
 * Renders a diagnostic the way rustc does: the headline, the source line, carets under the
 * span, then notes and help.
 *
 * <pre>
 * mnist.nnet:9:5: error: [nnet/syntax] expected ')' but found 'activation'
 *     h = dense(x, units: 128 activation: relu)
 *                             ^^^^^^^^^^
 * help: separate arguments with ','
 * </pre>
 */
public final class DiagnosticRenderer {
  private DiagnosticRenderer() {}

  public static String render(Diagnostic diagnostic, SourceFile source) {
    StringBuilder out = new StringBuilder();
    out.append(diagnostic.headline()).append('\n');
    SourceSpan span = diagnostic.span();
    if (source != null && span.line() <= source.lineCount()) {
      String line = source.line(span.line());
      out.append("    ").append(printable(line)).append('\n');
      int caretCount = Math.max(1, Math.min(span.length(), line.length() - (span.column() - 1)));
      out.append("    ");
      // Tabs in the quoted line keep their width so the caret lines up under the column.
      for (int i = 0; i < span.column() - 1 && i < line.length(); i++) {
        out.append(line.charAt(i) == '\t' ? '\t' : ' ');
      }
      for (int i = 0; i < span.column() - 1 - line.length(); i++) {
        out.append(' ');
      }
      out.append("^".repeat(caretCount)).append('\n');
    }
    for (String note : diagnostic.notes()) {
      out.append("note: ").append(note).append('\n');
    }
    diagnostic.help().ifPresent(help -> out.append("help: ").append(help).append('\n'));
    return out.toString();
  }

  // Control characters in a quoted line would garble a terminal; show them as \\uXXXX.
  private static String printable(String line) {
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\t' && (c < 0x20 || c == 0x7f)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
