package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of {@code globalavgpool1d}: the mean of each feature over the steps,
 * with a mask over the steps that are not padding. Each kept step's gradient is the output's
 * gradient divided by the number of kept steps.
 */
final class SequencePoolingCode implements SequenceLayerCode {
  private final Layer.SequencePooling layer;
  private final Precision p;
  private final String base;
  private final String comment;
  private final String steps;
  private final String features;

  SequencePoolingCode(Layer.SequencePooling layer, String base, String comment, Precision p) {
    this.layer = layer;
    this.p = p;
    this.base = base;
    this.comment = comment;
    String prefix = NetworkChecker.constant(layer.name());
    this.steps = prefix + "_STEPS";
    this.features = prefix + "_FEATURES";
  }

  @Override
  public String width() {
    return features;
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(steps, layer.steps(), comment + ": steps averaged."));
    type.addField(intConstant(features, layer.features(), comment + ": features, the output values per sample."));
  }

  private String idArguments(Optional<Value> ids) {
    return ids.map(v -> v.array() + ", " + v.offset() + ", ").orElse("");
  }

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    return CodeBlock.of("$LForward($L, $L, $L$L, count);\n", base, in.array(), in.offset(), idArguments(ids), out);
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    return step.propagatesToInput()
        ? CodeBlock.of("$LBackward($L$L, $L, count);\n", base, idArguments(ids), dy, dx)
        : CodeBlock.of("");
  }

  /** The statement setting {@code inverse}: one over the steps counted (the kept ones when masked). */
  private void inverse(MethodSpec.Builder method) {
    if (!layer.masked()) {
      method.addStatement("$L inverse = $L", p.keyword(), p.literal(1.0 / layer.steps()));
      return;
    }
    method.addStatement("int kept = 0")
        .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
        .addStatement("kept += ids[idsOffset + b * $L + t] == 0 ? 0 : 1", steps)
        .endControlFlow()
        .addComment("A sample of padding only averages nothing: its output is 0.")
        .addStatement("$L inverse = kept == 0 ? $L : $L / kept", p.keyword(), p.literal(0), p.literal(1));
  }

  private String keep() {
    return layer.masked() ? "ids[idsOffset + b * " + steps + " + t] == 0 ? " + p.literal(0) + " : inverse" : "inverse";
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    List<MethodSpec> methods = new ArrayList<>();
    MethodSpec.Builder forward = MethodSpec.methodBuilder(base + "Forward")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: the mean of each feature over the steps$L, for {@code count} samples.\n",
            comment, layer.masked() ? " whose token id is not 0 (padding)" : "")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (layer.masked()) {
      forward.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    forward.addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)");
    inverse(forward);
    forward.beginControlFlow("for (int j = 0; j < $L; j++)", features)
        .addStatement("y[b * $L + j] = $L", features, p.literal(0))
        .endControlFlow()
        .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
        .addStatement("$L weight = $L", p.keyword(), keep())
        .addStatement("int row = xOffset + (b * $L + t) * $L", steps, features)
        .beginControlFlow("for (int j = 0; j < $L; j++)", features)
        .addStatement("y[b * $L + j] += weight * x[row + j]", features)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    methods.add(forward.build());
    if (step.isEmpty() || !step.get().propagatesToInput()) {
      return methods;
    }
    MethodSpec.Builder backward = MethodSpec.methodBuilder(base + "Backward")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: each $Lstep's gradient is {@code dy} over the steps counted.\n", comment,
            layer.masked() ? "kept " : "");
    if (layer.masked()) {
      backward.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    backward.addParameter(p.arrayType(), "dy").addParameter(p.arrayType(), "dx").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)");
    inverse(backward);
    backward.beginControlFlow("for (int t = 0; t < $L; t++)", steps)
        .addStatement("$L weight = $L", p.keyword(), keep())
        .addStatement("int row = (b * $L + t) * $L", steps, features)
        .beginControlFlow("for (int j = 0; j < $L; j++)", features)
        .addStatement("dx[row + j] $L weight * dy[b * $L + j]", step.get().accumulatesIntoInput() ? "+=" : "=",
            features)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    methods.add(backward.build());
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return List.of();
  }
}
