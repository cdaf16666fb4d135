package dev.nnet.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps what it is told, caps how much it keeps, and can say whether any error was
 * among it.
 */
public final class DiagnosticList implements DiagnosticSink {
  /** After this many errors in one file, further ones are counted but not kept. */
  public static final int DEFAULT_LIMIT = 100;

  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final int limit;
  private int errorCount;
  private int dropped;

  public DiagnosticList() {
    this(DEFAULT_LIMIT);
  }

  public DiagnosticList(int limit) {
    this.limit = limit;
  }

  @Override
  public void report(Diagnostic diagnostic) {
    if (diagnostic.severity() == Severity.ERROR) {
      errorCount++;
    }
    if (diagnostics.size() < limit) {
      diagnostics.add(diagnostic);
    } else {
      dropped++;
    }
  }

  public List<Diagnostic> diagnostics() {
    return List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return errorCount > 0;
  }

  public int errorCount() {
    return errorCount;
  }

  /** How many diagnostics arrived after the limit and were not kept. */
  public int dropped() {
    return dropped;
  }

  /** Everything kept, rendered against {@code source}, one block per diagnostic. */
  public String render(SourceFile source) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(DiagnosticRenderer.render(d, source));
    }
    if (dropped > 0) {
      out.append("note: ").append(dropped).append(" more diagnostics not shown\n");
    }
    return out.toString();
  }
}
