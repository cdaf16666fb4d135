package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Shape;
import dev.nnet.processor.ir.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the preprocessing stages {@code normalize}, {@code rescale}, {@code impute} and
 * {@code resize}, and lays out their fitted statistics in the state array. A stage must read a
 * network input or another stage: then nothing before it has parameters, so it needs no
 * gradient and its statistics are fitted once on raw training data.
 */
final class StageChecker {
  /** The stage keywords, in the order the layer list shows them. */
  static final List<String> STAGES = List.of("normalize", "rescale", "impute", "resize", "text_vectorize");

  private StageChecker() {}

  /** A stage whose arguments and input shape passed their checks. */
  record Checked(Stage stage, Shape inputShape, Shape outputShape) {
    /** The IR layer, with its state tensors from {@code stateOffset} on. */
    Layer.Preprocessing layer(String name, int stateOffset, SourceSpan span, String text) {
      String prefix = NetworkChecker.constant(name);
      int features = inputShape.dimensions().get(inputShape.rank() - 1);
      List<ParameterSlot> state = new ArrayList<>();
      int at = stateOffset;
      if (stage instanceof Stage.TextVectorize vectorize) {
        return TextStageChecker.layer(name, vectorize, outputShape, stateOffset, span, text);
      }
      if (stage instanceof Stage.Normalize) {
        state.add(slot(name + ".mean", prefix + "_MEAN_OFFSET", at, features, Initializer.ZEROS));
        at += features;
        state.add(slot(name + ".variance", prefix + "_VARIANCE_OFFSET", at, features,
            Initializer.named("ones").orElseThrow()));
        at += features;
      } else if (stage instanceof Stage.Impute impute && impute.fitted()) {
        state.add(slot(name + ".fill", prefix + "_FILL_OFFSET", at, features, Initializer.ZEROS));
        at += features;
      }
      if (stage.fitted()) {
        // How many samples the statistics came from: 0 until adapt runs, saved with the model.
        state.add(slot(name + ".count", prefix + "_COUNT_OFFSET", at, 1, Initializer.ZEROS));
      }
      return new Layer.Preprocessing(name, inputShape, outputShape, stage, state, span, text);
    }

    static ParameterSlot slot(String tensor, String constant, int offset, int size, Initializer init) {
      return new ParameterSlot(tensor, constant, offset, List.of(size), init, size, size);
    }
  }

  /** The named arguments each stage takes. */
  static List<String> options(String kind) {
    return switch (kind) {
      case "normalize" -> List.of("epsilon");
      case "rescale" -> List.of("scale", "offset");
      case "impute" -> List.of("strategy", "value");
      case "text_vectorize" -> TextStageChecker.options();
      default -> List.of("height", "width");
    };
  }

  /**
   * Reads the arguments of a stage whose input has shape {@code input} (empty if it did not
   * resolve: only the other arguments are checked then).
   *
   * @param afterLayer the statement of the layer the stage reads, when that is not an input or a
   *     stage: the stage is rejected
   */
  static Optional<Checked> read(ArgumentReader args, Optional<Shape> input, SourceSpan inputSpan,
      Optional<dev.nnet.dsl.ast.LayerStatement> afterLayer, DiagnosticSink sink) {
    String kind = args.call().name();
    Stage stage = switch (kind) {
      case "normalize" -> new Stage.Normalize(args.positiveNumber("epsilon", 1e-7, 1));
      case "rescale" -> {
        double scale = finite(args, "scale", 1.0, sink);
        double offset = finite(args, "offset", 0.0, sink);
        yield Double.isNaN(scale) || Double.isNaN(offset) ? null : new Stage.Rescale(scale, offset);
      }
      case "impute" -> {
        Optional<String> strategy = args.choice("strategy",
            args.named("value").isPresent() ? "constant" : "mean", Stage.Impute.STRATEGIES);
        double value = finite(args, "value", 0.0, sink);
        if (Double.isNaN(value)) {
          yield null;
        }
        if (strategy.isPresent() && !strategy.get().equals("constant") && args.named("value").isPresent()) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("value").orElseThrow().span(),
                  "'value' is the constant of strategy: constant, but the strategy is " + strategy.get())
              .withHelp("remove 'value', or write strategy: constant"));
          yield null;
        }
        yield strategy.map(s -> new Stage.Impute(s, value)).orElse(null);
      }
      default -> new Stage.Resize(args.requiredPositiveInt("height", NetworkChecker.MAX_DIMENSION),
          args.requiredPositiveInt("width", NetworkChecker.MAX_DIMENSION));
    };
    if (stage == null || args.failed() || input.isEmpty()) {
      return Optional.empty();
    }
    Expr inputExpr = args.positional(0).orElseThrow();
    String inputName = inputExpr instanceof Expr.Name word ? word.name() : "its input";
    if (afterLayer.isPresent()) {
      sink.report(Diagnostic.of(DiagnosticCode.UNSUPPORTED_GRAPH, inputExpr.span(),
              kind + " is a preprocessing stage, so it reads a network input or another stage, but '"
                  + inputName + "' is computed by " + afterLayer.get().call().name() + "(...)")
          .withNote("stages are fitted once on the raw training data and never trained; after a layer their"
              + " statistics would go stale as that layer learns")
          .withNote("'" + inputName + "' is declared at " + afterLayer.get().targetSpan())
          .withHelp("move " + kind + "(...) to the start of the network, or use batch_norm(...) or layer_norm(...)"
              + " between layers"));
      return Optional.empty();
    }
    Shape shape = input.get();
    Shape output = shape;
    if (stage instanceof Stage.Resize resize) {
      if (shape.rank() != 2 && shape.rank() != 3) {
        sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, inputExpr.span(),
                "resize expects an image [height, width] or [height, width, channels], but '" + inputName
                    + "' has shape " + shape)
            .withNote("'" + inputName + "' is declared at " + inputSpan));
        return Optional.empty();
      }
      List<Integer> dims = new ArrayList<>(shape.dimensions());
      dims.set(0, resize.height());
      dims.set(1, resize.width());
      long size = 1;
      for (int d : dims) {
        size *= d;
      }
      if (size > NetworkChecker.MAX_DIMENSION) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
            "the resized image would hold " + String.format(Locale.ROOT, "%,d", size) + " values; at most "
                + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION) + " are supported"));
        return Optional.empty();
      }
      output = new Shape(dims);
    }
    return Optional.of(new Checked(stage, shape, output));
  }

  /** A number option such as {@code scale: 0.00392}; NaN (and an error) when it is not a number. */
  private static double finite(ArgumentReader args, String name, double fallback, DiagnosticSink sink) {
    Optional<Expr> value = args.named(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (value.get() instanceof Expr.Number number && Double.isFinite(number.value())) {
      return number.value();
    }
    sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "'" + name + "' must be a number, but got " + ArgumentReader.describe(value.get())));
    return Double.NaN;
  }
}
