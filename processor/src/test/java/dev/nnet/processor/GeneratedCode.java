package dev.nnet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/** Test helper: runs the compiler on .nnet text, compiles what it generates, and loads the classes. */
final class GeneratedCode {
  private GeneratedCode() {}

  /** The generated Java files for {@code text}; fails the test if the text has errors. */
  static List<JavaFile> generate(String fileName, String text, String packageName, boolean emitDouble) {
    return generate(fileName, text, packageName, new NnetCompiler.Options(emitDouble, false));
  }

  static List<JavaFile> generate(String fileName, String text, String packageName, NnetCompiler.Options options) {
    SourceFile source = new SourceFile(fileName, text);
    DiagnosticList diagnostics = new DiagnosticList();
    List<JavaFile> files = NnetCompiler.compile(source, packageName, diagnostics, options);
    if (diagnostics.hasErrors() || files.isEmpty()) {
      throw new AssertionError("expected a valid network, got:\n" + diagnostics.render(source));
    }
    return files;
  }

  /**
   * Compiles the generated files with {@code -Xlint:all -Werror} (against the runtime on the test
   * class path) and loads them; returns the loader.
   */
  static synchronized ClassLoader compileAndLoad(List<JavaFile> files) {
    return CACHE.computeIfAbsent(key(files), k -> compileAndLoadUncached(files));
  }

  /** The class files javac wrote for {@code files}, by binary name. */
  static synchronized Map<String, byte[]> classFiles(List<JavaFile> files) {
    compileAndLoad(files);
    return CLASS_FILES.get(key(files));
  }

  private static String key(List<JavaFile> files) {
    return files.stream().map(JavaFile::toString).reduce("", String::concat);
  }

  private static final Map<String, Map<String, byte[]>> CLASS_FILES = new HashMap<>();

  // Compiling takes about a second; parameterised tests reuse the classes of the same text.
  private static final Map<String, ClassLoader> CACHE = new HashMap<>();

  private static ClassLoader compileAndLoadUncached(List<JavaFile> files) {
    List<JavaFileObject> sources = files.stream()
        .map(f -> JavaFileObjects.forSourceString(
            (f.packageName().isEmpty() ? "" : f.packageName() + ".") + f.typeSpec().name(), f.toString()))
        .toList();
    boolean vector = files.stream().anyMatch(f -> f.toString().contains("jdk.incubator.vector"));
    Compilation compilation;
    if (vector) {
      // javac always warns that the module incubates, so -Werror cannot apply; any other warning fails.
      compilation = Compiler.javac().withOptions("-Xlint:all", "--add-modules", "jdk.incubator.vector").compile(sources);
      assertThat(compilation).succeeded();
      compilation.warnings().forEach(w -> {
        if (!w.getMessage(null).contains("incubating")) {
          throw new AssertionError("unexpected warning: " + w);
        }
      });
    } else {
      compilation = Compiler.javac().withOptions("-Xlint:all", "-Werror").compile(sources);
      assertThat(compilation).succeededWithoutWarnings();
    }
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = file.toUri().getPath();
      String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - ".class".length())
          .replace('/', '.');
      try (InputStream in = file.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    CLASS_FILES.put(key(files), Map.copyOf(classes));
    return new ClassLoader(GeneratedCode.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }

  /** Generates, compiles and instantiates class {@code className} with the given batch capacity. */
  static <T> T instantiate(String text, String className, int batchCapacity, Class<T> type) {
    ClassLoader loader = compileAndLoad(generate("check.nnet", text, "gen", true));
    try {
      Object instance = loader.loadClass("gen." + className).getConstructor(int.class).newInstance(batchCapacity);
      return type.cast(instance);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
