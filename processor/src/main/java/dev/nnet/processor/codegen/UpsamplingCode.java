package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of {@code upsampling2d} (nearest neighbour): each input position's
 * channels are copied {@code sizeWidth} times along the output row, and each output row is then
 * copied {@code sizeHeight - 1} times below itself, so the work is a few {@code arraycopy} calls
 * per input row. The backward pass sums each block's gradients into the input position it was
 * copied from.
 *
 * <p>Implemented through {@link SequenceLayerCode}, the per-layer code interface of the class
 * writer (its methods are not specific to sequences).
 */
final class UpsamplingCode implements SequenceLayerCode {
  private final Layer.Upsampling layer;
  private final Precision p;
  private final String base;
  private final String comment;
  private final String prefix;

  UpsamplingCode(Layer.Upsampling layer, String base, String comment, Precision p) {
    this.layer = layer;
    this.p = p;
    this.base = base;
    this.comment = comment;
    this.prefix = NetworkChecker.constant(layer.name());
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
    type.addField(intConstant(c("SIZE"), layer.outputShape().size(), comment + ": values per sample "
        + layer.outputShape() + "."));
    type.addField(intConstant(c("INPUT_SIZE"), layer.inputShape().size(), comment + ": input values per sample "
        + layer.inputShape() + "."));
    type.addField(intConstant(c("CHANNELS"), layer.channels(), comment + ": channels, each repeated alike."));
  }

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    return CodeBlock.of("$LForward($L, $L, $L, count);\n", base, in.array(), in.offset(), out);
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    if (!step.propagatesToInput()) {
      return CodeBlock.of("");
    }
    return CodeBlock.of("$LBackward($L, $L, count);\n", base, dy, dx);
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    int height = layer.inputShape().dimensions().get(0);
    int width = layer.inputShape().dimensions().get(1);
    int channels = layer.channels();
    int sh = layer.sizeHeight();
    int sw = layer.sizeWidth();
    int outRow = width * sw * channels;
    List<MethodSpec> methods = new ArrayList<>();
    // One input position's channels, sizeWidth times along the output row: straight-line for a
    // few values, else a loop over the repetitions.
    CodeBlock.Builder copy = CodeBlock.builder();
    if (channels <= Loops.UNROLL_LIMIT && sw * channels <= 4 * Loops.UNROLL_LIMIT) {
      for (int r = 0; r < sw; r++) {
        for (int k = 0; k < channels; k++) {
          copy.addStatement("y[$L] = x[$L]", Loops.plus("out", String.valueOf(r * channels + k)),
              Loops.plus("at", String.valueOf(k)));
        }
      }
    } else {
      copy.beginControlFlow("for (int r = 0; r < $L; r++)", sw)
          .addStatement("$T.arraycopy(x, at, y, out + r * $L, $L)", System.class, c("CHANNELS"), c("CHANNELS"))
          .endControlFlow();
    }
    methods.add(MethodSpec.methodBuilder(base + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: each input value repeated into a $L × $L block of the output.\n", comment, sh, sw)
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y")
        .addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int at = xOffset + b * $L", c("INPUT_SIZE"))
        .addStatement("int out = b * $L", c("SIZE"))
        .beginControlFlow("for (int iy = 0; iy < $L; iy++)", height)
        .addStatement("int rowStart = out")
        .beginControlFlow("for (int ix = 0; ix < $L; ix++)", width)
        .addCode(copy.build())
        .addStatement("at += $L", c("CHANNELS"))
        .addStatement("out += $L", sw * channels)
        .endControlFlow()
        .addCode(sh == 1 ? CodeBlock.of("") : sh == 2 ? CodeBlock.builder()
            .add("// The next output row is a copy of this one.\n")
            .addStatement("$T.arraycopy(y, rowStart, y, out, $L)", System.class, outRow)
            .addStatement("out += $L", outRow).build() : CodeBlock.builder()
            .add("// The other $L output rows of this input row are copies of the first.\n", sh - 1)
            .beginControlFlow("for (int r = 1; r < $L; r++)", sh)
            .addStatement("$T.arraycopy(y, rowStart, y, out, $L)", System.class, outRow)
            .addStatement("out += $L", outRow)
            .endControlFlow().build())
        .endControlFlow()
        .endControlFlow()
        .build());
    if (step.isPresent() && step.get().propagatesToInput()) {
      boolean accumulate = step.get().accumulatesIntoInput();
      MethodSpec.Builder backward = MethodSpec.methodBuilder(base + "Backward")
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("$L\n\n<p>Backward: each input value's gradient is the sum over its $L × $L block$L.\n", comment, sh,
              sw, accumulate ? ", added to the input gradient (it has another contribution)" : "")
          .addParameter(p.arrayType(), "dy").addParameter(p.arrayType(), "dx").addParameter(int.class, "count");
      if (!accumulate) {
        backward.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
      }
      backward.beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("int sample = b * $L", c("INPUT_SIZE"))
          .addStatement("int out = b * $L", c("SIZE"))
          .beginControlFlow("for (int oy = 0; oy < $L; oy++)", height * sh)
          .addStatement("int at = sample + oy / $L * $L", sh, width * channels)
          .beginControlFlow("for (int ix = 0; ix < $L; ix++)", width)
          .beginControlFlow("for (int r = 0; r < $L; r++)", sw)
          .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
          .addStatement("dx[at + c] += dy[out + c]")
          .endControlFlow()
          .addStatement("out += $L", c("CHANNELS"))
          .endControlFlow()
          .addStatement("at += $L", c("CHANNELS"))
          .endControlFlow()
          .endControlFlow()
          .endControlFlow();
      methods.add(backward.build());
    }
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return List.of();
  }
}
