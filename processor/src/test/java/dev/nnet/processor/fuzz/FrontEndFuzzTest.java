package dev.nnet.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;

/**
 * Coverage-guided fuzzing of the whole front end and generator with Jazzer. Under plain Surefire
 * it replays the committed corpus in {@code FrontEndFuzzTestInputs/compilerNeverThrows}; run with
 * {@code JAZZER_FUZZ=1} to search for new inputs.
 */
class FrontEndFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void compilerNeverThrows(FuzzedDataProvider data) {
    boolean emitDouble = data.consumeBoolean();
    boolean vector = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    SourceFile source = new SourceFile("fuzz.nnet", text);
    DiagnosticList diagnostics = new DiagnosticList();
    try {
      for (JavaFile file : NnetCompiler.compile(source, "fuzz", diagnostics, new NnetCompiler.Options(emitDouble, vector))) {
        file.toString();
      }
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("the compiler threw on:\n" + text, e);
    }
    for (Diagnostic d : diagnostics.diagnostics()) {
      if (d.code() == DiagnosticCode.INTERNAL) {
        fail("internal error " + d.message());
      }
      assertTrue(d.span().line() >= 1 && d.span().column() >= 1, d.headline());
      assertTrue(d.span().line() <= source.lineCount() + 1, d.headline());
    }
  }
}
