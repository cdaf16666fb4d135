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
import dev.nnet.processor.ir.Regularizer;
import dev.nnet.processor.ir.Shape;
import dev.nnet.processor.ir.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of the layers that slide over images and sequences: {@code conv2d}, {@code conv1d},
 * the pools and {@code spatial_dropout2d}. Images are channels-last, {@code [height, width,
 * channels]} (as Keras by default), and sequences {@code [steps, channels]}; the channel axis is
 * contiguous in memory, which is what the generated kernels vectorise over.
 */
final class SpatialLayers {
  static final List<String> KINDS = List.of("conv2d", "conv1d", "maxpool2d", "avgpool2d", "globalmaxpool2d",
      "globalavgpool2d", "spatial_dropout2d");

  /** What a spatial layer's arguments say, once checked against its input. */
  record Read(Shape outputShape, Window window, Activation activation, boolean useBias, Initializer weightInitializer,
      Initializer biasInitializer, Optional<Regularizer> kernelRegularizer, Optional<Regularizer> biasRegularizer,
      double rate) {}

  private SpatialLayers() {}

  static List<String> optionNames(String kind) {
    return switch (kind) {
      case "conv2d", "conv1d" -> List.of("filters", "kernel_size", "strides", "padding", "dilation", "activation",
          "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer");
      case "maxpool2d", "avgpool2d" -> List.of("pool_size", "strides", "padding");
      case "spatial_dropout2d" -> List.of("rate");
      default -> List.of();
    };
  }

  /**
   * Reads the arguments and checks them against the input's shape ({@code input} null when the
   * input failed: then only the arguments are checked). Null after reporting an error.
   */
  static Read read(String kind, ArgumentReader args, Shape input, SourceSpan inputSpan, DiagnosticSink sink) {
    boolean oneDimensional = kind.equals("conv1d");
    int max = NetworkChecker.MAX_DIMENSION;
    switch (kind) {
      case "conv2d", "conv1d" -> {
        int filters = args.requiredPositiveInt("filters", max);
        int[] kernel = args.intOrPair("kernel_size", null, max, !oneDimensional);
        int[] strides = args.intOrPair("strides", new int[] {1, 1}, max, !oneDimensional);
        Optional<String> padding = args.choice("padding", "valid", List.of("valid", "same"));
        int[] dilation = args.intOrPair("dilation", new int[] {1, 1}, max, !oneDimensional);
        Optional<Activation> activation = args.activation("activation", Activation.LINEAR);
        boolean useBias = args.bool("use_bias", true);
        Optional<Initializer> weights = args.initializer("kernel_initializer", Initializer.GLOROT_UNIFORM);
        Optional<Initializer> bias = args.initializer("bias_initializer", Initializer.ZEROS);
        Optional<Regularizer> kernelRegularizer = args.regularizer("kernel_regularizer");
        Optional<Regularizer> biasRegularizer = args.regularizer("bias_regularizer");
        if (args.failed() || kernel == null || strides == null || dilation == null || padding.isEmpty()
            || activation.isEmpty() || weights.isEmpty() || bias.isEmpty()) {
          return null;
        }
        if (activation.get().is(Activation.Kind.SOFTMAX)) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("activation").orElseThrow().span(),
                  kind + " does not take activation softmax: it would normalise across filters and positions")
              .withHelp("flatten and end with dense(..., activation: softmax)"));
          return null;
        }
        if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("dilation").orElseThrow().span(),
                  kind + " takes strides above 1 or a dilation above 1, not both (as Keras)")
              .withHelp("remove one of strides and dilation"));
          return null;
        }
        if (!BiasOptions.consistent(args, bias.get(), useBias, biasRegularizer, sink)) {
          return null;
        }
        if (input == null || !rankFits(kind, args, input, inputSpan, sink)) {
          return null;
        }
        Window window = window(kind, args, input, inputSpan, kernel, strides, dilation, padding.get(), "kernel", sink);
        if (window == null) {
          return null;
        }
        // A kernel larger than its input is allowed with padding: same; its patch still must fit.
        long patch = (long) window.kernelHeight() * window.kernelWidth() * window.channels();
        if (patch > max || patch * window.positions() > max * 64L) {
          boolean perPosition = patch > max;
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("kernel_size").orElseThrow().span(),
              kind + " would read " + String.format(java.util.Locale.ROOT, "%,d", perPosition ? patch
                  : patch * window.positions()) + " input values " + (perPosition ? "per output position" : "per sample")
                  + "; at most " + String.format(java.util.Locale.ROOT, "%,d", perPosition ? (long) max : max * 64L)
                  + " are supported")
              .withHelp("use a smaller kernel_size or larger strides"));
          return null;
        }
        long parameters = (long) window.patch() * filters + filters;
        if (parameters > max * 64L) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
              kind + " would have " + String.format(java.util.Locale.ROOT, "%,d", parameters) + " parameters; at most "
                  + String.format(java.util.Locale.ROOT, "%,d", max * 64L) + " are supported"));
          return null;
        }
        if ((long) window.positions() * filters > max) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
              kind + " would give " + String.format(java.util.Locale.ROOT, "%,d", (long) window.positions() * filters)
                  + " values per sample; at most " + String.format(java.util.Locale.ROOT, "%,d", max) + " are supported"));
          return null;
        }
        Shape output = oneDimensional ? Shape.of(window.outWidth(), filters)
            : Shape.of(window.outHeight(), window.outWidth(), filters);
        return new Read(output, window, activation.get(), useBias, weights.get(), bias.get(), kernelRegularizer,
            biasRegularizer, 0);
      }
      case "maxpool2d", "avgpool2d" -> {
        int[] pool = args.intOrPair("pool_size", new int[] {2, 2}, max, true);
        int[] strides = args.intOrPair("strides", pool, max, true);
        Optional<String> padding = args.choice("padding", "valid", List.of("valid", "same"));
        if (args.failed() || pool == null || strides == null || padding.isEmpty() || input == null
            || !rankFits(kind, args, input, inputSpan, sink)) {
          return null;
        }
        Window window = window(kind, args, input, inputSpan, pool, strides, new int[] {1, 1}, padding.get(), "pool", sink);
        if (window == null) {
          return null;
        }
        return new Read(Shape.of(window.outHeight(), window.outWidth(), window.channels()), window, Activation.LINEAR,
            false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty(), 0);
      }
      case "globalmaxpool2d", "globalavgpool2d" -> {
        if (args.failed() || input == null || !rankFits(kind, args, input, inputSpan, sink)) {
          return null;
        }
        List<Integer> d = input.dimensions();
        Window window = Window.of(d.get(0), d.get(1), d.get(2), d.get(0), d.get(1), 1, 1, 1, 1, false);
        return new Read(Shape.of(d.get(2)), window, Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS,
            Optional.empty(), Optional.empty(), 0);
      }
      default -> {
        double rate = args.number("rate", 0, 0, 1, true);
        if (args.failed() || input == null || !rankFits(kind, args, input, inputSpan, sink)) {
          return null;
        }
        return new Read(input, null, Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(),
            Optional.empty(), rate);
      }
    }
  }

  /** conv1d reads {@code [steps, channels]}; the others {@code [height, width, channels]}. */
  private static boolean rankFits(String kind, ArgumentReader args, Shape input, SourceSpan inputSpan,
      DiagnosticSink sink) {
    int rank = kind.equals("conv1d") ? 2 : 3;
    if (input.rank() == rank) {
      return true;
    }
    String name = ((Expr.Name) args.positional(0).orElseThrow()).name();
    Diagnostic d = Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, args.positional(0).orElseThrow().span(),
            kind + " expects a rank-" + rank + " input " + (rank == 2 ? "[steps, channels]" : "[height, width, channels]")
                + ", but '" + name + "' has shape " + input)
        .withNote("'" + name + "' is declared at " + inputSpan);
    if (rank == 3 && input.rank() == 2) {
      d = d.withHelp("images are channels-last: a grey image is [" + input.dimensions().get(0) + ", "
          + input.dimensions().get(1) + ", 1], as in input image: float[" + input.dimensions().get(0) + ", "
          + input.dimensions().get(1) + ", 1]");
    } else if (rank == 2 && input.rank() == 1) {
      d = d.withHelp("sequences are [steps, channels]: one feature per step is [" + input.dimensions().get(0) + ", 1]");
    }
    sink.report(d);
    return false;
  }

  private static Window window(String kind, ArgumentReader args, Shape input, SourceSpan inputSpan, int[] kernel,
      int[] strides, int[] dilation, String padding, String what, DiagnosticSink sink) {
    boolean oneDimensional = input.rank() == 2;
    int height = oneDimensional ? 1 : input.dimensions().get(0);
    int width = input.dimensions().get(oneDimensional ? 0 : 1);
    int channels = input.dimensions().get(input.rank() - 1);
    int kernelHeight = oneDimensional ? 1 : kernel[0];
    int kernelWidth = oneDimensional ? kernel[0] : kernel[1];
    Window window = Window.of(height, width, channels, kernelHeight, kernelWidth, oneDimensional ? 1 : strides[0],
        oneDimensional ? strides[0] : strides[1], oneDimensional ? 1 : dilation[0],
        oneDimensional ? dilation[0] : dilation[1], padding.equals("same"));
    if (window != null) {
      return window;
    }
    String name = ((Expr.Name) args.positional(0).orElseThrow()).name();
    long spanHeight = (long) (kernelHeight - 1) * (oneDimensional ? 1 : dilation[0]) + 1;
    long spanWidth = (long) (kernelWidth - 1) * (oneDimensional ? dilation[0] : dilation[1]) + 1;
    String size = oneDimensional ? String.valueOf(spanWidth) : spanHeight + "×" + spanWidth;
    String inputSize = oneDimensional ? width + " steps" : height + "×" + width;
    String option = what.equals("kernel") ? "kernel_size" : "pool_size";
    SourceSpan span = args.named(option).map(Expr::span).orElse(args.call().nameSpan());
    boolean dilated = dilation[0] > 1 || dilation[1] > 1;
    sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, span,
            "the " + size + " " + what + (dilated ? " (dilated)" : "") + " of " + kind + " does not fit in the "
                + inputSize + " of '" + name + "' " + input + " with padding valid")
        .withNote("'" + name + "' is declared at " + inputSpan)
        .withHelp("use a smaller " + option + ", or padding: same"));
    return null;
  }

  /** Lays out a checked spatial layer; a convolution's parameters start at {@code offset}. */
  static Layer layout(String kind, String name, String constant, Shape inputShape, Read read, long offset, SourceSpan span,
      String text) {
    switch (kind) {
      case "conv2d", "conv1d" -> {
        Window w = read.window();
        int filters = read.outputShape().dimensions().get(read.outputShape().rank() - 1);
        int fanIn = w.patch();
        int fanOut = w.kernelHeight() * w.kernelWidth() * filters;
        List<Integer> shape = new ArrayList<>(kind.equals("conv1d") ? List.of(w.kernelWidth())
            : List.of(w.kernelHeight(), w.kernelWidth()));
        shape.add(w.channels());
        shape.add(filters);
        ParameterSlot weights = new ParameterSlot(name + ".weight", constant + "_WEIGHTS_OFFSET", (int) offset, shape,
            read.weightInitializer(), fanIn, fanOut);
        Optional<ParameterSlot> bias = read.useBias()
            ? Optional.of(new ParameterSlot(name + ".bias", constant + "_BIAS_OFFSET", (int) (offset + weights.size()),
                List.of(filters), read.biasInitializer(), fanIn, fanOut))
            : Optional.empty();
        return new Layer.Convolution(name, inputShape, read.outputShape(), w, read.activation(), weights, bias,
            read.kernelRegularizer(), read.biasRegularizer(), span, text);
      }
      case "spatial_dropout2d" -> {
        return new Layer.SpatialDropout(name, inputShape, read.rate(), span, text);
      }
      default -> {
        return new Layer.Pooling(name, inputShape, read.outputShape(), kind.contains("max"), kind.startsWith("global"),
            read.window(), span, text);
      }
    }
  }

  /** Parameters a checked layer adds to the flat array. */
  static long parameterCount(String kind, Read read) {
    if (!kind.startsWith("conv")) {
      return 0;
    }
    int filters = read.outputShape().dimensions().get(read.outputShape().rank() - 1);
    return (long) read.window().patch() * filters + (read.useBias() ? filters : 0);
  }
}
