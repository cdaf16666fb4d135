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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of {@code multi_head_attention}. The two products with weights
 * (queries, keys and values of every step in one; the output projection) are dense kernels over
 * {@code count · steps} rows, so they get the Vector API kernels where the JVM has them. Between
 * them, each head of each sample scores every query against every key, {@code q · k / √keyDim}, takes
 * a max-subtracted softmax over the keys a query may see (not padding, not later steps when
 * causal), and sums the values with those weights. The weights are kept for the backward pass:
 * {@code dS = A ⊙ (dA − Σ A ⊙ dA)}, the softmax's Jacobian applied row by row.
 */
final class AttentionCode implements SequenceLayerCode {
  private final Layer.Attention layer;
  private final Precision p;
  private final boolean vector;
  private final String base;
  private final String comment;
  private final String prefix;
  private final String steps;
  private final String width;
  private final String heads;
  private final String keyDim;
  private final String inner;
  private final String qkvUnits;
  private final String size;
  private final String scale;
  private final String qkvBuffer;
  private final String weightBuffer;
  private final String contextBuffer;
  private final String contextGradient;
  private final String qkvGradient;
  private final String scoreGradient;
  /** In training with dropout: 0 or 1 / (1 − rate) per attention weight; null without dropout. */
  private final String dropMask;
  private final DenseNames projection;
  private final DenseNames output;

  AttentionCode(Layer.Attention layer, String base, String camel, String comment, NameAllocator names, Precision p,
      boolean vector) {
    this.layer = layer;
    this.p = p;
    this.vector = vector;
    this.base = base;
    this.comment = comment;
    this.prefix = NetworkChecker.constant(layer.name());
    this.steps = prefix + "_STEPS";
    this.width = prefix + "_WIDTH";
    this.heads = prefix + "_HEADS";
    this.keyDim = prefix + "_KEY_DIM";
    this.inner = prefix + "_INNER";
    this.qkvUnits = prefix + "_QKV_UNITS";
    this.size = prefix + "_SIZE";
    this.scale = prefix + "_SCALE";
    this.qkvBuffer = names.newName(camel + "Qkv", layer.name() + "#qkv");
    this.weightBuffer = names.newName(camel + "Weights", layer.name() + "#weights");
    this.contextBuffer = names.newName(camel + "Context", layer.name() + "#context");
    this.contextGradient = names.newName(camel + "ContextGradient", layer.name() + "#contextGradient");
    this.qkvGradient = names.newName(camel + "QkvGradient", layer.name() + "#qkvGradient");
    this.scoreGradient = names.newName(camel + "ScoreGradient", layer.name() + "#scoreGradient");
    this.dropMask = layer.dropout() > 0 ? names.newName(camel + "DropMask", layer.name() + "#dropMask") : null;
    this.projection = new DenseNames(layer.projection(), width, qkvUnits, layer.projection().weights().constantName(),
        layer.projection().bias().map(ParameterSlot::constantName));
    this.output = new DenseNames(layer.output(), inner, width, layer.output().weights().constantName(),
        layer.output().bias().map(ParameterSlot::constantName));
  }

  /** The widest buffer per sample: every head's weights, {@code heads · steps²}. */
  static long widestBuffer(Layer.Attention layer) {
    return Math.max((long) layer.heads() * layer.steps() * layer.steps(),
        (long) layer.steps() * 3 * layer.heads() * layer.keyDim());
  }

  @Override
  public String width() {
    return size;
  }

  @Override
  public void addConstants(TypeSpec.Builder type, Set<String> declared) {
    type.addField(intConstant(steps, layer.steps(), comment + ": steps (queries and keys) per sample."));
    type.addField(intConstant(width, layer.width(), comment + ": width of each step, in and out."));
    type.addField(intConstant(heads, layer.heads(), comment + ": attention heads."));
    type.addField(intConstant(keyDim, layer.keyDim(), comment + ": width of each head's queries, keys and values."));
    type.addField(intConstant(inner, layer.heads() * layer.keyDim(), comment + ": the heads' results side by side."));
    type.addField(intConstant(qkvUnits, 3 * layer.heads() * layer.keyDim(),
        comment + ": queries, keys and values of one step, side by side."));
    type.addField(intConstant(size, layer.outputShape().size(), comment + ": output values per sample."));
    type.addField(FieldSpec.builder(p.type(), scale, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: scores are {@code q · k} times this, {@code 1 / √keyDim}.\n", comment)
        .initializer("$L", p.literal(1.0 / Math.sqrt(layer.keyDim()))).build());
    if (dropMask != null) {
      type.addField(FieldSpec.builder(double.class, prefix + "_DROPOUT", Modifier.PUBLIC, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("$L: share of attention weights dropped in training.\n", comment)
          .initializer("$L", layer.dropout()).build());
    }
    for (ParameterSlot slot : layer.parameters()) {
      if (declared.add(slot.constantName())) {
        type.addField(intConstant(slot.constantName(), slot.offset(),
            "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
      }
    }
  }

  @Override
  public void addWorkspace(TypeSpec.Builder workspace, MethodSpec.Builder constructor) {
    buffer(workspace, constructor, qkvBuffer, "rows * " + steps + " * " + qkvUnits,
        "the queries, keys and values of every step");
    buffer(workspace, constructor, weightBuffer, "rows * " + heads + " * " + steps + " * " + steps,
        "the attention weights of every head, query and key");
    buffer(workspace, constructor, contextBuffer, "rows * " + steps + " * " + inner,
        "the heads' weighted sums of values, side by side, before the output projection");
  }

  private void buffer(TypeSpec.Builder type, MethodSpec.Builder constructor, String name, String length, String doc) {
    type.addField(FieldSpec.builder(p.arrayType(), name, Modifier.FINAL).addJavadoc("$L: $L.\n", comment, doc).build());
    constructor.addStatement("$L = new $L[$L]", name, p.keyword(), length);
  }

  @Override
  public void addTrainingBuffers(TypeSpec.Builder type, MethodSpec.Builder constructor) {
    String[][] buffers = {
      {contextGradient, "batchCapacity * " + steps + " * " + inner, "gradient of the heads' results"},
      {qkvGradient, "batchCapacity * " + steps + " * " + qkvUnits, "gradient of the queries, keys and values"},
      {scoreGradient, steps, "gradient of one query's weights, one per key"},
    };
    if (dropMask != null) {
      type.addField(FieldSpec.builder(p.arrayType(), dropMask, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L: the attention dropout mask of the last training batch: 0 or 1 / (1 - rate) per weight.\n",
              comment).build());
      constructor.addStatement("this.$L = new $L[batchCapacity * $L * $L * $L]", dropMask, p.keyword(), heads, steps,
          steps);
    }
    for (String[] b : buffers) {
      type.addField(FieldSpec.builder(p.arrayType(), b[0], Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L: $L.\n", comment, b[2]).build());
      constructor.addStatement("this.$L = new $L[$L]", b[0], p.keyword(), b[1]);
    }
  }

  // ---------------------------------------------------------------- calls from forward and backward

  @Override
  public CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(dispatch("$LProjection(parameters, $L, $L, ws.$L, count * $L)", base, in.array(), in.offset(), qkvBuffer,
        steps));
    String drop = "";
    if (dropMask != null) {
      code.beginControlFlow("if (training)")
          .add("// Attention dropout: a fresh mask over every weight of the batch.\n")
          .beginControlFlow("for (int k = 0; k < count * $L * $L * $L; k++)", heads, steps, steps)
          .addStatement("$L[k] = random.nextDouble() < $L_DROPOUT ? $L : $L", dropMask, prefix, p.literal(0),
              p.literal(1.0 / (1.0 - layer.dropout())))
          .endControlFlow()
          .endControlFlow();
      drop = "training ? " + dropMask + " : null, ";
    }
    code.addStatement("$LAttend(ws.$L, $Lws.$L, $Lws.$L, count)", base, qkvBuffer,
        ids.map(v -> v.array() + ", " + v.offset() + ", ").orElse(""), weightBuffer, drop, contextBuffer);
    code.add(dispatch("$LOutput(parameters, ws.$L, 0, $L, count * $L)", base, contextBuffer, out, steps));
    return code.build();
  }

  @Override
  public CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial,
      String out, String dy, String dx) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(dispatch("$LOutputBackward(parameters, gradients, ws.$L, 0, $L, $L, count * $L)", base, contextBuffer, dy,
        contextGradient, steps));
    code.addStatement("$LAttendBackward(ws.$L, ws.$L, $L$L, $L, $L, count)", base, qkvBuffer, weightBuffer,
        dropMask != null ? dropMask + ", " : "", contextGradient, qkvGradient, scoreGradient);
    code.add(dispatch("$LProjectionBackward(parameters, gradients, $L, $L, $L$L, count * $L)", base, in.array(),
        in.offset(), qkvGradient, step.propagatesToInput() ? ", " + dx : "", steps));
    return code.build();
  }

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

  // ---------------------------------------------------------------- methods

  @Override
  public List<MethodSpec> methods(Optional<BackwardPlan.Step> step) {
    List<MethodSpec> methods = new ArrayList<>(products(new ScalarDenseKernel(), false, step));
    methods.add(attend());
    step.ifPresent(s -> methods.add(attendBackward()));
    return methods;
  }

  @Override
  public List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step) {
    return products(new VectorDenseKernel(), true, step);
  }

  /** The two products with weights, forward and (when training reaches them) backward. */
  private List<MethodSpec> products(DenseKernel kernel, boolean simd, Optional<BackwardPlan.Step> step) {
    Modifier[] modifiers = simd ? new Modifier[] {Modifier.STATIC} : new Modifier[] {Modifier.PRIVATE, Modifier.STATIC};
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(productForward(kernel, modifiers, "Projection", projection,
        "the queries, keys and values {@code x · W + b} of {@code count} rows (every step of every sample)"));
    methods.add(productForward(kernel, modifiers, "Output", output,
        "the output projection of the heads' results, {@code count} rows"));
    if (step.isPresent()) {
      boolean accumulateParameters = step.get().accumulatesParameters();
      methods.add(productBackward(kernel, modifiers, "OutputBackward", output, true, false, accumulateParameters,
          "the output projection's weight and bias gradients, and the gradient of the heads' results"));
      boolean propagate = step.get().propagatesToInput();
      methods.add(productBackward(kernel, modifiers, "ProjectionBackward", projection, propagate,
          step.get().accumulatesIntoInput(), accumulateParameters,
          "the query, key and value weights' and biases' gradients" + (propagate ? ", and the input gradient" : "")));
    }
    return methods;
  }

  private MethodSpec productForward(DenseKernel kernel, Modifier[] modifiers, String suffix, DenseNames names,
      String doc) {
    return MethodSpec.methodBuilder(base + suffix).addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Forward: $L.\n", comment, doc)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(kernel.forward(names, p, Activation.LINEAR))
        .build();
  }

  private MethodSpec productBackward(DenseKernel kernel, Modifier[] modifiers, String suffix, DenseNames names,
      boolean propagate, boolean accumulate, boolean accumulateParameters, String doc) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + suffix).addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Backward over {@code count} rows: $L.\n", comment, doc)
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

  private String minusInfinity() {
    return p == Precision.FLOAT ? "Float.NEGATIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
  }

  /** The keys query {@code i} may see end before this: every step, or up to itself when causal. */
  private String keyLimit() {
    return layer.causal() ? "i + 1" : steps;
  }

  private MethodSpec attend() {
    String f = p.keyword();
    MethodSpec.Builder method = MethodSpec.methodBuilder(base + "Attend").addModifiers(Modifier.PRIVATE,
            Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Each head's softmax of {@code q · k / √keyDim} over the keys each query may see$L,"
            + " kept in {@code a}, and the values summed with those weights into {@code context}. A query that"
            + " may see no key gets zero weights.\n", comment, layer.masked() ? " (not padding)" : "")
        .addParameter(p.arrayType(), "qkv");
    if (layer.masked()) {
      method.addParameter(p.arrayType(), "ids").addParameter(int.class, "idsOffset");
    }
    method.addParameter(p.arrayType(), "a");
    if (dropMask != null) {
      method.addParameter(p.arrayType(), "drop");
    }
    method.addParameter(p.arrayType(), "context").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int h = 0; h < $L; h++)", heads)
        .beginControlFlow("for (int i = 0; i < $L; i++)", steps)
        .addStatement("int query = (b * $L + i) * $L + h * $L", steps, qkvUnits, keyDim)
        .addStatement("int row = ((b * $L + h) * $L + i) * $L", heads, steps, steps)
        .addStatement("$L max = $L", f, minusInfinity())
        .beginControlFlow("for (int j = 0; j < $L; j++)", keyLimit());
    if (layer.masked()) {
      method.beginControlFlow("if (ids[idsOffset + b * $L + j] == 0)", steps)
          .addComment("Padding: no weight.")
          .addStatement("a[row + j] = $L", minusInfinity())
          .addStatement("continue")
          .endControlFlow();
    }
    method.addStatement("int key = (b * $L + j) * $L + $L + h * $L", steps, qkvUnits, inner, keyDim)
        .addStatement("$L dot = $L", f, p.literal(0))
        .beginControlFlow("for (int c = 0; c < $L; c++)", keyDim)
        .addStatement("dot += qkv[query + c] * qkv[key + c]")
        .endControlFlow()
        .addStatement("$L score = dot * $L", f, scale)
        .addStatement("a[row + j] = score")
        .addStatement("max = Math.max(max, score)")
        .endControlFlow();
    if (layer.causal()) {
      method.addComment("Later steps: no weight (causal).")
          .addStatement("$T.fill(a, row + i + 1, row + $L, $L)", Arrays.class, steps, p.literal(0));
    }
    method.addComment("Softmax, the maximum subtracted so that exp never overflows.")
        .addStatement("$L sum = $L", f, p.literal(0))
        .beginControlFlow("for (int j = 0; j < $L; j++)", keyLimit())
        .addStatement("$L e = max == $L ? $L : $L", f, minusInfinity(), p.literal(0),
            p.fromDouble("Math.exp(a[row + j] - max)"))
        .addStatement("a[row + j] = e")
        .addStatement("sum += e")
        .endControlFlow()
        .addStatement("$L inverse = sum > $L ? $L / sum : $L", f, p.literal(0), p.literal(1), p.literal(0))
        .addStatement("int out = (b * $L + i) * $L + h * $L", steps, inner, keyDim)
        .addStatement("$T.fill(context, out, out + $L, $L)", Arrays.class, keyDim, p.literal(0))
        .beginControlFlow("for (int j = 0; j < $L; j++)", keyLimit())
        .addStatement("$L w = a[row + j] * inverse", f)
        .addStatement("a[row + j] = w")
        .addCode(dropMask == null ? CodeBlock.of("")
            : CodeBlock.of("$L kept = drop == null ? w : w * drop[row + j];\n", f))
        .addStatement("int value = (b * $L + j) * $L + 2 * $L + h * $L", steps, qkvUnits, inner, keyDim)
        .beginControlFlow("for (int c = 0; c < $L; c++)", keyDim)
        .addStatement("context[out + c] += $L * qkv[value + c]", dropMask == null ? "w" : "kept")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    return method.build();
  }

  private MethodSpec attendBackward() {
    String f = p.keyword();
    return MethodSpec.methodBuilder(base + "AttendBackward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward through the weighted sums and the softmax: from the gradient of the heads'"
            + " results {@code dContext}, the gradient of the queries, keys and values {@code dQkv}"
            + " (written; padding and, when causal, later keys have zero weight and get nothing).\n", comment)
        .addParameter(p.arrayType(), "qkv").addParameter(p.arrayType(), "a")
        .addParameters(dropMask == null ? List.of()
            : List.of(com.palantir.javapoet.ParameterSpec.builder(p.arrayType(), "drop").build()))
        .addParameter(p.arrayType(), "dContext").addParameter(p.arrayType(), "dQkv")
        .addParameter(p.arrayType(), "dScores").addParameter(int.class, "count")
        .addStatement("$T.fill(dQkv, 0, count * $L * $L, $L)", Arrays.class, steps, qkvUnits, p.literal(0))
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int h = 0; h < $L; h++)", heads)
        .beginControlFlow("for (int i = 0; i < $L; i++)", steps)
        .addStatement("int query = (b * $L + i) * $L + h * $L", steps, qkvUnits, keyDim)
        .addStatement("int row = ((b * $L + h) * $L + i) * $L", heads, steps, steps)
        .addStatement("int out = (b * $L + i) * $L + h * $L", steps, inner, keyDim)
        .addComment("dA[j] = dContext · v[j], and each value's gradient gets its weight times dContext.")
        .addStatement("$L weighted = $L", f, p.literal(0))
        .beginControlFlow("for (int j = 0; j < $L; j++)", keyLimit())
        .addStatement("$L w = a[row + j]", f)
        .addStatement("int value = (b * $L + j) * $L + 2 * $L + h * $L", steps, qkvUnits, inner, keyDim)
        .addStatement("$L d = $L", f, p.literal(0))
        .addCode(dropMask == null ? CodeBlock.of("") : CodeBlock.of("$L kept = w * drop[row + j];\n", f))
        .beginControlFlow("for (int c = 0; c < $L; c++)", keyDim)
        .addStatement("d += dContext[out + c] * qkv[value + c]")
        .addStatement("dQkv[value + c] += $L * dContext[out + c]", dropMask == null ? "w" : "kept")
        .endControlFlow()
        .addStatement(dropMask == null ? "dScores[j] = d" : "dScores[j] = d * drop[row + j]")
        .addStatement(dropMask == null ? "weighted += w * d" : "weighted += w * dScores[j]")
        .endControlFlow()
        .addComment("Through the softmax: dS[j] = A[j] · (dA[j] − Σ A · dA), then the scale and q · k.")
        .beginControlFlow("for (int j = 0; j < $L; j++)", keyLimit())
        .addStatement("$L ds = a[row + j] * (dScores[j] - weighted) * $L", f, scale)
        .beginControlFlow("if (ds == $L)", p.literal(0))
        .addStatement("continue")
        .endControlFlow()
        .addStatement("int key = (b * $L + j) * $L + $L + h * $L", steps, qkvUnits, inner, keyDim)
        .beginControlFlow("for (int c = 0; c < $L; c++)", keyDim)
        .addStatement("dQkv[query + c] += ds * qkv[key + c]")
        .addStatement("dQkv[key + c] += ds * qkv[query + c]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }
}
