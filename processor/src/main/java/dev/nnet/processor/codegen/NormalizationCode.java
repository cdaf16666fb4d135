package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Layer;
import java.util.Arrays;
import javax.lang.model.element.Modifier;

/**
 * Layer and batch normalisation, forward and backward side by side. Statistics are summed in
 * double, so large feature counts lose no precision in float classes. Layer normalisation
 * normalises each row of the last axis of each sample; batch normalisation each feature over the
 * batch (and the sample's other axes), with running statistics for inference in the state array.
 */
final class NormalizationCode {
  private final Layer.Normalization layer;
  private final Precision p;
  private final String prefix;

  NormalizationCode(Layer.Normalization layer, Precision precision) {
    this.layer = layer;
    this.p = precision;
    this.prefix = NetworkChecker.constant(layer.name());
  }

  private String features() {
    return prefix + "_FEATURES";
  }

  private String rows() {
    return prefix + "_ROWS";
  }

  MethodSpec forward(String name, String comment) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: {@code y = gamma · (x − mean) / √(variance + ε) + beta}$L.\n", comment,
            layer.batch() ? ", with the batch's statistics in training and the running ones in inference"
                : ", over each row of the last axis")
        .addParameter(p.arrayType(), "p");
    if (layer.batch()) {
      method.addParameter(p.arrayType(), "s");
    }
    method.addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(p.arrayType(), "normalized")
        .addParameter(p.arrayType(), "inverseStd").addParameter(int.class, "count");
    if (layer.batch()) {
      method.addParameter(boolean.class, "training");
    }
    String gamma = layer.gamma().constantName();
    String beta = layer.beta().constantName();
    CodeBlock.Builder code = CodeBlock.builder();
    if (!layer.batch()) {
      code.beginControlFlow("for (int r = 0; r < count * $L; r++)", rows())
          .addStatement("int in = xOffset + r * $L", features())
          .addStatement("int out = r * $L", features())
          .addStatement("double mean = 0")
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("mean += x[in + j]")
          .endControlFlow()
          .addStatement("mean /= $L", features())
          .addStatement("double variance = 0")
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("double d = x[in + j] - mean")
          .addStatement("variance += d * d")
          .endControlFlow()
          .addStatement("double scale = 1 / Math.sqrt(variance / $L + $L_EPSILON)", features(), prefix)
          .addStatement("inverseStd[r] = $L", p.fromDouble("scale"))
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("$L h = $L", p.keyword(), p.fromDouble("((x[in + j] - mean) * scale)"))
          .addStatement("normalized[out + j] = h")
          .addStatement("y[out + j] = p[$L + j] * h + p[$L + j]", gamma, beta)
          .endControlFlow()
          .endControlFlow();
    } else {
      String mean = layer.runningMean().orElseThrow().constantName();
      String variance = layer.runningVariance().orElseThrow().constantName();
      code.addStatement("int n = count * $L", rows())
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("double mean")
          .addStatement("double variance")
          .beginControlFlow("if (training)")
          .addStatement("double sum = 0")
          .beginControlFlow("for (int r = 0; r < n; r++)")
          .addStatement("sum += x[xOffset + r * $L + j]", features())
          .endControlFlow()
          .addStatement("mean = sum / n")
          .addStatement("double squares = 0")
          .beginControlFlow("for (int r = 0; r < n; r++)")
          .addStatement("double d = x[xOffset + r * $L + j] - mean", features())
          .addStatement("squares += d * d")
          .endControlFlow()
          .addStatement("variance = squares / n")
          .add("// Running statistics for inference, as Keras keeps them: an exponential moving average.\n")
          .addStatement("s[$L + j] = $L", mean, p.fromDouble("($L_MOMENTUM * s[" + mean + " + j] + (1 - $L_MOMENTUM) * mean)")
              .replace("$L", prefix))
          .addStatement("s[$L + j] = $L", variance,
              p.fromDouble("($L_MOMENTUM * s[" + variance + " + j] + (1 - $L_MOMENTUM) * variance)").replace("$L", prefix))
          .nextControlFlow("else")
          .addStatement("mean = s[$L + j]", mean)
          .addStatement("variance = s[$L + j]", variance)
          .endControlFlow()
          .addStatement("double scale = 1 / Math.sqrt(variance + $L_EPSILON)", prefix)
          .addStatement("inverseStd[j] = $L", p.fromDouble("scale"))
          .beginControlFlow("for (int r = 0; r < n; r++)")
          .addStatement("$L h = $L", p.keyword(), p.fromDouble("((x[xOffset + r * " + features() + " + j] - mean) * scale)"))
          .addStatement("normalized[r * $L + j] = h", features())
          .addStatement("y[r * $L + j] = p[$L + j] * h + p[$L + j]", features(), gamma, beta)
          .endControlFlow()
          .endControlFlow();
    }
    return method.addCode(code.build()).build();
  }

  MethodSpec backward(String name, String comment, boolean propagate, boolean accumulate,
      boolean accumulateParameters) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: writes the gamma and beta gradients into {@code g}$L.\n", comment,
            propagate ? " and the input gradient into {@code dx}" : "")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "normalized").addParameter(p.arrayType(), "inverseStd")
        .addParameter(p.arrayType(), "dy");
    if (propagate) {
      method.addParameter(p.arrayType(), "dx");
    }
    method.addParameter(int.class, "count");
    String gamma = layer.gamma().constantName();
    String beta = layer.beta().constantName();
    String assign = accumulate ? "+=" : "=";
    CodeBlock.Builder code = CodeBlock.builder();
    if (!accumulateParameters) { // shared with a layer whose gradients came first: add to them
      code.addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class, gamma, gamma, features(), p.literal(0))
          .addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class, beta, beta, features(), p.literal(0));
    }
    // dx = inverseStd · (dh − mean(dh) − normalized · mean(dh · normalized)), dh = dy · gamma.
    if (!layer.batch()) {
      code.beginControlFlow("for (int r = 0; r < count * $L; r++)", rows())
          .addStatement("int at = r * $L", features())
          .addStatement("double sum = 0")
          .addStatement("double dot = 0")
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("$L d = dy[at + j]", p.keyword())
          .addStatement("g[$L + j] += d * normalized[at + j]", gamma)
          .addStatement("g[$L + j] += d", beta)
          .addStatement("double dh = d * p[$L + j]", gamma)
          .addStatement("sum += dh")
          .addStatement("dot += dh * normalized[at + j]")
          .endControlFlow();
      if (propagate) {
        code.beginControlFlow("for (int j = 0; j < $L; j++)", features())
            .addStatement("double dh = dy[at + j] * p[$L + j]", gamma)
            .addStatement("dx[at + j] $L $L", assign, p.fromDouble(
                "(inverseStd[r] * (dh - sum / " + features() + " - normalized[at + j] * dot / " + features() + "))"))
            .endControlFlow();
      }
      code.endControlFlow();
    } else {
      code.addStatement("int n = count * $L", rows())
          .beginControlFlow("for (int j = 0; j < $L; j++)", features())
          .addStatement("double sum = 0")
          .addStatement("double dot = 0")
          .beginControlFlow("for (int r = 0; r < n; r++)")
          .addStatement("int at = r * $L + j", features())
          .addStatement("$L d = dy[at]", p.keyword())
          .addStatement("g[$L + j] += d * normalized[at]", gamma)
          .addStatement("g[$L + j] += d", beta)
          .addStatement("double dh = d * p[$L + j]", gamma)
          .addStatement("sum += dh")
          .addStatement("dot += dh * normalized[at]")
          .endControlFlow();
      if (propagate) {
        code.beginControlFlow("for (int r = 0; r < n; r++)")
            .addStatement("int at = r * $L + j", features())
            .addStatement("double dh = dy[at] * p[$L + j]", gamma)
            .addStatement("dx[at] $L $L", assign,
                p.fromDouble("(inverseStd[j] * (dh - sum / n - normalized[at] * dot / n))"))
            .endControlFlow();
      }
      code.endControlFlow();
    }
    return method.addCode(code.build()).build();
  }
}
