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
 * Forward and backward code of {@code positional_embedding}: each step gets its position's
 * trained vector added. The backward pass passes the gradient through and sums it over the
 * batch into the table's gradient.
 */
final class PositionalEmbeddingCode implements SequenceLayerCode {
  private final Layer.PositionalEmbedding layer;
  private final Precision p;
  private final String base;
  private final String comment;
  private final String size;

  PositionalEmbeddingCode(Layer.PositionalEmbedding layer, String base, String comment, Precision p) {
    this.layer = layer;
    this.p = p;
    this.base = base;
    this.comment = comment;
    this.size = NetworkChecker.constant(layer.name()) + "_SIZE";
  }

  @Override
  public String width() {
    return size;
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(size, layer.outputShape().size(),
        comment + ": values per sample, " + layer.steps() + " steps of " + layer.width() + "."));
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
    return CodeBlock.of("$LBackward(gradients, $L$L, count);\n", base, dy, step.propagatesToInput() ? ", " + dx : "");
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    String table = layer.table().constantName();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder(base + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: each step plus its position's vector, for {@code count} samples.\n", comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int k = 0; k < $L; k++)", size)
        .addStatement("y[b * $L + k] = x[xOffset + b * $L + k] + p[$L + k]", size, size, table)
        .endControlFlow()
        .endControlFlow()
        .build());
    if (step.isEmpty()) {
      return methods;
    }
    boolean propagate = step.get().propagatesToInput();
    MethodSpec.Builder backward = MethodSpec.methodBuilder(base + "Backward")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: the table's gradient is the sum over the batch of {@code dy}$L.\n", comment,
            propagate ? "; the input's is {@code dy}" : "")
        .addParameter(p.arrayType(), "g").addParameter(p.arrayType(), "dy");
    if (propagate) {
      backward.addParameter(p.arrayType(), "dx");
    }
    backward.addParameter(int.class, "count");
    if (!step.get().accumulatesParameters()) {
      backward.addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class, table, table, size, p.literal(0));
    }
    backward.beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int k = 0; k < $L; k++)", size)
        .addStatement("g[$L + k] += dy[b * $L + k]", table, size);
    if (propagate) {
      backward.addStatement("dx[b * $L + k] $L dy[b * $L + k]", size,
          step.get().accumulatesIntoInput() ? "+=" : "=", size);
    }
    methods.add(backward.endControlFlow().endControlFlow().build());
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return List.of();
  }
}
