package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The arguments and shapes of the sequence layers: {@code rnn}, {@code lstm}, {@code gru},
 * {@code embedding} and the wrapper {@code bidirectional}. {@link NetworkChecker} calls these and
 * keeps the result beside its draft of the statement.
 */
final class SequenceChecks {
  static final List<String> RECURRENT = List.of("rnn", "lstm", "gru");

  /** The activations whose derivative the backward pass reads from their output. */
  private static final List<Activation.Kind> CELL_ACTIVATIONS =
      List.of(Activation.Kind.TANH, Activation.Kind.SIGMOID, Activation.Kind.RELU, Activation.Kind.LINEAR);

  private SequenceChecks() {}

  /** What a recurrent or embedding statement declared, beyond its input. */
  interface Spec {}

  /**
   * @param reverse the steps run last to first (set by bidirectional for its backward half)
   * @param masked the layer skips the steps where the token ids of its second input are 0
   */
  record RecurrentSpec(Layer.Recurrent.Cell cell, int units, Activation activation, Activation recurrentActivation,
      boolean returnSequences, boolean unitForgetBias, Initializer kernelInitializer,
      Initializer recurrentInitializer, Initializer biasInitializer, boolean reverse, boolean masked,
      int initialStates, double recurrentDropout)
      implements Spec {
    RecurrentSpec reversed() {
      return new RecurrentSpec(cell, units, activation, recurrentActivation, returnSequences, unitForgetBias,
          kernelInitializer, recurrentInitializer, biasInitializer, true, masked, initialStates, recurrentDropout);
    }

    RecurrentSpec withMask() {
      return new RecurrentSpec(cell, units, activation, recurrentActivation, returnSequences, unitForgetBias,
          kernelInitializer, recurrentInitializer, biasInitializer, reverse, true, initialStates, recurrentDropout);
    }

    RecurrentSpec withInitialStates(int count) {
      return new RecurrentSpec(cell, units, activation, recurrentActivation, returnSequences, unitForgetBias,
          kernelInitializer, recurrentInitializer, biasInitializer, reverse, masked, count, recurrentDropout);
    }

    Shape outputShape(Shape input) {
      return returnSequences ? Shape.of(input.dimensions().get(0), units) : Shape.of(units);
    }
  }

  record EmbeddingSpec(int vocabulary, int dimension, boolean maskZero, Initializer initializer) implements Spec {}

  /** The named arguments each sequence layer takes. */
  static List<String> optionNames(String kind) {
    return switch (kind) {
      case "rnn" -> List.of("units", "activation", "return_sequences", "kernel_initializer", "recurrent_initializer",
          "bias_initializer", "initial_state", "recurrent_dropout");
      case "lstm" -> List.of("units", "activation", "recurrent_activation", "return_sequences", "kernel_initializer",
          "recurrent_initializer", "bias_initializer", "unit_forget_bias", "initial_state", "recurrent_dropout");
      case "gru" -> List.of("units", "activation", "recurrent_activation", "return_sequences", "kernel_initializer",
          "recurrent_initializer", "bias_initializer", "initial_state", "recurrent_dropout");
      case "embedding" -> List.of("input_dim", "output_dim", "mask_zero", "embeddings_initializer");
      default -> List.of();
    };
  }

  /**
   * Reads a recurrent layer's arguments and checks its input shape ({@code input} null when the
   * input failed: then only the arguments are checked). Empty after an error, reported.
   */
  static Optional<RecurrentSpec> recurrent(String kind, ArgumentReader args, Shape input, String inputName,
      SourceSpan inputSpan, DiagnosticSink sink) {
    Layer.Recurrent.Cell cell = Layer.Recurrent.Cell.valueOf(kind.toUpperCase(Locale.ROOT));
    int units = args.requiredPositiveInt("units", NetworkChecker.MAX_DIMENSION / cell.gates());
    Optional<Activation> activation = cellActivation(args, "activation", Activation.of(Activation.Kind.TANH), sink);
    Optional<Activation> recurrentActivation = cell == Layer.Recurrent.Cell.RNN
        ? Optional.of(Activation.SIGMOID)
        : cellActivation(args, "recurrent_activation", Activation.SIGMOID, sink);
    boolean returnSequences = args.bool("return_sequences", false);
    double recurrentDropout = args.number("recurrent_dropout", 0, 0, 1, false);
    boolean unitForgetBias = cell == Layer.Recurrent.Cell.LSTM && args.bool("unit_forget_bias", true);
    Optional<Initializer> kernel = args.initializer("kernel_initializer", Initializer.GLOROT_UNIFORM);
    Optional<Initializer> recurrent = args.initializer("recurrent_initializer",
        Initializer.named("orthogonal").orElseThrow());
    Optional<Initializer> bias = args.initializer("bias_initializer", Initializer.ZEROS);
    if (bias.isPresent() && bias.get().keyword().equals("orthogonal")) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("bias_initializer").orElseThrow().span(),
              "orthogonal initializes a weight matrix, not a bias vector")
          .withHelp("use zeros, ones or constant(value) for a bias"));
      return Optional.empty();
    }
    if (input == null || args.failed() || activation.isEmpty() || recurrentActivation.isEmpty()) {
      return Optional.empty();
    }
    if (input.rank() != 2) {
      Expr where = args.positional(0).orElseThrow();
      Diagnostic d = Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, where.span(),
              kind + " expects a sequence [steps, features], but '" + inputName + "' has shape " + input)
          .withNote("'" + inputName + "' is declared at " + inputSpan);
      sink.report(input.rank() == 1
          ? d.withHelp("read each value as one feature per step: declare float[" + input.size()
              + ", 1], or reshape(" + inputName + ", shape: [" + input.size() + ", 1])")
          : d.withHelp("reshape it to [steps, features] first"));
      return Optional.empty();
    }
    long parameters = ((long) input.dimensions().get(1) + units + 2) * cell.gates() * units;
    if (parameters > NetworkChecker.MAX_DIMENSION * 64L) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
          kind + " layer would have " + String.format(Locale.ROOT, "%,d", parameters) + " parameters; at most "
              + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION * 64L) + " are supported"));
      return Optional.empty();
    }
    return Optional.of(new RecurrentSpec(cell, units, activation.get(), recurrentActivation.get(), returnSequences,
        unitForgetBias, kernel.get(), recurrent.get(), bias.get(), false, false, 0, recurrentDropout));
  }

  private static Optional<Activation> cellActivation(ArgumentReader args, String name, Activation fallback,
      DiagnosticSink sink) {
    Optional<Activation> activation = args.activation(name, fallback);
    if (activation.isPresent() && !CELL_ACTIVATIONS.contains(activation.get().kind())) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named(name).orElseThrow().span(),
              "a recurrent cell's " + name + " must be one of tanh, sigmoid, relu, linear, but got "
                  + activation.get().keyword())
          .withNote("the backward pass through time reads these derivatives from the stored outputs"));
      return Optional.empty();
    }
    return activation;
  }

  /** Reads an embedding's arguments and checks its input: token ids {@code [steps]}. */
  static Optional<EmbeddingSpec> embedding(ArgumentReader args, Shape input, String inputName, SourceSpan inputSpan,
      boolean readsIds, DiagnosticSink sink) {
    // Ids travel in the float input: every integer up to 2^24 is exact there.
    int vocabulary = args.requiredPositiveInt("input_dim", NetworkChecker.MAX_DIMENSION);
    int dimension = args.requiredPositiveInt("output_dim", NetworkChecker.MAX_DIMENSION);
    boolean maskZero = args.bool("mask_zero", false);
    Optional<Initializer> initializer = args.initializer("embeddings_initializer", Initializer.GLOROT_UNIFORM);
    if (input == null || args.failed() || initializer.isEmpty()) {
      return Optional.empty();
    }
    Expr where = args.positional(0).orElseThrow();
    if (!readsIds) {
      sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, where.span(),
              "embedding reads token ids, but '" + inputName + "' is computed by a layer")
          .withNote("'" + inputName + "' is declared at " + inputSpan)
          .withHelp("give the embedding a network input, as in: input tokens: float[40]"));
      return Optional.empty();
    }
    if (input.rank() != 1) {
      sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, where.span(),
              "embedding expects token ids [steps], but '" + inputName + "' has shape " + input)
          .withNote("'" + inputName + "' is declared at " + inputSpan)
          .withHelp("declare the ids as one dimension, as in: input tokens: float[" + input.size() + "]"));
      return Optional.empty();
    }
    if (maskZero && vocabulary < 2) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("input_dim").orElseThrow().span(),
              "with mask_zero id 0 is padding, so input_dim must be at least 2, but got " + vocabulary)
          .withHelp("count the padding id in input_dim: the words plus one"));
      return Optional.empty();
    }
    if ((long) vocabulary * dimension > NetworkChecker.MAX_DIMENSION * 64L
        || (long) input.size() * dimension > NetworkChecker.MAX_DIMENSION) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
          "embedding would hold " + String.format(Locale.ROOT, "%,d", (long) vocabulary * dimension)
              + " parameters and " + String.format(Locale.ROOT, "%,d", (long) input.size() * dimension)
              + " values per sample; at most " + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION * 64L)
              + " and " + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION) + " are supported"));
      return Optional.empty();
    }
    return Optional.of(new EmbeddingSpec(vocabulary, dimension, maskZero, initializer.get()));
  }

  /** The layer of a checked draft, its parameters laid out from {@code offset}. */
  static Layer layer(String name, String constant, Shape input, Shape output, Spec spec, int offset, SourceSpan span,
      String text) {
    if (spec instanceof EmbeddingSpec embedding) {
      ParameterSlot table = new ParameterSlot(name + ".embeddings", constant + "_EMBEDDINGS_OFFSET", offset,
          List.of(embedding.vocabulary(), embedding.dimension()), embedding.initializer(), embedding.vocabulary(),
          embedding.dimension());
      return new Layer.Embedding(name, input, output, embedding.vocabulary(), embedding.maskZero(), table, span, text);
    }
    RecurrentSpec r = (RecurrentSpec) spec;
    int features = input.dimensions().get(1);
    int gates = r.cell().gates() * r.units();
    ParameterSlot kernel = new ParameterSlot(name + ".kernel", constant + "_KERNEL_OFFSET", offset,
        List.of(features, gates), r.kernelInitializer(), features, gates);
    offset += kernel.size();
    ParameterSlot recurrent = new ParameterSlot(name + ".recurrent_kernel", constant + "_RECURRENT_KERNEL_OFFSET",
        offset, List.of(r.units(), gates), r.recurrentInitializer(), r.units(), gates);
    offset += recurrent.size();
    ParameterSlot bias = new ParameterSlot(name + ".bias", constant + "_BIAS_OFFSET", offset, List.of(gates),
        r.biasInitializer(), features, gates);
    offset += gates;
    Optional<ParameterSlot> recurrentBias = r.cell() == Layer.Recurrent.Cell.GRU
        ? Optional.of(new ParameterSlot(name + ".recurrent_bias", constant + "_RECURRENT_BIAS_OFFSET", offset,
            List.of(gates), r.biasInitializer(), r.units(), gates))
        : Optional.empty();
    return new Layer.Recurrent(name, input, output, r.cell(), r.activation(), r.recurrentActivation(),
        r.returnSequences(), r.reverse(), r.unitForgetBias(), kernel, recurrent, bias, recurrentBias, r.masked(),
        r.initialStates(), r.recurrentDropout(), span, text);
  }

  /** Another use of a shared layer (a network used twice): the same parameters, its own name. */
  static Layer renamed(Layer shared, String name, SourceSpan span, String text) {
    if (shared instanceof Layer.Embedding e) {
      return new Layer.Embedding(name, e.inputShape(), e.outputShape(), e.vocabulary(), e.maskZero(), e.table(), span,
          text);
    }
    Layer.Recurrent r = (Layer.Recurrent) shared;
    return new Layer.Recurrent(name, r.inputShape(), r.outputShape(), r.cell(), r.activation(),
        r.recurrentActivation(), r.returnSequences(), r.reverse(), r.unitForgetBias(), r.kernel(), r.recurrentKernel(),
        r.bias(), r.recurrentBias(), r.maskZero(), r.initialStates(), r.recurrentDropout(), span, text);
  }

  /** The options that change what the parameters mean, for the architecture fingerprint. */
  static String fingerprint(Layer layer) {
    if (layer instanceof Layer.Embedding e) {
      return e.vocabulary() + (e.maskZero() ? " mask_zero" : "");
    }
    Layer.Recurrent r = (Layer.Recurrent) layer;
    return r.cell().keyword() + " " + r.activation() + " " + r.recurrentActivation()
        + (r.returnSequences() ? " sequences" : " last") + (r.reverse() ? " reverse" : "")
        + (r.maskZero() ? " masked" : "") + (r.initialStates() > 0 ? " initial " + r.initialStates() : "")
        + (r.recurrentDropout() > 0 ? " recurrent_dropout " + r.recurrentDropout() : "");
  }
}
