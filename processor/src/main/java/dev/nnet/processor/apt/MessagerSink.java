package dev.nnet.processor.apt;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticRenderer;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceFile;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic.Kind;

/**
 * Passes diagnostics to javac's {@link Messager}. An error fails the build; javac prints
 * {@code error:} itself, followed by our {@code file:line:col: [id] message}, the quoted line and
 * the carets.
 */
final class MessagerSink implements DiagnosticSink {
  private final Messager messager;
  private final SourceFile source;

  MessagerSink(Messager messager) {
    this(messager, null);
  }

  private MessagerSink(Messager messager, SourceFile source) {
    this.messager = messager;
    this.source = source;
  }

  MessagerSink forSource(SourceFile file) {
    return new MessagerSink(messager, file);
  }

  @Override
  public void report(Diagnostic diagnostic) {
    report(diagnostic, source);
  }

  void report(Diagnostic diagnostic, SourceFile file) {
    Kind kind = switch (diagnostic.severity()) {
      case ERROR -> Kind.ERROR;
      case WARNING -> Kind.WARNING;
      case NOTE -> Kind.NOTE;
    };
    String rendered = DiagnosticRenderer.render(diagnostic, file);
    // javac already says "error:" or "warning:"; drop ours from the headline.
    String severityWord = ": " + diagnostic.severity().label() + ": ";
    int at = rendered.indexOf(severityWord);
    if (at >= 0) {
      rendered = rendered.substring(0, at) + ": " + rendered.substring(at + severityWord.length());
    }
    messager.printMessage(kind, rendered.stripTrailing());
  }
}
