package dev.nnet.processor;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.NnetReader;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.codegen.NetworkClassWriter;
import dev.nnet.processor.codegen.Precision;
import dev.nnet.processor.ir.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole pipeline for one {@code .nnet} file: parse, check, generate. Shared by the
 * annotation processor, the command line and the tests. Bad input never throws: it becomes
 * diagnostics, and only networks without errors produce classes.
 */
public final class NnetCompiler {
  private NnetCompiler() {}

  /** Parses and checks {@code source}; the networks without errors come back as models. */
  public static List<NetworkModel> check(SourceFile source, String packageName, DiagnosticSink sink) {
    // Diagnostics reach the user in source order, whichever check found them first.
    List<Diagnostic> found = new ArrayList<>();
    try {
      NnetFile file = NnetReader.parse(source, found::add);
      return NetworkChecker.check(file, packageName, found::add);
    } catch (RuntimeException | StackOverflowError e) {
      found.add(internalError(source, e));
      return List.of();
    } finally {
      found.stream()
          .sorted(java.util.Comparator.comparingInt((Diagnostic d) -> d.span().startOffset()))
          .forEach(sink::report);
    }
  }

  /**
   * What to generate besides the float class with scalar kernels.
   *
   * @param emitDouble also a double-precision variant of each network ({@code NameDouble})
   * @param vectorKernels Vector API kernels in the float class (javac must see {@code jdk.incubator.vector})
   */
  public record Options(boolean emitDouble, boolean vectorKernels) {}

  /** Parses, checks and generates with scalar kernels only, plus double variants on request. */
  public static List<JavaFile> compile(SourceFile source, String packageName, DiagnosticSink sink, boolean emitDouble) {
    return compile(source, packageName, sink, new Options(emitDouble, false));
  }

  /** Parses, checks and generates: one float class per valid network, and what {@code options} ask. */
  public static List<JavaFile> compile(SourceFile source, String packageName, DiagnosticSink sink, Options options) {
    List<JavaFile> files = new ArrayList<>();
    for (NetworkModel model : check(source, packageName, sink)) {
      try {
        files.add(NetworkClassWriter.write(model, Precision.FLOAT, options.vectorKernels()));
        if (options.emitDouble()) {
          files.add(NetworkClassWriter.write(model, Precision.DOUBLE, false));
        }
      } catch (RuntimeException e) {
        sink.report(internalError(source, e));
      }
    }
    return files;
  }

  static Diagnostic internalError(SourceFile source, Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    String where = trace.length > 0 ? " at " + trace[0] : "";
    return Diagnostic.of(DiagnosticCode.INTERNAL, SourceSpan.synthetic(source.path()),
        "internal error: " + e + where + "; please report it with the .nnet file");
  }
}
