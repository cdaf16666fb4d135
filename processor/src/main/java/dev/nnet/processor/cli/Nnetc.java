package dev.nnet.processor.cli;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;
import dev.nnet.processor.ir.NetworkModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;

/**
 * {@code nnetc}, the command line compiler.
 *
 * <pre>
 * nnetc check FILE...                       diagnostics only
 * nnetc generate FILE... -d DIR [--package NAME] [--double] [--vector]
 * nnetc summary FILE [--network NAME]       a Keras-like table per network
 * </pre>
 *
 * The build attaches a self-contained jar with this class as its {@code Main-Class}
 * ({@code processor/target/nnet-processor-VERSION-cli.jar}), so {@code java -jar} runs it.
 * Diagnostics go to standard error exactly as {@link DiagnosticList#render} writes them; tables
 * and the list of written files go to standard output.
 *
 * <p>Exit status: 0 when no file has an error (warnings allowed), 1 when any has, 2 for a bad
 * command line, 3 for a bug in nnetc. No input makes it print a stack trace.
 *
 * <p>The first form, {@code nnetc [--out DIR] [--package NAME] [--double] [--vector] FILE...},
 * still works: without {@code --out} it is {@code check}, with it {@code generate}.
 */
public final class Nnetc {
  private Nnetc() {}

  /** No error in any file; warnings allowed. */
  public static final int OK = 0;
  /** A file could not be read, had an error, or a class could not be written. */
  public static final int ERRORS = 1;
  /** The command line was wrong. */
  public static final int USAGE = 2;
  /** A bug in nnetc. */
  public static final int INTERNAL = 3;

  static final String USAGE_TEXT = """
      usage: nnetc check FILE...
             nnetc generate FILE... -d DIR [--package NAME] [--double] [--vector]
             nnetc summary FILE [--network NAME]
             nnetc help

      commands:
        check      report the errors and warnings in .nnet files; nothing is written
        generate   write each valid network's Java class below DIR (created if missing)
        summary    print each valid network's layers, output shapes, parameter counts and
                   FLOPs per sample, with the totals and the train block

      options:
        -d DIR            generate: the output root; a class in package a.b goes to DIR/a/b
        --package NAME    generate: the package of the classes; by default the directories
                          below src/main/nnet (or src/test/nnet), as in a Maven build, and
                          otherwise the unnamed package
        --double          generate: also write NameDouble, the double-precision variant
        --vector          generate: add the Vector API kernels (compiling the classes then
                          needs --add-modules jdk.incubator.vector)
        --network NAME    summary: only this network of the file
        --                the arguments after it are files, even if they start with '-'

      exit status: 0 no errors (warnings allowed), 1 errors, 2 bad command line, 3 nnetc bug
      """;

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /**
   * Runs one command line and returns the exit status; writes results to {@code out} and
   * diagnostics and complaints to {@code err}. Never throws.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return dispatch(args, out, err);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError e) {
      StackTraceElement[] trace = e.getStackTrace();
      String where = trace.length > 0 ? " at " + trace[0] : "";
      err.print("nnetc: internal error: " + e + where + "; please report it with the command line and the .nnet file\n");
      return INTERNAL;
    }
  }

  private static int dispatch(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      return usage(err, "no command given");
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "help", "-h", "--help":
        return help(out);
      case "check":
        return check(rest, out, err);
      case "generate":
        return generate(rest, out, err);
      case "summary":
        return summary(rest, out, err);
      default:
        return legacy(args, out, err);
    }
  }

  // ---------------------------------------------------------------- commands

  private static int check(List<String> args, PrintStream out, PrintStream err) {
    Arguments a = Arguments.parse(args, Set.of(), Set.of());
    if (a.problem != null || a.help) {
      return a.help ? help(out) : usage(err, a.problem);
    }
    if (a.files.isEmpty()) {
      return usage(err, "check needs at least one FILE");
    }
    boolean failed = false;
    for (String file : a.files) {
      Optional<Loaded> loaded = load(file, null, err);
      if (loaded.isEmpty()) {
        failed = true;
        continue;
      }
      DiagnosticList diagnostics = new DiagnosticList();
      NnetCompiler.check(loaded.get().source, loaded.get().packageName, diagnostics);
      err.print(diagnostics.render(loaded.get().source));
      failed |= diagnostics.hasErrors();
    }
    return failed ? ERRORS : OK;
  }

  private static int generate(List<String> args, PrintStream out, PrintStream err) {
    Arguments a = Arguments.parse(args, Set.of("-d", "--out", "--package"), Set.of("--double", "--vector"));
    if (a.problem != null || a.help) {
      return a.help ? help(out) : usage(err, a.problem);
    }
    if (a.files.isEmpty()) {
      return usage(err, "generate needs at least one FILE");
    }
    String dirName = a.values.containsKey("-d") ? a.values.get("-d") : a.values.get("--out");
    if (dirName == null || dirName.isEmpty()) {
      return usage(err, "generate needs the output directory: -d DIR");
    }
    String packageName = a.values.get("--package");
    if (packageName != null && !packageName.isEmpty() && !SourceVersion.isName(packageName)) {
      return usage(err, "--package '" + packageName + "' is not a Java package name");
    }
    Path dir;
    try {
      dir = Path.of(dirName);
      Files.createDirectories(dir);
    } catch (IOException | InvalidPathException e) {
      ioError(err, dirName, "cannot create the directory: " + reason(e));
      return ERRORS;
    }
    NnetCompiler.Options options = new NnetCompiler.Options(a.flags.contains("--double"), a.flags.contains("--vector"));
    Map<String, String> writtenFrom = new HashMap<>();
    boolean failed = false;
    for (String file : a.files) {
      Optional<Loaded> loaded = load(file, packageName, err);
      if (loaded.isEmpty()) {
        failed = true;
        continue;
      }
      SourceFile source = loaded.get().source;
      DiagnosticList diagnostics = new DiagnosticList();
      List<JavaFile> generated = NnetCompiler.compile(source, loaded.get().packageName, diagnostics, options);
      err.print(diagnostics.render(source));
      failed |= diagnostics.hasErrors();
      for (JavaFile javaFile : generated) {
        String className = javaFile.packageName().isEmpty()
            ? javaFile.typeSpec().name()
            : javaFile.packageName() + "." + javaFile.typeSpec().name();
        String earlier = writtenFrom.putIfAbsent(className, file);
        if (earlier != null) {
          // The build reports the same clash (javac refuses to create a type twice).
          ioError(err, file, "cannot write " + className + ": " + earlier + " already generates it");
          failed = true;
          continue;
        }
        try {
          Path written = javaFile.writeToPath(dir, StandardCharsets.UTF_8);
          out.print("wrote " + written + "\n");
        } catch (IOException | RuntimeException e) {
          ioError(err, file, "cannot write " + className + ": " + reason(e));
          failed = true;
        }
      }
    }
    return failed ? ERRORS : OK;
  }

  private static int summary(List<String> args, PrintStream out, PrintStream err) {
    Arguments a = Arguments.parse(args, Set.of("--network"), Set.of());
    if (a.problem != null || a.help) {
      return a.help ? help(out) : usage(err, a.problem);
    }
    if (a.files.size() != 1) {
      return usage(err, a.files.isEmpty() ? "summary needs a FILE" : "summary takes one FILE, not " + a.files.size());
    }
    String file = a.files.get(0);
    Optional<Loaded> loaded = load(file, null, err);
    if (loaded.isEmpty()) {
      return ERRORS;
    }
    DiagnosticList diagnostics = new DiagnosticList();
    List<NetworkModel> models = NnetCompiler.check(loaded.get().source, loaded.get().packageName, diagnostics);
    err.print(diagnostics.render(loaded.get().source));
    String wanted = a.values.get("--network");
    List<NetworkModel> shown = wanted == null
        ? models
        : models.stream().filter(m -> m.name().equals(wanted)).toList();
    for (int i = 0; i < shown.size(); i++) {
      out.print((i > 0 ? "\n" : "") + Summary.table(shown.get(i)));
    }
    if (diagnostics.hasErrors()) {
      return ERRORS;
    }
    if (wanted != null && shown.isEmpty()) {
      err.print("nnetc: " + file + " declares no network '" + wanted + "'"
          + (models.isEmpty() ? "" : "; it declares " + models.stream().map(NetworkModel::name).collect(Collectors.joining(", ")))
          + "\n");
      return ERRORS;
    }
    if (models.isEmpty()) {
      out.print(file + " declares no network\n");
    }
    return OK;
  }

  /**
   * The first command line, before subcommands: {@code [--out DIR] [--package NAME] [--double]
   * [--vector] FILE...}. Recognised when the first argument is one of those options or a
   * {@code .nnet} file; anything else is an unknown command.
   */
  private static int legacy(String[] args, PrintStream out, PrintStream err) {
    String first = args[0];
    boolean old = first.endsWith(".nnet") || Set.of("--out", "--package", "--double", "--vector").contains(first);
    if (!old) {
      return usage(err, first.startsWith("-") ? "unknown option '" + first + "'" : "unknown command '" + first + "'");
    }
    List<String> all = List.of(args);
    if (all.contains("--out")) {
      return generate(all, out, err);
    }
    // check takes no options; these only shaped the generated code, which check does not write.
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--package")) {
        i++;
      } else if (!args[i].equals("--double") && !args[i].equals("--vector")) {
        checked.add(args[i]);
      }
    }
    return check(checked, out, err);
  }

  // ---------------------------------------------------------------- arguments

  /** A subcommand's arguments: files, options with a value, and flags, in any order. */
  private static final class Arguments {
    final List<String> files = new ArrayList<>();
    final Map<String, String> values = new HashMap<>();
    final List<String> flags = new ArrayList<>();
    String problem;
    boolean help;

    static Arguments parse(List<String> args, Set<String> withValue, Set<String> flags) {
      Arguments a = new Arguments();
      boolean onlyFiles = false;
      for (int i = 0; i < args.size() && a.problem == null; i++) {
        String arg = args.get(i);
        if (arg.isEmpty()) {
          a.problem = "an empty argument where a FILE or an option should be";
        } else if (onlyFiles || !arg.startsWith("-") || arg.equals("-")) {
          a.files.add(arg);
        } else if (arg.equals("--")) {
          onlyFiles = true;
        } else if (withValue.contains(arg)) {
          if (i + 1 >= args.size()) {
            a.problem = arg + " needs a value";
          } else if (a.values.put(arg, args.get(++i)) != null) {
            a.problem = arg + " is given twice";
          }
        } else if (arg.startsWith("--") && arg.contains("=") && withValue.contains(arg.substring(0, arg.indexOf('=')))) {
          String name = arg.substring(0, arg.indexOf('='));
          if (a.values.put(name, arg.substring(arg.indexOf('=') + 1)) != null) {
            a.problem = name + " is given twice";
          }
        } else if (flags.contains(arg)) {
          a.flags.add(arg);
        } else if (arg.equals("-h") || arg.equals("--help")) {
          a.help = true;
        } else {
          a.problem = "unknown option '" + arg + "'";
        }
      }
      if (a.values.containsKey("-d") && a.values.containsKey("--out")) {
        a.problem = "-d and --out name the same directory; give one";
      }
      return a;
    }
  }

  // ---------------------------------------------------------------- files

  /** A readable {@code .nnet} file and the package its classes get. */
  private record Loaded(SourceFile source, String packageName) {}

  /**
   * Reads {@code file} as the annotation processor does: strict UTF-8, a leading byte-order mark
   * dropped (so columns count as the parser sees the text). Problems are reported and give empty.
   */
  private static Optional<Loaded> load(String file, String packageOption, PrintStream err) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      ioError(err, file, "cannot read the file: " + e.getReason());
      return Optional.empty();
    }
    String packageName = packageOption;
    if (packageName == null) {
      Optional<String> inferred = inferredPackage(path);
      if (inferred.isPresent() && !inferred.get().isEmpty() && !SourceVersion.isName(inferred.get())) {
        ioError(err, file, "the directory '" + inferred.get().replace('.', '/')
            + "' is not a Java package name, so no package can hold this network");
        err.print("help: rename the directories below the nnet source directory to valid Java identifiers,"
            + " or give the package with --package NAME\n");
        return Optional.empty();
      }
      packageName = inferred.orElse("");
    }
    if (Files.isDirectory(path)) {
      ioError(err, file, "cannot read the file: it is a directory");
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException | OutOfMemoryError | SecurityException e) {
      ioError(err, file, "cannot read the file: " + reason(e));
      return Optional.empty();
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      ioError(err, file, "the file is not valid UTF-8 text");
      return Optional.empty();
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return Optional.of(new Loaded(new SourceFile(file, text), packageName));
  }

  /**
   * The package a Maven build gives a file: the directories between {@code src/main/nnet} (or
   * {@code src/test/nnet}) and the file, dot-separated; empty when the file is not below one.
   */
  static Optional<String> inferredPackage(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    int n = absolute.getNameCount();
    for (int i = n - 2; i >= 2; i--) {
      if (absolute.getName(i).toString().equals("nnet")
          && (absolute.getName(i - 1).toString().equals("main") || absolute.getName(i - 1).toString().equals("test"))
          && absolute.getName(i - 2).toString().equals("src")) {
        List<String> parts = new ArrayList<>();
        for (int j = i + 1; j < n - 1; j++) {
          parts.add(absolute.getName(j).toString());
        }
        return Optional.of(String.join(".", parts));
      }
    }
    return Optional.empty();
  }

  private static String reason(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof OutOfMemoryError) {
      return "the file is too large";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof InvalidPathException invalid) {
      return invalid.getReason();
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      // The message would repeat the path, which the line already starts with.
      return fileSystem.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- output

  /** A problem with a whole file, in the diagnostics' form without a line: {@code path: error: [nnet/io] ...}. */
  private static void ioError(PrintStream err, String file, String message) {
    err.print(file + ": error: [nnet/io] " + message + "\n");
  }

  private static int help(PrintStream out) {
    out.print(USAGE_TEXT);
    return OK;
  }

  private static int usage(PrintStream err, String problem) {
    err.print("nnetc: " + problem + "\n");
    err.print(USAGE_TEXT);
    return USAGE;
  }
}
