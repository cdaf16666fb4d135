package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Shape;
import dev.nnet.processor.ir.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * String inputs and the {@code text_vectorize} stage that reads them. A string input holds one
 * text per sample; only a {@code text_vectorize} stage may read it, and it reads nothing else.
 * The stage's output (token ids, or one value per vocabulary id) is what the generated network
 * takes as its float input, so the string input's shape in the model is the stage's output shape.
 * One checker per network check: it remembers the string inputs and the stages reading them.
 */
final class TextStageChecker {
  /** The largest {@code max_tokens}: the vocabulary rows live in the state array. */
  static final int MAX_TOKENS = 100_000;

  private final java.util.function.Supplier<DiagnosticSink> sinks;
  /** String inputs by their value index ({@link NetworkModel#inputValue}). */
  private final Map<Integer, InputDecl> stringInputs = new HashMap<>();
  /** The stage reading each string input, by the input's value index. */
  private final Map<Integer, LayerStatement> readBy = new HashMap<>();
  /** The output shape of the stage reading each string input. */
  private final Map<Integer, Shape> vectorized = new HashMap<>();
  private final Map<LayerStatement, Stage.TextVectorize> stages = new IdentityHashMap<>();
  /** True while a text_vectorize statement resolves its input: the one reader allowed. */
  private boolean reading;

  /** @param sinks where diagnostics go now (the checker swaps its sink inside nested statements) */
  TextStageChecker(java.util.function.Supplier<DiagnosticSink> sinks) {
    this.sinks = sinks;
  }

  /** The named arguments of {@code text_vectorize}. */
  static List<String> options() {
    return List.of("max_tokens", "output_mode", "sequence_length", "standardize");
  }

  /** Whether {@link #checkInput} checks this input: a string, or an element type without a shape. */
  static boolean handles(InputDecl input) {
    return input.type().elementType().equals("string") || input.type().dimensions().isEmpty();
  }

  /**
   * {@code input text: string}: one text per sample. Its shape is known once a stage reads it,
   * so the binding gets a placeholder {@code [1]}.
   *
   * @param k the input's index among {@code inputCount} inputs
   */
  Optional<Shape> checkInput(InputDecl input, int k, int inputCount) {
    String type = input.type().elementType();
    if (type.equals("float")) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, input.type().span(),
              "a float input needs the shape of one sample, but '" + input.name() + "' has none")
          .withHelp("write float[...], as in: input " + input.name() + ": float[28, 28]"));
      return Optional.empty();
    }
    if (!type.equals("string")) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, input.type().elementTypeSpan(),
              "inputs hold float values or text, but the element type is '" + type + "'")
          .withHelp("write float[...] for numbers, or string for text"));
      return Optional.empty();
    }
    if (!input.type().dimensions().isEmpty()) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, input.type().span(),
              "a string input holds one text per sample and has no shape, but '" + input.name() + "' has "
                  + input.type().dimensions().size() + " dimension" + (input.type().dimensions().size() == 1 ? "" : "s"))
          .withNote("text_vectorize turns the text into a shaped tensor: sequence_length ids, or max_tokens values")
          .withHelp("write input " + input.name() + ": string"));
      return Optional.empty();
    }
    if (inputCount > 1) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, input.span(),
              "a network with a string input has no other input yet, but this one declares " + inputCount)
          .withNote("the generated class takes raw texts as its only input: predict(String, float[])")
          .withHelp("vectorize the text in a network of its own, or pass the other inputs' values as a second network"));
      return Optional.empty();
    }
    stringInputs.put(NetworkModel.inputValue(k), input);
    return Optional.of(Shape.of(1));
  }

  /** Called before and after a statement resolves its input: only text_vectorize may read text. */
  void reading(boolean textVectorize) {
    reading = textVectorize;
  }

  /**
   * Whether the statement being checked may read value {@code producer}, which {@code name}
   * resolved to; reports why not.
   */
  boolean mayRead(int producer, Expr.Name name) {
    if (reading || !stringInputs.containsKey(producer)) {
      return true;
    }
    InputDecl input = stringInputs.get(producer);
    sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, name.span(),
            "'" + name.name() + "' is a string input: only text_vectorize can read it")
        .withNote("'" + name.name() + "' is declared at " + input.nameSpan())
        .withHelp("vectorize it first, as in: tokens = text_vectorize(" + name.name()
            + ", max_tokens: 10000, sequence_length: 60)"));
    return false;
  }

  /**
   * Reads {@code text_vectorize(text, ...)}: its options, and that its input is a string input read
   * by no other stage.
   *
   * @param producer the value the first argument resolved to (empty if it did not)
   */
  Optional<StageChecker.Checked> read(ArgumentReader args, Optional<Integer> producer, Optional<Shape> shape,
      LayerStatement statement) {
    int maxTokens = args.requiredPositiveInt("max_tokens", MAX_TOKENS);
    Optional<String> mode = args.choice("output_mode", "int", Stage.TextVectorize.OUTPUT_MODES);
    Optional<String> standardize = args.choice("standardize", "lower_and_strip_punctuation",
        Stage.TextVectorize.STANDARDIZE);
    int length = 0;
    if (mode.isPresent() && mode.get().equals("int")) {
      length = args.requiredPositiveInt("sequence_length", NetworkChecker.MAX_DIMENSION);
    } else if (mode.isPresent() && args.named("sequence_length").isPresent()) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("sequence_length").orElseThrow().span(),
              "'sequence_length' is the number of ids of output_mode: int, but the output mode is " + mode.get())
          .withNote("output_mode: " + mode.get() + " gives max_tokens values per text, one per vocabulary id")
          .withHelp("remove 'sequence_length', or write output_mode: int"));
      return Optional.empty();
    }
    if (maxTokens != -1 && maxTokens < 3) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("max_tokens").orElseThrow().span(),
              "'max_tokens' counts the padding id 0 and the out-of-vocabulary id 1, so it must be at least 3 to hold"
                  + " a word, but got " + maxTokens)
          .withHelp("give the vocabulary size with the two reserved ids, as in max_tokens: 10000"));
      return Optional.empty();
    }
    if (args.failed() || mode.isEmpty() || standardize.isEmpty() || producer.isEmpty() || shape.isEmpty()) {
      return Optional.empty();
    }
    Expr inputExpr = args.positional(0).orElseThrow();
    String inputName = inputExpr instanceof Expr.Name word ? word.name() : "its input";
    if (!stringInputs.containsKey(producer.get())) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, inputExpr.span(),
              "text_vectorize reads a string input, but '" + inputName + "' holds floats of shape " + shape.get())
          .withHelp("declare the text as a string input, as in: input text: string"));
      return Optional.empty();
    }
    LayerStatement earlier = readBy.putIfAbsent(producer.get(), statement);
    if (earlier != null) {
      sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, inputExpr.span(),
              "'" + inputName + "' is already vectorized by '" + earlier.target() + "'; a string input has one"
                  + " text_vectorize stage")
          .withNote("'" + earlier.target() + "' is declared at " + earlier.targetSpan())
          .withHelp("read '" + earlier.target() + "' instead"));
      return Optional.empty();
    }
    Stage.TextVectorize stage = new Stage.TextVectorize(maxTokens, length, mode.get(), standardize.get());
    Shape output = Shape.of(stage.outputSize());
    vectorized.put(producer.get(), output);
    stages.put(statement, stage);
    return Optional.of(new StageChecker.Checked(stage, output, output));
  }

  /** Whether {@code statement} is a text stage giving token ids ({@code output_mode: int}). */
  boolean givesIds(LayerStatement statement) {
    Stage.TextVectorize stage = stages.get(statement);
    return stage != null && stage.outputMode().equals("int");
  }

  /**
   * An embedding reading a text stage's ids must have a row for every id: {@code input_dim} at
   * least {@code max_tokens}. Reports and returns false otherwise.
   */
  boolean checkEmbedding(LayerStatement stageStatement, int inputDim, ArgumentReader args) {
    Stage.TextVectorize stage = stages.get(stageStatement);
    if (stage == null || inputDim >= stage.maxTokens()) {
      return true;
    }
    sinks.get().report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("input_dim").orElseThrow().span(),
            "the ids of '" + stageStatement.target() + "' go up to max_tokens − 1 = " + (stage.maxTokens() - 1)
                + ", so input_dim must be at least " + stage.maxTokens() + ", but got " + inputDim)
        .withNote("'" + stageStatement.target() + "' is declared at " + stageStatement.targetSpan())
        .withHelp("write input_dim: " + stage.maxTokens() + ", or lower max_tokens to " + inputDim));
    return false;
  }

  /**
   * The shape of input {@code k} in the model: the vectorized text for a string input, else as
   * declared. Reports a string input no stage reads.
   */
  Optional<Shape> modelShape(int k, Shape declared) {
    int value = NetworkModel.inputValue(k);
    if (!stringInputs.containsKey(value)) {
      return Optional.of(declared);
    }
    if (!vectorized.containsKey(value)) {
      InputDecl input = stringInputs.get(value);
      sinks.get().report(Diagnostic.of(DiagnosticCode.TEXT_INPUT, input.nameSpan(),
              "string input '" + input.name() + "' is never vectorized")
          .withHelp("read it with text_vectorize, as in: tokens = text_vectorize(" + input.name()
              + ", max_tokens: 10000, sequence_length: 60)"));
      return Optional.empty();
    }
    return Optional.of(vectorized.get(value));
  }

  /** The stage's IR layer: the vocabulary rows, the TF-IDF weights and the count in the state. */
  static Layer.Preprocessing layer(String name, Stage.TextVectorize stage, Shape output, int stateOffset,
      SourceSpan span, String text) {
    String prefix = NetworkChecker.constant(name);
    List<ParameterSlot> state = new ArrayList<>();
    int rows = stage.maxTokens() - 2;
    int at = stateOffset;
    state.add(new ParameterSlot(name + ".vocabulary", prefix + "_VOCABULARY_OFFSET", at,
        List.of(rows, Stage.TextVectorize.TOKEN_CHARS), Initializer.ZEROS, rows * Stage.TextVectorize.TOKEN_CHARS,
        rows * Stage.TextVectorize.TOKEN_CHARS));
    at += rows * Stage.TextVectorize.TOKEN_CHARS;
    if (stage.outputMode().equals("tf_idf")) {
      state.add(StageChecker.Checked.slot(name + ".idf", prefix + "_IDF_OFFSET", at, stage.maxTokens(),
          Initializer.ZEROS));
      at += stage.maxTokens();
    }
    state.add(StageChecker.Checked.slot(name + ".count", prefix + "_COUNT_OFFSET", at, 1, Initializer.ZEROS));
    return new Layer.Preprocessing(name, output, output, stage, state, span, text);
  }
}
