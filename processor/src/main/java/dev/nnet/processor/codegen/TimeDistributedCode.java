package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.ParameterSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * {@code time_distributed(x, dense(...))}: the dense kernels over {@code count · steps} rows, since
 * the steps of a sample are contiguous rows of {@code features} values. The weights are read once
 * per block of rows for all steps of all samples, as in one big dense layer.
 */
final class TimeDistributedCode implements SequenceLayerCode {
  private final Layer.TimeDistributed layer;
  private final Precision p;
  private final boolean vector;
  private final String base;
  private final String comment;
  private final String steps;
  private final String size;
  private final DenseNames names;

  TimeDistributedCode(Layer.TimeDistributed layer, String base, String comment, Precision p, boolean vector) {
    this.layer = layer;
    this.p = p;
    this.vector = vector;
    this.base = base;
    this.comment = comment;
    String prefix = NetworkChecker.constant(layer.name());
    this.steps = prefix + "_STEPS";
    this.size = prefix + "_SIZE";
    Layer.Dense dense = layer.dense();
    this.names = new DenseNames(dense, prefix + "_INPUTS", prefix + "_UNITS", dense.weights().constantName(),
        dense.bias().map(ParameterSlot::constantName));
  }

  @Override
  public String width() {
    return size;
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(steps, layer.steps(), comment + ": steps, each a row the dense layer reads."));
    type.addField(intConstant(names.inputs(), layer.dense().inputs(), comment + ": input width of one step."));
    type.addField(intConstant(names.units(), layer.dense().units(), comment + ": output width of one step."));
    type.addField(intConstant(size, layer.outputShape().size(), comment + ": output values per sample."));
    for (ParameterSlot slot : layer.parameters()) {
      if (declared.add(slot.constantName())) {
        type.addField(intConstant(slot.constantName(), slot.offset(),
            "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
      }
    }
  }

  private CodeBlock dispatch(String call) {
    if (!vector) {
      return CodeBlock.builder().addStatement(call).build();
    }
    return CodeBlock.builder().beginControlFlow("if (VECTOR)").addStatement("Simd." + call)
        .nextControlFlow("else").addStatement(call).endControlFlow().build();
  }

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    return dispatch(base + "Forward(parameters, " + in.array() + ", " + in.offset() + ", " + out + ", count * "
        + steps + ")");
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    List<String> args = new ArrayList<>(List.of("parameters", "gradients", in.array(), in.offset()));
    if (derivative()) {
      args.add(out);
    }
    args.add(dy);
    if (step.propagatesToInput()) {
      args.add(dx);
    }
    args.add("count * " + steps);
    return dispatch(base + "Backward(" + String.join(", ", args) + ")");
  }

  /** Whether the backward pass multiplies by the activation's derivative (read from the output). */
  private boolean derivative() {
    return !layer.dense().activation().is(Activation.Kind.LINEAR);
  }

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    return kernelMethods(new ScalarDenseKernel(), false, step);
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return kernelMethods(new VectorDenseKernel(), true, step);
  }

  private List<MethodSpec> kernelMethods(DenseKernel kernel, boolean simd, Optional<BackwardPlan.Step> step) {
    Modifier[] modifiers = simd ? new Modifier[] {Modifier.STATIC} : new Modifier[] {Modifier.PRIVATE, Modifier.STATIC};
    Activation activation = layer.dense().activation();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder(base + "Forward").addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(x · W + b)} for each of {@code count} rows (steps of all samples).\n",
            comment, activation)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(kernel.forward(names, p, activation))
        .build());
    if (step.isEmpty()) {
      return methods;
    }
    boolean propagate = step.get().propagatesToInput();
    MethodSpec.Builder backward = MethodSpec.methodBuilder(base + "Backward").addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Backward over {@code count} rows: the weight and bias gradients into {@code g}$L.\n",
            comment, propagate ? ", and the input gradient {@code dx}" : "")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (derivative()) {
      backward.addParameter(p.arrayType(), "y");
    }
    backward.addParameter(p.arrayType(), "dy");
    if (propagate) {
      backward.addParameter(p.arrayType(), "dx");
    }
    backward.addParameter(int.class, "count");
    if (derivative()) {
      backward.addComment("dy becomes the gradient before the activation: dy * $L'(y).", activation.keyword())
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("int yRow = b * $L", names.units())
          .addCode(ActivationCode.backward(activation, "y", "y", "dy", "yRow", layer.dense().units(), names.units(), p))
          .endControlFlow();
    }
    backward.addCode(kernel.backward(names, p, propagate, step.get().accumulatesIntoInput(),
        step.get().accumulatesParameters()));
    methods.add(backward.build());
    return methods;
  }
}
