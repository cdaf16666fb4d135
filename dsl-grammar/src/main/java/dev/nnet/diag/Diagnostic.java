package dev.nnet.diag;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message about the user's input: what is wrong, where, and where possible how to fix it.
 *
 * @param code the catalogue entry: stable id and severity
 * @param span where the problem is
 * @param message what was expected and what was found, lower case, no final period
 * @param notes extra context ({@code note: the input comes from line 3})
 * @param help how to fix it, when we know
 */
public record Diagnostic(
    DiagnosticCode code, SourceSpan span, String message, List<String> notes, Optional<String> help) {

  public Diagnostic {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(message, "message");
    notes = List.copyOf(notes);
    Objects.requireNonNull(help, "help");
  }

  public static Diagnostic of(DiagnosticCode code, SourceSpan span, String message) {
    return new Diagnostic(code, span, message, List.of(), Optional.empty());
  }

  public Diagnostic withNote(String note) {
    List<String> more = new java.util.ArrayList<>(notes);
    more.add(note);
    return new Diagnostic(code, span, message, more, help);
  }

  public Diagnostic withHelp(String text) {
    return new Diagnostic(code, span, message, notes, Optional.of(text));
  }

  public Severity severity() {
    return code.severity();
  }

  /** The first line of the rendered form: {@code file:3:5: error: [nnet/syntax] message}. */
  public String headline() {
    return span + ": " + severity().label() + ": [" + code.id() + "] " + message;
  }
}
