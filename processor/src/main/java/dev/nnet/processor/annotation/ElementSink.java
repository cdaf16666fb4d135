package dev.nnet.processor.annotation;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticRenderer;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceFile;
import java.util.function.Function;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic.Kind;

/**
 * Passes diagnostics to javac's {@link Messager} on a Java element, annotation and value, so javac
 * prints the Java file, line and caret itself, followed by our {@code [nnet/<id>] message}, notes
 * and help: the same wording as for a {@code .nnet} file.
 */
final class ElementSink implements DiagnosticSink {
  private final Messager messager;
  private final Function<Diagnostic, Location> locate;
  private final SourceFile quoted;

  /**
   * @param locate where each diagnostic goes in Java
   * @param quoted when not null, the .nnet file whose line and carets the message also quotes
   *     (a bound file: the Java position alone would not show the mistake)
   */
  ElementSink(Messager messager, Function<Diagnostic, Location> locate, SourceFile quoted) {
    this.messager = messager;
    this.locate = locate;
    this.quoted = quoted;
  }

  @Override
  public void report(Diagnostic diagnostic) {
    report(messager, diagnostic, locate.apply(diagnostic), quoted);
  }

  static void report(Messager messager, Diagnostic diagnostic, Location at, SourceFile quoted) {
    Kind kind = switch (diagnostic.severity()) {
      case ERROR -> Kind.ERROR;
      case WARNING -> Kind.WARNING;
      case NOTE -> Kind.NOTE;
    };
    String text;
    if (quoted != null) {
      text = DiagnosticRenderer.render(diagnostic, quoted);
      // javac already says "error:" or "warning:"; drop ours from the headline.
      String severityWord = ": " + diagnostic.severity().label() + ": ";
      int cut = text.indexOf(severityWord);
      if (cut >= 0) {
        text = text.substring(0, cut) + ": " + text.substring(cut + severityWord.length());
      }
    } else {
      StringBuilder out = new StringBuilder("[" + diagnostic.code().id() + "] " + diagnostic.message());
      diagnostic.notes().forEach(note -> out.append("\nnote: ").append(note));
      diagnostic.help().ifPresent(help -> out.append("\nhelp: ").append(help));
      text = out.toString();
    }
    messager.printMessage(kind, text.stripTrailing(), at.element(), at.mirror(), at.value());
  }
}
