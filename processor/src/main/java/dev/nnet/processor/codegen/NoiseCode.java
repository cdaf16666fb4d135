package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.ir.Layer;
import javax.lang.model.element.Modifier;

/**
 * The code of {@code gaussian_noise}: in training, each value plus {@code stddev} times a fresh
 * standard normal number from the network's training random stream; in prediction, a copy. The
 * noise is added, so the backward pass hands the gradient through unchanged.
 */
final class NoiseCode {
  private NoiseCode() {}

  static void addConstants(TypeSpec.Builder type, Layer.GaussianNoise noise, String prefix, String where) {
    type.addField(FieldSpec.builder(int.class, prefix + "_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: values per sample.\n", where)
        .initializer("$L", noise.outputShape().size()).build());
    type.addField(FieldSpec.builder(double.class, prefix + "_STDDEV", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: standard deviation of the noise added in training.\n", where)
        .initializer("$L", noise.stddev()).build());
  }

  static CodeBlock forward(Precision p, String prefix, String in, String inOffset, String out) {
    return CodeBlock.builder()
        .beginControlFlow("if (training)")
        .beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
        .addStatement("$L[k] = $L[$L] + $L", out, in, Loops.plus(inOffset, "k"),
            p.fromDouble("(" + prefix + "_STDDEV * random.nextGaussian())"))
        .endControlFlow()
        .nextControlFlow("else")
        .addStatement("$T.arraycopy($L, $L, $L, 0, count * $L_SIZE)", System.class, in, inOffset, out, prefix)
        .endControlFlow()
        .build();
  }

  static CodeBlock backward(String prefix, String inGradient, String assign, String gradient) {
    return CodeBlock.builder()
        .beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
        .addStatement("$L[k] $L $L[k]", inGradient, assign, gradient)
        .endControlFlow()
        .build();
  }
}
