package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

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
  /** With recurrent_dropout: the state times the mask, per step and for all steps; the mask; a scratch gradient. */
  private final String droppedState;
  private final String droppedStates;
  private final String dropoutMask;
  private final String productGradient;
  /** The recurrent kernel transposed, for the Vector API state gradient (null without it). */
  private final String transposed;
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
    transposed = vector ? names.newName(camel + "RecurrentTransposed", layer.name() + "#transposed") : null;
    boolean dropout = layer.recurrentDropout() > 0;
    droppedState = dropout ? names.newName(camel + "DroppedState", layer.name() + "#droppedState") : null;
    droppedStates = dropout ? names.newName(camel + "DroppedStates", layer.name() + "#droppedStates") : null;
    dropoutMask = dropout ? names.newName(camel + "RecurrentMask", layer.name() + "#mask") : null;
    productGradient = dropout ? names.newName(camel + "ProductGradient", layer.name() + "#productGradient") : null;
    // The two products, as dense layers the kernels know how to write.
    projection = new DenseNames(dense(layer.features(), layer.kernel(), Optional.of(layer.bias())), features, gates,
        layer.kernel().constantName(), Optional.of(layer.bias().constantName()));
    recurrentProduct = new DenseNames(dense(layer.units(), layer.recurrentKernel(), layer.recurrentBias()), units,
        gates, layer.recurrentKernel().constantName(), layer.recurrentBias().map(ParameterSlot::constantName));
  }

  /** The parameter names of the initial state h and (lstm) cell state c. */
  private static final String[] STATES = {"h0", "c0"};

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
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
    if (layer.recurrentDropout() > 0) {
      type.addField(FieldSpec.builder(double.class, prefix + "_RECURRENT_DROPOUT", Modifier.PUBLIC, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("$L: share of the state's values dropped from the recurrent product in training.\n", comment)
          .initializer("$L", layer.recurrentDropout()).build());
    }
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
    if (droppedState != null) {
      buffer(workspace, constructor, droppedState, "rows * " + units,
          "in training, the state times the recurrent dropout mask, which the recurrent product reads");
      buffer(workspace, constructor, droppedStates, "rows * " + steps + " * " + units,
          "in training, the dropped state before each step, for the recurrent kernel's gradient");
    }
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
    if (dropoutMask != null) {
      buffers.add(new String[] {dropoutMask, units,
          "the recurrent dropout mask of the last training batch: 0 or 1 / (1 - rate), per sample and unit"});
      buffers.add(new String[] {productGradient, units, "the recurrent product's part of the state gradient, before the mask"});
    }
    if (lstm()) {
      buffers.add(new String[] {cellGradient, units, "gradient of the cell state, carried back step by step"});
    }
    if (vector) {
      type.addField(FieldSpec.builder(p.arrayType(), transposed, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L: the recurrent kernel transposed [gates, units], refreshed by each backward pass.\n", comment)
          .build());
      constructor.addStatement("this.$L = new $L[$L * $L]", transposed, p.keyword(), units, gates);
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
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    List<String> args = new ArrayList<>(List.of("parameters", in.array(), in.offset()));
    ids.ifPresent(v -> args.addAll(List.of(v.array(), v.offset())));
    initial.forEach(state -> args.addAll(List.of(state.value().array(), state.value().offset())));
    CodeBlock.Builder code = CodeBlock.builder();
    if (dropoutMask != null) {
      code.beginControlFlow("if (training)")
          .add("// Recurrent dropout: one mask per sample, kept for every step and gate.\n")
          .beginControlFlow("for (int k = 0; k < count * $L; k++)", units)
          .addStatement("$L[k] = random.nextDouble() < $L_RECURRENT_DROPOUT ? $L : $L", dropoutMask, prefix,
              p.literal(0), p.literal(1.0 / (1.0 - layer.recurrentDropout())))
          .endControlFlow()
          .endControlFlow();
      args.add("training ? " + dropoutMask + " : null");
    }
    args.addAll(List.of("ws", out, "count"));
    return code.add("$LForward($L);\n", base, String.join(", ", args)).build();
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    List<String> args = new ArrayList<>(List.of("parameters", "gradients", in.array(), in.offset()));
    ids.ifPresent(v -> args.addAll(List.of(v.array(), v.offset())));
    args.add(dy);
    if (step.propagatesToInput()) {
      args.add(dx);
    }
    initial.stream().filter(state -> state.gradient() != null).forEach(state -> args.add(state.gradient()));
    args.addAll(List.of("ws", "count"));
    return CodeBlock.of("$LBackward($L);\n", base, String.join(", ", args));
  }

  // ---------------------------------------------------------------- methods

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    ScalarDenseKernel scalar = new ScalarDenseKernel();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(forwardLoop());
    methods.add(stepForward(false));
    methods.add(product(projection, "Projection", scalar,
        "the input projection x · W + b of {@code count} rows (every step of every sample)"));
    methods.add(product(recurrentProduct, "RecurrentProduct", scalar, "the recurrent product h · R"
        + (gru() ? " + recurrent bias" : "") + " of {@code count} rows"));
    if (step.isPresent()) {
      methods.add(backwardLoop(step.get()));
      methods.add(stepBackward(false));
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
    if (vectorCell()) {
      methods.add(stepForward(true));
    }
    methods.add(product(recurrentProduct, "RecurrentProduct", kernel, "the recurrent product of {@code count} rows"));
    if (step.isPresent()) {
      if (vectorCell()) {
        methods.add(stepBackward(true));
      }
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
    for (int k = 0; k < layer.initialStates(); k++) {
      method.addParameter(p.arrayType(), STATES[k]).addParameter(int.class, STATES[k] + "Offset");
    }
    if (dropoutMask != null) {
      method.addParameter(p.arrayType(), "mask");
    }
    method.addParameter(ClassName.bestGuess("Workspace"), "ws").addParameter(p.arrayType(), "y")
        .addParameter(int.class, "count");
    method.addCode(dispatch("$LProjection(p, x, xOffset, ws.$L, count * $L)", base, gateBuffer, steps));
    String[] running = {stateBuffer, cellBuffer};
    for (int k = 0; k < (lstm() ? 2 : 1); k++) {
      if (k < layer.initialStates()) {
        method.addComment("The $L starts from initial_state.", k == 0 ? "state" : "cell state")
            .beginControlFlow("for (int b = 0; b < count; b++)")
            .addStatement("$T.arraycopy($L, $LOffset + b * $L, ws.$L, b * $L, $L)", System.class, STATES[k], STATES[k],
                units, running[k], units, units)
            .endControlFlow();
      } else {
        method.addComment("The $L starts at zero.", k == 0 ? "state" : "cell state");
        method.addStatement("$T.fill(ws.$L, 0, count * $L, $L)", Arrays.class, running[k], units, p.literal(0));
      }
    }
    method.beginControlFlow("for (int s = 0; s < $L; s++)", steps);
    method.addStatement("int $L", stepIndex());
    if (dropoutMask != null) {
      method.beginControlFlow("if (mask != null)")
          .addComment("In training the recurrent product reads the state with the dropout mask applied.")
          .beginControlFlow("for (int k = 0; k < count * $L; k++)", units)
          .addStatement("ws.$L[k] = ws.$L[k] * mask[k]", droppedState, stateBuffer)
          .endControlFlow()
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("$T.arraycopy(ws.$L, b * $L, ws.$L, (b * $L + t) * $L, $L)", System.class, droppedState, units,
              droppedStates, steps, units, units)
          .endControlFlow()
          .addCode(dispatch("$LRecurrentProduct(p, ws.$L, 0, ws.$L, count)", base, droppedState, recurrentBuffer))
          .nextControlFlow("else")
          .addCode(dispatch("$LRecurrentProduct(p, ws.$L, 0, ws.$L, count)", base, stateBuffer, recurrentBuffer))
          .endControlFlow();
    } else {
      method.addCode(dispatch("$LRecurrentProduct(p, ws.$L, 0, ws.$L, count)", base, stateBuffer, recurrentBuffer));
    }
    String stepCall = "$LStep(ws, " + (layer.maskZero() ? "ids, idsOffset, " : "")
        + (layer.returnSequences() ? "y, " : "") + "t, count)";
    method.addCode(vectorCell() ? dispatch(stepCall, base) : CodeBlock.builder().addStatement(stepCall, base).build());
    method.endControlFlow();
    if (!layer.returnSequences()) {
      method.addComment("The output is the last state.");
      method.addStatement("$T.arraycopy(ws.$L, 0, y, 0, count * $L)", System.class, stateBuffer, units);
    }
    return method.build();
  }

  /** {@code f(v)} for one of the cell activations, written for the local variable {@code v} (a String or CodeBlock). */
  private Object apply(Activation activation, String v) {
    String one = p.literal(1);
    return switch (activation.kind()) {
      // Float: FloatExp's exponential, which the Vector API cells compute bit for bit the same.
      case SIGMOID -> p == Precision.DOUBLE ? one + " / (" + one + " + Math.exp(-" + v + "))"
          : CodeBlock.of("$T.sigmoid($L)", VectorExpCode.FLOAT_EXP, v);
      case TANH -> p == Precision.DOUBLE ? "Math.tanh(" + v + ")" : CodeBlock.of("$T.tanh($L)", VectorExpCode.FLOAT_EXP, v);
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

  /**
   * How the cell's element-wise arithmetic is written: on scalars, or on vectors of
   * {@code LANES} units at once ({@code FloatVector}). The vector cells take their sigmoid and
   * tanh from {@code Simd.sigmoid} and {@code Simd.tanh} over whole gate rows ({@link VectorExpCode}).
   */
  private interface Arith {
    String type();

    String load(String array, String index);

    String store(String array, String index, String value);

    String add(String a, String b);

    String sub(String a, String b);

    String mul(String a, String b);

    String one();

    String zero();

    String derivative(Activation activation, String y);
  }

  private final class Scalar implements Arith {
    public String type() {
      return p.keyword();
    }

    public String load(String array, String index) {
      return array + "[" + index + "]";
    }

    public String store(String array, String index, String value) {
      return array + "[" + index + "] = " + value;
    }

    private String group(String a) {
      return a.contains(" + ") || a.contains(" - ") ? "(" + a + ")" : a;
    }

    public String add(String a, String b) {
      return a + " + " + b;
    }

    public String sub(String a, String b) {
      return a + " - " + group(b);
    }

    public String mul(String a, String b) {
      return group(a) + " * " + group(b);
    }

    public String one() {
      return p.literal(1);
    }

    public String zero() {
      return p.literal(0);
    }

    public Object apply(Activation activation, String v) {
      return RecurrentCode.this.apply(activation, v);
    }

    public String derivative(Activation activation, String y) {
      return RecurrentCode.this.derivative(activation, y);
    }
  }

  private static final class Vector implements Arith {
    public String type() {
      return "FloatVector";
    }

    public String load(String array, String index) {
      return "FloatVector.fromArray(SPECIES, " + array + ", " + index + ")";
    }

    public String store(String array, String index, String value) {
      return value + ".intoArray(" + array + ", " + index + ")";
    }

    public String add(String a, String b) {
      return a + ".add(" + b + ")";
    }

    public String sub(String a, String b) {
      return a + ".sub(" + b + ")";
    }

    public String mul(String a, String b) {
      return a + ".mul(" + b + ")";
    }

    public String one() {
      return "one";
    }

    public String zero() {
      return "zero";
    }

    public String derivative(Activation activation, String y) {
      return switch (activation.kind()) {
        case SIGMOID -> y + ".mul(one.sub(" + y + "))";
        case TANH -> "one.sub(" + y + ".mul(" + y + "))";
        default -> "one";
      };
    }
  }

  /** The Vector API step methods cover tanh, sigmoid and linear cells (relu stays scalar). */
  private boolean vectorCell() {
    return vector && List.of(layer.activation(), layer.recurrentActivation()).stream()
        .noneMatch(a -> a.is(Activation.Kind.RELU));
  }

  /** The loop over units: with vectors, whole vectors first, then the last units one by one. */
  private void unitLoop(MethodSpec.Builder method, boolean simd, java.util.function.Consumer<Arith> body) {
    if (!simd) {
      method.beginControlFlow("for (int u = 0; u < $L; u++)", units);
      body.accept(new Scalar());
      method.endControlFlow();
      return;
    }
    method.addStatement("int u = 0");
    method.beginControlFlow("for (; u + LANES <= $L; u += LANES)", units);
    body.accept(new Vector());
    method.endControlFlow();
    method.beginControlFlow("for (; u < $L; u++)", units);
    body.accept(new Scalar());
    method.endControlFlow();
  }

  /** The vector constants a backward cell body uses. */
  private void vectorConstants(MethodSpec.Builder method) {
    method.addStatement("$T one = $T.broadcast(SPECIES, 1f)", FLOAT_VECTOR, FLOAT_VECTOR);
    if (!gru()) {
      method.addStatement("$T zero = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
    }
  }

  /** {@code units + u}, {@code 2 * units + u}: where gate {@code k}'s values start in a row. */
  private String gate(int k) {
    return k == 0 ? "u" : (k == 1 ? "" : k + " * ") + units + " + u";
  }

  private MethodSpec stepForward(boolean simd) {
    String f = p.keyword();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "Step").addModifiers(modifiers(simd))
        .addJavadoc("$L\n\n<p>One step {@code t} of the $L cell for {@code count} samples: reads the step's input\n"
            + "projection and the recurrent product, updates the state and keeps what the backward pass needs$L.\n",
            comment, layer.cell().keyword(), layer.returnSequences() ? ";\nwrites the step's output into {@code y}" : "")
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
    if (simd && gru()) {
      method.addStatement("$T one = $T.broadcast(SPECIES, 1f)", FLOAT_VECTOR, FLOAT_VECTOR);
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
    if (simd) {
      cellForwardVector(method);
    } else {
      method.beginControlFlow("for (int u = 0; u < $L; u++)", units);
      cellForward(method, new Scalar());
      method.endControlFlow();
    }
    method.endControlFlow();
    return method.build();
  }

  /**
   * The vector cell of one sample, in phases: the gates' inputs (the step's projection plus the
   * recurrent product) into the gate row, their activations in place over whole ranges of it
   * ({@code Simd.sigmoid}, {@code Simd.tanh}: the exponential inside is not a method call on
   * vectors, which C2 would not always inline, boxing every vector), then the state. Each value
   * gets the same operations in the same order as in the scalar cell: both give the same bits.
   */
  private void cellForwardVector(MethodSpec.Builder method) {
    Activation gate = layer.recurrentActivation();
    Activation activation = layer.activation();
    method.addStatement("$T.arraycopy(h, hRow, previous, sRow, $L)", System.class, units);
    if (lstm()) {
      method.addStatement("$T.arraycopy(c, hRow, previousCells, sRow, $L)", System.class, units);
    }
    method.addStatement("int u");
    switch (layer.cell()) {
      case RNN -> {
        method.addComment("The cell's input, the step's projection plus the recurrent product; its activation in place.");
        sumLoop(method, units);
        activate(method, activation, "gates", "gRow", gateStart(1));
        method.addStatement("$T.arraycopy(gates, gRow, h, hRow, $L)", System.class, units);
        if (layer.returnSequences()) {
          method.addStatement("$T.arraycopy(gates, gRow, y, sRow, $L)", System.class, units);
        }
      }
      case LSTM -> {
        method.addComment("The gates' inputs, the step's projection plus the recurrent product, all four at once.");
        sumLoop(method, gates);
        method.addComment("Their activations in place: $L on the input and forget gates, $L on the candidate, $L on"
            + " the output gate.", gate.keyword(), activation.keyword(), gate.keyword());
        if (gate.kind() == activation.kind()) {
          activate(method, gate, "gates", "gRow", "gRow + " + gates);
        } else {
          activate(method, gate, "gates", "gRow", gateStart(2));
          activate(method, activation, "gates", gateStart(2), gateStart(3));
          activate(method, gate, "gates", gateStart(3), gateStart(4));
        }
        method.addComment("The cell state, and its activation in place in cellActivations.");
        vectorLoop(method, units, a -> method
            .addStatement("$L cp = $L", a.type(), a.load("c", "hRow + u"))
            .addStatement("$L in = $L", a.type(), a.load("gates", "gRow + u"))
            .addStatement("$L forget = $L", a.type(), a.load("gates", "gRow + " + gate(1)))
            .addStatement("$L candidate = $L", a.type(), a.load("gates", "gRow + " + gate(2)))
            .addStatement("$L cell = $L", a.type(), a.add(a.mul("forget", "cp"), a.mul("in", "candidate")))
            .addStatement(a.store("c", "hRow + u", "cell"))
            .addStatement(a.store("cellActivations", "sRow + u", "cell")));
        activate(method, activation, "cellActivations", "sRow", "sRow + " + units);
        vectorLoop(method, units, a -> {
          method.addStatement("$L out = $L", a.type(), a.load("gates", "gRow + " + gate(3)))
              .addStatement("$L cellActivation = $L", a.type(), a.load("cellActivations", "sRow + u"))
              .addStatement("$L next = $L", a.type(), a.mul("out", "cellActivation"));
          stateStores(method, a);
        });
      }
      case GRU -> {
        method.addComment("The update and reset gates' inputs, the step's projection plus the recurrent product;"
            + " their $L in place.", gate.keyword());
        sumLoop(method, "2 * " + units);
        activate(method, gate, "gates", "gRow", gateStart(2));
        method.addComment("Keras's reset_after: the reset gate scales the recurrent product, bias included; then the"
            + " candidate's $L in place.", activation.keyword());
        vectorLoop(method, units, a -> method
            .addStatement("$L reset = $L", a.type(), a.load("gates", "gRow + " + gate(1)))
            .addStatement("$L candidateRecurrent = $L", a.type(), a.load("recurrent", "rRow + " + gate(2)))
            .addStatement(a.store("candidates", "sRow + u", "candidateRecurrent"))
            .addStatement(a.store("gates", "gRow + " + gate(2),
                a.add(a.load("gates", "gRow + " + gate(2)), a.mul("reset", "candidateRecurrent")))));
        activate(method, activation, "gates", gateStart(2), gateStart(3));
        vectorLoop(method, units, a -> {
          method.addStatement("$L hp = $L", a.type(), a.load("previous", "sRow + u"))
              .addStatement("$L update = $L", a.type(), a.load("gates", "gRow + u"))
              .addStatement("$L candidate = $L", a.type(), a.load("gates", "gRow + " + gate(2)))
              .addStatement("$L next = $L", a.type(), a.add(a.mul("update", "hp"), a.mul(a.sub(a.one(), "update"),
                  "candidate")));
          stateStores(method, a);
        });
      }
      default -> throw new IllegalStateException();
    }
  }

  /** {@code gates[gRow + u] += recurrent[rRow + u]} for {@code u < width}. */
  private void sumLoop(MethodSpec.Builder method, String width) {
    vectorLoop(method, width, a -> method.addStatement(a.store("gates", "gRow + u",
        a.add(a.load("gates", "gRow + u"), a.load("recurrent", "rRow + u")))));
  }

  /** The new state {@code next} into h (and the step's output). */
  private void stateStores(MethodSpec.Builder method, Arith a) {
    method.addStatement(a.store("h", "hRow + u", "next"));
    if (layer.returnSequences()) {
      method.addStatement(a.store("y", "sRow + u", "next"));
    }
  }

  /** Where gate {@code k} starts in the sample's gate row: {@code gRow + 2 * UNITS}. */
  private String gateStart(int k) {
    return "gRow + " + (k == 1 ? "" : k + " * ") + units;
  }

  /** {@code Simd.sigmoid} or {@code Simd.tanh} in place over {@code array[from, to)} (nothing for linear). */
  private void activate(MethodSpec.Builder method, Activation activation, String array, String from, String to) {
    if (!activation.is(Activation.Kind.LINEAR)) {
      method.addStatement("$L($L, $L, $L)", VectorExpCode.methodName(activation.kind()), array, from, to);
    }
  }

  /** A loop over {@code width} values: whole vectors first, then the last values one by one ({@code u} declared). */
  private void vectorLoop(MethodSpec.Builder method, String width, java.util.function.Consumer<Arith> body) {
    method.beginControlFlow("for (u = 0; u + LANES <= $L; u += LANES)", width);
    body.accept(new Vector());
    method.endControlFlow();
    method.beginControlFlow("for (; u < $L; u++)", width);
    body.accept(new Scalar());
    method.endControlFlow();
  }

  /** The activations the vector cells apply through {@code Simd.sigmoid} and {@code Simd.tanh}. */
  java.util.Set<Activation.Kind> vectorActivations() {
    java.util.Set<Activation.Kind> kinds = java.util.EnumSet.noneOf(Activation.Kind.class);
    if (vectorCell()) {
      for (Activation a : List.of(layer.activation(), layer.recurrentActivation())) {
        if (a.is(Activation.Kind.SIGMOID) || a.is(Activation.Kind.TANH)) {
          kinds.add(a.kind());
        }
      }
    }
    return kinds;
  }

  private void cellForward(MethodSpec.Builder method, Scalar a) {
    String t = a.type();
    method.addStatement("$L hp = $L", t, a.load("h", "hRow + u")).addStatement(a.store("previous", "sRow + u", "hp"));
    switch (layer.cell()) {
      case RNN -> method
          .addStatement("$L v = $L", t, a.add(a.load("gates", "gRow + u"), a.load("recurrent", "rRow + u")))
          .addStatement("$L next = $L", t, a.apply(layer.activation(), "v"))
          .addStatement(a.store("gates", "gRow + u", "next"));
      case LSTM -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L cp = $L", t, a.load("c", "hRow + u"))
            .addStatement(a.store("previousCells", "sRow + u", "cp"));
        String[] names = {"in", "forget", "candidate", "out"};
        for (int k = 0; k < 4; k++) {
          method.addStatement("$L $LSum = $L", t, names[k],
              a.add(a.load("gates", "gRow + " + gate(k)), a.load("recurrent", "rRow + " + gate(k))));
          method.addStatement("$L $L = $L", t, names[k], a.apply(k == 2 ? layer.activation() : gate, names[k] + "Sum"));
          method.addStatement(a.store("gates", "gRow + " + gate(k), names[k]));
        }
        method.addStatement("$L cell = $L", t, a.add(a.mul("forget", "cp"), a.mul("in", "candidate")))
            .addStatement("$L cellActivation = $L", t, a.apply(layer.activation(), "cell"))
            .addStatement(a.store("c", "hRow + u", "cell"))
            .addStatement(a.store("cellActivations", "sRow + u", "cellActivation"))
            .addStatement("$L next = $L", t, a.mul("out", "cellActivation"));
      }
      case GRU -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L updateSum = $L", t, a.add(a.load("gates", "gRow + u"), a.load("recurrent", "rRow + u")))
            .addStatement("$L update = $L", t, a.apply(gate, "updateSum"))
            .addStatement("$L resetSum = $L", t,
                a.add(a.load("gates", "gRow + " + gate(1)), a.load("recurrent", "rRow + " + gate(1))))
            .addStatement("$L reset = $L", t, a.apply(gate, "resetSum"))
            .addComment("Keras's reset_after: the reset gate scales the recurrent product, bias included.")
            .addStatement("$L candidateRecurrent = $L", t, a.load("recurrent", "rRow + " + gate(2)))
            .addStatement("$L candidateSum = $L", t,
                a.add(a.load("gates", "gRow + " + gate(2)), a.mul("reset", "candidateRecurrent")))
            .addStatement("$L candidate = $L", t, a.apply(layer.activation(), "candidateSum"))
            .addStatement(a.store("gates", "gRow + u", "update"))
            .addStatement(a.store("gates", "gRow + " + gate(1), "reset"))
            .addStatement(a.store("gates", "gRow + " + gate(2), "candidate"))
            .addStatement(a.store("candidates", "sRow + u", "candidateRecurrent"))
            .addStatement("$L next = $L", t, a.add(a.mul("update", "hp"), a.mul(a.sub(a.one(), "update"), "candidate")));
      }
      default -> throw new IllegalStateException();
    }
    method.addStatement(a.store("h", "hRow + u", "next"));
    if (layer.returnSequences()) {
      method.addStatement(a.store("y", "sRow + u", "next"));
    }
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
    int first = layer.maskZero() ? 2 : 1;
    for (int k = 0; k < layer.initialStates(); k++) {
      if (step.propagates().get(first + k)) {
        method.addParameter(p.arrayType(), "d" + capitalized(STATES[k]));
      }
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
    if (vector) {
      method.beginControlFlow("if (VECTOR)")
          .addComment("Rᵀ [gates, units]: the state gradient's vector kernel reads its rows.")
          .beginControlFlow("for (int k = 0; k < $L; k++)", units)
          .beginControlFlow("for (int j = 0; j < $L; j++)", gates)
          .addStatement("$L[j * $L + k] = p[$L + k * $L + j]", transposed, units, layer.recurrentKernel().constantName(),
              gates)
          .endControlFlow()
          .endControlFlow()
          .endControlFlow();
    }
    method.beginControlFlow("for (int s = $L - 1; s >= 0; s--)", steps);
    method.addStatement("int $L", stepIndex());
    String stepCall = "$LStepBackward(ws, " + (layer.maskZero() ? "ids, idsOffset, " : "")
        + (layer.returnSequences() ? "dy, " : "") + gateGradient + ", " + stateGradient
        + (lstm() ? ", " + cellGradient : "") + (gru() ? ", " + recurrentGradient : "") + ", t, count)";
    method.addCode(vectorCell() ? dispatch(stepCall, base) : CodeBlock.builder().addStatement(stepCall, base).build());
    String dGates = gru() ? recurrentGradient : gateGradient;
    // With recurrent dropout the product's part goes to a scratch buffer first, then through the mask.
    String into = dropoutMask != null ? productGradient : stateGradient;
    if (dropoutMask != null) {
      method.addStatement("$T.fill($L, 0, count * $L, $L)", Arrays.class, productGradient, units, p.literal(0));
    }
    if (vector) {
      method.beginControlFlow("if (VECTOR)")
          .addStatement("Simd.$LStateGradient($L, $L, t, $L, count)", base, transposed, dGates, into)
          .nextControlFlow("else")
          .addStatement("$LStateGradient(p, $L, t, $L, count)", base, dGates, into)
          .endControlFlow();
    } else {
      method.addStatement("$LStateGradient(p, $L, t, $L, count)", base, dGates, into);
    }
    if (dropoutMask != null) {
      method.beginControlFlow("for (int k = 0; k < count * $L; k++)", units)
          .addStatement("$L[k] += $L[k] * $L[k]", stateGradient, dropoutMask, productGradient)
          .endControlFlow();
    }
    method.endControlFlow();
    String[] carried = {stateGradient, cellGradient};
    for (int k = 0; k < layer.initialStates(); k++) {
      if (step.propagates().get(first + k)) {
        method.addComment("What is left of the $L gradient belongs to the initial $L.", k == 0 ? "state" : "cell state",
                k == 0 ? "state" : "cell state")
            .beginControlFlow("for (int k = 0; k < count * $L; k++)", units)
            .addStatement("d$L[k] $L $L[k]", capitalized(STATES[k]), step.accumulates().get(first + k) ? "+=" : "=",
                carried[k])
            .endControlFlow();
      }
    }
    method.addComment("Weight gradients of every step at once: R from the previous states, W and b from the inputs.");
    method.addCode(dispatch("$LRecurrentProductBackward(p, g, ws.$L, 0, $L, count * $L)", base,
        dropoutMask != null ? droppedStates : previousStates, gru() ? recurrentGradient : gateGradient, steps));
    method.addCode(dispatch("$LProjectionBackward(p, g, x, xOffset, $L$L, count * $L)", base, gateGradient,
        propagate ? ", dx" : "", steps));
    return method.build();
  }

  private MethodSpec stepBackward(boolean simd) {
    String f = p.keyword();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "StepBackward").addModifiers(modifiers(simd))
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
    method.addParameter(p.arrayType(), "dGates").addParameter(p.arrayType(), "dh");
    if (lstm()) {
      method.addParameter(p.arrayType(), "dc");
    }
    if (gru()) {
      method.addParameter(p.arrayType(), "dRecurrent");
    }
    method.addParameter(int.class, "t").addParameter(int.class, "count");
    method.addStatement("$L[] gates = ws.$L", f, gateBuffer);
    if (lstm()) {
      method.addStatement("$L[] previousCells = ws.$L", f, previousCells)
          .addStatement("$L[] cellActivations = ws.$L", f, cellActivations);
    }
    if (gru()) {
      method.addStatement("$L[] previous = ws.$L", f, previousStates)
          .addStatement("$L[] candidates = ws.$L", f, recurrentCandidates);
    }
    if (simd) {
      vectorConstants(method);
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
    unitLoop(method, simd, a -> cellBackward(method, a));
    method.endControlFlow();
    return method.build();
  }

  private void cellBackward(MethodSpec.Builder method, Arith a) {
    String t = a.type();
    method.addStatement("$L dNext = $L", t, a.load("dh", "hRow + u"));
    switch (layer.cell()) {
      case RNN -> method
          .addStatement("$L next = $L", t, a.load("gates", "gRow + u"))
          .addStatement(a.store("dGates", "gRow + u", a.mul("dNext", a.derivative(layer.activation(), "next"))))
          .addStatement(a.store("dh", "hRow + u", a.zero()));
      case LSTM -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L in = $L", t, a.load("gates", "gRow + u"))
            .addStatement("$L forget = $L", t, a.load("gates", "gRow + " + gate(1)))
            .addStatement("$L candidate = $L", t, a.load("gates", "gRow + " + gate(2)))
            .addStatement("$L out = $L", t, a.load("gates", "gRow + " + gate(3)))
            .addStatement("$L cellActivation = $L", t, a.load("cellActivations", "sRow + u"))
            .addStatement("$L dCell = $L", t, a.add(a.load("dc", "hRow + u"),
                a.mul(a.mul("dNext", "out"), a.derivative(layer.activation(), "cellActivation"))))
            .addStatement(a.store("dGates", "gRow + u", a.mul(a.mul("dCell", "candidate"), a.derivative(gate, "in"))))
            .addStatement(a.store("dGates", "gRow + " + gate(1),
                a.mul(a.mul("dCell", a.load("previousCells", "sRow + u")), a.derivative(gate, "forget"))))
            .addStatement(a.store("dGates", "gRow + " + gate(2),
                a.mul(a.mul("dCell", "in"), a.derivative(layer.activation(), "candidate"))))
            .addStatement(a.store("dGates", "gRow + " + gate(3),
                a.mul(a.mul("dNext", "cellActivation"), a.derivative(gate, "out"))))
            .addStatement(a.store("dc", "hRow + u", a.mul("dCell", "forget")))
            .addStatement(a.store("dh", "hRow + u", a.zero()));
      }
      case GRU -> {
        Activation gate = layer.recurrentActivation();
        method.addStatement("$L update = $L", t, a.load("gates", "gRow + u"))
            .addStatement("$L reset = $L", t, a.load("gates", "gRow + " + gate(1)))
            .addStatement("$L candidate = $L", t, a.load("gates", "gRow + " + gate(2)))
            .addStatement("$L dUpdate = $L", t, a.mul(a.mul("dNext", a.sub(a.load("previous", "sRow + u"), "candidate")),
                a.derivative(gate, "update")))
            .addStatement("$L dCandidate = $L", t, a.mul(a.mul("dNext", a.sub(a.one(), "update")),
                a.derivative(layer.activation(), "candidate")))
            .addStatement("$L dReset = $L", t, a.mul(a.mul("dCandidate", a.load("candidates", "sRow + u")),
                a.derivative(gate, "reset")))
            .addStatement(a.store("dGates", "gRow + u", "dUpdate"))
            .addStatement(a.store("dGates", "gRow + " + gate(1), "dReset"))
            .addStatement(a.store("dGates", "gRow + " + gate(2), "dCandidate"))
            .addStatement(a.store("dRecurrent", "gRow + u", "dUpdate"))
            .addStatement(a.store("dRecurrent", "gRow + " + gate(1), "dReset"))
            .addStatement(a.store("dRecurrent", "gRow + " + gate(2), a.mul("dCandidate", "reset")))
            .addComment("h = update · h_prev + …: the direct path; the recurrent product adds the rest.")
            .addStatement(a.store("dh", "hRow + u", a.mul("dNext", "update")));
      }
      default -> throw new IllegalStateException();
    }
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

  /**
   * {@code dh[b, :] += Σ_j dGates[b, t, j] · Rᵀ[j, :]}, with {@code Rᵀ} transposed once per
   * backward pass: blocks of 4 samples × 2 vectors of units held in registers, each row of
   * {@code Rᵀ} loaded once for 4 samples (broadcast-{@code fma}, as the dense kernels), instead of
   * a dot product and a lane reduction per state value.
   */
  private MethodSpec stateGradientVector() {
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "StateGradient").addModifiers(modifiers(true))
        .addJavadoc("$L\n\n<p>The recurrent part of the state gradient at step {@code t}:"
            + " {@code dh[b, :] += dGates[b, t, :] · Rᵀ}, from {@code rt}, R transposed.\n", comment)
        .addParameter(p.arrayType(), "rt").addParameter(p.arrayType(), "dy").addParameter(int.class, "t")
        .addParameter(p.arrayType(), "dh").addParameter(int.class, "count");
    method.addStatement("int b = 0");
    method.beginControlFlow("for (; b + 4 <= count; b += 4)");
    stateGradientRows(method, 4);
    method.endControlFlow();
    method.beginControlFlow("for (; b < count; b++)");
    stateGradientRows(method, 1);
    method.endControlFlow();
    return method.build();
  }

  private void stateGradientRows(MethodSpec.Builder method, int rows) {
    for (int r = 0; r < rows; r++) {
      String row = r == 0 ? "b" : "(b + " + r + ")";
      method.addStatement("int dy$L = ($L * $L + t) * $L", r, row, steps, gates);
      method.addStatement("int dh$L = $L * $L", r, row, units);
    }
    method.addStatement("int k = 0");
    method.beginControlFlow("for (; k + 2 * LANES <= $L; k += 2 * LANES)", units);
    stateGradientBlock(method, rows, 2);
    method.endControlFlow();
    method.beginControlFlow("for (; k + LANES <= $L; k += LANES)", units);
    stateGradientBlock(method, rows, 1);
    method.endControlFlow();
    method.beginControlFlow("for (; k < $L; k++)", units);
    for (int r = 0; r < rows; r++) {
      method.addStatement("float s$L = 0f", r);
    }
    method.beginControlFlow("for (int j = 0; j < $L; j++)", gates);
    method.addStatement("float w = rt[j * $L + k]", units);
    for (int r = 0; r < rows; r++) {
      method.addStatement("s$L += dy[dy$L + j] * w", r, r);
    }
    method.endControlFlow();
    for (int r = 0; r < rows; r++) {
      method.addStatement("dh[dh$L + k] += s$L", r, r);
    }
    method.endControlFlow();
  }

  private void stateGradientBlock(MethodSpec.Builder method, int rows, int vectors) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < vectors; c++) {
        method.addStatement("$T a$L$L = $T.fromArray(SPECIES, dh, dh$L + k$L)", FLOAT_VECTOR, r, c, FLOAT_VECTOR, r,
            c == 0 ? "" : " + LANES");
      }
    }
    method.beginControlFlow("for (int j = 0; j < $L; j++)", gates);
    method.addStatement("int w = j * $L + k", units);
    for (int c = 0; c < vectors; c++) {
      method.addStatement("$T w$L = $T.fromArray(SPECIES, rt, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR,
          c == 0 ? "" : " + LANES");
    }
    for (int r = 0; r < rows; r++) {
      method.addStatement("$T v$L = $T.broadcast(SPECIES, dy[dy$L + j])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
      for (int c = 0; c < vectors; c++) {
        method.addStatement("a$L$L = w$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
      }
    }
    method.endControlFlow();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < vectors; c++) {
        method.addStatement("a$L$L.intoArray(dh, dh$L + k$L)", r, c, r, c == 0 ? "" : " + LANES");
      }
    }
  }
}
