package dev.nnet.processor.cli;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nnetc}: checks {@code .nnet} files from the command line and, with {@code --out}, writes
 * the generated Java sources.
 *
 * <pre>
 * java -cp nnet-processor.jar:... dev.nnet.processor.cli.Nnetc [--out DIR] [--package NAME] [--double] [--vector] FILE...
 * </pre>
 *
 * Exit status: 0 when every file is free of errors, 1 when any has errors, 2 for a usage error.
 */
public final class Nnetc {
  private Nnetc() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path outDir = null;
    String packageName = "";
    boolean emitDouble = false;
    boolean vector = false;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> {
          if (++i >= args.length) {
            return usage(err, "--out needs a directory");
          }
          outDir = Path.of(args[i]);
        }
        case "--package" -> {
          if (++i >= args.length) {
            return usage(err, "--package needs a name");
          }
          packageName = args[i];
        }
        case "--double" -> emitDouble = true;
        case "--vector" -> vector = true;
        case "-h", "--help" -> {
          usage(out, null);
          return 0;
        }
        default -> {
          if (args[i].startsWith("-")) {
            return usage(err, "unknown option " + args[i]);
          }
          files.add(Path.of(args[i]));
        }
      }
    }
    if (files.isEmpty()) {
      return usage(err, "no .nnet files given");
    }
    boolean failed = false;
    for (Path file : files) {
      String text;
      try {
        text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println(file + ": error: [nnet/io] cannot read the file: " + e.getMessage());
        failed = true;
        continue;
      }
      // Spans are counted without a byte-order mark, as the parser sees the text.
      SourceFile source = new SourceFile(file.toString(), text.startsWith("\uFEFF") ? text.substring(1) : text);
      DiagnosticList diagnostics = new DiagnosticList();
      List<JavaFile> generated = NnetCompiler.compile(source, packageName, diagnostics,
          new NnetCompiler.Options(emitDouble, vector));
      err.print(diagnostics.render(source));
      failed |= diagnostics.hasErrors();
      for (JavaFile javaFile : generated) {
        if (outDir == null) {
          out.println(file + ": network " + javaFile.typeSpec().name() + " is valid");
          continue;
        }
        try {
          Files.createDirectories(outDir);
          Path written = javaFile.writeToPath(outDir, StandardCharsets.UTF_8);
          out.println("wrote " + written);
        } catch (IOException e) {
          err.println(outDir + ": error: [nnet/io] cannot write " + javaFile.typeSpec().name() + ": " + e.getMessage());
          failed = true;
        }
      }
    }
    return failed ? 1 : 0;
  }

  private static int usage(PrintStream stream, String problem) {
    if (problem != null) {
      stream.println("nnetc: " + problem);
    }
    stream.println("usage: nnetc [--out DIR] [--package NAME] [--double] [--vector] FILE.nnet...");
    return problem == null ? 0 : 2;
  }
}
