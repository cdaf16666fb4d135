package dev.nnet.processor.apt;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.processor.NnetCompiler;
import dev.nnet.processor.annotation.AnnotatedNetworks;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Compiles the {@code .nnet} files of a project during javac's normal run.
 *
 * <p>Where the files are: {@code src/main/nnet} (and {@code src/test/nnet} when compiling tests),
 * found by walking up from javac's class output directory, or the directory given with
 * {@code -Annet.sourceDir=...}. A file's directory below that root is its package, as for Java
 * sources. With {@code -Annet.emitDouble=true} a double-precision variant is generated too. When
 * javac sees {@code jdk.incubator.vector}, classes get Vector API kernels as well (off with
 * {@code -Annet.vector=false}).
 *
 * <p>It also compiles the Java types annotated with {@code @Network}, in every round (see
 * {@link AnnotatedNetworks}). It declares no Gradle incremental category: it reads {@code .nnet}
 * files Gradle does not track, and checks the {@code @Network} types against each other.
 */
@AutoService(Processor.class)
@SupportedOptions({NnetProcessor.SOURCE_DIR_OPTION, NnetProcessor.EMIT_DOUBLE_OPTION, NnetProcessor.VECTOR_OPTION})
public final class NnetProcessor extends AbstractProcessor {
  /** The package of the @Network annotations, in the runtime. */
  private static final String ANNOTATION_PACKAGE = "dev.nnet.runtime.annotation.";
  public static final String SOURCE_DIR_OPTION = "nnet.sourceDir";
  public static final String EMIT_DOUBLE_OPTION = "nnet.emitDouble";
  public static final String VECTOR_OPTION = "nnet.vector";

  private boolean done;
  /** The @Network types: every round, since a type may wait for one another processor makes. */
  private AnnotatedNetworks annotated;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    // "*" makes javac run us even when no class carries an annotation of ours.
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    MessagerSink sink = new MessagerSink(processingEnv.getMessager());
    try {
      if (annotated == null) {
        annotated = new AnnotatedNetworks(processingEnv, options(), () -> {
          try {
            return sourceRoot(new MessagerSink(processingEnv.getMessager()), false);
          } catch (IOException e) {
            return Optional.empty();
          }
        });
      }
      // Before the directory scan, so it knows which files @Network(source = ...) binds.
      annotated.process(round);
      if (done) {
        return claimsOnlyOurs(annotations);
      }
      done = true;
      Optional<Path> root = sourceRoot(sink, true);
      if (root.isPresent()) {
        compileAll(root.get(), sink);
      }
    } catch (RuntimeException | StackOverflowError | IOException e) {
      processingEnv.getMessager().printMessage(Kind.ERROR,
          "[nnet/internal] internal error in the nnet processor: " + e + "; please report it");
    }
    return claimsOnlyOurs(annotations);
  }

  /**
   * Our generated classes carry {@code @Generated}, which no processor handles. Claiming a round
   * whose only annotations are that one and java.lang's ({@code @Override}) keeps
   * {@code -Xlint:processing} builds free of the "no processor claimed" warning, and takes no
   * annotation another processor could want.
   */
  private static boolean claimsOnlyOurs(Set<? extends TypeElement> annotations) {
    boolean ours = false;
    for (TypeElement annotation : annotations) {
      String name = annotation.getQualifiedName().toString();
      if (name.equals("javax.annotation.processing.Generated") || name.startsWith(ANNOTATION_PACKAGE)) {
        ours = true;
      } else if (!name.startsWith("java.lang.")) {
        return false;
      }
    }
    return ours;
  }

  private NnetCompiler.Options options() {
    boolean emitDouble = Boolean.parseBoolean(processingEnv.getOptions().get(EMIT_DOUBLE_OPTION));
    // Vector API kernels only where the generated code can compile: javac must see the module
    // (--add-modules jdk.incubator.vector); -Annet.vector=false turns them off.
    boolean vector = !"false".equals(processingEnv.getOptions().get(VECTOR_OPTION))
        && processingEnv.getElementUtils().getTypeElement("jdk.incubator.vector.FloatVector") != null;
    return new NnetCompiler.Options(emitDouble, vector);
  }

  private Optional<Path> sourceRoot(MessagerSink sink, boolean report) throws IOException {
    String option = processingEnv.getOptions().get(SOURCE_DIR_OPTION);
    if (option != null) {
      Path dir = Path.of(option).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        if (!report) {
          return Optional.empty();
        }
        sink.report(Diagnostic.of(DiagnosticCode.IO_ERROR, SourceSpan.synthetic(option),
            "-A" + SOURCE_DIR_OPTION + " names '" + option + "', which is not a directory"), null);
        return Optional.empty();
      }
      return Optional.of(dir);
    }
    // No option: find src/main/nnet (or src/test/nnet for test-classes) above the class output.
    FileObject probe = processingEnv.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "", "nnet.probe");
    URI uri = probe.toUri();
    if (!"file".equals(uri.getScheme())) {
      return Optional.empty();
    }
    Path classes = Path.of(uri).getParent();
    String set = classes.getFileName() != null && classes.getFileName().toString().startsWith("test") ? "test" : "main";
    for (Path dir = classes; dir != null && classes.getNameCount() - dir.getNameCount() <= 4; dir = dir.getParent()) {
      Path candidate = dir.resolve("src").resolve(set).resolve("nnet");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private void compileAll(Path root, MessagerSink sink) throws IOException {
    NnetCompiler.Options options = options();
    Set<Path> bound = annotated.boundFiles();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      // Sorted, so the order of generation (and of messages) never depends on the file system.
      files = walk.filter(f -> f.toString().endsWith(".nnet") && Files.isRegularFile(f)).sorted().toList();
    }
    for (Path file : files) {
      if (bound.contains(file.toRealPath())) {
        continue; // Compiled into the package of the type that binds it.
      }
      String shown = displayPath(file);
      Path relativeDir = root.relativize(file).getParent();
      String packageName = relativeDir == null ? "" : relativeDir.toString().replace(file.getFileSystem().getSeparator(), ".");
      if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
        sink.report(Diagnostic.of(DiagnosticCode.IO_ERROR, SourceSpan.synthetic(shown),
                "the directory '" + relativeDir + "' is not a Java package name, so no package can hold this network")
            .withHelp("rename the directories below " + displayPath(root) + " to valid Java identifiers"), null);
        continue;
      }
      SourceFile source;
      try {
        source = new SourceFile(shown, withoutBom(decode(Files.readAllBytes(file))));
      } catch (CharacterCodingException e) {
        sink.report(Diagnostic.of(DiagnosticCode.IO_ERROR, SourceSpan.synthetic(shown),
            "the file is not valid UTF-8 text"), null);
        continue;
      } catch (IOException e) {
        sink.report(Diagnostic.of(DiagnosticCode.IO_ERROR, SourceSpan.synthetic(shown),
            "cannot read the file: " + e.getMessage()), null);
        continue;
      }
      MessagerSink fileSink = sink.forSource(source);
      for (JavaFile javaFile : NnetCompiler.compile(source, packageName, fileSink, options)) {
        String qualified = packageName.isEmpty() ? javaFile.typeSpec().name() : packageName + "." + javaFile.typeSpec().name();
        Optional<String> previous = annotated.claim(qualified, shown);
        if (previous.isPresent()) {
          fileSink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NETWORK, SourceSpan.synthetic(shown),
                  "a network named '" + javaFile.typeSpec().name() + "' is already declared")
              .withNote("first declared by " + previous.get()));
          continue;
        }
        try {
          javaFile.writeTo(processingEnv.getFiler());
        } catch (IOException e) {
          fileSink.report(Diagnostic.of(DiagnosticCode.IO_ERROR, SourceSpan.synthetic(shown),
              "cannot write " + javaFile.packageName() + "." + javaFile.typeSpec().name() + ": " + e.getMessage()));
        }
      }
    }
  }

  /** Spans are counted without a byte-order mark, as the parser sees the text. */
  private static String withoutBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** The path relative to the working directory when it is below it, so messages stay short. */
  private static String displayPath(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }
}
