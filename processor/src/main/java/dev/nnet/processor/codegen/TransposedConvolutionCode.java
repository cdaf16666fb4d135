package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of {@code conv2d_transpose}. The forward pass scatters: each input
 * position adds, for each kernel tap {@code (ky, kx)}, the product of its channels with the tap's
 * {@code [filters, channels]} block of the kernel to the output position
 * {@code (iy · strideHeight + ky - padTop, ix · strideWidth + kx - padLeft)}; with {@code same}
 * padding, taps falling outside the output are skipped (as the convolution it transposes reads
 * zeros there). The backward pass walks the same taps: the kernel gradient adds
 * {@code dz · x} and the input gradient {@code dz · W}, both loops over the contiguous channel
 * axis of the kernel, which C2 vectorises.
 *
 * <p>NOT YET: a Vector API kernel. The decoder layers met so far are small (the digits
 * autoencoder's is 7×7×16 → 14×14×16), and the scalar loops keep the channel axis innermost and
 * contiguous for the JIT's own vectorisation.
 *
 * <p>Implemented through {@link SequenceLayerCode}, the per-layer code interface of the class
 * writer (its methods are not specific to sequences).
 */
final class TransposedConvolutionCode implements SequenceLayerCode {
  private final Layer.TransposedConvolution layer;
  private final Precision p;
  private final String base;
  private final String comment;
  private final String prefix;
  /** With swish or gelu: x · W + b before the activation, which its derivative needs; else null. */
  private final String linear;

  TransposedConvolutionCode(Layer.TransposedConvolution layer, String base, String camel, String comment,
      NameAllocator names, Precision p) {
    this.layer = layer;
    this.p = p;
    this.base = base;
    this.comment = comment;
    this.prefix = NetworkChecker.constant(layer.name());
    this.linear = layer.activation().kind().needsInput() ? names.newName(camel + "Linear", camel + "Linear") : null;
  }

  /** The number of values of {@code slot} (the kernel or the bias), as the weight penalties write it. */
  static String penaltySize(Layer.TransposedConvolution layer, ParameterSlot slot) {
    String prefix = NetworkChecker.constant(layer.name());
    return slot == layer.weights() ? layer.window().kernelHeight() * layer.window().kernelWidth() + " * " + prefix
        + "_FILTERS * " + prefix + "_CHANNELS" : prefix + "_FILTERS";
  }

  private String c(String suffix) {
    return prefix + "_" + suffix;
  }

  @Override
  public String width() {
    return c("SIZE");
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    Window w = layer.window();
    type.addField(intConstant(c("SIZE"), layer.outputShape().size(), comment + ": values per sample "
        + layer.outputShape() + "."));
    type.addField(intConstant(c("INPUT_SIZE"), layer.inputShape().size(), comment + ": input values per sample "
        + layer.inputShape() + "."));
    type.addField(intConstant(c("POSITIONS"), w.outHeight() * w.outWidth(), comment + ": input positions, "
        + w.outHeight() + " × " + w.outWidth() + ", each adding to a " + w.kernelHeight() + " × " + w.kernelWidth()
        + " window of the output."));
    type.addField(intConstant(c("CHANNELS"), layer.channels(), comment + ": input channels."));
    type.addField(intConstant(c("FILTERS"), layer.filters(), comment + ": output channels."));
    for (ParameterSlot slot : layer.parameters()) {
      if (declared.add(slot.constantName())) {
        type.addField(intConstant(slot.constantName(), slot.offset(),
            "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
      }
    }
  }

  @Override
  public void addWorkspace(TypeSpec.Builder workspace, MethodSpec.Builder constructor) {
    if (linear != null) {
      workspace.addField(FieldSpec.builder(p.arrayType(), linear, Modifier.FINAL)
          .addJavadoc("$L: the output before the $L, which its derivative needs.\n", comment,
              layer.activation().keyword()).build());
      constructor.addStatement("$L = new $L[rows * $L]", linear, p.keyword(), c("SIZE"));
    }
  }

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    if (linear != null) {
      return CodeBlock.builder()
          .addStatement("$LForward(parameters, $L, $L, ws.$L, count)", base, in.array(), in.offset(), linear)
          .addStatement("$LActivation(ws.$L, $L, count)", base, linear, out)
          .build();
    }
    return CodeBlock.of("$LForward(parameters, $L, $L, $L, count);\n", base, in.array(), in.offset(), out);
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    List<String> args = new ArrayList<>(List.of("parameters", "gradients", in.array(), in.offset()));
    if (derivative()) {
      args.add(linear != null ? "ws." + linear : out);
    }
    args.add(dy);
    if (step.propagatesToInput()) {
      args.add(dx);
    }
    args.add("count");
    return CodeBlock.of("$LBackward($L);\n", base, String.join(", ", args));
  }

  private boolean derivative() {
    return !layer.activation().is(Activation.Kind.LINEAR);
  }

  /**
   * Opens the loops over samples, input positions and the kernel taps that land inside the
   * output; defines {@code at} (the input position's first channel, from {@code sampleBase}),
   * {@code target} (the output position's first filter) and {@code tap} (the tap's block of the
   * kernel, from its offset).
   */
  private void taps(CodeBlock.Builder code, String sampleBase) {
    Window w = layer.window();
    int inWidth = w.outWidth();
    int outWidth = w.inWidth();
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = $Lb * $L", sampleBase, c("INPUT_SIZE"))
        .addStatement("int out = b * $L", c("SIZE"))
        .beginControlFlow("for (int iy = 0; iy < $L; iy++)", w.outHeight())
        .beginControlFlow("for (int ix = 0; ix < $L; ix++)", inWidth)
        .addStatement("int at = sample + (iy * $L + ix) * $L", inWidth, c("CHANNELS"))
        .beginControlFlow("for (int ky = 0; ky < $L; ky++)", w.kernelHeight())
        .addStatement("int oy = iy * $L + ky$L", w.strideHeight(), w.padTop() == 0 ? "" : " - " + w.padTop());
    skipOutside(code, "oy", w.padTop(), (w.outHeight() - 1) * w.strideHeight() + w.kernelHeight() - 1 - w.padTop(),
        w.inHeight());
    code.beginControlFlow("for (int kx = 0; kx < $L; kx++)", w.kernelWidth())
        .addStatement("int ox = ix * $L + kx$L", w.strideWidth(), w.padLeft() == 0 ? "" : " - " + w.padLeft());
    skipOutside(code, "ox", w.padLeft(), (w.outWidth() - 1) * w.strideWidth() + w.kernelWidth() - 1 - w.padLeft(),
        outWidth);
    code.addStatement("int target = out + (oy * $L + ox) * $L", outWidth, c("FILTERS"))
        .addStatement("int tap = $L + (ky * $L + kx) * $L * $L", layer.weights().constantName(), w.kernelWidth(),
            c("FILTERS"), c("CHANNELS"));
  }

  /**
   * Skips a tap whose output coordinate {@code v} falls in the padding: below 0 when the padding
   * before is {@code before} > 0, at {@code size} or beyond when the last tap reaches {@code last}.
   */
  private static void skipOutside(CodeBlock.Builder code, String v, int before, int last, int size) {
    String condition = before > 0 && last >= size ? v + " < 0 || " + v + " >= " + size
        : before > 0 ? v + " < 0" : last >= size ? v + " >= " + size : null;
    if (condition != null) {
      code.beginControlFlow("if ($L)", condition).addStatement("continue").endControlFlow();
    }
  }

  private static void closeTaps(CodeBlock.Builder code) {
    code.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow();
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(forwardMethod());
    if (linear != null) {
      methods.add(MethodSpec.methodBuilder(base + "Activation").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("$L\n\n<p>{@code y = $L(z)} for each output position of {@code count} samples.\n", comment,
              layer.activation())
          .addParameter(p.arrayType(), "z").addParameter(p.arrayType(), "y").addParameter(int.class, "count")
          .beginControlFlow("for (int r = 0; r < count * $L; r++)", layer.window().inHeight() * layer.window().inWidth())
          .addStatement("int row = r * $L", c("FILTERS"))
          .addCode(ActivationCode.forward(layer.activation(), "z", "row", "y", "row", layer.filters(), c("FILTERS"), p))
          .endControlFlow()
          .build());
    }
    step.ifPresent(s -> methods.add(backwardMethod(s)));
    return methods;
  }

  private MethodSpec forwardMethod() {
    Window w = layer.window();
    Activation activation = linear != null ? Activation.LINEAR : layer.activation();
    int outPositions = w.inHeight() * w.inWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("int positions = count * $L", outPositions);
    if (layer.bias().isPresent()) {
      code.beginControlFlow("for (int o = 0; o < positions; o++)")
          .addStatement("$T.arraycopy(p, $L, y, o * $L, $L)", System.class, layer.bias().get().constantName(),
              c("FILTERS"), c("FILTERS"))
          .endControlFlow();
    } else {
      code.addStatement("$T.fill(y, 0, positions * $L, $L)", Arrays.class, c("FILTERS"), p.literal(0));
    }
    taps(code, "xOffset + ");
    code.beginControlFlow("for (int f = 0; f < $L; f++)", c("FILTERS"))
        .addStatement("int k = tap + f * $L", c("CHANNELS"))
        .addStatement("$L sum = $L", p.keyword(), p.literal(0))
        .add(Loops.constant("c", layer.channels(), c("CHANNELS"), ch -> CodeBlock.of("sum += x[$L] * p[$L];\n",
            Loops.plus("at", ch), Loops.plus("k", ch))))
        .addStatement("y[target + f] += sum")
        .endControlFlow();
    closeTaps(code);
    if (!activation.is(Activation.Kind.LINEAR)) {
      code.beginControlFlow("for (int o = 0; o < positions; o++)")
          .addStatement("int row = o * $L", c("FILTERS"))
          .add(ActivationCode.forward(activation, "y", "row", layer.filters(), c("FILTERS"), p))
          .endControlFlow();
    }
    return MethodSpec.methodBuilder(base + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(b + Σ x · W)}, each input position adding its channels times each\n"
            + "kernel tap's [filters, channels] block into the output position under that tap.\n", comment, activation)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(code.build())
        .build();
  }

  private MethodSpec backwardMethod(BackwardPlan.Step step) {
    Window w = layer.window();
    boolean propagate = step.propagatesToInput();
    boolean accumulate = step.accumulatesIntoInput();
    int outPositions = w.inHeight() * w.inWidth();
    String activationValue = linear != null ? "z" : "y";
    MethodSpec.Builder m = MethodSpec.methodBuilder(base + "Backward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: $L the kernel and bias gradients into {@code g}$L.\n", comment,
            step.accumulatesParameters() ? "adds" : "writes",
            !propagate ? "" : accumulate ? " and adds the input gradient to {@code dx}"
                : " and writes the input gradient {@code dx}")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (derivative()) {
      m.addParameter(p.arrayType(), activationValue);
    }
    m.addParameter(p.arrayType(), "dy");
    if (propagate) {
      m.addParameter(p.arrayType(), "dx");
    }
    m.addParameter(int.class, "count");
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("int positions = count * $L", outPositions);
    if (derivative()) {
      code.add("// dy becomes the gradient before the activation: dy * $L'($L).\n", layer.activation().keyword(),
              activationValue)
          .beginControlFlow("for (int o = 0; o < positions; o++)")
          .addStatement("int row = o * $L", c("FILTERS"))
          .add(ActivationCode.backward(layer.activation(), activationValue, activationValue, "dy", "row",
              layer.filters(), c("FILTERS"), p))
          .endControlFlow();
    }
    String weights = layer.weights().constantName();
    if (!step.accumulatesParameters()) {
      code.addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class, weights, weights, layer.weights().size(),
          p.literal(0));
      layer.bias().ifPresent(bias -> code.addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class,
          bias.constantName(), bias.constantName(), c("FILTERS"), p.literal(0)));
    }
    if (propagate && !accumulate) {
      code.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
    }
    layer.bias().ifPresent(bias -> code
        .beginControlFlow("for (int o = 0; o < positions; o++)")
        .beginControlFlow("for (int f = 0; f < $L; f++)", c("FILTERS"))
        .addStatement("g[$L + f] += dy[o * $L + f]", bias.constantName(), c("FILTERS"))
        .endControlFlow()
        .endControlFlow());
    taps(code, "");
    code.addStatement("int xAt = xOffset + at")
        .beginControlFlow("for (int f = 0; f < $L; f++)", c("FILTERS"))
        .addStatement("$L d = dy[target + f]", p.keyword())
        .addStatement("int k = tap + f * $L", c("CHANNELS"))
        // A few channels are unrolled: a loop of 16 or fewer is too short for the JIT's vectorised main loop.
        .add(Loops.constant("c", layer.channels(), c("CHANNELS"), ch -> {
          CodeBlock.Builder body = CodeBlock.builder()
              .add("g[$L] += d * x[$L];\n", Loops.plus("k", ch), Loops.plus("xAt", ch));
          if (propagate) {
            body.add("dx[$L] += d * p[$L];\n", Loops.plus("at", ch), Loops.plus("k", ch));
          }
          return body.build();
        }));
    code.endControlFlow();
    closeTaps(code);
    return m.addCode(code.build()).build();
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return List.of();
  }
}
