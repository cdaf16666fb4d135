package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Preprocessing stages (normalize, rescale, impute, resize): their constants, their forward
 * methods and the network's {@code adapt}, which fits their statistics on training data. Stages
 * read the network input or another stage, so they have no backward pass.
 */
final class PreprocessingCode {
  private static final ClassName STATISTICS = ClassName.get("dev.nnet.runtime.data", "StageStatistics");

  private PreprocessingCode() {}

  /** The stage's sizes, options and state offsets as named constants. */
  static void addConstants(TypeSpec.Builder type, Layer.Preprocessing layer, String where, Set<String> declared) {
    String prefix = NetworkChecker.constant(layer.name());
    type.addField(intConstant(prefix + "_SIZE", layer.outputShape().size(), where + ": values per sample."));
    type.addField(intConstant(prefix + "_FEATURES", layer.features(), where + ": features with statistics of their own (the last axis)."));
    type.addField(intConstant(prefix + "_ROWS", layer.rows(), where + ": rows of features in one input sample."));
    if (layer.stage() instanceof Stage.Normalize normalize) {
      type.addField(doubleConstant(prefix + "_EPSILON", normalize.epsilon(), where + ": the smallest variance divided by."));
    } else if (layer.stage() instanceof Stage.Rescale rescale) {
      type.addField(doubleConstant(prefix + "_SCALE", rescale.scale(), where + ": each value is multiplied by it."));
      type.addField(doubleConstant(prefix + "_OFFSET", rescale.offset(), where + ": then this is added."));
    } else if (layer.stage() instanceof Stage.Impute impute && !impute.fitted()) {
      type.addField(doubleConstant(prefix + "_VALUE", impute.value(), where + ": what a missing (NaN) value becomes."));
    } else if (layer.stage() instanceof Stage.TextVectorize text) {
      TextStageCode.addConstants(type, prefix, text, where);
    }
    for (ParameterSlot slot : layer.state()) {
      if (declared.add(slot.constantName())) {
        type.addField(intConstant(slot.constantName(), slot.offset(),
            "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the state array."));
      }
    }
  }

  /** The forward call inside {@code forward(...)}. */
  static CodeBlock call(Layer.Preprocessing layer, String method, String in, String inOffset, String out) {
    return CodeBlock.of("$LForward($L$L, $L, $L, count)", method, layer.state().isEmpty() ? "" : "state, ", in,
        inOffset, out);
  }

  /** {@code <stage>Forward(s, x, xOffset, y, count)}: the stage applied to {@code count} samples. */
  static MethodSpec forward(Layer.Preprocessing layer, Precision p, String name, String comment) {
    String prefix = NetworkChecker.constant(layer.name());
    String f = prefix + "_FEATURES";
    MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
    if (!layer.state().isEmpty()) {
      method.addParameter(p.arrayType(), "s");
    }
    method.addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count");
    CodeBlock.Builder code = CodeBlock.builder();
    Stage stage = layer.stage();
    if (stage instanceof Stage.Normalize) {
      method.addJavadoc("$L\n\n<p>{@code y = (x − mean) / √max(variance, ε)} with the fitted statistics of each feature.\n",
          comment);
      code.beginControlFlow("for (int j = 0; j < $L; j++)", f)
          .addStatement("double mean = s[$L + j]", prefix + "_MEAN_OFFSET")
          .addStatement("double scale = 1 / Math.sqrt(Math.max(s[$L + j], $L_EPSILON))", prefix + "_VARIANCE_OFFSET",
              prefix)
          .beginControlFlow("for (int r = 0; r < count * $L_ROWS; r++)", prefix)
          .addStatement("y[r * $L + j] = $L", f, p.fromDouble("((x[xOffset + r * " + f + " + j] - mean) * scale)"))
          .endControlFlow()
          .endControlFlow();
    } else if (stage instanceof Stage.TextVectorize) {
      method.addJavadoc("$L\n\n<p>The text arrives vectorized ({@code vectorize(String, float[], int)} ran the"
          + " vocabulary lookup), so the values pass unchanged.\n", comment);
      code.addStatement("$T.arraycopy(x, xOffset, y, 0, count * $L_SIZE)", System.class, prefix);
    } else if (stage instanceof Stage.Rescale) {
      method.addJavadoc("$L\n\n<p>{@code y = x · scale + offset}.\n", comment);
      code.beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
          .addStatement("y[k] = $L", p.fromDouble("(x[xOffset + k] * " + prefix + "_SCALE + " + prefix + "_OFFSET)"))
          .endControlFlow();
    } else if (stage instanceof Stage.Impute impute) {
      String isNaN = p == Precision.FLOAT ? "Float.isNaN" : "Double.isNaN";
      method.addJavadoc("$L\n\n<p>A missing value (NaN) becomes $L; the others pass unchanged.\n", comment,
          impute.fitted() ? "its feature's fitted " + impute.strategy().replace('_', ' ') : "the constant");
      code.beginControlFlow("for (int r = 0; r < count * $L_ROWS; r++)", prefix)
          .beginControlFlow("for (int j = 0; j < $L; j++)", f)
          .addStatement("$L v = x[xOffset + r * $L + j]", p.keyword(), f)
          .addStatement("y[r * $L + j] = $L(v) ? $L : v", f, isNaN, impute.fitted()
              ? "s[" + prefix + "_FILL_OFFSET + j]" : p.fromDouble(prefix + "_VALUE"))
          .endControlFlow()
          .endControlFlow();
    } else {
      resize(layer, p, method, code, comment);
    }
    return method.addCode(code.build()).build();
  }

  /** Bilinear resizing with half-pixel centres (as TensorFlow's and PyTorch's default). */
  private static void resize(Layer.Preprocessing layer, Precision p, MethodSpec.Builder method, CodeBlock.Builder code,
      String comment) {
    List<Integer> in = layer.inputShape().dimensions();
    List<Integer> out = layer.outputShape().dimensions();
    int channels = in.size() == 3 ? in.get(2) : 1;
    method.addJavadoc("$L\n\n<p>Bilinear: each output pixel samples the input at its centre's position, between"
        + " the four nearest input pixels.\n", comment);
    code.addStatement("final int inH = $L, inW = $L, outH = $L, outW = $L, c = $L", in.get(0), in.get(1), out.get(0),
            out.get(1), channels)
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int from = xOffset + b * inH * inW * c")
        .addStatement("int to = b * outH * outW * c")
        .beginControlFlow("for (int oy = 0; oy < outH; oy++)")
        .addStatement("double sy = Math.min(Math.max((oy + 0.5) * inH / outH - 0.5, 0), inH - 1)")
        .addStatement("int y0 = (int) sy")
        .addStatement("int y1 = Math.min(y0 + 1, inH - 1)")
        .addStatement("double wy = sy - y0")
        .beginControlFlow("for (int ox = 0; ox < outW; ox++)")
        .addStatement("double sx = Math.min(Math.max((ox + 0.5) * inW / outW - 0.5, 0), inW - 1)")
        .addStatement("int x0 = (int) sx")
        .addStatement("int x1 = Math.min(x0 + 1, inW - 1)")
        .addStatement("double wx = sx - x0")
        .beginControlFlow("for (int ch = 0; ch < c; ch++)")
        .addStatement("double top = x[from + (y0 * inW + x0) * c + ch] * (1 - wx) + x[from + (y0 * inW + x1) * c + ch] * wx")
        .addStatement("double bottom = x[from + (y1 * inW + x0) * c + ch] * (1 - wx) + x[from + (y1 * inW + x1) * c + ch] * wx")
        .addStatement("y[to + (oy * outW + ox) * c + ch] = $L", p.fromDouble("(top * (1 - wy) + bottom * wy)"))
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
  }

  /**
   * {@code adapted()} and {@code adapt(inputs, inputOffset, count)} for a float network with
   * stages to fit. Each stage is fitted on what reaches it: the raw input, or the output of the
   * stages before it, computed with the same forward methods prediction uses.
   */
  static void addAdapt(TypeSpec.Builder type, NetworkModel model, Precision p, String[] methodBase) {
    List<Layer> layers = model.layers();
    List<Layer.Preprocessing> fitted = new ArrayList<>();
    for (Layer layer : layers) {
      if (layer instanceof Layer.Preprocessing stage && stage.stage().fitted()) {
        fitted.add(stage);
      }
    }
    if (p != Precision.FLOAT || fitted.isEmpty()) {
      return;
    }
    MethodSpec.Builder adapted = MethodSpec.methodBuilder("adapted").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(TypeName.BOOLEAN);
    adapted.addStatement("return $L", String.join(" && ", fitted.stream()
        .map(stage -> "state[" + NetworkChecker.constant(stage.name()) + "_COUNT_OFFSET] > 0").toList()));
    type.addMethod(adapted.build());

    MethodSpec.Builder adapt = MethodSpec.methodBuilder("adapt").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(float[].class, "inputs").addParameter(int.class, "inputOffset")
        .addParameter(int.class, "count");
    adapt.beginControlFlow("if (count < 1)")
        .addStatement("throw new $T(\"adapt needs at least one sample, but got \" + count)", IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("checkRange($S, inputs.length, inputOffset, (long) count * INPUT_SIZE)", "inputs");
    String[] values = new String[layers.size()];
    int last = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Layer.Preprocessing) {
        last = i;
      }
    }
    for (int i = 0; i <= last; i++) {
      if (!(layers.get(i) instanceof Layer.Preprocessing stage)) {
        continue;
      }
      String prefix = NetworkChecker.constant(stage.name());
      adapt.addComment("$L", stage.source());
      int source = model.inputsOf(i).get(0);
      String in;
      if (source >= 0) {
        in = values[source];
      } else if (model.networkInputs().size() == 1) {
        in = "inputs";
      } else {
        var input = model.networkInputs().get(-source - 1);
        in = camel(input.name()) + "Values";
        String inputPrefix = NetworkChecker.constant(input.name());
        adapt.addStatement("float[] $L = $T.gather(inputs, inputOffset, count, INPUT_SIZE, $L_INPUT_OFFSET, $L_INPUT_SIZE)",
            in, STATISTICS, inputPrefix, inputPrefix);
      }
      String inOffset = in.equals("inputs") ? "inputOffset" : "0";
      String data = in;
      boolean text = stage.stage() instanceof Stage.TextVectorize;
      if (text) {
        // Its vocabulary is fitted on texts, before: the float samples are already its output.
        adapt.beginControlFlow("if (state[$L_COUNT_OFFSET] == 0)", prefix)
            .addStatement("throw new $T(\"$L reads text: fit the vocabulary of '$L' with adapt(List<String>) on the"
                + " training texts first\")", IllegalStateException.class, model.name(), stage.name())
            .endControlFlow();
      }
      if (stage.stage().fitted() && !text && !inOffset.equals("0")) {
        adapt.addStatement("float[] $LInput = $T.copyOfRange(inputs, inputOffset, inputOffset + count * INPUT_SIZE)",
            camel(stage.name()), java.util.Arrays.class);
        data = camel(stage.name()) + "Input";
        inOffset = "0";
      }
      if (stage.stage() instanceof Stage.Normalize) {
        adapt.addStatement("$T.meanAndVariance($S, $L, count * $L_ROWS, $L_FEATURES, state, $L_MEAN_OFFSET, $L_VARIANCE_OFFSET)",
            STATISTICS, stage.name(), data, prefix, prefix, prefix, prefix);
      } else if (stage.stage() instanceof Stage.Impute impute && impute.fitted()) {
        adapt.addStatement("$T.fill($S, $S, $L, count * $L_ROWS, $L_FEATURES, state, $L_FILL_OFFSET)", STATISTICS,
            stage.name(), impute.strategy(), data, prefix, prefix, prefix);
      }
      if (stage.stage().fitted() && !text) {
        adapt.addStatement("state[$L_COUNT_OFFSET] = count", prefix);
      }
      if (i < last) {
        values[i] = camel(stage.name()) + "Values";
        adapt.addStatement("float[] $L = new float[count * $L_SIZE]", values[i], prefix);
        adapt.addStatement("$LForward($L$L, $L, $L, count)", methodBase[i], stage.state().isEmpty() ? "" : "state, ",
            data, inOffset, values[i]);
      }
    }
    adapt.addJavadoc("Fits the preprocessing stages on {@code count} raw training samples; see {@link $T#adapt}.\n",
        ClassName.get("dev.nnet.runtime", "Network"));
    type.addMethod(adapt.build());
  }

  /** What the state array holds, for its Javadoc: {@code batchNorm} unless there are stages. */
  static String stateJavadoc(NetworkModel model, String batchNorm) {
    boolean stages = model.layers().stream().anyMatch(layer -> layer instanceof Layer.Preprocessing p && !p.state().isEmpty());
    boolean norms = model.layers().stream().anyMatch(layer -> layer instanceof Layer.Normalization n && n.batch());
    if (!stages) {
      return batchNorm;
    }
    return "Fitted statistics of the preprocessing stages" + (norms ? ", and running statistics of the batch"
        + " normalisation layers" : "");
  }

  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static FieldSpec doubleConstant(String name, double value, String doc) {
    return FieldSpec.builder(double.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("$L", value).build();
  }
}
