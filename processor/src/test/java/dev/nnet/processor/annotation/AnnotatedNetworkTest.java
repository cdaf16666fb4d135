package dev.nnet.processor.annotation;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;
import dev.nnet.processor.apt.NnetProcessor;
import dev.nnet.runtime.Network;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @Network} types in a real javac run: what they generate, and what they report. */
class AnnotatedNetworkTest {
  static final String IMPORTS = """
      package demo;

      import dev.nnet.runtime.annotation.*;
      import static dev.nnet.runtime.annotation.Activation.*;

      """;

  static final String IRIS = IMPORTS + """
      @Network
      @Train(loss = "sparse_categorical_crossentropy", optimizer = "adam(learning_rate: 0.01)", batch = 16,
             epochs = 100, metrics = "accuracy")
      interface IrisNet {
        @Input(4) Layer features();
        @Dense(units = 16, activation = RELU) Layer hidden();
        @Dropout(rate = 0.1) Layer drop();
        @Dense(units = 3, activation = SOFTMAX) Layer probs();
      }
      """;

  static Compilation compile(List<String> options, String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String source : sources) {
      files.add(JavaFileObjects.forSourceString("demo." + typeName(source), source));
    }
    List<String> all = new ArrayList<>(List.of("-Annet.vector=false", "-Xlint:all"));
    all.addAll(options);
    return Compiler.javac().withProcessors(new NnetProcessor()).withOptions(all).compile(files);
  }

  static Compilation compile(String... sources) {
    return compile(List.of(), sources);
  }

  /** The first top-level type's name: the file must be named after it. */
  static String typeName(String source) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^(?:public |abstract |final )*(?:@interface|interface|class|enum|record) (\\w+)").matcher(source);
    if (!m.find()) {
      throw new IllegalArgumentException("no type in " + source);
    }
    return m.group(1);
  }

  static String generated(Compilation compilation, String qualifiedName) throws IOException {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName).orElseThrow(
        () -> new AssertionError("no generated " + qualifiedName + "; diagnostics: " + compilation.diagnostics()));
    return file.getCharContent(true).toString();
  }

  // ---------------------------------------------------------------- valid networks

  @Test
  void aSequentialNetworkGeneratesItsClassBesideTheType() throws Exception {
    Compilation compilation = compile(IRIS);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.IrisNetModel");
    assertTrue(source.contains("public final class IrisNetModel implements Network"), source);
    assertTrue(source.contains("@Generated(\n    value = \"dev.nnet.processor.apt.NnetProcessor\",\n    comments = \"IrisNet.java\"\n)"),
        source);
    // The Javadoc layer table, and comments naming the Java line each layer comes from.
    assertTrue(source.contains(" * hidden         dense      [16]                   80            144\n"), source);
    assertTrue(source.contains("IrisNet.java:11  hidden = dense(features, units: 16, activation: relu)"), source);
    assertTrue(source.contains("IrisNet.java:13  output probs = dense(drop, units: 3, activation: softmax)"), source);
    assertTrue(source.contains("public static final int DEFAULT_BATCH_CAPACITY = 16;"), source);

    Network net = instantiate(compilation, "demo.IrisNetModel");
    assertEquals(4, net.inputSize());
    assertEquals(3, net.outputSize());
    float[] probabilities = new float[3];
    net.predict(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, 0, probabilities, 0);
    assertEquals(1.0, probabilities[0] + probabilities[1] + probabilities[2], 1e-5, "a softmax output sums to 1");
  }

  static final String RESIDUAL = IMPORTS + """
      @Network(name = "ResidualNet")
      @Train(loss = "categorical_crossentropy", optimizer = "sgd(learning_rate: 0.1, momentum: 0.9)", epochs = 3)
      interface Residual {
        @Input(8) Layer x();
        @Dense(units = 8, activation = RELU, kernelInitializer = "he_normal", l2 = 1e-4) Layer h();
        @Dense(units = 8) Layer h2();
        @Add @From({"x", "h2"}) Layer sum();
        @LayerNorm Layer norm();
        @ActivationLayer(value = LEAKY_RELU, args = "alpha: 0.1") Layer act();
        @Output @Dense(units = 3, activation = SOFTMAX) Layer probs();
      }
      """;

  static final String RESIDUAL_NNET = """
      network ResidualNet {
          train { loss: categorical_crossentropy optimizer: sgd(learning_rate: 0.1, momentum: 0.9) epochs: 3 }
          input x: float[8]
          h = dense(x, units: 8, activation: relu, kernel_initializer: he_normal, l2: 1.0E-4)
          h2 = dense(h, units: 8)
          sum = add(x, h2)
          norm = layer_norm(sum)
          act = leaky_relu(norm, alpha: 0.1)
          output probs = dense(act, units: 3, activation: softmax)
      }
      """;

  @Test
  void aGraphWithAResidualConnectionReadsWhatFromNames() throws Exception {
    Compilation compilation = compile(RESIDUAL);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.ResidualNet");
    assertTrue(source.contains("Residual.java:12  sum = add(x, h2)"), source);
    assertTrue(source.contains("Residual.java:14  act = leaky_relu(norm, alpha: 0.1)"), source);
    Network net = instantiate(compilation, "demo.ResidualNet");
    assertEquals(8 * 8 + 8 + 8 * 8 + 8 + 8 + 8 + 8 * 3 + 3, net.parameterCount());
  }

  @Test
  void severalInputsAndSeveralOutputsWithALossEach() throws Exception {
    String java = IMPORTS + """
        @Network
        @Train(loss = {"sparse_categorical_crossentropy", "mse"}, epochs = 2)
        interface House {
          @Input({2, 3}) Layer plan();
          @Input(4) Layer meta();
          @Flatten @From("plan") Layer flat();
          @Concat @From({"flat", "meta"}) Layer joined();
          @Dense(units = 16, activation = TANH) Layer h();
          @Output @Dense(units = 3, activation = SOFTMAX) @From("h") Layer kind();
          @Output @Dense(units = 1) @From("h") Layer price();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.HouseModel");
    assertTrue(source.contains("public static final int PLAN_INPUT_OFFSET = 0;"), source);
    assertTrue(source.contains("public static final int META_INPUT_OFFSET = 6;"), source);
    assertTrue(source.contains("public static final int KIND_OUTPUT_OFFSET = 0;"), source);
    assertTrue(source.contains("public static final int PRICE_OUTPUT_OFFSET = 3;"), source);
    assertTrue(source.contains("House.java:12  joined = concat(flat, meta)"), source);
    Network net = instantiate(compilation, "demo.HouseModel");
    assertEquals(10, net.inputSize());
    assertEquals(4, net.outputSize());
  }

  @Test
  void aLayerKindWithoutAnAnnotationOfItsOwnIsWrittenWithOp() throws Exception {
    // The preprocessing stages came to the language after the annotations: @Op reaches them.
    String java = IMPORTS + """
        @Network
        @Train(loss = "sparse_categorical_crossentropy")
        interface Staged {
          @Input(4) Layer raw();
          @Op(value = "impute", args = "strategy: median") Layer filled();
          @Op("normalize") Layer scaled();
          @Dense(units = 3, activation = SOFTMAX) Layer probs();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.StagedModel");
    assertTrue(source.contains("Staged.java:10  filled = impute(raw, strategy: median)"), source);
    assertTrue(source.contains("Staged.java:11  scaled = normalize(filled)"), source);
  }

  @Test
  void aStringInputAndATextStageTakeRawTexts() throws Exception {
    String java = IMPORTS + """
        @Network
        @Train(loss = "sparse_categorical_crossentropy")
        interface Reviews {
          @Input(type = "string") Layer review();
          @Op(value = "text_vectorize", args = {"max_tokens: 50", "output_mode: multi_hot"}) Layer words();
          @Dense(units = 2, activation = SOFTMAX) Layer sentiment();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.ReviewsModel");
    assertTrue(source.contains("Reviews.java:10  words = text_vectorize(review, max_tokens: 50, output_mode: multi_hot)"),
        source);
    assertTrue(source.contains("public void predict(String text, float[] output, int outputOffset)"), source);
    Network net = instantiate(compilation, "demo.ReviewsModel");
    assertEquals(50, net.inputSize(), "one value per vocabulary id");
  }

  @Test
  void aStringInputWithAShapeIsReportedOnTheAnnotation() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "sparse_categorical_crossentropy")
        interface Reviews {
          @Input(value = 20, type = "string") Layer review();
          @Dense(units = 2, activation = SOFTMAX) Layer sentiment();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[nnet/text-input] a string input holds one text per sample and has no"
        + " shape, but 'review' has 1 dimension");
    assertThat(compilation).hadErrorContaining("help: write input review: string");
  }

  @Test
  void opReachesTheSequenceLayersAndTheirWrappers() throws Exception {
    String java = IMPORTS + """
        @Network
        @Train(loss = "sparse_categorical_crossentropy")
        interface Topics {
          @Input(20) Layer words();
          @Op(value = "embedding", args = {"input_dim: 100", "output_dim: 8", "mask_zero: true"}) Layer vectors();
          @Op(value = "bidirectional", args = "lstm(units: 6)") Layer meaning();
          @Dense(units = 4, activation = SOFTMAX) Layer topic();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.TopicsModel");
    assertTrue(source.contains("meaning = bidirectional(vectors, lstm(units: 6))"), source);
  }

  @Test
  void opReachesTheTransformerLayers() throws Exception {
    String java = IMPORTS + """
        @Network
        @Train(loss = "sparse_categorical_crossentropy")
        interface Encoder {
          @Input(12) Layer words();
          @Op(value = "embedding", args = {"input_dim: 100", "output_dim: 8", "mask_zero: true"}) Layer vectors();
          @Op("positional_embedding") Layer positioned();
          @Op(value = "multi_head_attention", args = {"heads: 2", "causal: true"}) Layer attended();
          @Add @From({"positioned", "attended"}) Layer mixed();
          @Op("layer_norm") Layer normed();
          @Op("globalavgpool1d") Layer pooled();
          @Dense(units = 4, activation = SOFTMAX) Layer topic();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.EncoderModel");
    assertTrue(source.contains("attended = multi_head_attention(positioned, heads: 2, causal: true)"), source);
    // The padding mask reaches the attention and the mean: both read the token ids.
    assertTrue(source.contains("pooledForward(ws.normed, 0, input, inputOffset, ws.pooled, count)"), source);
  }

  @Test
  void theAnnotatedAndTheNnetFormGenerateTheSameCode() throws Exception {
    Compilation compilation = compile(RESIDUAL);
    assertThat(compilation).succeeded();
    String annotated = generated(compilation, "demo.ResidualNet");

    DiagnosticList diagnostics = new DiagnosticList();
    List<JavaFile> files = NnetCompiler.compile(new SourceFile("ResidualNet.nnet", RESIDUAL_NNET), "demo", diagnostics,
        new NnetCompiler.Options(false, false));
    assertFalse(diagnostics.hasErrors(), diagnostics.render(new SourceFile("ResidualNet.nnet", RESIDUAL_NNET)));
    String fromNnet = files.get(0).toString();

    assertTrue(annotated.contains("Residual.java:"), "positions name the Java file");
    assertTrue(fromNnet.contains("ResidualNet.nnet:"), "positions name the .nnet file");
    assertEquals(withoutPositions(fromNnet), withoutPositions(annotated));
  }

  /** Drops what differs by declaration form alone: the file names and line numbers in comments. */
  static String withoutPositions(String source) {
    return source
        .replaceAll("\\b\\w+\\.(java|nnet):\\d+", "FILE:LINE")
        .replaceAll("\\b\\w+\\.(java|nnet)\\b", "FILE");
  }

  @Test
  void aNnetFileBoundToATypeLandsInTheTypesPackage(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("iris.nnet"), """
        network Iris {
            input features: float[4]
            h = dense(features, units: 8, activation: relu)
            output probs = dense(h, units: 3, activation: softmax)
            train { loss: sparse_categorical_crossentropy }
        }
        """, StandardCharsets.UTF_8);
    Compilation compilation = compile(List.of("-Annet.sourceDir=" + dir), IMPORTS + """
        @Network(source = "iris.nnet")
        interface IrisBinding {}
        """);
    assertThat(compilation).succeededWithoutWarnings();
    String source = generated(compilation, "demo.Iris");
    assertTrue(source.startsWith("// Generated by nnet from iris.nnet. Do not edit.\npackage demo;"), source);
    // The directory scan leaves a bound file alone: no second class in the unnamed package.
    assertTrue(compilation.generatedSourceFile("Iris").isEmpty());
  }

  @Test
  void aBoundFileMayDeclareAGanInOneLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gan.nnet"), """
        network Generator {
            input noise: float[4]
            output image = dense(noise, units: 8, activation: sigmoid)
            train { loss: mse  batch: 6 }
        }
        network Discriminator {
            input image: float[8]
            output real = dense(image, units: 1, activation: sigmoid)
            train { loss: binary_crossentropy }
        }
        gan Pair(generator: Generator, discriminator: Discriminator)
        """, StandardCharsets.UTF_8);
    Compilation compilation = compile(List.of("-Annet.sourceDir=" + dir), IMPORTS + """
        @Network(source = "gan.nnet")
        interface GanBinding {}
        """);
    assertThat(compilation).succeededWithoutWarnings();
    Network stack = instantiate(compilation, "demo.Pair");
    assertEquals(4, stack.inputSize());
    assertEquals(1, stack.outputSize());
    assertEquals(8 * 4 + 8 + 8 + 1, stack.parameterCount());
    assertEquals(6, stack.trainingConfig().batchSize());
  }

  @Test
  void aBoundNetworkCannotBeUsedAsALayerFromJava(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("encoder.nnet"), """
        network Encoder {
            input pixels: float[8]
            output code = dense(pixels, units: 4)
            train { loss: mse }
        }
        """, StandardCharsets.UTF_8);
    String bound = IMPORTS + """
        @Network(source = "encoder.nnet")
        interface Bound {}
        """;
    String user = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface User {
          @Input(8) Layer x();
          @Use(Bound.class) Layer e();
        }
        """;
    Compilation compilation = compile(List.of("-Annet.sourceDir=" + dir), bound, user);
    assertOnlyError(compilation, user, """
        [nnet/annotation] 'Bound' binds a .nnet file, and a bound network cannot be used as a layer from Java
        help: declare both networks in the .nnet file, one using the other""", "@Use(", ".class");
  }

  @Test
  void aMistakeInABoundFileIsReportedOnTheBindingWithTheNnetPosition(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("iris.nnet"), """
        network Iris {
            input features: float[4, 2]
            output probs = dense(features, units: 3, activation: softmax)
            train { loss: sparse_categorical_crossentropy }
        }
        """, StandardCharsets.UTF_8);
    String java = IMPORTS + """
        @Network(source = "iris.nnet")
        interface IrisBinding {}
        """;
    Compilation compilation = compile(List.of("-Annet.sourceDir=" + dir), java);
    assertOnlyError(compilation, java, """
        iris.nnet:3:26: [nnet/shape-mismatch] dense expects a rank-1 input [features], but 'features' has shape [4, 2]
                output probs = dense(features, units: 3, activation: softmax)
                                     ^^^^^^^^
        note: 'features' is declared at iris.nnet:2:11
        help: flatten it first: x = flatten(features)""", "@Network(source", "\"iris.nnet\"");
  }

  static final String SIAMESE = IMPORTS + """
      final class Models {
        private Models() {}

        @Network(name = "Encoder")
        interface EncoderNet {
          @Input(16) Layer pixels();
          @Dense(units = 8, activation = RELU) Layer h();
          @Output @Dense(units = 4) Layer code();
        }

        @Network(name = "Siamese")
        @Train(loss = "binary_crossentropy")
        interface SiameseNet {
          @Input(16) Layer left();
          @Input(16) Layer right();
          @Use(EncoderNet.class) @From("left") Layer a();
          @Use(EncoderNet.class) @From("right") Layer b();
          @Concat @From({"a", "b"}) Layer d();
          @Output @Dense(units = 1, activation = SIGMOID) Layer same();
        }
      }
      """;

  @Test
  void aNetworkUsedAsALayerSharesItsParametersAsInTheNnetForm() throws Exception {
    Compilation compilation = compile(SIAMESE);
    assertThat(compilation).succeededWithoutWarnings();
    // The building block without @Train gets no class of its own, as in a .nnet file.
    assertTrue(compilation.generatedSourceFile("demo.Encoder").isEmpty());
    String annotated = generated(compilation, "demo.Siamese");
    // Both types are in one file, so the inlined encoder's comments name its own lines.
    assertTrue(annotated.contains("// Models.java:12  h = dense(pixels, units: 8, activation: relu)"), annotated);
    assertTrue(annotated.contains("// Models.java:23  d = concat(a, b)"), annotated);

    String nnet = Files.readString(Path.of("src/test/resources/golden/composition/input.nnet"));
    DiagnosticList diagnostics = new DiagnosticList();
    List<JavaFile> files = NnetCompiler.compile(new SourceFile("Siamese.nnet", nnet), "demo", diagnostics,
        new NnetCompiler.Options(false, false));
    assertFalse(diagnostics.hasErrors());
    assertEquals(withoutPositions(files.get(0).toString()), withoutPositions(annotated));
    assertEquals(181, instantiate(compilation, "demo.Siamese").parameterCount(), "the two uses share one encoder");
  }

  @Test
  void aMistakeInAUsedNetworkIsReportedOnceOnItsOwnElement() {
    String java = SIAMESE.replace("@Input(16) Layer pixels();", "@Input(12) Layer pixels();");
    Compilation compilation = compile(java);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining(
        "[nnet/shape-mismatch] Encoder expects its input 'pixels' with shape [12], but 'left' has shape [16]")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("@From(\"left\")");
    assertThat(compilation).hadErrorContaining(
        "[nnet/shape-mismatch] Encoder expects its input 'pixels' with shape [12], but 'right' has shape [16]")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("@From(\"right\")");
    assertNoInternalError(compilation);
  }

  @Test
  void aNnetFileAndATypeGeneratingOneClassAreReportedOnce(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("demo"));
    Files.writeString(dir.resolve("demo/Same.nnet"), """
        network NetModel {
            input x: float[8]
            output y = dense(x, units: 3, activation: softmax)
            train { loss: categorical_crossentropy }
        }
        """, StandardCharsets.UTF_8);
    Compilation compilation = compile(List.of("-Annet.sourceDir=" + dir), IMPORTS + """
        @Network
        @Train(loss = "categorical_crossentropy")
        interface Net {
          @Input(8) Layer x();
          @Dense(units = 3, activation = SOFTMAX) Layer y();
        }
        """);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(
        "[nnet/duplicate-network] a network named 'NetModel' is already declared");
    assertThat(compilation).hadErrorContaining("note: first declared by demo.Net");
    assertNoInternalError(compilation);
  }

  // ---------------------------------------------------------------- javac's own errors

  @Test
  void aLayerMethodOfAnUnknownTypeDoesNotCrashAndSaysWhyNoClassCame() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Broken {
          @Input(4) Layer x();
          @Dense(units = 2) Layr y();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorContaining(
        "[nnet/annotation] the network demo.Broken is not generated: this refers to a type or value javac cannot resolve")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("Layr y();");
    assertNoInternalError(compilation);
  }

  @Test
  void anUnresolvedConstantDoesNotCrash() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Broken {
          @Input(4) Layer x();
          @Dense(units = HIDDEN) Layer y();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorContaining("[nnet/annotation] the network demo.Broken is not generated")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("HIDDEN");
    assertNoInternalError(compilation);
  }

  @Test
  void anUnknownAnnotationOnALayerDoesNotCrash() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Broken {
          @Input(4) Layer x();
          @Dens(units = 2) Layer y();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorContaining("[nnet/annotation] the network demo.Broken is not generated")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("@Dens(");
    assertNoInternalError(compilation);
  }

  @Test
  void annotationsOnTheWrongKindOfElementAreJavacErrorsAndNothingCrashes() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Misplaced {
          @Dense(units = 2) Layer FIELD = null;
          @Input(4) Layer x();
          @Network Layer y();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("not applicable to this kind of declaration")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("Layer FIELD");
    assertThat(compilation).hadErrorContaining("not applicable to this kind of declaration")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("@Network Layer y()");
    assertNoInternalError(compilation);
  }

  @Test
  void anUnrelatedJavacErrorLeavesTheNetworkAlone() {
    String other = """
        package demo;

        final class Other {
          int broken() {
            return "not an int";
          }
        }
        """;
    Compilation compilation = compile(IRIS, other);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("incompatible types").inFile(compilation.sourceFiles().get(1));
    assertNoInternalError(compilation);
  }

  @Test
  void aBrokenNetworkFailsTheBuildButTheOthersStillGenerate() {
    String broken = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Broken {
          @Input({2, 2}) Layer x();
          @Dense(units = 2) Layer y();
        }
        """;
    // Uses the valid network's class: without it, javac would report a missing symbol too.
    String user = """
        package demo;

        final class User {
          static int outputs() {
            return new IrisNetModel().outputSize();
          }
        }
        """;
    Compilation compilation = compile(IRIS, broken, user);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[nnet/shape-mismatch]").inFile(compilation.sourceFiles().get(1));
  }

  @Test
  void anEmptyNetworkIsReportedOnTheType() {
    String java = IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Empty {}
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[nnet/missing-input] network 'EmptyModel' declares no input")
        .inFile(compilation.sourceFiles().get(0)).onLine(6).atColumn(1);
    assertThat(compilation).hadErrorContaining("[nnet/missing-output] network 'EmptyModel' declares no output")
        .inFile(compilation.sourceFiles().get(0)).onLine(6).atColumn(1);
    assertNoInternalError(compilation);
  }

  @Test
  void anUnusedLayerIsAWarningOnItsMethodAndTheClassIsStillGenerated() throws Exception {
    String java = IMPORTS + """
        @Network
        @Train(loss = "categorical_crossentropy")
        interface Unused {
          @Input(4) Layer x();
          @Dense(units = 8) Layer side();
          @Output @Dense(units = 2, activation = SOFTMAX) @From("x") Layer y();
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[nnet/unused-tensor] 'side' is computed but never used")
        .inFile(compilation.sourceFiles().get(0)).onLineContaining("Layer side()");
    assertTrue(generated(compilation, "demo.UnusedModel").contains("class UnusedModel"));
  }

  @Test
  void theClassOrAnInterfaceMayHoldOtherMethodsAndNestedNetworks() throws Exception {
    String java = IMPORTS + """
        final class Models {
          private Models() {}

          static String describe() {
            return "helpers are left alone";
          }

          @Network(name = "Tiny")
          @Train(loss = "mse", epochs = 2)
          interface TinyNet {
            @Input(2) Layer x();
            @Dense(units = 1) Layer y();

            default String note() {
              return "not a layer: it does not return Layer";
            }
          }
        }
        """;
    Compilation compilation = compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(generated(compilation, "demo.Tiny").contains("public final class Tiny implements Network"));
  }

  // ---------------------------------------------------------------- helpers

  static void assertNoInternalError(Compilation compilation) {
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      assertFalse(d.getMessage(Locale.ROOT).contains("nnet/internal"), d.getMessage(Locale.ROOT));
    }
  }

  /**
   * The compilation failed with exactly one error: {@code message}, on the line of {@code source}
   * holding {@code line}, at the column where {@code token} starts on that line.
   */
  static void assertOnlyError(Compilation compilation, String source, String message, String line, String token) {
    List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(d);
      }
    }
    assertEquals(1, errors.size(), () -> "errors: " + errors);
    Diagnostic<? extends JavaFileObject> error = errors.get(0);
    // javac indents the lines after the first of a message by two spaces.
    assertEquals(message.replace("\n", "\n  "), error.getMessage(Locale.ROOT));
    List<String> lines = source.lines().toList();
    int lineNumber = -1;
    for (int k = 0; k < lines.size(); k++) {
      if (lines.get(k).contains(line)) {
        lineNumber = k + 1;
        break;
      }
    }
    assertTrue(lineNumber > 0, "no line holds " + line);
    assertEquals(lineNumber, error.getLineNumber(), "line of " + message);
    int column = lines.get(lineNumber - 1).indexOf(token, lines.get(lineNumber - 1).indexOf(line)) + 1;
    assertTrue(column > 0, "no " + token + " on the line holding " + line);
    assertEquals(column, error.getColumnNumber(), "column of " + message);
  }

  /** Loads a generated class from the compilation's class output and creates it. */
  static Network instantiate(Compilation compilation, String className) throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = URI.create(file.toUri().toString()).getPath();
        String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6)
            .replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        }
      }
    }
    ClassLoader loader = new ClassLoader(AnnotatedNetworkTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    return (Network) Optional.of(loader.loadClass(className).getConstructor().newInstance()).get();
  }
}
