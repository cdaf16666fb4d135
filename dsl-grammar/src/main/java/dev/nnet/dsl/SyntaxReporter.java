package dev.nnet.dsl;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Passes syntax diagnostics for one file on to the caller's sink: at most one per source offset
 * (two complaints about the same token are one mistake), and at most {@code limit}; the next one
 * becomes {@code too many syntax errors; stopping} and ends the parse with {@link Stop}.
 */
final class SyntaxReporter {
  /** Thrown through the parser to end it once the limit is reached. */
  static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super("too many syntax errors", null, false, false);
    }
  }

  private final DiagnosticSink sink;
  private final int limit;
  private final Set<Integer> offsets = new HashSet<>();
  private int count;
  private boolean stopped;

  SyntaxReporter(DiagnosticSink sink, int limit) {
    this.sink = sink;
    this.limit = limit;
  }

  void report(SourceSpan span, String message, List<String> notes, String help) {
    if (stopped) {
      throw new Stop();
    }
    if (!offsets.add(span.startOffset())) {
      return;
    }
    if (count == limit) {
      stopped = true;
      sink.report(Diagnostic.of(DiagnosticCode.SYNTAX, span, "too many syntax errors; stopping"));
      throw new Stop();
    }
    count++;
    Diagnostic d = Diagnostic.of(DiagnosticCode.SYNTAX, span, message);
    for (String note : notes) {
      d = d.withNote(note);
    }
    if (help != null) {
      d = d.withHelp(help);
    }
    sink.report(d);
  }

  void report(SourceSpan span, String message) {
    report(span, message, List.of(), null);
  }
}
