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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks of the layers that make an image larger, the decoder half of a convolutional
 * autoencoder: {@code upsampling2d} (nearest-neighbour repetition) and {@code conv2d_transpose}
 * (the transpose of a convolution). Both read a channels-last image {@code [height, width,
 * channels]}; output sizes follow Keras.
 */
final class UpsamplingLayers {
  static final List<String> KINDS = List.of("upsampling2d", "conv2d_transpose");

  /**
   * What the arguments say, once checked against the input: the output shape, and for
   * {@code upsampling2d} the repetition {@code size}, for {@code conv2d_transpose} the window of the
   * convolution it transposes and the kernel's options.
   */
  record Read(Shape outputShape, int[] size, Window window, Activation activation, boolean useBias,
      Initializer weightInitializer, Initializer biasInitializer, Optional<Regularizer> kernelRegularizer,
      Optional<Regularizer> biasRegularizer) {}

  private UpsamplingLayers() {}

  static List<String> optionNames(String kind) {
    return kind.equals("upsampling2d") ? List.of("size", "interpolation")
        : List.of("filters", "kernel_size", "strides", "padding", "activation", "use_bias", "kernel_initializer",
            "bias_initializer", "kernel_regularizer", "bias_regularizer");
  }

  /**
   * Reads the arguments and checks them against the input's shape ({@code input} null when the
   * input failed: then only the arguments are checked). Null after reporting an error.
   */
  static Read read(String kind, ArgumentReader args, Shape input, SourceSpan inputSpan, DiagnosticSink sink) {
    int max = NetworkChecker.MAX_DIMENSION;
    if (kind.equals("upsampling2d")) {
      int[] size = args.intOrPair("size", new int[] {2, 2}, max, true);
      Optional<String> interpolation = args.choice("interpolation", "nearest", List.of("nearest", "bilinear"));
      if (interpolation.isPresent() && interpolation.get().equals("bilinear")) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("interpolation").orElseThrow().span(),
                "upsampling2d does not support interpolation bilinear yet, only nearest")
            .withHelp("use interpolation: nearest, or conv2d_transpose to learn the upsampling"));
        return null;
      }
      if (args.failed() || size == null || interpolation.isEmpty() || input == null
          || !rankFits(kind, args, input, inputSpan, sink)) {
        return null;
      }
      List<Integer> d = input.dimensions();
      long height = (long) d.get(0) * size[0];
      long width = (long) d.get(1) * size[1];
      // In doubles: each factor can be near 2^24 · 2^24, and their product overflows a long.
      if ((double) height * width * d.get(2) > max) {
        sink.report(tooLarge(kind, args, (double) height * width * d.get(2)).withHelp("use a smaller size"));
        return null;
      }
      return new Read(Shape.of((int) height, (int) width, d.get(2)), size, null, Activation.LINEAR, false,
          Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty());
    }
    int filters = args.requiredPositiveInt("filters", max);
    int[] kernel = args.intOrPair("kernel_size", null, max, true);
    int[] strides = args.intOrPair("strides", new int[] {1, 1}, max, true);
    Optional<String> padding = args.choice("padding", "valid", List.of("valid", "same"));
    Optional<Activation> activation = args.activation("activation", Activation.LINEAR);
    boolean useBias = args.bool("use_bias", true);
    Optional<Initializer> weights = args.initializer("kernel_initializer", Initializer.GLOROT_UNIFORM);
    Optional<Initializer> bias = args.initializer("bias_initializer", Initializer.ZEROS);
    Optional<Regularizer> kernelRegularizer = args.regularizer("kernel_regularizer");
    Optional<Regularizer> biasRegularizer = args.regularizer("bias_regularizer");
    if (args.failed() || kernel == null || strides == null || padding.isEmpty() || activation.isEmpty()
        || weights.isEmpty() || bias.isEmpty()) {
      return null;
    }
    if (activation.get().is(Activation.Kind.SOFTMAX)) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("activation").orElseThrow().span(),
              kind + " does not take activation softmax: it would normalise across filters and positions")
          .withHelp("use sigmoid for pixel intensities, or flatten and end with dense(..., activation: softmax)"));
      return null;
    }
    if (!BiasOptions.consistent(args, bias.get(), useBias, biasRegularizer, sink)) {
      return null;
    }
    if (input == null || !rankFits(kind, args, input, inputSpan, sink)) {
      return null;
    }
    List<Integer> d = input.dimensions();
    boolean same = padding.get().equals("same");
    long height = outputLength(d.get(0), kernel[0], strides[0], same);
    long width = outputLength(d.get(1), kernel[1], strides[1], same);
    if ((double) height * width * filters > max) {
      sink.report(tooLarge(kind, args, (double) height * width * filters)
          .withHelp("use fewer filters or smaller strides"));
      return null;
    }
    double parameters = (double) kernel[0] * kernel[1] * filters * d.get(2) + filters;
    if (parameters > max * 64L) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
          kind + " would have " + String.format(Locale.ROOT, "%,.0f", parameters) + " parameters; at most "
              + String.format(Locale.ROOT, "%,d", max * 64L) + " are supported"));
      return null;
    }
    // The convolution this layer transposes reads the output and gives the input's positions.
    Window window = Window.of((int) height, (int) width, filters, kernel[0], kernel[1], strides[0], strides[1], 1, 1,
        same);
    if (window == null || window.outHeight() != d.get(0) || window.outWidth() != d.get(1)) {
      throw new IllegalStateException("conv2d_transpose output " + height + "×" + width + " does not transpose back to "
          + d.get(0) + "×" + d.get(1));
    }
    return new Read(Shape.of((int) height, (int) width, filters), null, window, activation.get(), useBias,
        weights.get(), bias.get(), kernelRegularizer, biasRegularizer);
  }

  /** Keras's {@code deconv_output_length} without output padding or dilation. */
  static long outputLength(int input, int kernel, int stride, boolean same) {
    return same ? (long) input * stride : (long) input * stride + Math.max(kernel - stride, 0);
  }

  private static Diagnostic tooLarge(String kind, ArgumentReader args, double values) {
    return Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
        kind + " would give " + String.format(Locale.ROOT, "%,.0f", values) + " values per sample; at most "
            + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION) + " are supported");
  }

  private static boolean rankFits(String kind, ArgumentReader args, Shape input, SourceSpan inputSpan,
      DiagnosticSink sink) {
    if (input.rank() == 3) {
      return true;
    }
    Expr x = args.positional(0).orElseThrow();
    String name = x instanceof Expr.Name n ? n.name() : "the input";
    Diagnostic d = Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, x.span(),
            kind + " expects a rank-3 input [height, width, channels], but '" + name + "' has shape " + input)
        .withNote("'" + name + "' is declared at " + inputSpan);
    if (input.rank() == 2) {
      d = d.withHelp("images are channels-last: a grey image is [" + input.dimensions().get(0) + ", "
          + input.dimensions().get(1) + ", 1]");
    } else if (input.rank() == 1) {
      d = d.withHelp("reshape a vector into an image first, as in reshape(" + name + ", shape: [7, 7, "
          + Math.max(1, input.size() / 49) + "])");
    }
    sink.report(d);
    return false;
  }

  /** Parameters a checked layer adds to the flat array. */
  static long parameterCount(String kind, Shape input, Read read) {
    if (kind.equals("upsampling2d")) {
      return 0;
    }
    int filters = read.outputShape().dimensions().get(2);
    Window w = read.window();
    return (long) w.kernelHeight() * w.kernelWidth() * filters * input.dimensions().get(2)
        + (read.useBias() ? filters : 0);
  }

  /** Lays out a checked layer; a transposed convolution's parameters start at {@code offset}. */
  static Layer layout(String kind, String name, String constant, Shape input, Read read, long offset, SourceSpan span,
      String text) {
    if (kind.equals("upsampling2d")) {
      return new Layer.Upsampling(name, input, read.outputShape(), read.size()[0], read.size()[1], span, text);
    }
    Window w = read.window();
    int filters = read.outputShape().dimensions().get(2);
    int channels = input.dimensions().get(2);
    // Keras's fans for a [kh, kw, filters, channels] kernel: the last two axes times the kernel area.
    int area = w.kernelHeight() * w.kernelWidth();
    ParameterSlot weights = new ParameterSlot(name + ".weight", constant + "_WEIGHTS_OFFSET", (int) offset,
        List.of(w.kernelHeight(), w.kernelWidth(), filters, channels), read.weightInitializer(), area * filters,
        area * channels);
    Optional<ParameterSlot> bias = read.useBias()
        ? Optional.of(new ParameterSlot(name + ".bias", constant + "_BIAS_OFFSET", (int) (offset + weights.size()),
            List.of(filters), read.biasInitializer(), area * filters, area * channels))
        : Optional.empty();
    return new Layer.TransposedConvolution(name, input, read.outputShape(), w, read.activation(), weights, bias,
        read.kernelRegularizer(), read.biasRegularizer(), span, text);
  }

  /** Whether a layer is one of these. */
  static boolean handles(Layer layer) {
    return layer instanceof Layer.Upsampling || layer instanceof Layer.TransposedConvolution;
  }

  /** What the architecture fingerprint records of a layer beyond its kind and shapes. */
  static String fingerprint(Layer layer) {
    if (layer instanceof Layer.Upsampling up) {
      return "nearest " + up.sizeHeight() + "x" + up.sizeWidth();
    }
    Layer.TransposedConvolution t = (Layer.TransposedConvolution) layer;
    return t.window().describe() + " " + t.activation();
  }
}
