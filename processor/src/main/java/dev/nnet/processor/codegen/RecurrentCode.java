package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
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
import dev.nnet.processor.ir.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of a recurrent layer ({@code rnn}, {@code lstm}, {@code gru}):
 * back-propagation through time over the declared number of steps.
 *
 * <p>The matrix work is three products, each written by the dense kernels (Vector API where it
 * runs, scalar beside it):
 *
 * <ul>
 *   <li>the input projection {@code x · W + b} of every step of every sample at once, one
 *       product with {@code count · steps} rows ({@code <layer>Projection});
 *   <li>per step, the recurrent product {@code h · R} of the whole batch, all gates fused in one
 *       product of width {@code gates · units} ({@code <layer>RecurrentProduct});
 *   <li>in the backward pass the weight gradients of {@code W} and {@code R}, again one product
 *       each over all steps, from the gate gradients and the stored previous states.
 * </ul>
 *
 * <p>Only the state gradient {@code dh += dGates · Rᵀ} must run step by step backwards
 * ({@code <layer>StateGradient}). The cell arithmetic between the products is element-wise
 * ({@code <layer>Step}, {@code <layer>StepBackward}). Every buffer is allocated once, in the
 * workspace (forward values) or the network (training gradients).
 */
final class RecurrentCode implements SequenceLayerCode {
  private static final ClassName FLOAT_VECTOR = VectorDenseKernel.FLOAT_VECTOR;
  private static final ClassName VECTOR_OPERATORS = VectorDenseKernel.VECTOR_OPERATORS;

  private final Layer.Recurrent layer;
  private final Precision p;
  private final boolean vector;
  private final String base;
  private final String comment;
  private final String prefix;
  private final String steps;
  private final String features;
  private final String units;
  private final String gates;
  private final String size;
  // Workspace fields (forward values) and network fields (training gradients).
  private final String gateBuffer;
  private final String recurrentBuffer;
  private final String stateBuffer;
  private final String cellBuffer;
  private final String previousStates;
  private final String previousCells;
  private final String cellActivations;
  private final String recurrentCandidates;
  private final String gateGradient;
  private final String recurrentGradient;
  private final String stateGradient;
  private final String cellGradient;
  private final DenseNames projection;
  private final DenseNames recurrentProduct;

  RecurrentCode(Layer.Recurrent layer, String base, String camel, String comment, NameAllocator names, Precision p,
      boolean vector) {
    this.layer = layer;
    this.p = p;
    this.vector = vector;
    this.base = base;
    this.comment = comment;
    this.prefix = NetworkChecker.constant(layer.name());
    this.steps = prefix + "_STEPS";
    this.features = prefix + "_FEATURES";
    this.units = prefix + "_UNITS";
    this.gates = prefix + "_GATES";
    this.size = prefix + "_SIZE";
    boolean lstm = layer.cell() == Layer.Recurrent.Cell.LSTM;
    boolean gru = layer.cell() == Layer.Recurrent.Cell.GRU;
    gateBuffer = names.newName(camel + "Gates", layer.name() + "#gates");
    recurrentBuffer = names.newName(camel + "Recurrent", layer.name() + "#recurrent");
    stateBuffer = names.newName(camel + "State", layer.name() + "#state");
    cellBuffer = lstm ? names.newName(camel + "Cell", layer.name() + "#cell") : null;
    previousStates = names.newName(camel + "PreviousStates", layer.name() + "#previousStates");
    previousCells = lstm ? names.newName(camel + "PreviousCells", layer.name() + "#previousCells") : null;
    cellActivations = lstm ? names.newName(camel + "CellActivations", layer.name() + "#cellActivations") : null;
    recurrentCandidates = gru ? names.newName(camel + "RecurrentCandidates", layer.name() + "#candidates") : null;
    gateGradient = names.newName(camel + "GateGradient", layer.name() + "#gateGradient");
    recurrentGradient = gru ? names.newName(camel + "RecurrentGradient", layer.name() + "#recurrentGradient") : null;
    stateGradient = names.newName(camel + "StateGradient", layer.name() + "#stateGradient");
    cellGradient = lstm ? names.newName(camel + "CellGradient", layer.name() + "#cellGradient") : null;
    // The two products, as dense layers the kernels know how to write.
    projection = new DenseNames(dense(layer.features(), layer.kernel(), Optional.of(layer.bias())), features, gates,
        layer.kernel().constantName(), Optional.of(layer.bias().constantName()));
    recurrentProduct = new DenseNames(dense(layer.units(), layer.recurrentKernel(), layer.recurrentBias()), units,
        gates, layer.recurrentKernel().constantName(), layer.recurrentBias().map(ParameterSlot::constantName));
  }

  private Layer.Dense dense(int inputs, ParameterSlot weights, Optional<ParameterSlot> bias) {
    return new Layer.Dense(layer.name(), Shape.of(inputs), Shape.of(layer.gateWidth()), Activation.LINEAR, weights,
        bias, Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), layer.span(), layer.source());
  }

  private boolean lstm() {
    return layer.cell() == Layer.Recurrent.Cell.LSTM;
  }

  private boolean gru() {
    return layer.cell() == Layer.Recurrent.Cell.GRU;
  }

  @Override
  public String width() {
    return size;
  }

  // ---------------------------------------------------------------- constants and buffers

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(steps, layer.steps(), comment + ": time steps of the input sequence."));
    type.addField(intConstant(features, layer.features(), comment + ": features per step."));
    type.addField(intConstant(units, layer.units(), comment + ": units (the state's width)."));
    type.addField(intConstant(gates, layer.gateWidth(), comment + ": width of the fused gate products, "
        + layer.cell().gates() + " × units (" + gateOrder() + ")."));
    type.addField(intConstant(size, layer.outputShape().size(), comment + ": output values per sample ("
        + (layer.returnSequences() ? "every step's state" : "the last state") + ")."));
    for (ParameterSlot slot : layer.parameters()) {
      if (declared.add(slot.constantName())) {
        type.addField(intConstant(slot.constantName(), slot.offset(),
            "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
      }
    }
  }

  private String gateOrder() {
    return switch (layer.cell()) {
      case RNN -> "the state";
      case LSTM -> "input, forget, cell, output gates";
      case GRU -> "update, reset, candidate";
    };
  }

  private static FieldSpec intConstant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("$L", value).build();
  }

  @Override
  public void addWorkspace(TypeSpec.Builder workspace, MethodSpec.Builder constructor) {
    buffer(workspace, constructor, gateBuffer, "rows * " + steps + " * " + gates,
        "the input projection of every step, replaced step by step by the activated gates");
    buffer(workspace, constructor, recurrentBuffer, "rows * " + gates, "the recurrent product h · R of the current step");
    buffer(workspace, constructor, stateBuffer, "rows * " + units, "the state h");
    if (lstm()) {
      buffer(workspace, constructor, cellBuffer, "rows * " + units, "the cell state c");
      buffer(workspace, constructor, previousCells, "rows * " + steps + " * " + units, "the cell state before each step");
      buffer(workspace, constructor, cellActivations, "rows * " + steps + " * " + units,
          layer.activation().keyword() + "(c) after each step");
    }
    buffer(workspace, constructor, previousStates, "rows * " + steps + " * " + units, "the state before each step");
    if (gru()) {
      buffer(workspace, constructor, recurrentCandidates, "rows * " + steps + " * " + units,
          "the candidate's part of h · R + recurrent bias at each step, which the reset gate scaled");
    }
  }

  private void buffer(TypeSpec.Builder type, MethodSpec.Builder constructor, String name, String length, String doc) {
    type.addField(FieldSpec.builder(p.arrayType(), name, Modifier.FINAL).addJavadoc("$L: $L.\n", comment, doc).build());
    constructor.addStatement("$L = new $L[$L]", name, p.keyword(), length);
  }

  @Override
  public void addTrainingBuffers(TypeSpec.Builder type, MethodSpec.Builder constructor) {
    List<String[]> buffers = new ArrayList<>();
    buffers.add(new String[] {gateGradient, steps + " * " + gates, "gradient of the gates' inputs at every step"});
    if (gru()) {
      buffers.add(new String[] {recurrentGradient, steps + " * " + gates,
          "gradient of the recurrent product at every step (the candidate's part scaled by the reset gate)"});
    }
    buffers.add(new String[] {stateGradient, units, "gradient of the state, carried back step by step"});
    if (lstm()) {
      buffers.add(new String[] {cellGradient, units, "gradient of the cell state, carried back step by step"});
    }
    for (String[] b : buffers) {
      type.addField(FieldSpec.builder(p.arrayType(), b[0], Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L: $L.\n", comment, b[2]).build());
      constructor.addStatement("this.$L = new $L[batchCapacity * $L]", b[0], p.keyword(), b[1]);
    }
  }

  @Override
  public CodeBlock afterInitialize() {
    if (!layer.unitForgetBias()) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .add("// $L: the forget gate's bias starts at 1 (unit_forget_bias), so the cell keeps its state early on.\n",
            comment)
        .addStatement("$T.fill(parameters, $L + $L, $L + 2 * $L, $L)", Arrays.class, layer.bias().constantName(),
            units, layer.bias().constantName(), units, p.literal(1))
        .build();
  }

  // ---------------------------------------------------------------- calls from forward and backward

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, String out) {
    return CodeBlock.of("$LForward(parameters, $L, $L, $Lws, $L, count);\n", base, in.array(), in.offset(),
        ids.map(v -> v.array() + ", " + v.offset() + ", ").orElse(""), out);
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, String dy, String dx) {
    List<String> args = new ArrayList<>(List.of("parameters", "gradients", in.array(), in.offset()));
    ids.ifPresent(v -> args.addAll(List.of(v.array(), v.offset())));
    args.add(dy);
    if (step.propagatesToInput()) {
      args.add(dx);
    }
    args.addAll(List.of("ws", "count"));
    return CodeBlock.of("$LBackward($L);\n", base, String.join(", ", args));
  }

  // ---------------------------------------------------------------- methods

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    ScalarDenseKernel scalar = new ScalarDenseKernel();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(forwardLoop());
    methods.add(stepForward());
    methods.add(product(projection, "Projection", scalar,
        "the input projection x · W + b of {@code count} rows (every step of every sample)"));
    methods.add(product(recurrentProduct, "RecurrentProduct", scalar, "the recurrent product h · R"
        + (gru() ? " + recurrent bias" : "") + " of {@code count} rows"));
    if (step.isPresent()) {
      methods.add(backwardLoop(step.get()));
      methods.add(stepBackward());
      methods.add(stateGradientScalar());
      methods.add(productBackward(projection, "ProjectionBackward", scalar, step.get().propagatesToInput(),
          step.get().accumulatesIntoInput(), step.get().accumulatesParameters()));
      methods.add(productBackward(recurrentProduct, "RecurrentProductBackward", scalar, false, false,
          step.get().accumulatesParameters()));
    }
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    VectorDenseKernel kernel = new VectorDenseKernel();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(product(projection, "Projection", kernel, "the input projection of {@code count} rows"));
    methods.add(product(recurrentProduct, "RecurrentProduct", kernel, "the recurrent product of {@code count} rows"));
    if (step.isPresent()) {
      methods.add(stateGradientVector());
      methods.add(productBackward(projection, "ProjectionBackward", kernel, step.get().propagatesToInput(),
          step.get().accumulatesIntoInput(), step.get().accumulatesParameters()));
      methods.add(productBackward(recurrentProduct, "RecurrentProductBackward", kernel, false, false,
          step.get().accumulatesParameters()));
    }
    return methods;
  }

  private Modifier[] modifiers(boolean simd) {
    return simd ? new Modifier[] {Modifier.STATIC} : new Modifier[] {Modifier.PRIVATE, Modifier.STATIC};
  }

  private MethodSpec product(DenseNames names, String suffix, DenseKernel kernel, String what) {
    return MethodSpec.methodBuilder(base + suffix).addModifiers(modifiers(kernel instanceof VectorDenseKernel))
        .addJavadoc("$L\n\n<p>Forward: $L.\n", comment, what)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(kernel.forward(names, p, Activation.LINEAR))
        .build();
  }

  private MethodSpec productBackward(DenseNames names, String suffix, DenseKernel kernel, boolean propagate,
      boolean accumulate, boolean accumulateParameters) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + suffix)
        .addModifiers(modifiers(kernel instanceof VectorDenseKernel))
        .addJavadoc("$L\n\n<p>Backward of a product over {@code count} rows: its weight and bias gradients into"
            + " {@code g}$L.\n", comment, propagate ? (accumulate ? ", added to {@code dx}" : ", and {@code dx}") : "")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "dy");
    if (propagate) {
      method.addParameter(p.arrayType(), "dx");
    }
    return method.addParameter(int.class, "count")
        .addCode(kernel.backward(names, p, propagate, accumulate, accumulateParameters))
        .build();
  }

  /** A call to a kernel method: the Vector API version when it runs, else the scalar one. */
  private CodeBlock dispatch(String call, Object... args) {
    CodeBlock statement = CodeBlock.of(call, args);
    if (!vector) {
      return CodeBlock.builder().addStatement(statement).build();
    }
    return CodeBlock.builder().beginControlFlow("if (VECTOR)")
        .addStatement("Simd.$L", statement)
        .nextControlFlow("else")
        .addStatement(statement)
        .endControlFlow()
        .build();
  }

  private String stepIndex() {
    return layer.reverse() ? "t = " + steps + " - 1 - s" : "t = s";
  }

  private MethodSpec forwardLoop() {
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward through time: the input projection of all steps in one product, then per step\n"
            + "the recurrent product of the batch and the cell$L.\n", comment,
            layer.reverse() ? ", from the last step to the first" : "")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (layer.maskZero()) {
      method.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    method.addParameter(ClassName.bestGuess("Workspace"), "ws").addParameter(p.arrayType(), "y")
        .addParameter(int.class, "count");
    method.addCode(dispatch("$LProjection(p, x, xOffset, ws.$L, count * $L)", base, gateBuffer, steps));
    method.addComment("The state starts at zero.");
    method.addStatement("$T.fill(ws.$L, 0, count * $L, $L)", Arrays.class, stateBuffer, units, p.literal(0));
    if (lstm()) {
      method.addStatement("$T.fill(ws.$L, 0, count * $L, $L)", Arrays.class, cellBuffer, units, p.literal(0));
    }
    method.beginControlFlow("for (int s = 0; s < $L; s++)", steps);
    method.addStatement("int $L", stepIndex());
    method.addCode(dispatch("$LRecurrentProduct(p, ws.$L, 0, ws.$L, count)", base, stateBuffer, recurrentBuffer));
    method.addStatement("$LStep(ws, $L$Lt, count)", base, layer.maskZero() ? "ids, idsOffset, " : "",
        layer.returnSequences() ? "y, " : "");
    method.endControlFlow();
    if (!layer.returnSequences()) {
      method.addComment("The output is the last state.");
      method.addStatement("$T.arraycopy(ws.$L, 0, y, 0, count * $L)", System.class, stateBuffer, units);
    }
    return method.build();
  }

  /** {@code f(v)} for one of the cell activations, written for the local variable {@code v}. */
  private String apply(Activation activation, String v) {
    String one = p.literal(1);
    return switch (activation.kind()) {
      case SIGMOID -> one + " / (" + one + " + " + p.fromDouble("Math.exp(-" + v + ")") + ")";
      // tanh(v) = 1 - 2 / (e^2v + 1): one exp, exact at both ends (Math.tanh is far slower in float).
      case TANH -> p == Precision.DOUBLE ? "Math.tanh(" + v + ")"
          : "1f - 2f / (" + p.fromDouble("Math.exp(2f * " + v + ")") + " + 1f)";
      case RELU -> "Math.max(" + v + ", " + p.literal(0) + ")";
      default -> v;
    };
  }

  /** {@code f'} of a cell activation, from its output {@code y}. */
  private String derivative(Activation activation, String y) {
    String one = p.literal(1);
    return switch (activation.kind()) {
      case SIGMOID -> y + " * (" + one + " - " + y + ")";
      case TANH -> "(" + one + " - " + y + " * " + y + ")";
      case RELU -> "(" + y + " > " + p.literal(0) + " ? " + one + " : " + p.literal(0) + ")";
      default -> one;
    };
  }

  private MethodSpec stepForward() {
    String f = p.keyword();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "Step").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>One step {@code t} of the $L cell for {@code count} samples: reads the step's input\n"
            + "projection and the recurrent product, updates the state, keeps what the backward pass needs$L.\n",
            comment, layer.cell().keyword(), layer.returnSequences() ? " and writes the step's output into {@code y}" : "")
        .addParameter(ClassName.bestGuess("Workspace"), "ws");
    if (layer.maskZero()) {
      method.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    if (layer.returnSequences()) {
      method.addParameter(p.arrayType(), "y");
    }
    method.addParameter(int.class, "t").addParameter(int.class, "count");
    method.addStatement("$L[] gates = ws.$L", f, gateBuffer)
        .addStatement("$L[] recurrent = ws.$L", f, recurrentBuffer)
        .addStatement("$L[] h = ws.$L", f, stateBuffer)
        .addStatement("$L[] previous = ws.$L", f, previousStates);
    if (lstm()) {
      method.addStatement("$L[] c = ws.$L", f, cellBuffer)
          .addStatement("$L[] previousCells = ws.$L", f, previousCells)
          .addStatement("$L[] cellActivations = ws.$L", f, cellActivations);
    }
    if (gru()) {
      method.addStatement("$L[] candidates = ws.$L", f, recurrentCandidates);
    }
    method.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int gRow = (b * $L + t) * $L", steps, gates)
        .addStatement("int rRow = b * $L", gates)
        .addStatement("int hRow = b * $L", units)
        .addStatement("int sRow = (b * $L + t) * $L", steps, units);
    if (layer.maskZero()) {
      method.beginControlFlow("if (ids[idsOffset + b * $L + t] == 0)", steps)
          .addComment("Padding: the state is kept as it was (and is this step's output).")
          .addStatement("$T.arraycopy(h, hRow, previous, sRow, $L)", System.class, units);
      if (lstm()) {
        method.addStatement("$T.arraycopy(c, hRow, previousCells, sRow, $L)", System.class, units);
      }
      if (layer.returnSequences()) {
        method.addStatement("$T.arraycopy(h, hRow, y, sRow, $L)", System.class, units);
      }
      method.addStatement("continue").endControlFlow();
    }
    method.beginControlFlow("for (int u = 0; u < $L; u++)", units);
    method.addStatement("$L hp = h[hRow + u]", f).addStatement("previous[sRow + u] = hp");
    switch (layer.cell()) {
      case RNN -> method
          .addStatement("$L v = gates[gRow + u] + recurrent[rRow + u]", f)
          .addStatement("$L next = $L", f, apply(layer.activation(), "v"))
          .addStatement("gates[gRow + u] = next");
      case LSTM -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L cp = c[hRow + u]", f).addStatement("previousCells[sRow + u] = cp");
        String[] names = {"in", "forget", "candidate", "out"};
        for (int k = 0; k < 4; k++) {
          String at = k == 0 ? "u" : (k == 1 ? "" : k + " * ") + units + " + u";
          method.addStatement("$L $LSum = gates[gRow + $L] + recurrent[rRow + $L]", f, names[k], at, at);
          method.addStatement("$L $L = $L", f, names[k],
              apply(k == 2 ? layer.activation() : gate, names[k] + "Sum"));
          method.addStatement("gates[gRow + $L] = $L", at, names[k]);
        }
        method.addStatement("$L cell = forget * cp + in * candidate", f)
            .addStatement("$L cellActivation = $L", f, apply(layer.activation(), "cell"))
            .addStatement("c[hRow + u] = cell")
            .addStatement("cellActivations[sRow + u] = cellActivation")
            .addStatement("$L next = out * cellActivation", f);
      }
      case GRU -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L updateSum = gates[gRow + u] + recurrent[rRow + u]", f)
            .addStatement("$L update = $L", f, apply(gate, "updateSum"))
            .addStatement("$L resetSum = gates[gRow + $L + u] + recurrent[rRow + $L + u]", f, units, units)
            .addStatement("$L reset = $L", f, apply(gate, "resetSum"))
            .addComment("Keras's reset_after: the reset gate scales the recurrent product, bias included.")
            .addStatement("$L candidateRecurrent = recurrent[rRow + 2 * $L + u]", f, units)
            .addStatement("$L candidateSum = gates[gRow + 2 * $L + u] + reset * candidateRecurrent", f, units)
            .addStatement("$L candidate = $L", f, apply(layer.activation(), "candidateSum"))
            .addStatement("gates[gRow + u] = update")
            .addStatement("gates[gRow + $L + u] = reset", units)
            .addStatement("gates[gRow + 2 * $L + u] = candidate", units)
            .addStatement("candidates[sRow + u] = candidateRecurrent")
            .addStatement("$L next = update * hp + ($L - update) * candidate", f, p.literal(1));
      }
      default -> throw new IllegalStateException();
    }
    method.addStatement("h[hRow + u] = next");
    if (layer.returnSequences()) {
      method.addStatement("y[sRow + u] = next");
    }
    method.endControlFlow().endControlFlow();
    return method.build();
  }

  private MethodSpec backwardLoop(BackwardPlan.Step step) {
    boolean propagate = step.propagatesToInput();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "Backward").addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L\n\n<p>Back-propagation through time: the steps in reverse order of the forward pass carry\n"
            + "the state gradient back; then the weight gradients of all steps, one product each$L.\n", comment,
            propagate ? ", and the input's gradient" : "")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (layer.maskZero()) {
      method.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    method.addParameter(p.arrayType(), "dy");
    if (propagate) {
      method.addParameter(p.arrayType(), "dx");
    }
    method.addParameter(ClassName.bestGuess("Workspace"), "ws").addParameter(int.class, "count");
    if (layer.returnSequences()) {
      method.addStatement("$T.fill($L, 0, count * $L, $L)", Arrays.class, stateGradient, units, p.literal(0));
    } else {
      method.addComment("Only the last state is an output: its gradient starts the walk back.");
      method.addStatement("$T.arraycopy(dy, 0, $L, 0, count * $L)", System.class, stateGradient, units);
    }
    if (lstm()) {
      method.addStatement("$T.fill($L, 0, count * $L, $L)", Arrays.class, cellGradient, units, p.literal(0));
    }
    method.beginControlFlow("for (int s = $L - 1; s >= 0; s--)", steps);
    method.addStatement("int $L", stepIndex());
    method.addStatement("$LStepBackward(ws, $L$Lt, count)", base, layer.maskZero() ? "ids, idsOffset, " : "",
        layer.returnSequences() ? "dy, " : "");
    method.addCode(dispatch("$LStateGradient(p, $L, t, $L, count)", base, gru() ? recurrentGradient : gateGradient,
        stateGradient));
    method.endControlFlow();
    method.addComment("Weight gradients of every step at once: R from the previous states, W and b from the inputs.");
    method.addCode(dispatch("$LRecurrentProductBackward(p, g, ws.$L, 0, $L, count * $L)", base, previousStates,
        gru() ? recurrentGradient : gateGradient, steps));
    method.addCode(dispatch("$LProjectionBackward(p, g, x, xOffset, $L$L, count * $L)", base, gateGradient,
        propagate ? ", dx" : "", steps));
    return method.build();
  }

  private MethodSpec stepBackward() {
    String f = p.keyword();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "StepBackward").addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L\n\n<p>Backward through the cell at step {@code t}: from the state gradient (plus the step's\n"
            + "output gradient {@code dy}), the gradients of the gates' inputs; the state gradient is left for\n"
            + "{@code $LStateGradient} to fill with the recurrent part.\n", comment, base)
        .addParameter(ClassName.bestGuess("Workspace"), "ws");
    if (layer.maskZero()) {
      method.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    if (layer.returnSequences()) {
      method.addParameter(p.arrayType(), "dy");
    }
    method.addParameter(int.class, "t").addParameter(int.class, "count");
    method.addStatement("$L[] gates = ws.$L", f, gateBuffer)
        .addStatement("$L[] dGates = $L", f, gateGradient)
        .addStatement("$L[] dh = $L", f, stateGradient);
    if (lstm()) {
      method.addStatement("$L[] previousCells = ws.$L", f, previousCells)
          .addStatement("$L[] cellActivations = ws.$L", f, cellActivations)
          .addStatement("$L[] dc = $L", f, cellGradient);
    }
    if (gru()) {
      method.addStatement("$L[] previous = ws.$L", f, previousStates)
          .addStatement("$L[] candidates = ws.$L", f, recurrentCandidates)
          .addStatement("$L[] dRecurrent = $L", f, recurrentGradient);
    }
    method.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int gRow = (b * $L + t) * $L", steps, gates)
        .addStatement("int hRow = b * $L", units)
        .addStatement("int sRow = (b * $L + t) * $L", steps, units);
    if (layer.returnSequences()) {
      method.beginControlFlow("for (int u = 0; u < $L; u++)", units)
          .addStatement("dh[hRow + u] += dy[sRow + u]")
          .endControlFlow();
    }
    if (layer.maskZero()) {
      method.beginControlFlow("if (ids[idsOffset + b * $L + t] == 0)", steps)
          .addComment("Padding kept the state: its gradient passes through unchanged.")
          .addStatement("$T.fill(dGates, gRow, gRow + $L, $L)", Arrays.class, gates, p.literal(0));
      if (gru()) {
        method.addStatement("$T.fill(dRecurrent, gRow, gRow + $L, $L)", Arrays.class, gates, p.literal(0));
      }
      method.addStatement("continue").endControlFlow();
    }
    method.beginControlFlow("for (int u = 0; u < $L; u++)", units);
    method.addStatement("$L dNext = dh[hRow + u]", f);
    switch (layer.cell()) {
      case RNN -> method
          .addStatement("dGates[gRow + u] = dNext * $L", derivative(layer.activation(), "gates[gRow + u]"))
          .addStatement("dh[hRow + u] = $L", p.literal(0));
      case LSTM -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L in = gates[gRow + u]", f)
            .addStatement("$L forget = gates[gRow + $L + u]", f, units)
            .addStatement("$L candidate = gates[gRow + 2 * $L + u]", f, units)
            .addStatement("$L out = gates[gRow + 3 * $L + u]", f, units)
            .addStatement("$L cellActivation = cellActivations[sRow + u]", f)
            .addStatement("$L dCell = dc[hRow + u] + dNext * out * $L", f,
                derivative(layer.activation(), "cellActivation"))
            .addStatement("dGates[gRow + u] = dCell * candidate * $L", derivative(gate, "in"))
            .addStatement("dGates[gRow + $L + u] = dCell * previousCells[sRow + u] * $L", units,
                derivative(gate, "forget"))
            .addStatement("dGates[gRow + 2 * $L + u] = dCell * in * $L", units,
                derivative(layer.activation(), "candidate"))
            .addStatement("dGates[gRow + 3 * $L + u] = dNext * cellActivation * $L", units, derivative(gate, "out"))
            .addStatement("dc[hRow + u] = dCell * forget")
            .addStatement("dh[hRow + u] = $L", p.literal(0));
      }
      case GRU -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L update = gates[gRow + u]", f)
            .addStatement("$L reset = gates[gRow + $L + u]", f, units)
            .addStatement("$L candidate = gates[gRow + 2 * $L + u]", f, units)
            .addStatement("$L dUpdate = dNext * (previous[sRow + u] - candidate) * $L", f, derivative(gate, "update"))
            .addStatement("$L dCandidate = dNext * ($L - update) * $L", f, p.literal(1),
                derivative(layer.activation(), "candidate"))
            .addStatement("$L dReset = dCandidate * candidates[sRow + u] * $L", f, derivative(gate, "reset"))
            .addStatement("dGates[gRow + u] = dUpdate")
            .addStatement("dGates[gRow + $L + u] = dReset", units)
            .addStatement("dGates[gRow + 2 * $L + u] = dCandidate", units)
            .addStatement("dRecurrent[gRow + u] = dUpdate")
            .addStatement("dRecurrent[gRow + $L + u] = dReset", units)
            .addStatement("dRecurrent[gRow + 2 * $L + u] = dCandidate * reset", units)
            .addComment("h = update · h_prev + …: the direct path; the recurrent product adds the rest.")
            .addStatement("dh[hRow + u] = dNext * update");
      }
      default -> throw new IllegalStateException();
    }
    method.endControlFlow().endControlFlow();
    return method.build();
  }

  private MethodSpec.Builder stateGradientMethod(boolean simd) {
    return MethodSpec.methodBuilder(base + "StateGradient").addModifiers(modifiers(simd))
        .addJavadoc("$L\n\n<p>The recurrent part of the state gradient at step {@code t}:"
            + " {@code dh[b, :] += dGates[b, t, :] · Rᵀ}.\n", comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "dy").addParameter(int.class, "t")
        .addParameter(p.arrayType(), "dh").addParameter(int.class, "count");
  }

  private MethodSpec stateGradientScalar() {
    return stateGradientMethod(false)
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int dyRow = (b * $L + t) * $L", steps, gates)
        .addStatement("int dhRow = b * $L", units)
        .beginControlFlow("for (int k = 0; k < $L; k++)", units)
        .addStatement("int w = $L + k * $L", layer.recurrentKernel().constantName(), gates)
        .addStatement("$L sum = $L", p.keyword(), p.literal(0))
        .beginControlFlow("for (int j = 0; j < $L; j++)", gates)
        .addStatement("sum += dy[dyRow + j] * p[w + j]")
        .endControlFlow()
        .addStatement("dh[dhRow + k] += sum")
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  private MethodSpec stateGradientVector() {
    return stateGradientMethod(true)
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int dyRow = (b * $L + t) * $L", steps, gates)
        .addStatement("int dhRow = b * $L", units)
        .beginControlFlow("for (int k = 0; k < $L; k++)", units)
        .addStatement("int w = $L + k * $L", layer.recurrentKernel().constantName(), gates)
        .addStatement("$T sum = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
        .addStatement("int j = 0")
        .beginControlFlow("for (; j + LANES <= $L; j += LANES)", gates)
        .addStatement("sum = $T.fromArray(SPECIES, dy, dyRow + j).fma($T.fromArray(SPECIES, p, w + j), sum)",
            FLOAT_VECTOR, FLOAT_VECTOR)
        .endControlFlow()
        .addStatement("float total = sum.reduceLanes($T.ADD)", VECTOR_OPERATORS)
        .beginControlFlow("for (; j < $L; j++)", gates)
        .addStatement("total += dy[dyRow + j] * p[w + j]")
        .endControlFlow()
        .addStatement("dh[dhRow + k] += total")
        .endControlFlow()
        .endControlFlow()
        .build();
  }
}
