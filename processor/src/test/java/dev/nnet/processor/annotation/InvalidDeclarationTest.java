package dev.nnet.processor.annotation;

import static dev.nnet.processor.annotation.AnnotatedNetworkTest.IMPORTS;
import static dev.nnet.processor.annotation.AnnotatedNetworkTest.assertNoInternalError;
import static dev.nnet.processor.annotation.AnnotatedNetworkTest.assertOnlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken {@code @Network} declarations: each fails the build with exactly one error, with the
 * exact message, on the element and annotation value at fault, and never crashes javac.
 */
class InvalidDeclarationTest {
  /**
   * One broken declaration.
   *
   * @param name what is wrong
   * @param sources the Java sources; the error is expected in the last one
   * @param message the whole message, as javac shows it after {@code error:}
   * @param line text on the line the error is reported on
   * @param token where on that line the caret is: the first occurrence of this text after {@code line} starts
   */
  record Case(String name, List<String> sources, String message, String line, String token) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A network {@code Net} with a valid train block and these members. */
  static String net(String members) {
    return IMPORTS + "@Network\n@Train(loss = \"categorical_crossentropy\")\ninterface Net {\n" + members + "}\n";
  }

  /** A type with these annotations and members. */
  static String type(String annotations, String members) {
    return IMPORTS + annotations + "\ninterface Net {\n" + members + "}\n";
  }

  static final String INPUT = "  @Input(8) Layer x();\n";
  static final String SOFTMAX = "  @Dense(units = 3, activation = SOFTMAX) Layer y();\n";

  static Case c(String name, String source, String message, String line, String token) {
    return new Case(name, List.of(source), message, line, token);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // ---- mistakes of the Java form (nnet/annotation, nnet/syntax)
        c("a layer method with parameters", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) Layer y(int size);\n"),
            "[nnet/annotation] a layer method takes no parameters, but 'y' takes 1\n"
                + "help: remove the parameters; @From names what a layer reads",
            "Layer y(int", "y("),
        c("a layer method returning another type", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) int y();\n"),
            "[nnet/annotation] 'y' must return dev.nnet.runtime.annotation.Layer, not int\n"
                + "help: declare it as: Layer y();",
            "int y()", "y("),
        c("two layer annotations on one method", net(INPUT + "  @Dense(units = 3) @Dropout(rate = 0.1) Layer y();\n"),
            "[nnet/annotation] 'y' has two layer annotations, @Dense and @Dropout; a method declares one input or layer\n"
                + "help: declare the second in a method of its own",
            "@Dropout", "@Dropout"),
        c("an input that is also a layer", net("  @Input(8) @Dense(units = 3) Layer x();\n"),
            "[nnet/annotation] 'x' has two layer annotations, @Input and @Dense; a method declares one input or layer\n"
                + "help: declare the second in a method of its own",
            "@Input(8) @Dense", "@Dense"),
        c("an input marked @Output", net("  @Output @Input(8) Layer x();\n" + SOFTMAX),
            "[nnet/annotation] an input cannot be an output: 'x' is an @Input\n"
                + "help: mark a layer @Output instead",
            "@Output @Input", "@Output"),
        c("an input with @From", net("  @From(\"z\") @Input(8) Layer x();\n" + SOFTMAX),
            "[nnet/annotation] an input reads nothing, so 'x' cannot have @From\nhelp: remove @From",
            "@From(\"z\") @Input", "@From"),
        c("@Output without a layer annotation", net(INPUT + "  @Output Layer y();\n"),
            "[nnet/annotation] @Output goes with a layer annotation, and 'y' has none\n"
                + "help: add one, such as @Dense(units = 8), or remove @Output",
            "@Output Layer y", "@Output"),
        c("a Layer method without any annotation", net(INPUT + SOFTMAX + "  Layer z();\n"),
            "[nnet/annotation] 'z' returns Layer but declares no input or layer\n"
                + "help: annotate it with @Input(...) or a layer annotation such as @Dense(units = 8)",
            "Layer z();", "z("),
        c("a layer named after a word of the language", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) Layer output();\n"),
            "[nnet/annotation] 'output' cannot name a layer in .nnet: it is a word of the language\n"
                + "help: rename the method, for example to 'outputLayer'",
            "Layer output()", "output("),
        c("a layer name .nnet cannot spell", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) Layer y$1();\n"),
            "[nnet/annotation] 'y$1' cannot name a layer in .nnet: use ASCII letters, digits and '_'\n"
                + "help: rename the method, for example to 'layer'",
            "Layer y$1()", "y$1("),
        c("an input without dimensions", net("  @Input({}) Layer x();\n" + SOFTMAX),
            "[nnet/annotation] an input needs at least one dimension, such as @Input(4) or @Input({28, 28})\n"
                + "help: give the shape of one sample; the batch dimension is never written",
            "@Input({})", "{}"),
        c("@From naming nothing", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) @From({}) Layer y();\n"),
            "[nnet/annotation] @From names no input or layer\n"
                + "help: name what 'y' reads, such as @From(\"x\"), or remove @From to read the member above",
            "@From({})", "{}"),
        c("@From with a name .nnet cannot spell", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) @From(\"x y\") Layer y();\n"),
            "[nnet/annotation] 'x y' is not the name of an input or a layer\n"
                + "help: name a method declared above this one",
            "@From(\"x y\")", "\"x y\""),
        c("a string that is not one .nnet value",
            net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, kernelInitializer = \"he_normal)\") Layer y();\n"),
            "[nnet/syntax] 'he_normal)' is not one .nnet value\n"
                + "help: write one .nnet value: a name such as \"he_normal\" or a call such as \"l2(1e-4)\"",
            "kernelInitializer", "\"he_normal)\""),
        c("a string that would add a statement",
            net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, kernelInitializer = \"zeros) z = dense(x\") Layer y();\n"),
            "[nnet/syntax] 'zeros) z = dense(x' is not one .nnet value\n"
                + "help: write one .nnet value: a name such as \"he_normal\" or a call such as \"l2(1e-4)\"",
            "kernelInitializer", "\"zeros"),
        c("an argument without its name", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, args = \"8\") Layer y();\n"),
            "[nnet/syntax] '8' is not one 'name: value' argument\n"
                + "help: write it in .nnet form, 'name: value', such as \"alpha: 0.1\"",
            "args = ", "\"8\""),
        c("two arguments in one string",
            net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, args = \"l1: 0.1, l2: 0.1\") Layer y();\n"),
            "[nnet/syntax] 'l1: 0.1, l2: 0.1' is not one 'name: value' argument\n"
                + "help: write it in .nnet form, 'name: value', such as \"alpha: 0.1\"",
            "args = ", "\"l1"),
        c("a value on two lines",
            net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, kernelInitializer = \"zeros\\n\") Layer y();\n"),
            "[nnet/syntax] 'zeros' spans several lines\n"
                + "help: write one .nnet value: a name such as \"he_normal\" or a call such as \"l2(1e-4)\"",
            "kernelInitializer", "\"zeros"),
        c("a number that is not finite", net(INPUT + "  @Dropout(rate = Double.NaN) Layer d();\n" + SOFTMAX),
            "[nnet/annotation] a .nnet value is a finite number, but this one is NaN\nhelp: write a finite number",
            "Double.NaN", ".NaN"),
        c("@Op with something that is not a layer name", net(INPUT + "  @Op(\"conv 2d\") Layer c();\n" + SOFTMAX),
            "[nnet/annotation] 'conv 2d' is not a layer name\n"
                + "help: write the layer's .nnet name, such as \"dense\" or \"conv2d\"",
            "@Op(", "\"conv 2d\""),
        c("@Network on an enum", IMPORTS + "@Network\nenum Net { A }\n",
            "[nnet/annotation] @Network goes on an interface or a class, not on an enum\n"
                + "help: declare the network on an interface: @Network interface Net { ... }",
            "@Network", "@Network"),
        c("a class name that is not a Java identifier", type("@Network(name = \"3d\")\n@Train(loss = \"mse\")", INPUT + SOFTMAX),
            "[nnet/annotation] '3d' cannot name the generated class\n"
                + "help: name it with a Java identifier of ASCII letters, digits and '_', such as 'NetModel'",
            "@Network(name", "\"3d\""),
        c("a layer annotation outside an @Network type", type("", "  @Dense(units = 3) Layer y();\n"),
            "[nnet/annotation] @Dense is read only on a method of an @Network type, and 'Net' has no @Network\n"
                + "help: add @Network to 'Net'",
            "@Dense", "@Dense"),
        c("@Train outside an @Network type", type("@Train(loss = \"mse\")", ""),
            "[nnet/annotation] @Train belongs to an @Network type, and 'Net' has no @Network\n"
                + "help: add @Network to 'Net'",
            "@Train", "@Train"),
        c("a binding that also declares layers", type("@Network(source = \"net.nnet\")", INPUT),
            "[nnet/annotation] a network bound to a .nnet file is declared in that file, so 'Net' cannot declare"
                + " inputs, layers or @Train too\n"
                + "help: remove source = ..., or move the declaration into the file",
            "@Network(source", "\"net.nnet\""),
        c("a binding with a name", type("@Network(source = \"net.nnet\", name = \"Other\")", ""),
            "[nnet/annotation] a bound network takes its name from the .nnet file\n"
                + "help: remove name = ..., or rename the network in the file",
            "@Network(source", "\"Other\""),
        c("a binding to a file that does not exist", type("@Network(source = \"missing.nnet\")", ""),
            "[nnet/io] cannot find 'missing.nnet' beside Net.java or in the .nnet source directory\n"
                + "help: give the path relative to the directory of this Java file, or to src/main/nnet (-Annet.sourceDir)",
            "@Network(source", "\"missing.nnet\""),
        c("@Use of a type that is not a network", net(INPUT + "  @Use(String.class) Layer e();\n" + SOFTMAX),
            "[nnet/annotation] 'String' is not an @Network type, so it cannot be used as a layer\n"
                + "help: add @Network to 'String', or use a layer annotation",
            "@Use(", ".class"),
        new Case("two types generating one class", List.of(
            IMPORTS + "@Network(name = \"Same\")\n@Train(loss = \"mse\")\ninterface A {\n" + INPUT + SOFTMAX + "}\n",
            IMPORTS + "@Network(name = \"Same\")\n@Train(loss = \"mse\")\ninterface B {\n" + INPUT + SOFTMAX + "}\n"),
            "[nnet/duplicate-network] a network named 'Same' is already declared\n"
                + "note: first declared by demo.A\n"
                + "help: name one of them with @Network(name = \"...\")",
            "@Network(name", "\"Same\""),
        new Case("a generated class that would replace a type", List.of(
            "package demo;\n\nfinal class NetModel {}\n",
            net(INPUT + SOFTMAX)),
            "[nnet/annotation] the generated class demo.NetModel would replace the type of that name declared in this"
                + " compilation\n"
                + "help: name the network with @Network(name = \"...\") or rename the type",
            "@Network", "@Network"),

        // ---- the checker's messages, on the annotation value they come from
        c("an unknown layer", net(INPUT + "  @Op(value = \"dens\", args = \"units: 3\") Layer y();\n"),
            "[nnet/unknown-layer] unknown layer 'dens'\nhelp: did you mean 'dense'?",
            "@Op(", "\"dens\""),
        c("a shape mismatch", net("  @Input({4, 4}) Layer x();\n" + SOFTMAX),
            "[nnet/shape-mismatch] dense expects a rank-1 input [features], but 'x' has shape [4, 4]\n"
                + "note: 'x' is declared at Net.java:9:24\n"
                + "help: flatten it first: x = flatten(x)",
            "@Dense(units = 3", "@Dense"),
        c("@From naming an unknown tensor", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX) @From(\"h\") Layer y();\n"),
            "[nnet/unknown-name] no tensor named 'h' is declared before this line\nnote: declared so far: x",
            "@From(", "\"h\""),
        c("no train block", type("@Network", INPUT + SOFTMAX),
            "[nnet/missing-train] network 'NetModel' has no train block\n"
                + "help: add one inside the network, as in: train { loss: categorical_crossentropy  optimizer:"
                + " adam(learning_rate: 1e-3)  batch: 32  epochs: 5 }",
            "@Network", "@Network"),
        c("no units", net(INPUT + "  @Dense(units = 0, activation = SOFTMAX) Layer y();\n"),
            "[nnet/invalid-value] 'units' must be an integer from 1 to 16,777,216, but got 0",
            "@Dense(", "0"),
        c("a dropout rate of 1.5", net(INPUT + "  @Dropout(rate = 1.5) Layer d();\n" + SOFTMAX),
            "[nnet/invalid-value] 'rate' must be a number from 0 up to (not including) 1, but got 1.5",
            "@Dropout(", "1.5"),
        c("an unknown loss", type("@Network\n@Train(loss = \"mse2\")", INPUT + SOFTMAX),
            "[nnet/invalid-value] unknown loss 'mse2'\nhelp: did you mean 'mse'?",
            "@Train(", "\"mse2\""),
        c("a negative learning rate", type("@Network\n@Train(loss = \"categorical_crossentropy\", optimizer = \"adam(learning_rate: -1)\")",
                INPUT + SOFTMAX),
            "[nnet/invalid-value] 'learning_rate' of adam must be a number above 0, but got -1",
            "@Train(", "\"adam"),
        c("a batch of 0", type("@Network\n@Train(loss = \"categorical_crossentropy\", batch = 0)", INPUT + SOFTMAX),
            "[nnet/invalid-value] 'batch' must be an integer from 1 to 65,536, but got 0",
            "@Train(", "0"),
        c("an unknown argument", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, args = \"unit: 3\") Layer y();\n"),
            "[nnet/unknown-argument] dense has no argument 'unit'\nhelp: did you mean 'units'?",
            "args = ", "\"unit: 3\""),
        c("an argument given twice", net(INPUT + "  @Dense(units = 3, activation = SOFTMAX, args = \"units: 4\") Layer y();\n"),
            // The note's column is the one in the .nnet form; its line is the Java line.
            "[nnet/duplicate-argument] argument 'units' is given twice\nnote: first given at Net.java:10:81",
            "args = ", "\"units: 4\""),
        c("an unknown setting", type("@Network\n@Train(loss = \"categorical_crossentropy\", settings = \"epoch: 3\")", INPUT + SOFTMAX),
            "[nnet/unknown-setting] unknown train setting 'epoch'\nhelp: did you mean 'epochs'?",
            "@Train(", "\"epoch: 3\""),
        c("a setting that is not one", type("@Network\n@Train(loss = \"categorical_crossentropy\", settings = \"shuffle\")", INPUT + SOFTMAX),
            "[nnet/syntax] 'shuffle' is not one 'name: value' setting\n"
                + "help: write it in .nnet form, 'name: value', such as \"shuffle: false\"",
            "@Train(", "\"shuffle\""),
        c("a loss that does not fit the output", type("@Network\n@Train(loss = \"categorical_crossentropy\")",
                INPUT + "  @Dense(units = 3, activation = SIGMOID) Layer y();\n"),
            "[nnet/loss-mismatch] categorical_crossentropy expects class probabilities (softmax), but the output 'y'"
                + " has activation sigmoid\n"
                + "note: 'y' is declared at Net.java:10:49\n"
                + "help: end the network with: output y = dense(..., activation: softmax)",
            "@Train(", "\"categorical_crossentropy\""),
        c("adding tensors of two shapes", net(INPUT + "  @Dense(units = 4) Layer h();\n"
                + "  @Add @From({\"x\", \"h\"}) Layer s();\n" + SOFTMAX),
            "[nnet/shape-mismatch] add needs tensors of one shape, but 'x' is [8] and 'h' is [4]\n"
                + "note: 'h' is declared at Net.java:10:27",
            "@Add", "\"h\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsOneErrorOnTheElementAtFault(Case c) {
    Compilation compilation = AnnotatedNetworkTest.compile(c.sources().toArray(String[]::new));
    assertNoInternalError(compilation);
    String last = c.sources().get(c.sources().size() - 1);
    assertOnlyError(compilation, last, c.message(), c.line(), c.token());
    // And in the right file.
    Diagnostic<?> error = compilation.errors().get(0);
    assertEquals(compilation.sourceFiles().get(c.sources().size() - 1).getName(),
        ((javax.tools.JavaFileObject) error.getSource()).getName(), error.getMessage(Locale.ROOT));
  }
}
