package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.ir.Layer;
import javax.lang.model.element.Modifier;

/**
 * The code of {@code gaussian_sample(mean, log_variance, kl_weight: w)}, the reparameterisation
 * of a variational autoencoder, forward and backward side by side.
 *
 * <p>Training: {@code z = μ + exp(½·lv)·ε}, with {@code ε} a fresh standard normal number per
 * value from the network's training random stream, kept for the backward pass. The layer also
 * adds the KL divergence of N(μ, exp(lv)) from N(0, 1), summed over the values of a sample and
 * averaged over the batch, {@code KL = −½ Σ (1 + lv − μ² − exp(lv))}, to the fields
 * {@code klDivergence} (as is) and {@code klLoss} (times {@code w}); the class reports
 * {@code klLoss} with the weight penalties in {@code regularizationLoss()}. Prediction: {@code z = μ}.
 *
 * <p>Backward: {@code ∂z/∂μ = 1}, {@code ∂z/∂lv = ½·exp(½·lv)·ε}, plus the KL term's own
 * gradient {@code w·μ / count} and {@code w·½·(exp(lv) − 1) / count}.
 */
final class SampleCode {
  private SampleCode() {}

  static void addConstants(TypeSpec.Builder type, Layer.GaussianSample sample, String prefix, String where) {
    type.addField(FieldSpec.builder(int.class, prefix + "_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: values per sample.\n", where)
        .initializer("$L", sample.outputShape().size()).build());
    type.addField(FieldSpec.builder(double.class, prefix + "_KL_WEIGHT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: weight of the KL divergence in the loss.\n", where)
        .initializer("$L", sample.klWeight()).build());
  }

  /** The fields that carry the KL term from the forward pass to the loss and to the user. */
  static void addFields(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(double.class, "klDivergence", Modifier.PRIVATE)
        .addJavadoc("The KL divergence of the last training batch, per sample, over every gaussian_sample layer.\n")
        .build());
    type.addField(FieldSpec.builder(double.class, "klLoss", Modifier.PRIVATE)
        .addJavadoc("{@code klDivergence} with each layer's kl_weight: the part of the loss it adds.\n").build());
  }

  static MethodSpec accessor() {
    return MethodSpec.methodBuilder("klDivergence").addModifiers(Modifier.PUBLIC).returns(double.class)
        .addJavadoc("The mean KL divergence per sample of the last training batch, before kl_weight\n"
            + "(summed over the gaussian_sample layers; 0 before the first training batch).\n")
        .addStatement("return klDivergence").build();
  }

  /**
   * @param first whether this is the network's first gaussian_sample layer (it starts the sums)
   */
  static CodeBlock forward(Precision p, String prefix, String mean, String meanOffset, String logVariance,
      String logVarianceOffset, String out, String epsilon, boolean first) {
    String m = mean + "[" + Loops.plus(meanOffset, "k") + "]";
    String lv = logVariance + "[" + Loops.plus(logVarianceOffset, "k") + "]";
    // The first layer starts the sums; prediction leaves them alone (it may run on other threads).
    String sum = first ? "=" : "+=";
    return CodeBlock.builder()
        .beginControlFlow("if (training)")
        .addStatement("double klSum = 0")
        .beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
        .addStatement("$L[k] = $L", epsilon, p.fromDouble("random.nextGaussian()"))
        .addStatement("double sampleMean = $L", m)
        .addStatement("double sampleLogVariance = $L", lv)
        .addStatement("double sampleVariance = Math.exp(sampleLogVariance)")
        .addStatement("$L[k] = $L", out, p.fromDouble("(sampleMean + Math.sqrt(sampleVariance) * " + epsilon + "[k])"))
        .addStatement("klSum += 1 + sampleLogVariance - sampleMean * sampleMean - sampleVariance")
        .endControlFlow()
        .addStatement("klDivergence $L -0.5 * klSum / count", sum)
        .addStatement("klLoss $L $L_KL_WEIGHT * -0.5 * klSum / count", sum, prefix)
        .nextControlFlow("else")
        .add("// In prediction the sample is its mean.\n")
        .addStatement("$T.arraycopy($L, $L, $L, 0, count * $L_SIZE)", System.class, mean, meanOffset, out, prefix)
        .endControlFlow()
        .build();
  }

  /**
   * @param meanGradient null when the mean needs no gradient; likewise {@code logVarianceGradient}
   */
  static CodeBlock backward(Precision p, String prefix, String mean, String meanOffset, String logVariance,
      String logVarianceOffset, String gradient, String epsilon, String meanGradient, String meanAssign,
      String logVarianceGradient, String logVarianceAssign) {
    String m = mean + "[" + Loops.plus(meanOffset, "k") + "]";
    String lv = logVariance + "[" + Loops.plus(logVarianceOffset, "k") + "]";
    CodeBlock.Builder code = CodeBlock.builder()
        .beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
        .addStatement("double klScale = $L_KL_WEIGHT / count", prefix);
    if (meanGradient != null) {
      code.addStatement("$L[k] $L $L", meanGradient, meanAssign, p.fromDouble("(" + gradient + "[k] + klScale * " + m + ")"));
    }
    if (logVarianceGradient != null) {
      code.addStatement("double sampleVariance = Math.exp($L)", lv)
          .addStatement("$L[k] $L $L", logVarianceGradient, logVarianceAssign, p.fromDouble("(0.5 * (" + gradient
              + "[k] * Math.sqrt(sampleVariance) * " + epsilon + "[k] + klScale * (sampleVariance - 1)))"));
    }
    return code.endControlFlow().build();
  }
}
