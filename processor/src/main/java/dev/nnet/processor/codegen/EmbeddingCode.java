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
 * Forward and backward code of an {@code embedding}: each token id, read from the float input
 * (exact for ids below 2^24), selects a row of the table. The backward pass adds each step's
 * gradient to its token's row; token ids have no gradient.
 */
final class EmbeddingCode implements SequenceLayerCode {
  private final Layer.Embedding layer;
  private final Precision p;
  private final String base;
  private final String comment;
  private final String steps;
  private final String vocabulary;
  private final String dimension;
  private final String size;

  EmbeddingCode(Layer.Embedding layer, String base, String comment, Precision p) {
    this.layer = layer;
    this.p = p;
    this.base = base;
    this.comment = comment;
    String prefix = NetworkChecker.constant(layer.name());
    this.steps = prefix + "_STEPS";
    this.vocabulary = prefix + "_VOCABULARY";
    this.dimension = prefix + "_DIMENSION";
    this.size = prefix + "_SIZE";
  }

  @Override
  public String width() {
    return size;
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(steps, layer.steps(), comment + ": token ids per sample."));
    type.addField(intConstant(vocabulary, layer.vocabulary(), comment + ": token ids run from 0 to this - 1"
        + (layer.maskZero() ? " (0 is padding)." : ".")));
    type.addField(intConstant(dimension, layer.dimension(), comment + ": values per token."));
    type.addField(intConstant(size, layer.outputShape().size(), comment + ": output values per sample."));
    if (declared.add(layer.table().constantName())) {
      type.addField(intConstant(layer.table().constantName(), layer.table().offset(),
          "Offset of {@code " + layer.table().tensorName() + "} " + layer.table().shape() + " in the parameter array."));
    }
  }

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    return CodeBlock.of("$LForward(parameters, $L, $L, $L, count);\n", base, in.array(), in.offset(), out);
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    return CodeBlock.of("$LBackward(gradients, $L, $L, $L, count);\n", base, in.array(), in.offset(), dy);
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder(base + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: each token id's row of the table, for each step of {@code count} samples.\n",
            comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
        .addStatement("$L id = x[xOffset + b * $L + t]", p.keyword(), steps)
        .addStatement("int row = (int) id")
        .beginControlFlow("if (row < 0 || row >= $L || row != id)", vocabulary)
        .addStatement("throw $LBadToken(id, b, t)", base)
        .endControlFlow()
        .addStatement("$T.arraycopy(p, $L + row * $L, y, (b * $L + t) * $L, $L)", System.class,
            layer.table().constantName(), dimension, steps, dimension, dimension)
        .endControlFlow()
        .endControlFlow()
        .build());
    // Built only on the error path, so the normal path allocates nothing.
    methods.add(MethodSpec.methodBuilder(base + "BadToken").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L: the exception for a token id outside the vocabulary.\n", comment)
        .returns(IllegalArgumentException.class)
        .addParameter(p.type(), "id").addParameter(int.class, "row").addParameter(int.class, "step")
        .addStatement("return new $T($S + id + \" at step \" + step + \" of batch row \" + row"
                + " + $S + ($L - 1) + \" (input_dim \" + $L + \")\")", IllegalArgumentException.class,
            "embedding '" + layer.name() + "': token id ", " is not an integer from 0 to ", vocabulary, vocabulary)
        .build());
    if (step.isPresent()) {
      MethodSpec.Builder backward = MethodSpec.methodBuilder(base + "Backward").addModifiers(Modifier.PRIVATE,
              Modifier.STATIC)
          .addJavadoc("$L\n\n<p>Backward: each step's gradient added to its token's row of the table gradient.\n",
              comment)
          .addParameter(p.arrayType(), "g").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
          .addParameter(p.arrayType(), "dy").addParameter(int.class, "count");
      if (!step.get().accumulatesParameters()) {
        backward.addStatement("$T.fill(g, $L, $L + $L * $L, $L)", Arrays.class, layer.table().constantName(),
            layer.table().constantName(), vocabulary, dimension, p.literal(0));
      }
      methods.add(backward
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
          .addStatement("int gRow = $L + (int) x[xOffset + b * $L + t] * $L", layer.table().constantName(), steps,
              dimension)
          .addStatement("int dyRow = (b * $L + t) * $L", steps, dimension)
          .beginControlFlow("for (int j = 0; j < $L; j++)", dimension)
          .addStatement("g[gRow + j] += dy[dyRow + j]")
          .endControlFlow()
          .endControlFlow()
          .endControlFlow()
          .build());
    }
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return List.of();
  }
}
