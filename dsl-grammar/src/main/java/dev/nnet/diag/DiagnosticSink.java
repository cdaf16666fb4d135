package dev.nnet.diag;

/**
 * Where diagnostics go: javac's {@code Messager} in the annotation processor, the console on
 * the command line, a list in tests.
 */
@FunctionalInterface
public interface DiagnosticSink {
  void report(Diagnostic diagnostic);
}
