package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.cli.Nnetc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated source itself: byte-identical whichever JVM (and locale, encoding, time zone)
 * generates it and in whichever order the files are given, and warning-free under
 * {@code javac -Xlint:all -Werror} for every example network, 200 seeded random dense networks,
 * and 100 each of random convolutional and sequence networks (these also with the Vector API
 * kernels).
 */
class GeneratedSourceTest {
  static final int RANDOM_NETWORKS = Integer.getInteger("nnet.reliability.networks", 200);
  /**
   * Valid golden inputs with network names distinct from each other and from the examples' (the
   * golden "residual" is left out: examples/deep-residual declares a network Residual too).
   */
  static final List<String> GOLDENS = List.of("activations", "composition", "constants", "name-collisions",
      "normalization", "regression-sgd", "regularized", "sequential", "two-outputs");

  @TempDir Path dir;

  private List<Path> inputs() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> files = new ArrayList<>();
    try (Stream<Path> examples = Files.walk(Path.of("../examples"))) {
      for (Path file : examples.filter(f -> f.toString().endsWith(".nnet")).sorted().toList()) {
        files.add(Files.copy(file, in.resolve(file.getFileName())));
      }
    }
    for (String golden : GOLDENS) {
      files.add(Files.copy(Path.of("src/test/resources/golden", golden, "input.nnet"), in.resolve(golden + ".nnet")));
    }
    return files;
  }

  private static List<String> generateArgs(List<Path> files, Path out) {
    List<String> args = new ArrayList<>(List.of("generate", "-d", out.toString(), "--package", "gen", "--double"));
    files.forEach(f -> args.add(f.toString()));
    return args;
  }

  private static Map<String, byte[]> tree(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static void assertSameTree(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (String name : expected.keySet()) {
      assertTrue(java.util.Arrays.equals(expected.get(name), actual.get(name)), what + ": " + name + " differs");
    }
  }

  private static int nnetc(List<String> args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Nnetc.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return status;
  }

  /** Random networks of each family in the byte-identical check: 20 each, one file per family. */
  static final int IDENTICAL_RANDOM = 20;

  @Test
  void generationIsByteIdenticalAcrossJvmsLocalesAndInputOrder() throws Exception {
    List<Path> files = inputs();
    SplittableRandom dense = new SplittableRandom(20261129);
    StringBuilder denseText = new StringBuilder();
    for (int n = 0; n < IDENTICAL_RANDOM; n++) {
      denseText.append(RandomNetworks.network("Random" + n, dense));
    }
    files.add(Files.writeString(dir.resolve("in").resolve("random-dense.nnet"), denseText));
    for (Family family : List.of(SPATIAL, SEQUENCE)) {
      Family few = new Family(family.name(), IDENTICAL_RANDOM, family.seed(), family.draw(), family.layers());
      files.add(Files.writeString(dir.resolve("in").resolve("random-" + family.name() + ".nnet"),
          String.join("", few.texts())));
    }
    Path first = dir.resolve("first");
    nnetc(generateArgs(files, first));
    Map<String, byte[]> expected = tree(first);
    assertTrue(expected.size() >= 2 * (GOLDENS.size() + 2), expected.keySet().toString());

    List<Path> shuffled = new ArrayList<>(files);
    Collections.shuffle(shuffled, new java.util.Random(3));
    Path second = dir.resolve("shuffled");
    nnetc(generateArgs(shuffled, second));
    assertSameTree(expected, tree(second), "files in another order");

    List<Path> reversed = new ArrayList<>(files);
    Collections.reverse(reversed);
    Path child = dir.resolve("child");
    ChildJvm.Result result = ChildJvm.run(List.of("-Duser.language=tr", "-Duser.country=TR",
        "-Dfile.encoding=ISO-8859-1", "-Duser.timezone=Pacific/Kiritimati", "-Dline.separator=\r\n"), List.of(),
        Nnetc.class, 300, generateArgs(reversed, child).toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.out());
    assertSameTree(expected, tree(child), "a child JVM in a Turkish locale, Latin-1, CRLF, reversed order");
    System.out.println("[reliability] generated files identical across 3 runs: " + expected.size());
  }

  /** Compiles the sources below {@code root}; returns javac's warnings and errors, rendered. */
  static List<String> javac(Path root, List<String> options) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> collected = new DiagnosticCollector<>();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(root)) {
      sources = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    Path classes = Files.createDirectories(root.resolveSibling(root.getFileName() + "-classes"));
    List<String> all = new ArrayList<>(options);
    // -proc:none: the test class path holds nnet's own annotation processor, which would run and
    // leave @Generated unclaimed (an -Xlint:processing warning about the build, not the code).
    all.addAll(List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
        "-encoding", "UTF-8", "--release", "17", "-proc:none"));
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(collected, Locale.ROOT, StandardCharsets.UTF_8)) {
      ok = javac.getTask(null, files, collected, all, null, files.getJavaFileObjectsFromPaths(sources)).call();
    }
    List<String> problems = new ArrayList<>();
    for (javax.tools.Diagnostic<? extends JavaFileObject> d : collected.getDiagnostics()) {
      if (d.getKind() != javax.tools.Diagnostic.Kind.NOTE) {
        problems.add(d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber())
            + " " + d.getMessage(Locale.ROOT));
      }
    }
    if (!ok && problems.isEmpty()) {
      problems.add("javac failed without a diagnostic");
    }
    assertTrue(sources.size() > 0);
    return problems;
  }

  @Test
  void everyExampleAndGoldenNetworkCompilesWithoutAWarning() throws Exception {
    List<Path> files = inputs();
    Path scalar = dir.resolve("scalar");
    nnetc(generateArgs(files, scalar));
    assertEquals(List.of(), javac(scalar, List.of("-Xlint:all", "-Werror")));

    // The Vector API kernels: javac always warns that the module incubates, so -Werror cannot
    // apply; any other warning fails.
    Path vector = dir.resolve("vector");
    List<String> args = generateArgs(files, vector);
    args.add("--vector");
    nnetc(args);
    List<String> problems = javac(vector, List.of("-Xlint:all", "--add-modules", "jdk.incubator.vector"));
    problems.removeIf(p -> p.startsWith("WARNING") && p.contains("incubat"));
    assertEquals(List.of(), problems);
  }

  @Test
  void twoHundredRandomNetworksCompileWithoutAWarning() throws Exception {
    SplittableRandom random = new SplittableRandom(20261129);
    Path root = Files.createDirectories(dir.resolve("random"));
    int classes = 0;
    for (int n = 0; n < RANDOM_NETWORKS; n++) {
      String text = RandomNetworks.network("Random" + n, random);
      SourceFile source = new SourceFile("random" + n + ".nnet", text);
      DiagnosticList diagnostics = new DiagnosticList();
      List<JavaFile> generated = NnetCompiler.compile(source, "gen", diagnostics, n % 4 == 0);
      for (Diagnostic d : diagnostics.diagnostics()) {
        assertEquals(DiagnosticCode.UNUSED_TENSOR, d.code(), diagnostics.render(source) + "\n" + text);
      }
      assertEquals(n % 4 == 0 ? 2 : 1, generated.size(), text);
      for (JavaFile file : generated) {
        file.writeTo(root);
        classes++;
      }
    }
    assertEquals(List.of(), javac(root, List.of("-Xlint:all", "-Werror")));
    System.out.println("[reliability] random networks compiled with -Xlint:all -Werror: " + RANDOM_NETWORKS
        + " (" + classes + " classes)");
  }

  static final int RANDOM_SPATIAL = Integer.getInteger("nnet.reliability.spatialNetworks", 100);
  static final int RANDOM_SEQUENCE = Integer.getInteger("nnet.reliability.sequenceNetworks", 100);

  /** A family of seeded random networks: its name, count, seed and generator. */
  record Family(String name, int count, long seed, java.util.function.BiFunction<String, SplittableRandom, String> draw,
      List<String> layers) {
    List<String> texts() {
      SplittableRandom random = new SplittableRandom(seed);
      List<String> texts = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        texts.add(draw.apply(name + n, random));
      }
      return texts;
    }
  }

  static final Family SPATIAL = new Family("Spatial", RANDOM_SPATIAL, 20261130, RandomNetworks::spatialNetwork,
      List.of("conv2d", "maxpool2d", "avgpool2d", "globalavgpool2d", "globalmaxpool2d", "spatial_dropout2d", "batch_norm",
          "upsampling2d", "conv2d_transpose", "add", "gaussian_noise", "flatten", "gaussian_sample", "dense"));
  static final Family SEQUENCE = new Family("Sequence", RANDOM_SEQUENCE, 20261131, RandomNetworks::sequenceNetwork,
      List.of("embedding", "lstm", "gru", "rnn", "bidirectional", "time_distributed", "positional_embedding",
          "multi_head_attention", "add", "layer_norm", "dropout", "gaussian_noise", "globalavgpool1d", "flatten", "conv1d",
          "gaussian_sample", "dense"));

  /**
   * Generates every network of {@code family} (each checked: no diagnostic but an unused tensor),
   * scalar (every fourth with its double class) and with the Vector API kernels, and compiles
   * both sets; the scalar classes with {@code -Werror}.
   */
  private void compileFamily(Family family) throws IOException {
    Path scalar = Files.createDirectories(dir.resolve(family.name() + "-scalar"));
    Path vector = Files.createDirectories(dir.resolve(family.name() + "-vector"));
    int classes = 0;
    int direct = 0;
    Map<String, Integer> layers = new TreeMap<>();
    List<String> texts = family.texts();
    for (int n = 0; n < texts.size(); n++) {
      String text = texts.get(n);
      SourceFile source = new SourceFile(family.name() + n + ".nnet", text);
      DiagnosticList diagnostics = new DiagnosticList();
      List<JavaFile> generated = NnetCompiler.compile(source, "gen", diagnostics, n % 4 == 0);
      for (Diagnostic d : diagnostics.diagnostics()) {
        assertEquals(DiagnosticCode.UNUSED_TENSOR, d.code(), "the generator drew an invalid network:\n"
            + diagnostics.render(source) + "\n" + text);
      }
      assertEquals(n % 4 == 0 ? 2 : 1, generated.size(), text);
      for (JavaFile file : generated) {
        file.writeTo(scalar);
        classes++;
      }
      DiagnosticList vectorDiagnostics = new DiagnosticList();
      for (JavaFile file : NnetCompiler.compile(source, "gen", vectorDiagnostics, new NnetCompiler.Options(false, true))) {
        file.writeTo(vector);
        if (file.toString().contains("see DirectConvolutionKernel")) {
          direct++;
        }
      }
      java.util.regex.Matcher call = java.util.regex.Pattern.compile("([a-z_0-9]+)\\(").matcher(text);
      while (call.find()) {
        layers.merge(call.group(1), 1, Integer::sum);
      }
    }
    // The families must reach what they are for: every layer kind, and the direct kernels.
    for (String layer : family.layers()) {
      assertTrue(layers.getOrDefault(layer, 0) >= 3, family.name() + " drew " + layer + " too rarely: " + layers);
    }
    if (family == SPATIAL) {
      assertTrue(direct >= 10, "networks using the direct convolution kernels: " + direct);
    }
    assertEquals(List.of(), javac(scalar, List.of("-Xlint:all", "-Werror")), family.name());
    List<String> problems = javac(vector, List.of("-Xlint:all", "--add-modules", "jdk.incubator.vector"));
    problems.removeIf(p -> p.startsWith("WARNING") && p.contains("incubat"));
    assertEquals(List.of(), problems, family.name() + " with Vector API kernels");
    System.out.println("[reliability] random " + family.name().toLowerCase(Locale.ROOT)
        + " networks compiled with -Xlint:all -Werror: " + texts.size() + " (" + classes
        + " classes; and with Vector API kernels)" + (family == SPATIAL ? ", " + direct + " with direct convolution kernels" : "")
        + "; calls drawn: " + layers);
  }

  @Test
  void randomConvolutionalNetworksCompileWithoutAWarning() throws Exception {
    compileFamily(SPATIAL);
  }

  @Test
  void randomSequenceNetworksCompileWithoutAWarning() throws Exception {
    compileFamily(SEQUENCE);
  }
}
