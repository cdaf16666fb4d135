package dev.nnet.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.LossSpec;
import dev.nnet.processor.ir.RuntimeObject;
import dev.nnet.processor.ir.Shape;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.ParameterSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Writes the Java class for one checked network: constants for every shape and offset, flat
 * parameter and gradient arrays, preallocated workspaces, and per layer a forward and a backward
 * method. Never reports errors: it only sees networks that passed every check.
 */
public final class NetworkClassWriter {
  /** The name in {@code @Generated}: the processor that runs this writer. */
  public static final String GENERATOR = "dev.nnet.processor.apt.NnetProcessor";

  /** Rows one thread's inference workspace holds; larger batches are predicted in chunks. */
  static final int INFERENCE_ROWS = 32;

  private static final String RUNTIME = "dev.nnet.runtime";
  private static final ClassName NETWORK = ClassName.get(RUNTIME, "Network");
  private static final ClassName DOUBLE_NETWORK = ClassName.get(RUNTIME, "DoubleNetwork");
  private static final ClassName PARAMETER_TENSOR = ClassName.get(RUNTIME, "ParameterTensor");
  private static final ClassName LOSS = ClassName.get(RUNTIME + ".loss", "Loss");
  /** The dropout mask stream, reseedable without allocating (a step reseeds it). */
  static final ClassName TRAINING_RANDOM = ClassName.get(RUNTIME + ".init", "TrainingRandom");
  private static final ClassName CATEGORICAL_CROSS_ENTROPY =
      ClassName.get(RUNTIME + ".loss", "CategoricalCrossEntropy");
  private static final ClassName TRAINING_CONFIG = ClassName.get(RUNTIME + ".train", "TrainingConfig");
  private static final ClassName SEEDS = ClassName.get(RUNTIME + ".init", "Seeds");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName REGULARIZER = ClassName.get(RUNTIME + ".regularize", "Regularizer");
  private static final ClassName MAX_NORM = ClassName.get(RUNTIME + ".regularize", "MaxNorm");
  private static final ClassName WORKSPACE = ClassName.bestGuess("Workspace");

  private final NetworkModel model;
  private final Precision p;
  private final DenseKernel kernel;
  /** The Vector API kernel, or null when the class is generated without one. */
  private final DenseKernel vectorKernel;
  private final BackwardPlan plan;
  private final List<Layer> layers;
  private final boolean fusedSoftmax;
  /** Whether the network declares several outputs (side by side in each output sample). */
  private final boolean multi;
  /** With several outputs: per output, the buffer of its targets and (fused) of its probabilities. */
  private final String[] targetBuffer;
  private final String[] probabilityBuffer;
  private final NameAllocator names = new NameAllocator();
  private final NameAllocator methodNames = new NameAllocator();

  // Per layer index: where its output lives (array expression and offset) and its gradient.
  private final String[] valueArray;
  private final String[] valueOffset;
  private final String[] gradientField;
  private final String[] bufferField;
  private final String[] methodBase;
  private final String[] maskField;
  /** For dense layers whose activation's derivative needs its input (swish, gelu): x · W + b. */
  private final String[] linearField;
  /** For normalisation layers: the normalised values and the inverse standard deviations. */
  private final String[] normalizedField;
  private final String[] inverseStdField;
  /** With several inputs: a workspace buffer per input, each input copied there contiguously. */
  private final String[] inputBuffer;
  /** For convolutions, pools and spatial dropout: their code (see {@link SpatialCode}). */
  private final SpatialCode[] spatialCode;
  /** For recurrent and embedding layers: their code (see {@link SequenceLayerCode}). */
  private final SequenceLayerCode[] sequenceCode;

  private NetworkClassWriter(NetworkModel model, Precision precision, boolean vector) {
    this.model = model;
    this.p = precision;
    this.kernel = new ScalarDenseKernel();
    // Vector kernels are float-only: the double variant exists for gradient checks, not speed.
    this.vectorKernel = vector && precision == Precision.FLOAT ? new VectorDenseKernel() : null;
    this.plan = BackwardPlan.of(model);
    this.layers = model.layers();
    this.multi = model.outputs().size() > 1;
    this.fusedSoftmax = !multi && model.training().loss().fusedSoftmax();
    this.targetBuffer = new String[model.outputs().size()];
    this.probabilityBuffer = new String[model.outputs().size()];
    int n = layers.size();
    valueArray = new String[n];
    valueOffset = new String[n];
    gradientField = new String[n];
    bufferField = new String[n];
    methodBase = new String[n];
    maskField = new String[n];
    linearField = new String[n];
    normalizedField = new String[n];
    inverseStdField = new String[n];
    inputBuffer = new String[model.networkInputs().size()];
    spatialCode = new SpatialCode[n];
    sequenceCode = new SequenceLayerCode[n];
    for (String reserved : List.of("parameters", "gradients", "batchCapacity", "trainingWorkspace",
        "inference", "random", "outputs", "input", "inputOffset", "count", "training", "ws", "seed", "state")) {
      names.newName(reserved, reserved);
    }
    if (inputBuffer.length > 1) {
      for (int k = 0; k < inputBuffer.length; k++) {
        inputBuffer[k] = names.newName(camel(model.networkInputs().get(k).name()), "input" + k);
      }
    }
    for (int k = 0; multi && k < model.outputs().size(); k++) {
      String camel = camel(layers.get(model.outputs().get(k)).name());
      targetBuffer[k] = names.newName(camel + "Targets", "targets" + k);
      if (lossOf(k).fusedSoftmax()) {
        probabilityBuffer[k] = names.newName(camel + "Probabilities", "probabilities" + k);
      }
    }
    for (int i = 0; i < n; i++) {
      Layer layer = layers.get(i);
      String camel = camel(layer.name());
      methodBase[i] = methodNames.newName(camel, "method" + i);
      if (BackwardPlan.isAlias(layer)) {
        // Flatten and reshape read the same memory in another shape: they share their input's buffers.
        int source = model.inputsOf(i).get(0);
        valueArray[i] = arrayOf(source);
        valueOffset[i] = offsetOf(source);
        gradientField[i] = source < 0 ? null : gradientField[source];
      } else {
        bufferField[i] = names.newName(camel, "buffer" + i);
        valueArray[i] = "ws." + bufferField[i];
        if (layer instanceof Layer.Dense dense && dense.activation().kind().needsInput()) {
          linearField[i] = names.newName(camel + "Linear", "linear" + i);
        }
        if (layer instanceof Layer.Normalization) {
          normalizedField[i] = names.newName(camel + "Normalized", "normalized" + i);
          inverseStdField[i] = names.newName(camel + "InverseStd", "inverseStd" + i);
        }
        if (layer instanceof Layer.Recurrent recurrent) {
          sequenceCode[i] = new RecurrentCode(recurrent, methodBase[i], camel, sourceComment(layer), names, p,
              vectorKernel != null);
        } else if (layer instanceof Layer.Embedding embedding) {
          sequenceCode[i] = new EmbeddingCode(embedding, methodBase[i], sourceComment(layer), p);
        } else if (layer instanceof Layer.TimeDistributed distributed) {
          sequenceCode[i] = new TimeDistributedCode(distributed, methodBase[i], sourceComment(layer), p,
              vectorKernel != null);
        } else if (TransformerCode.handles(layer)) {
          sequenceCode[i] = TransformerCode.of(layer, methodBase[i], camel, sourceComment(layer), names, p,
              vectorKernel != null);
        } else if (layer instanceof Layer.Upsampling upsampling) {
          sequenceCode[i] = new UpsamplingCode(upsampling, methodBase[i], sourceComment(layer), p);
        } else if (layer instanceof Layer.TransposedConvolution transposed) {
          sequenceCode[i] = new TransposedConvolutionCode(transposed, methodBase[i], camel, sourceComment(layer), names,
              p);
        }
        valueOffset[i] = "0";
        gradientField[i] = plan.needsOutputGradient(i) ? names.newName(camel + "Gradient", "gradient" + i) : null;
      }
      if (layer instanceof Layer.Dropout) {
        maskField[i] = names.newName(camel + "Mask", "mask" + i);
      }
      if (layer instanceof Layer.GaussianSample) {
        maskField[i] = names.newName(camel + "Epsilon", "epsilon" + i);
      }
      if (SpatialCode.handles(layer)) {
        spatialCode[i] = new SpatialCode(layer, p, names, methodBase[i], camel, sourceComment(layer),
            vectorKernel != null, plan.stepOf(i).orElse(null), className(model, precision));
      }
    }
  }

  private LossSpec lossOf(int k) {
    return model.training().losses().get(k);
  }

  /** Whether layer {@code i} is an output whose loss is fused with its softmax in training. */
  private boolean fusedAt(int i) {
    int k = model.outputs().indexOf(i);
    return k >= 0 && lossOf(k).fusedSoftmax();
  }

  /** The array holding value {@code value}: a network input or a layer's output. */
  private String arrayOf(int value) {
    if (value >= 0) {
      return valueArray[value];
    }
    return inputBuffer.length > 1 ? "ws." + inputBuffer[-value - 1] : "input";
  }

  private String offsetOf(int value) {
    if (value >= 0) {
      return valueOffset[value];
    }
    return inputBuffer.length > 1 ? "0" : "inputOffset";
  }

  /** The array holding input {@code k} of layer {@code i}. */
  private String inArray(int i, int k) {
    return arrayOf(model.inputsOf(i).get(k));
  }

  private String inOffset(int i, int k) {
    return offsetOf(model.inputsOf(i).get(k));
  }

  /** The gradient buffer of input {@code k} of layer {@code i} (null for the network input). */
  private String inGradient(int i, int k) {
    int source = model.inputsOf(i).get(k);
    return source < 0 ? null : gradientField[source];
  }

  /**
   * The class in the given precision; the double variant exists for gradient checks. With
   * {@code vector}, float classes also get Vector API kernels, chosen at run time when
   * {@code jdk.incubator.vector} is present; compiling them needs that module visible to javac.
   */
  public static JavaFile write(NetworkModel model, Precision precision, boolean vector) {
    return new NetworkClassWriter(model, precision, vector).file();
  }

  /** The generated class's simple name: the network's name, plus {@code Double} for that variant. */
  public static String className(NetworkModel model, Precision precision) {
    return model.name() + precision.classSuffix();
  }

  private JavaFile file() {
    TypeSpec.Builder type = TypeSpec.classBuilder(className(model, p))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(p == Precision.FLOAT ? NETWORK : DOUBLE_NETWORK)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", GENERATOR)
            .addMember("comments", "$S", model.sourceFileName())
            .build())
        .addJavadoc(classJavadoc());
    addConstants(type);
    addFields(type);
    addConstructors(type);
    addAccessors(type);
    addInitialize(type);
    addPredict(type);
    addComputeGradients(type);
    addForward(type);
    addBackward(type);
    addLayerMethods(type);
    PreprocessingCode.addAdapt(type, model, p, methodBase);
    TextStageCode.addMethods(type, model, p);
    addCheckRange(type);
    type.addType(workspace());
    if (vectorKernel != null) {
      type.addType(simd());
    }
    return JavaFile.builder(model.packageName(), type.build())
        .addFileComment("Generated by nnet from $L. Do not edit.", model.sourceFileName())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  // ---------------------------------------------------------------- the class Javadoc

  private CodeBlock classJavadoc() {
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add("The network {@code $L} declared in {@code $L}", model.name(), model.sourceFileName());
    doc.add(p == Precision.DOUBLE ? ", computed in double precision for gradient checks.\n\n" : ".\n\n");
    doc.add("<pre>\n");
    String format = "%-14s %-10s %-12s %12s %14s\n";
    doc.add("$L", String.format(Locale.ROOT, format, "layer", "kind", "output", "parameters", "FLOPs/sample"));
    for (int k = 0; k < model.networkInputs().size(); k++) {
      doc.add("$L", String.format(Locale.ROOT, format, model.networkInputs().get(k).name(), "input",
          model.inputDescription(k), 0, 0));
    }
    long parameters = model.parameterCount();
    for (Layer layer : layers) {
      long count = layer.parameters().stream().mapToLong(ParameterSlot::size).sum();
      doc.add("$L", String.format(Locale.ROOT, format, layer.name(), kind(layer), layer.outputShape(),
          String.format(Locale.ROOT, "%,d", count), String.format(Locale.ROOT, "%,d", layer.forwardFlops())));
    }
    doc.add("$L", String.format(Locale.ROOT, format, "total", "", "",
        String.format(Locale.ROOT, "%,d", parameters), String.format(Locale.ROOT, "%,d", model.forwardFlops())));
    doc.add("</pre>\n\n");
    doc.add("<p>Training: $L, $L, batch $L, $L epochs.\n",
        model.training().loss().loss(), model.training().optimizer(),
        model.training().batchSize(), model.training().epochs());
    return doc.build();
  }

  private static String kind(Layer layer) {
    if (layer instanceof Layer.Dense dense) {
      return "dense";
    }
    if (layer instanceof Layer.ActivationLayer activation) {
      return activation.activation().keyword();
    }
    if (layer instanceof Layer.Normalization norm) {
      return norm.batch() ? "batch_norm" : "layer_norm";
    }
    if (layer instanceof Layer.Recurrent recurrent) {
      return recurrent.cell().keyword() + (recurrent.reverse() ? " (rev)" : "");
    }
    if (layer instanceof Layer.Embedding) {
      return "embedding";
    }
    if (layer instanceof Layer.TimeDistributed) {
      return "time_distributed";
    }
    if (layer instanceof Layer.Add || layer instanceof Layer.Multiply || layer instanceof Layer.Concat
        || layer instanceof Layer.Reshape) {
      return layer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
    if (layer instanceof Layer.Preprocessing stage) {
      return stage.stage().keyword();
    }
    if (SpatialCode.handles(layer)) {
      return SpatialCode.kind(layer);
    }
    if (layer instanceof Layer.GaussianNoise) {
      return "gaussian_noise";
    }
    if (layer instanceof Layer.GaussianSample) {
      return "gaussian_sample";
    }
    if (layer instanceof Layer.Upsampling) {
      return "upsampling2d";
    }
    if (layer instanceof Layer.TransposedConvolution) {
      return "conv2d_transpose";
    }
    if (TransformerCode.handles(layer)) {
      return TransformerCode.kind(layer);
    }
    return layer instanceof Layer.Dropout ? "dropout" : "flatten";
  }

  // ---------------------------------------------------------------- constants and fields

  private void addConstants(TypeSpec.Builder type) {
    type.addField(constant(String.class, "NAME", CodeBlock.of("$S", model.name()), "The declared network name."));
    if (p == Precision.FLOAT) {
      type.addField(constant(String.class, "FINGERPRINT", CodeBlock.of("$S", model.fingerprint()),
          "A hash of the architecture; model files saved from this class carry it."));
    }
    type.addField(intConstant("INPUT_SIZE", model.inputSize(), "Values in one input sample: " + model.networkInputs()
        .stream().map(input -> "{@code " + input.name() + "} " + input.shape())
        .reduce((a, b) -> a + ", then " + b).orElseThrow() + "."));
    if (model.networkInputs().size() > 1) {
      for (var input : model.networkInputs()) {
        String prefix = NetworkChecker.constant(input.name());
        type.addField(intConstant(prefix + "_INPUT_OFFSET", input.offset(),
            "Where {@code " + input.name() + "} starts within a sample of the input."));
        type.addField(intConstant(prefix + "_INPUT_SIZE", input.shape().size(),
            "Values of {@code " + input.name() + "} " + input.shape() + " per sample."));
      }
    }
    type.addField(intConstant("OUTPUT_SIZE", model.outputSize(), "Values in one output sample: " + model.outputs()
        .stream().map(i -> "{@code " + layers.get(i).name() + "} " + layers.get(i).outputShape())
        .reduce((a, b) -> a + ", then " + b).orElseThrow() + "."));
    if (multi) {
      int outputAt = 0;
      int targetAt = 0;
      for (int k = 0; k < model.outputs().size(); k++) {
        Layer out = layers.get(model.outputs().get(k));
        String prefix = NetworkChecker.constant(out.name());
        type.addField(intConstant(prefix + "_OUTPUT_OFFSET", outputAt,
            "Where {@code " + out.name() + "} starts within an output sample."));
        type.addField(intConstant(prefix + "_TARGET_OFFSET", targetAt,
            "Where the targets of {@code " + out.name() + "} start within a target sample."));
        type.addField(intConstant(prefix + "_TARGET_SIZE", lossOf(k).targetWidth(),
            "Target values of {@code " + out.name() + "} per sample, as " + lossOf(k).loss().keyword() + " reads them."));
        outputAt += out.outputShape().size();
        targetAt += lossOf(k).targetWidth();
      }
    }
    type.addField(intConstant("TARGET_SIZE", model.training().targetWidth(),
        multi ? "Target values per sample: every output's targets side by side."
            : model.training().loss().targetWidth() == 1 && model.outputShape().size() > 1
            ? "Target values per sample: one class index, as " + model.training().loss().loss().keyword() + " reads it."
            : "Target values per sample, as " + model.training().loss().loss().keyword() + " reads them."));
    type.addField(intConstant("PARAMETER_COUNT", model.parameterCount(), "Length of the flat parameter array."));
    type.addField(intConstant("DEFAULT_BATCH_CAPACITY", model.training().batchSize(),
        "The batch size of the train block: the capacity {@code new " + className(model, p) + "()} gets."));
    long widest = model.inputSize();
    for (Layer layer : layers) {
      widest = Math.max(widest, layer.outputShape().size());
      widest = Math.max(widest, SpatialCode.widestBuffer(layer));
      widest = Math.max(widest, TransformerCode.widestBuffer(layer));
    }
    for (Layer layer : layers) {
      if (layer instanceof Layer.Recurrent recurrent) { // its gate buffers hold every step
        widest = Math.max(widest, (long) recurrent.steps() * recurrent.gateWidth());
      }
    }
    type.addField(intConstant("MAX_BATCH_CAPACITY", (int) (Integer.MAX_VALUE / widest),
        "The largest capacity whose buffers still fit in a Java array."));
    // A network used twice shares its layers' parameters: their offsets are declared once.
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (Layer layer : layers) {
      String prefix = NetworkChecker.constant(layer.name());
      String where = sourceComment(layer);
      if (layer instanceof Layer.Dense dense) {
        type.addField(intConstant(prefix + "_INPUTS", dense.inputs(), where + ": input width."));
        type.addField(intConstant(prefix + "_UNITS", dense.units(), where + ": output width."));
        for (ParameterSlot slot : dense.parameters()) {
          if (!declared.add(slot.constantName())) {
            continue;
          }
          type.addField(intConstant(slot.constantName(), slot.offset(),
              "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
        }
      } else if (layer instanceof Layer.Normalization norm) {
        type.addField(intConstant(prefix + "_SIZE", norm.outputShape().size(), where + ": values per sample."));
        type.addField(intConstant(prefix + "_FEATURES", norm.features(), where + ": features normalised apart (the last axis)."));
        type.addField(intConstant(prefix + "_ROWS", norm.rows(), where + ": rows of features in one sample."));
        type.addField(FieldSpec.builder(double.class, prefix + "_EPSILON", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("$L: added to the variance before its square root.\n", where)
            .initializer("$L", norm.epsilon()).build());
        if (norm.batch()) {
          type.addField(FieldSpec.builder(double.class, prefix + "_MOMENTUM", Modifier.PUBLIC, Modifier.STATIC,
                  Modifier.FINAL)
              .addJavadoc("$L: share of the running statistics each training batch keeps.\n", where)
              .initializer("$L", norm.momentum()).build());
        }
        for (ParameterSlot slot : norm.parameters()) {
          if (!declared.add(slot.constantName())) {
            continue;
          }
          type.addField(intConstant(slot.constantName(), slot.offset(),
              "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
        }
        for (ParameterSlot slot : norm.state()) {
          if (!declared.add(slot.constantName())) {
            continue;
          }
          type.addField(intConstant(slot.constantName(), slot.offset(),
              "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the state array."));
        }
      } else if (layer instanceof Layer.ActivationLayer || layer instanceof Layer.Add
          || layer instanceof Layer.Multiply || layer instanceof Layer.Concat) {
        type.addField(intConstant(prefix + "_SIZE", layer.outputShape().size(), where + ": values per sample."));
      } else if (layer instanceof Layer.Preprocessing stage) {
        PreprocessingCode.addConstants(type, stage, where, declared);
      } else if (SpatialCode.handles(layer)) {
        spatialCode[layers.indexOf(layer)].constants(declared).forEach(type::addField);
      } else if (layer instanceof Layer.Dropout dropout) {
        type.addField(intConstant(prefix + "_SIZE", dropout.outputShape().size(), where + ": values per sample."));
        type.addField(FieldSpec.builder(double.class, prefix + "_RATE",
                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("$L: share of values dropped in training.\n", where)
            .initializer("$L", dropout.rate()).build());
      } else if (layer instanceof Layer.GaussianNoise noise) {
        NoiseCode.addConstants(type, noise, prefix, where);
      } else if (layer instanceof Layer.GaussianSample sample) {
        SampleCode.addConstants(type, sample, prefix, where);
      }
    }
    for (SequenceLayerCode code : sequenceCode) {
      if (code != null) {
        code.addConstants(type, declared);
      }
    }
    if (model.stateCount() > 0) {
      type.addField(intConstant("STATE_COUNT", model.stateCount(), "Length of the flat state array."));
    }
    if (p == Precision.FLOAT && model.stateCount() > 0) {
      type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), PARAMETER_TENSOR),
              "STATE_TENSORS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer(tensorList(model.state())).build());
    }
    if (p == Precision.FLOAT) {
      CodeBlock.Builder tensors = CodeBlock.builder().add("$T.of(", List.class).indent();
      List<ParameterSlot> slots = model.parameters();
      for (int i = 0; i < slots.size(); i++) {
        ParameterSlot slot = slots.get(i);
        tensors.add("\nnew $T($S, $L, $T.of($L))$L", PARAMETER_TENSOR, slot.tensorName(), slot.constantName(),
            List.class, String.join(", ", slot.shape().stream().map(String::valueOf).toList()),
            i + 1 < slots.size() ? "," : "");
      }
      tensors.unindent().add(")");
      type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), PARAMETER_TENSOR),
              "PARAMETER_TENSORS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer(tensors.build()).build());
    }
    if (vectorKernel != null) {
      type.addField(FieldSpec.builder(boolean.class, "VECTOR", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Whether the Vector API kernels run: true when the JVM has {@code jdk.incubator.vector}\n"
              + "({@code java --add-modules jdk.incubator.vector}) unless {@code -Dnnet.vector=false}.\n")
          .initializer("$T.boot().findModule($S).isPresent()\n&& !$S.equals(System.getProperty($S))",
              ModuleLayer.class, "jdk.incubator.vector", "false", "nnet.vector")
          .build());
    }
    type.addField(FieldSpec.builder(int.class, "INFERENCE_ROWS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Rows each thread's inference workspace holds; bigger batches go in chunks.\n")
        .initializer("$L", INFERENCE_ROWS).build());
    for (Penalty penalty : penalties()) {
      type.addField(FieldSpec.builder(REGULARIZER, penalty.constant(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("$L: $L on {@code $L}.\n", sourceComment(penalty.layer()), penalty.regularizer(),
              penalty.slot().tensorName())
          .initializer(regularizer(penalty.regularizer())).build());
    }
    java.util.Set<ParameterSlot> constraintFields = new java.util.HashSet<>();
    for (Layer layer : layers) {
      if (layer instanceof Layer.Dense dense && dense.maxNorm().isPresent() && constraintFields.add(dense.weights())) {
        type.addField(FieldSpec.builder(MAX_NORM, constraintConstant(dense), Modifier.PRIVATE, Modifier.STATIC,
                Modifier.FINAL)
            .addJavadoc("$L: the norm of each unit's incoming weights stays at most $L.\n", sourceComment(dense),
                dense.maxNorm().getAsDouble())
            .initializer("new $T($L)", MAX_NORM, dense.maxNorm().getAsDouble()).build());
      }
    }
    if (multi) {
      List<String> perOutput = new ArrayList<>();
      List<String> outputWidths = new ArrayList<>();
      List<String> targetWidths = new ArrayList<>();
      for (int k = 0; k < model.outputs().size(); k++) {
        Layer out = layers.get(model.outputs().get(k));
        String prefix = NetworkChecker.constant(out.name());
        type.addField(FieldSpec.builder(LOSS, prefix + "_LOSS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The loss of the output {@code $L}.\n", out.name())
            .initializer(construct(lossOf(k).loss())).build());
        perOutput.add(prefix + "_LOSS");
        outputWidths.add(width(model.outputs().get(k)));
        targetWidths.add(prefix + "_TARGET_SIZE");
      }
      type.addField(FieldSpec.builder(LOSS, "LOSS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The outputs' losses, summed (for evaluation; training computes them output by output).\n")
          .initializer("new $T($T.of($L), new int[] {$L}, new int[] {$L})", ClassName.get(RUNTIME + ".loss", "SplitLoss"),
              List.class, String.join(", ", perOutput), String.join(", ", outputWidths), String.join(", ", targetWidths))
          .build());
    } else {
      type.addField(FieldSpec.builder(LOSS, "LOSS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc(fusedSoftmax
              ? "The loss on predicted probabilities (validation); training fuses it with the softmax.\n"
              : "The loss of the train block.\n")
          .initializer(construct(model.training().loss().loss())).build());
    }
  }

  private static CodeBlock tensorList(List<ParameterSlot> slots) {
    CodeBlock.Builder tensors = CodeBlock.builder().add("$T.of(", List.class).indent();
    for (int i = 0; i < slots.size(); i++) {
      ParameterSlot slot = slots.get(i);
      tensors.add("\nnew $T($S, $L, $T.of($L))$L", PARAMETER_TENSOR, slot.tensorName(), slot.constantName(),
          List.class, String.join(", ", slot.shape().stream().map(String::valueOf).toList()),
          i + 1 < slots.size() ? "," : "");
    }
    return tensors.unindent().add(")").build();
  }

  /** A weight penalty on one tensor. */
  private record Penalty(Layer layer, ParameterSlot slot, dev.nnet.processor.ir.Regularizer regularizer,
      String constant) {}

  /** The weight penalties a dense or convolution layer declares on its kernel and bias. */
  private static void addPenalties(List<Penalty> penalties, Layer layer, ParameterSlot weights,
      Optional<ParameterSlot> bias, Optional<dev.nnet.processor.ir.Regularizer> kernelRegularizer,
      Optional<dev.nnet.processor.ir.Regularizer> biasRegularizer) {
    String prefix = NetworkChecker.constant(layer.name());
    kernelRegularizer.ifPresent(r -> penalties.add(new Penalty(layer, weights, r, prefix + "_KERNEL_REGULARIZER")));
    if (bias.isPresent()) {
      biasRegularizer.ifPresent(r -> penalties.add(new Penalty(layer, bias.get(), r, prefix + "_BIAS_REGULARIZER")));
    }
  }

  private List<Penalty> penalties() {
    List<Penalty> penalties = new ArrayList<>();
    java.util.Set<ParameterSlot> seen = new java.util.HashSet<>();
    for (Layer layer : layers) {
      if (layer instanceof Layer.Dense dense && seen.add(dense.weights())) {
        addPenalties(penalties, dense, dense.weights(), dense.bias(), dense.kernelRegularizer(), dense.biasRegularizer());
      }
      if (layer instanceof Layer.Convolution conv && seen.add(conv.weights())) {
        addPenalties(penalties, conv, conv.weights(), conv.bias(), conv.kernelRegularizer(), conv.biasRegularizer());
      }
      if (layer instanceof Layer.TransposedConvolution t && seen.add(t.weights())) {
        addPenalties(penalties, t, t.weights(), t.bias(), t.kernelRegularizer(), t.biasRegularizer());
      }
    }
    return penalties;
  }

  /** Named after the weights, so layers sharing them share the constraint too. */
  private static String constraintConstant(Layer.Dense dense) {
    return dense.weights().constantName().replace("_WEIGHTS_OFFSET", "") + "_KERNEL_CONSTRAINT";
  }

  private static CodeBlock regularizer(dev.nnet.processor.ir.Regularizer r) {
    String pkg = RUNTIME + ".regularize";
    if (r.l1() != 0 && r.l2() != 0) {
      return CodeBlock.of("new $T($L, $L)", ClassName.get(pkg, "L1L2"), r.l1(), r.l2());
    }
    return r.l1() != 0
        ? CodeBlock.of("new $T($L)", ClassName.get(pkg, "L1"), r.l1())
        : CodeBlock.of("new $T($L)", ClassName.get(pkg, "L2"), r.l2());
  }

  /** {@code Accuracy.INSTANCE} or {@code new Adam(0.001, 0.9, 0.999, 1.0E-7)}. */
  static CodeBlock construct(RuntimeObject object) {
    ClassName type = ClassName.get(object.packageName(), object.className());
    return object.singleton()
        ? CodeBlock.of("$T.INSTANCE", type)
        : CodeBlock.of("new $T($L)", type, String.join(", ", object.arguments()));
  }

  private static FieldSpec constant(Class<?> type, String name, CodeBlock value, String doc) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer(value).build();
  }

  /** A public static final int of the generated class, with its Javadoc; shared by the layer code classes. */
  static FieldSpec intConstant(String name, int value, String doc) {
    return constant(int.class, name, CodeBlock.of("$L", value), doc);
  }

  private void addFields(TypeSpec.Builder type) {
    // Assigned by the constructor: a replica shares its original's array (data-parallel training).
    type.addField(FieldSpec.builder(p.arrayType(), "parameters", Modifier.PRIVATE, Modifier.FINAL).build());
    type.addField(FieldSpec.builder(p.arrayType(), "gradients", Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $L[PARAMETER_COUNT]", p.keyword()).build());
    if (model.stateCount() > 0) {
      type.addField(FieldSpec.builder(p.arrayType(), "state", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc(PreprocessingCode.stateJavadoc(model, "Running statistics of the batch normalisation layers")
              + ": saved with the model, never trained.\n")
          .initializer("new $L[STATE_COUNT]", p.keyword()).build());
    }
    type.addField(int.class, "batchCapacity", Modifier.PRIVATE, Modifier.FINAL);
    type.addField(FieldSpec.builder(WORKSPACE, "trainingWorkspace", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Forward values of the last training batch, kept for the backward pass.\n").build());
    for (int i = 0; i < layers.size(); i++) {
      if (gradientField[i] != null && bufferField[i] != null) {
        type.addField(FieldSpec.builder(p.arrayType(), gradientField[i], Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("Gradient of the loss with respect to {@code $L}.\n", layers.get(i).name()).build());
      }
      if (spatialCode[i] != null) {
        spatialCode[i].addTrainingFields(type);
      }
      if (layers.get(i) instanceof Layer.Dropout) {
        type.addField(FieldSpec.builder(p.arrayType(), maskField(i), Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("Which values {@code $L} kept in the last training batch (0 or the rescale factor).\n",
                layers.get(i).name()).build());
      }
      if (layers.get(i) instanceof Layer.GaussianSample) {
        type.addField(FieldSpec.builder(p.arrayType(), maskField(i), Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The standard normal draws of {@code $L} in the last training batch.\n", layers.get(i).name())
            .build());
      }
    }
    if (fusedSoftmax) {
      type.addField(FieldSpec.builder(p.arrayType(), "outputs", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Softmax probabilities of the last training batch (the fused loss writes them).\n").build());
    }
    if (multi) {
      type.addField(FieldSpec.builder(p.arrayType(), "outputs", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Every output of the last training batch, side by side in each sample.\n").build());
      for (int k = 0; k < model.outputs().size(); k++) {
        String name = layers.get(model.outputs().get(k)).name();
        type.addField(FieldSpec.builder(p.arrayType(), targetBuffer[k], Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The targets of {@code $L}, copied out of each target sample.\n", name).build());
        if (probabilityBuffer[k] != null) {
          type.addField(FieldSpec.builder(p.arrayType(), probabilityBuffer[k], Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc("Softmax probabilities of {@code $L} (the fused loss writes them).\n", name).build());
        }
      }
    }
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), WORKSPACE),
            "inference", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("One workspace per predicting thread, so inference is thread-safe.\n")
        .initializer("$T.withInitial(() -> new Workspace(INFERENCE_ROWS))", ThreadLocal.class).build());
    if (hasSample()) {
      SampleCode.addFields(type);
    }
    if (!penalties().isEmpty() || hasSample()) {
      type.addField(FieldSpec.builder(p.type(), "regularizationLoss", Modifier.PRIVATE)
          .addJavadoc("The weight penalties of the last training batch, reported apart from the data loss.\n").build());
    }
    type.addField(FieldSpec.builder(TRAINING_RANDOM, "random", Modifier.PRIVATE,
            Modifier.FINAL)
        .addJavadoc("Draws dropout masks; reseeded in place by {@link #seedTraining} before every step.\n")
        .initializer("new $T()", TRAINING_RANDOM).build());
  }

  private String maskField(int index) {
    return maskField[index];
  }

  private void addConstructors(TypeSpec.Builder type) {
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A network for batches up to the train block's batch size, initialized with seed 0.\n")
        .addStatement("this(DEFAULT_BATCH_CAPACITY)").build());
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A network that trains on batches of up to {@code batchCapacity} samples, initialized with seed 0.\n")
        .addParameter(int.class, "batchCapacity")
        .addStatement("this(batchCapacity, new $L[PARAMETER_COUNT])", p.keyword())
        .addStatement("initialize(0L)").build());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addJavadoc("A network that reads and updates {@code parameters}, owned or shared with a {@link #replica}'s original.\n")
        .addParameter(int.class, "batchCapacity")
        .addParameter(p.arrayType(), "parameters")
        .beginControlFlow("if (batchCapacity < 1 || batchCapacity > MAX_BATCH_CAPACITY)")
        .addStatement("throw new $T(\"batch capacity must be from 1 to \" + MAX_BATCH_CAPACITY + \", but got \" + batchCapacity)",
            IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("this.parameters = parameters")
        .addStatement("this.batchCapacity = batchCapacity")
        .addStatement("this.trainingWorkspace = new Workspace(batchCapacity)");
    for (int i = 0; i < layers.size(); i++) {
      if (gradientField[i] != null && bufferField[i] != null) {
        constructor.addStatement("this.$L = new $L[batchCapacity * $L]", gradientField[i], p.keyword(), width(i));
      }
      if (layers.get(i) instanceof Layer.Dropout || layers.get(i) instanceof Layer.GaussianSample) {
        constructor.addStatement("this.$L = new $L[batchCapacity * $L]", maskField(i), p.keyword(), width(i));
      }
      if (spatialCode[i] != null) {
        spatialCode[i].allocateTrainingFields(constructor);
      }
    }
    if (fusedSoftmax || multi) {
      constructor.addStatement("this.outputs = new $L[batchCapacity * OUTPUT_SIZE]", p.keyword());
    }
    for (int k = 0; multi && k < model.outputs().size(); k++) {
      String prefix = NetworkChecker.constant(layers.get(model.outputs().get(k)).name());
      constructor.addStatement("this.$L = new $L[batchCapacity * $L_TARGET_SIZE]", targetBuffer[k], p.keyword(), prefix);
      if (probabilityBuffer[k] != null) {
        constructor.addStatement("this.$L = new $L[batchCapacity * $L]", probabilityBuffer[k], p.keyword(),
            width(model.outputs().get(k)));
      }
    }
    for (SequenceLayerCode code : sequenceCode) {
      if (code != null) {
        code.addTrainingBuffers(type, constructor);
      }
    }
    type.addMethod(constructor.build());
    if (p == Precision.FLOAT) {
      addReplica(type);
    }
  }

  /**
   * Data-parallel training gives each thread a replica: the same parameter array (so an optimizer
   * step is seen by all at once), its own gradients, workspaces, random stream and state copy.
   */
  private void addReplica(TypeSpec.Builder type) {
    type.addMethod(override("replicable", TypeName.BOOLEAN).addStatement("return true").build());
    String name = className(model, p);
    // Not bestGuess: a network may be named in lower case.
    MethodSpec.Builder replica = override("replica", ClassName.get(model.packageName(), name))
        .addJavadoc("A network for another training thread: it shares this network's parameters (the same array)\n"
            + "and has its own gradients, workspaces$L and dropout random stream.\n",
            model.stateCount() > 0 ? ", a copy of the running statistics" : "");
    if (model.stateCount() > 0) {
      replica.addStatement("$L replica = new $L(batchCapacity, parameters)", name, name)
          .addStatement("$T.arraycopy(state, 0, replica.state, 0, STATE_COUNT)", System.class)
          .addStatement("return replica");
    } else {
      replica.addStatement("return new $L(batchCapacity, parameters)", name);
    }
    type.addMethod(replica.build());
  }

  /** Whether a gaussian_sample layer adds its KL term to the loss. */
  private boolean hasSample() {
    return firstSample() >= 0;
  }

  private int firstSample() {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Layer.GaussianSample) {
        return i;
      }
    }
    return -1;
  }

  /** The constant naming layer {@code i}'s output width. */
  private String width(int i) {
    Layer layer = layers.get(i);
    String prefix = NetworkChecker.constant(layer.name());
    if (sequenceCode[i] != null) {
      return sequenceCode[i].width();
    }
    if (layer instanceof Layer.Dense) {
      return prefix + "_UNITS";
    } else if (SpatialCode.handles(layer)) {
      return prefix + "_SIZE";
    } else if (layer instanceof Layer.Dropout || layer instanceof Layer.ActivationLayer || layer instanceof Layer.Add
        || layer instanceof Layer.Multiply || layer instanceof Layer.Concat || layer instanceof Layer.Normalization) {
      return prefix + "_SIZE";
    } else if (layer instanceof Layer.GaussianNoise || layer instanceof Layer.GaussianSample) {
      return prefix + "_SIZE";
    }
    return String.valueOf(layer.outputShape().size());
  }

  // ---------------------------------------------------------------- simple accessors

  private void addAccessors(TypeSpec.Builder type) {
    boolean f = p == Precision.FLOAT;
    type.addMethod(override("name", ClassName.get(String.class)).addStatement("return NAME").build());
    if (f) {
      type.addMethod(override("fingerprint", ClassName.get(String.class)).addStatement("return FINGERPRINT").build());
    }
    type.addMethod(override("inputSize", TypeName.INT).addStatement("return INPUT_SIZE").build());
    type.addMethod(override("outputSize", TypeName.INT).addStatement("return OUTPUT_SIZE").build());
    type.addMethod(override("parameterCount", TypeName.INT).addStatement("return PARAMETER_COUNT").build());
    type.addMethod(override("parameters", p.arrayType()).addStatement("return parameters").build());
    type.addMethod(override("gradients", p.arrayType()).addStatement("return gradients").build());
    if (model.stateCount() > 0 && f) {
      type.addMethod(override("state", p.arrayType()).addStatement("return state").build());
      type.addMethod(override("stateTensors", ParameterizedTypeName.get(ClassName.get(List.class), PARAMETER_TENSOR))
          .addStatement("return STATE_TENSORS").build());
    }
    if (f) {
      type.addMethod(override("parameterTensors", ParameterizedTypeName.get(ClassName.get(List.class), PARAMETER_TENSOR))
          .addStatement("return PARAMETER_TENSORS").build());
      type.addMethod(override("batchCapacity", TypeName.INT).addStatement("return batchCapacity").build());
      type.addMethod(override("trainingOutputs", p.arrayType())
          .addStatement("return $L", fusedSoftmax || multi ? "outputs" : "trainingWorkspace." + bufferOf(layers.size() - 1))
          .build());
      if (multi) {
        type.addMethod(override("outputCount", TypeName.INT).addStatement("return $L", model.outputs().size()).build());
      }
      type.addMethod(override("loss", LOSS).addStatement("return LOSS").build());
      type.addMethod(override("targetSize", TypeName.INT).addStatement("return TARGET_SIZE").build());
      type.addMethod(override("trainingConfig", TRAINING_CONFIG)
          .addJavadoc("The train block: $L.\n", model.training().optimizer())
          .addStatement("return $L", trainingConfig())
          .build());
    }
    if (!penalties().isEmpty() || hasSample()) {
      type.addMethod(override("regularizationLoss", p.type()).addStatement("return regularizationLoss").build());
    }
    if (hasSample()) {
      type.addMethod(SampleCode.accessor());
    }
    java.util.Set<ParameterSlot> constrainedSlots = new java.util.HashSet<>();
    List<Layer.Dense> constrained = layers.stream()
        .filter(l -> l instanceof Layer.Dense d && d.maxNorm().isPresent()).map(l -> (Layer.Dense) l)
        .filter(d -> constrainedSlots.add(d.weights())).toList();
    if (!constrained.isEmpty() && f) {
      MethodSpec.Builder constraints = override("applyConstraints", TypeName.VOID);
      for (Layer.Dense dense : constrained) {
        String prefix = NetworkChecker.constant(dense.name());
        constraints.addComment("$L", sourceComment(dense));
        constraints.addStatement("$L.apply(parameters, $L, $L_INPUTS, $L_UNITS)", constraintConstant(dense),
            dense.weights().constantName(), prefix, prefix);
      }
      type.addMethod(constraints.build());
    }
    type.addMethod(override("seedTraining", TypeName.VOID).addParameter(long.class, "seed")
        .addStatement("random.reseed(seed)").build());
  }

  /** The workspace field holding layer {@code i}'s output (following flatten to its source). */
  private String bufferOf(int i) {
    return valueArray[i].substring("ws.".length());
  }

  private CodeBlock trainingConfig() {
    var training = model.training();
    CodeBlock.Builder code = CodeBlock.builder().add("new $T($L, $L, $L)", TRAINING_CONFIG,
        construct(training.optimizer()), training.batchSize(), training.epochs());
    code.indent().indent();
    if (!training.metrics().isEmpty()) {
      code.add("\n.withMetrics($T.of($L))", List.class,
          training.metrics().stream().map(m -> construct(m).toString()).reduce((a, b) -> a + ", " + b).orElseThrow());
    }
    training.schedule().ifPresent(schedule -> code.add("\n.withSchedule($L)", construct(schedule)));
    training.clipNorm().ifPresent(v -> code.add("\n.withClipNorm($L)", v));
    training.clipValue().ifPresent(v -> code.add("\n.withClipValue($L)", v));
    training.validationSplit().ifPresent(v -> code.add("\n.withValidationSplit($L)", v));
    if (!training.shuffle()) {
      code.add("\n.withShuffle(false)");
    }
    if (!training.classWeights().isEmpty()) {
      code.add("\n.withClassWeights(new float[] {$L})", String.join(", ",
          training.classWeights().stream().map(w -> p.literal(w).replace("f", "") + "f").toList()));
    }
    return code.unindent().unindent().build();
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
  }

  // ---------------------------------------------------------------- initialize

  private void addInitialize(TypeSpec.Builder type) {
    MethodSpec.Builder method = override("initialize", TypeName.VOID).addParameter(long.class, "seed");
    method.addComment("Each tensor draws from its own seed, so adding a layer leaves the others' values unchanged.");
    for (ParameterSlot slot : model.parameters()) {
      ClassName runtimeClass = ClassName.get(RUNTIME + ".init", slot.initializer().runtimeClass());
      CodeBlock initializer = slot.initializer().value().isPresent()
          ? CodeBlock.of("new $T($L)", runtimeClass, slot.initializer().value().getAsDouble())
          : CodeBlock.of("$T.INSTANCE", runtimeClass);
      method.addStatement("$L.fill(parameters, $L, $L, $L, $L, $T.derive(seed, $S))", initializer,
          slot.constantName(), slot.size(), slot.fanIn(), slot.fanOut(), SEEDS, slot.tensorName());
    }
    for (SequenceLayerCode code : sequenceCode) {
      if (code != null) {
        method.addCode(code.afterInitialize());
      }
    }
    for (ParameterSlot slot : model.state()) {
      method.addStatement("$T.INSTANCE.fill(state, $L, $L, $L, $L, 0L)",
          ClassName.get(RUNTIME + ".init", slot.initializer().runtimeClass()), slot.constantName(), slot.size(),
          slot.fanIn(), slot.fanOut());
    }
    type.addMethod(method.build());
  }

  // ---------------------------------------------------------------- predict

  /** Copies {@code rows} predicted samples of every output, side by side, into {@code array} from {@code at}. */
  private CodeBlock gatherOutputs(String array, String at, String rows) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (!multi) {
      return code.addStatement("$T.arraycopy($L, 0, $L, $L, $L * OUTPUT_SIZE)", System.class,
          valueArray[layers.size() - 1], array, at, rows).build();
    }
    code.beginControlFlow("for (int b = 0; b < $L; b++)", rows);
    for (int k = 0; k < model.outputs().size(); k++) {
      int i = model.outputs().get(k);
      String prefix = NetworkChecker.constant(layers.get(i).name());
      String source = valueArray[i];
      code.addStatement("$T.arraycopy($L, b * $L, $L, $L + b * OUTPUT_SIZE + $L_OUTPUT_OFFSET, $L)", System.class,
          source, width(i), array, at, prefix, width(i));
    }
    return code.endControlFlow().build();
  }

  private void addPredict(TypeSpec.Builder type) {
    type.addMethod(override("predict", TypeName.VOID)
        .addParameter(p.arrayType(), "input").addParameter(int.class, "inputOffset")
        .addParameter(p.arrayType(), "output").addParameter(int.class, "outputOffset")
        .addStatement("checkRange($S, input.length, inputOffset, INPUT_SIZE)", "input")
        .addStatement("checkRange($S, output.length, outputOffset, OUTPUT_SIZE)", "output")
        .addStatement("Workspace ws = inference.get()")
        .addStatement("forward(ws, input, inputOffset, 1, false)")
        .addCode(gatherOutputs("output", "outputOffset", "1"))
        .build());
    if (p == Precision.DOUBLE) {
      return;
    }
    type.addMethod(override("predictBatch", TypeName.VOID)
        .addParameter(p.arrayType(), "inputs").addParameter(int.class, "inputOffset")
        .addParameter(p.arrayType(), "outputs").addParameter(int.class, "outputOffset")
        .addParameter(int.class, "count")
        .beginControlFlow("if (count < 0)")
        .addStatement("throw new $T(\"count must be >= 0, but got \" + count)", IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("checkRange($S, inputs.length, inputOffset, (long) count * INPUT_SIZE)", "inputs")
        .addStatement("checkRange($S, outputs.length, outputOffset, (long) count * OUTPUT_SIZE)", "outputs")
        .addStatement("Workspace ws = inference.get()")
        .beginControlFlow("for (int done = 0; done < count; done += INFERENCE_ROWS)")
        .addStatement("int rows = Math.min(INFERENCE_ROWS, count - done)")
        .addStatement("forward(ws, inputs, inputOffset + done * INPUT_SIZE, rows, false)")
        .addCode(gatherOutputs("outputs", "outputOffset + done * OUTPUT_SIZE", "rows"))
        .endControlFlow()
        .build());
  }

  /** After a multi-output training batch: every output, side by side, for {@code trainingOutputs()}. */
  private CodeBlock gatherTrainingOutputs() {
    CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("for (int b = 0; b < count; b++)");
    for (int k = 0; k < model.outputs().size(); k++) {
      int i = model.outputs().get(k);
      String prefix = NetworkChecker.constant(layers.get(i).name());
      String source = probabilityBuffer[k] != null ? probabilityBuffer[k] : valueArray[i];
      code.addStatement("$T.arraycopy($L, b * $L, outputs, b * OUTPUT_SIZE + $L_OUTPUT_OFFSET, $L)", System.class, source,
          width(i), prefix, width(i));
    }
    return code.endControlFlow().build();
  }

  private void addCheckRange(TypeSpec.Builder type) {
    type.addMethod(MethodSpec.methodBuilder("checkRange").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("Fails with a message naming the argument when {@code [offset, offset + size)} is outside the array.\n")
        .addParameter(String.class, "what").addParameter(int.class, "length")
        .addParameter(int.class, "offset").addParameter(long.class, "size")
        .beginControlFlow("if (offset < 0 || offset + size > length)")
        .addStatement("throw new $T(what + \": needs \" + size + \" values from offset \" + offset"
            + " + \", but the array holds \" + length)", IndexOutOfBoundsException.class)
        .endControlFlow()
        .build());
  }

  // ---------------------------------------------------------------- computeGradients

  private void addComputeGradients(TypeSpec.Builder type) {
    int last = layers.size() - 1;
    type.addMethod(override("computeGradients", p.type())
        .addParameter(p.arrayType(), "inputs").addParameter(int.class, "inputOffset")
        .addParameter(p.arrayType(), "targets").addParameter(int.class, "targetOffset")
        .addParameter(int.class, "count")
        .addStatement("return computeGradients(inputs, inputOffset, targets, targetOffset, null, count)")
        .build());
    MethodSpec.Builder method = (p == Precision.FLOAT ? override("computeGradients", p.type())
            : MethodSpec.methodBuilder("computeGradients").addModifiers(Modifier.PUBLIC).returns(p.type())
                .addJavadoc("As the float class's: a weight per sample, or null for all 1.\n"))
        .addParameter(p.arrayType(), "inputs").addParameter(int.class, "inputOffset")
        .addParameter(p.arrayType(), "targets").addParameter(int.class, "targetOffset")
        .addParameter(p.arrayType(), "sampleWeights")
        .addParameter(int.class, "count")
        .beginControlFlow("if (count < 1 || count > batchCapacity)")
        .addStatement("throw new $T(\"count must be from 1 to the batch capacity \" + batchCapacity"
            + " + \", but got \" + count)", IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("checkRange($S, inputs.length, inputOffset, (long) count * INPUT_SIZE)", "inputs")
        .addStatement("checkRange($S, targets.length, targetOffset, (long) count * TARGET_SIZE)", "targets")
        .beginControlFlow("if (sampleWeights != null)")
        .addStatement("checkRange($S, sampleWeights.length, 0, count)", "sampleWeights")
        .endControlFlow()
        .addStatement("Workspace ws = trainingWorkspace")
        .addStatement("forward(ws, inputs, inputOffset, count, true)");
    if (multi) {
      method.addStatement("$L loss = 0", p.keyword());
      for (int k = 0; k < model.outputs().size(); k++) {
        int i = model.outputs().get(k);
        String prefix = NetworkChecker.constant(layers.get(i).name());
        method.addComment("$L", sourceComment(layers.get(i)));
        method.beginControlFlow("for (int b = 0; b < count; b++)")
            .addStatement("$T.arraycopy(targets, targetOffset + b * TARGET_SIZE + $L_TARGET_OFFSET, $L, b * $L_TARGET_SIZE,"
                + " $L_TARGET_SIZE)", System.class, prefix, targetBuffer[k], prefix, prefix)
            .endControlFlow();
        if (lossOf(k).fusedSoftmax()) {
          ClassName fused = lossOf(k).fusion() == LossSpec.Fusion.SOFTMAX_SPARSE
              ? ClassName.get(RUNTIME + ".loss", "SparseCategoricalCrossEntropy") : CATEGORICAL_CROSS_ENTROPY;
          method.addStatement("loss += $T.softmaxValueAndGradient($L, $L, 0, sampleWeights, $L, $L, count, $L)", fused,
              valueArray[i], targetBuffer[k], probabilityBuffer[k], gradientField[i], width(i));
        } else if (gradientField[i] == null) {
          method.addComment("Nothing before this output is trained: its loss counts, but no gradient flows back.");
          method.addStatement("loss += $L_LOSS.value($L, $L, 0, sampleWeights, count, $L)", prefix,
              valueArray[i], targetBuffer[k], width(i));
        } else {
          method.addStatement("loss += $L_LOSS.valueAndGradient($L, $L, 0, sampleWeights, $L, count, $L)", prefix,
              valueArray[i], targetBuffer[k], gradientField[i], width(i));
        }
      }
      method.addCode(gatherTrainingOutputs());
    } else if (fusedSoftmax) {
      ClassName fused = model.training().loss().fusion() == LossSpec.Fusion.SOFTMAX_SPARSE
          ? ClassName.get(RUNTIME + ".loss", "SparseCategoricalCrossEntropy") : CATEGORICAL_CROSS_ENTROPY;
      method.addComment("Softmax and cross-entropy fused: stable for large logits, and the gradient is p - t.");
      method.addStatement("$L loss = $T.softmaxValueAndGradient($L, targets, targetOffset, sampleWeights, outputs, $L,"
              + " count, OUTPUT_SIZE)", p.keyword(), fused, valueArray[last], gradientField[last]);
    } else {
      method.addStatement("$L loss = LOSS.valueAndGradient($L, targets, targetOffset, sampleWeights, $L, count,"
              + " OUTPUT_SIZE)", p.keyword(), valueArray[last], gradientField[last]);
    }
    method.addComment("Each layer writes its own gradients, so nothing needs clearing first.")
        .addStatement("backward(inputs, inputOffset, count)");
    List<Penalty> penalties = penalties();
    if (!penalties.isEmpty()) {
      method.addComment("Weight penalties: added to the gradients, reported apart from the data loss.");
      method.addStatement("double penalty = 0");
      for (Penalty penalty : penalties) {
        String size = penalty.layer() instanceof Layer.TransposedConvolution t
            ? TransposedConvolutionCode.penaltySize(t, penalty.slot())
            : penalty.layer() instanceof Layer.Convolution conv
            ? (penalty.slot() == conv.weights() ? NetworkChecker.constant(conv.name()) + "_PATCH * " : "")
                + NetworkChecker.constant(conv.name()) + "_FILTERS"
            : penalty.slot() == ((Layer.Dense) penalty.layer()).weights()
            ? NetworkChecker.constant(penalty.layer().name()) + "_INPUTS * " + NetworkChecker.constant(penalty.layer().name()) + "_UNITS"
            : NetworkChecker.constant(penalty.layer().name()) + "_UNITS";
        method.addStatement("penalty += $L.penalty(parameters, $L, $L)", penalty.constant(), penalty.slot().constantName(), size);
        method.addStatement("$L.addGradient(parameters, gradients, $L, $L)", penalty.constant(),
            penalty.slot().constantName(), size);
      }
      method.addStatement("regularizationLoss = $Lpenalty", p == Precision.FLOAT ? "(float) " : "");
    }
    if (hasSample()) {
      method.addComment("The gaussian_sample layers' KL divergence, weighted: its gradient is already in.");
      method.addStatement("regularizationLoss $L $L", penalties.isEmpty() ? "=" : "+=", p.fromDouble("klLoss"));
    }
    method.addStatement("return loss");
    type.addMethod(method.build());
  }

  // ---------------------------------------------------------------- forward and backward passes

  private void addForward(TypeSpec.Builder type) {
    MethodSpec.Builder method = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Runs {@code count} samples from {@code input} through every layer into {@code ws}.\n")
        .addParameter(WORKSPACE, "ws")
        .addParameter(p.arrayType(), "input").addParameter(int.class, "inputOffset")
        .addParameter(int.class, "count").addParameter(boolean.class, "training");
    if (inputBuffer.length > 1) {
      method.addComment("The inputs sit side by side in each sample; each is copied to a contiguous buffer.");
      method.beginControlFlow("for (int b = 0; b < count; b++)");
      for (int k = 0; k < inputBuffer.length; k++) {
        int value = NetworkModel.inputValue(k);
        if (model.inputs().stream().noneMatch(reads -> reads.contains(value))) {
          continue; // an input no layer reads is not copied
        }
        String prefix = NetworkChecker.constant(model.networkInputs().get(k).name());
        method.addStatement("$T.arraycopy(input, inputOffset + b * INPUT_SIZE + $L_INPUT_OFFSET, ws.$L, b * $L_INPUT_SIZE,"
            + " $L_INPUT_SIZE)", System.class, prefix, inputBuffer[k], prefix, prefix);
      }
      method.endControlFlow();
    }
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String inArray = inArray(i, 0);
      String inOffset = inOffset(i, 0);
      method.addComment("$L", sourceComment(layer));
      if (layer instanceof Layer.Dense dense && linearField[i] != null) {
        dispatch(method, CodeBlock.of("$LForward(parameters, $L, $L, ws.$L, count)", methodBase[i], inArray, inOffset,
            linearField[i]));
        method.addStatement("$LActivation(ws.$L, 0, $L, count)", methodBase[i], linearField[i], valueArray[i]);
      } else if (layer instanceof Layer.Dense dense) {
        dispatch(method, CodeBlock.of("$LForward(parameters, $L, $L, $L, count)", methodBase[i], inArray, inOffset,
            valueArray[i]));
        if (fusedAt(i)) {
          method.beginControlFlow("if (!training)")
              .addComment("In training the loss applies softmax itself, fused with the cross-entropy.");
          method.addStatement("$LSoftmax($L, count)", methodBase[i], valueArray[i]);
          method.endControlFlow();
        }
      } else if (layer instanceof Layer.Dropout dropout) {
        String prefix = NetworkChecker.constant(layer.name());
        method.beginControlFlow("if (training)")
            .addComment("Inverted dropout: kept values are scaled by 1 / (1 - rate), so inference is a plain copy.")
            .beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
            .addStatement("$L keep = random.nextDouble() < $L_RATE ? $L : $L", p.keyword(), prefix, p.literal(0),
                p.literal(1.0 / (1.0 - dropout.rate())))
            .addStatement("$L[k] = keep", maskField(i))
            .addStatement("$L[k] = $L[$L] * keep", valueArray[i], inArray, Loops.plus(inOffset, "k"))
            .endControlFlow()
            .nextControlFlow("else")
            .addStatement("$T.arraycopy($L, $L, $L, 0, count * $L_SIZE)", System.class, inArray, inOffset,
                valueArray[i], prefix)
            .endControlFlow();
      } else if (sequenceCode[i] != null) {
        method.addCode(sequenceCode[i].forward(new SequenceLayerCode.Value(inArray, inOffset), ids(i),
            initialStates(i, Optional.empty()), valueArray[i]));
      } else if (layer instanceof Layer.GaussianNoise) {
        method.addCode(NoiseCode.forward(p, NetworkChecker.constant(layer.name()), inArray, inOffset, valueArray[i]));
      } else if (layer instanceof Layer.GaussianSample) {
        method.addCode(SampleCode.forward(p, NetworkChecker.constant(layer.name()), inArray, inOffset, inArray(i, 1),
            inOffset(i, 1), valueArray[i], maskField(i), layers.indexOf(layer) == firstSample()));
      } else if (layer instanceof Layer.ActivationLayer) {
        method.addStatement("$LActivation($L, $L, $L, count)", methodBase[i], inArray, inOffset, valueArray[i]);
      } else if (layer instanceof Layer.Preprocessing stage) {
        method.addStatement(PreprocessingCode.call(stage, methodBase[i], inArray, inOffset, valueArray[i]));
      } else if (layer instanceof Layer.Normalization norm) {
        method.addStatement("$LForward(parameters, $L$L, $L, $L, ws.$L, ws.$L, count$L)", methodBase[i],
            norm.batch() ? "state, " : "", inArray, inOffset, valueArray[i], normalizedField[i], inverseStdField[i],
            norm.batch() ? ", training" : "");
      } else if (layer instanceof Layer.Add || layer instanceof Layer.Multiply) {
        String operator = layer instanceof Layer.Add ? " + " : " * ";
        List<String> terms = new ArrayList<>();
        for (int k = 0; k < model.inputsOf(i).size(); k++) {
          terms.add(inArray(i, k) + "[" + Loops.plus(inOffset(i, k), "k") + "]");
        }
        method.beginControlFlow("for (int k = 0; k < count * $L; k++)", width(i))
            .addStatement("$L[k] = $L", valueArray[i], String.join(operator, terms))
            .endControlFlow();
      } else if (layer instanceof Layer.Concat concat) {
        method.addComment("Each row of the last axis is the inputs' rows side by side.");
        int last = concat.outputShape().dimensions().get(concat.outputShape().rank() - 1);
        int rows = concat.outputShape().size() / last;
        method.beginControlFlow("for (int r = 0; r < count * $L; r++)", rows);
        int at = 0;
        for (int k = 0; k < concat.inputShapes().size(); k++) {
          Shape part = concat.inputShapes().get(k);
          int width = part.dimensions().get(part.rank() - 1);
          method.addStatement("$T.arraycopy($L, $L, $L, $L, $L)", System.class, inArray(i, k),
              Loops.plus(inOffset(i, k), "r * " + width), valueArray[i], Loops.plus("r * " + last, String.valueOf(at)),
              width);
          at += width;
        }
        method.endControlFlow();
      } else if (spatialCode[i] != null) {
        method.addCode(spatialCode[i].forwardCall(inArray, inOffset, valueArray[i]));
      } else {
        method.addComment("$L: the same values read in another shape; nothing to compute.",
            layer instanceof Layer.Flatten ? "Flatten" : "Reshape");
      }
    }
    type.addMethod(method.build());
  }

  private void addBackward(TypeSpec.Builder type) {
    MethodSpec.Builder method = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Back-propagates the loss gradient of the last training batch into {@code gradients}.\n")
        .addParameter(p.arrayType(), "input").addParameter(int.class, "inputOffset")
        .addParameter(int.class, "count")
        .addStatement("Workspace ws = trainingWorkspace");
    for (BackwardPlan.Step step : plan.steps()) {
      int i = step.layerIndex();
      Layer layer = layers.get(i);
      String inArray = inArray(i, 0);
      String inOffset = inOffset(i, 0);
      String inGradient = inGradient(i, 0);
      String assign = step.accumulates().get(0) ? "+=" : "=";
      method.addComment("$L", sourceComment(layer));
      if (layer instanceof Layer.Dense dense) {
        List<String> args = new ArrayList<>(List.of("parameters", "gradients", inArray, inOffset));
        if (appliesActivationDerivative(i)) {
          args.add(linearField[i] != null ? "ws." + linearField[i] : valueArray[i]);
        }
        args.add(gradientField[i]);
        if (step.propagatesToInput()) {
          args.add(inGradient);
        }
        args.add("count");
        dispatch(method, CodeBlock.of("$LBackward($L)", methodBase[i], String.join(", ", args)));
      } else if (sequenceCode[i] != null) {
        method.addCode(sequenceCode[i].backward(step, new SequenceLayerCode.Value(inArray, inOffset), ids(i),
            initialStates(i, Optional.of(step)), valueArray[i], gradientField[i], inGradient));
      } else if (layer instanceof Layer.Dropout) {
        if (step.propagatesToInput()) {
          String prefix = NetworkChecker.constant(layer.name());
          method.beginControlFlow("for (int k = 0; k < count * $L_SIZE; k++)", prefix)
              .addStatement("$L[k] $L $L[k] * $L[k]", inGradient, assign, gradientField[i], maskField(i))
              .endControlFlow();
        }
      } else if (layer instanceof Layer.GaussianNoise) {
        if (step.propagatesToInput()) {
          method.addCode(NoiseCode.backward(NetworkChecker.constant(layer.name()), inGradient, assign, gradientField[i]));
        }
      } else if (layer instanceof Layer.GaussianSample) {
        method.addCode(SampleCode.backward(p, NetworkChecker.constant(layer.name()), inArray, inOffset, inArray(i, 1),
            inOffset(i, 1), gradientField[i], maskField(i), step.propagates().get(0) ? inGradient : null, assign,
            step.propagates().get(1) ? inGradient(i, 1) : null, step.accumulates().get(1) ? "+=" : "="));
      } else if (layer instanceof Layer.ActivationLayer) {
        if (step.propagatesToInput()) {
          method.addStatement("$LActivationBackward($L, $L, $L, $L, $L, count)", methodBase[i], inArray, inOffset,
              valueArray[i], gradientField[i], inGradient);
        }
        // (the method adds to dx when another contribution came first: see its body)
      } else if (layer instanceof Layer.Normalization) {
        method.addStatement("$LBackward(parameters, gradients, ws.$L, ws.$L, $L$L, count)", methodBase[i],
            normalizedField[i], inverseStdField[i], gradientField[i], step.propagatesToInput() ? ", " + inGradient : "");
      } else if (layer instanceof Layer.Add || layer instanceof Layer.Multiply) {
        for (int k = 0; k < model.inputsOf(i).size(); k++) {
          if (!step.propagates().get(k)) {
            continue;
          }
          String term = gradientField[i] + "[k]";
          if (layer instanceof Layer.Multiply) {
            // d(a·b)/da = b: the gradient is scaled by the other factor.
            term += " * " + inArray(i, 1 - k) + "[" + Loops.plus(inOffset(i, 1 - k), "k") + "]";
          }
          method.beginControlFlow("for (int k = 0; k < count * $L; k++)", width(i))
              .addStatement("$L[k] $L $L", inGradient(i, k), step.accumulates().get(k) ? "+=" : "=", term)
              .endControlFlow();
        }
      } else if (layer instanceof Layer.Concat concat) {
        int last = concat.outputShape().dimensions().get(concat.outputShape().rank() - 1);
        int rows = concat.outputShape().size() / last;
        method.beginControlFlow("for (int r = 0; r < count * $L; r++)", rows);
        int at = 0;
        for (int k = 0; k < concat.inputShapes().size(); k++) {
          Shape part = concat.inputShapes().get(k);
          int width = part.dimensions().get(part.rank() - 1);
          if (step.propagates().get(k)) {
            if (step.accumulates().get(k)) {
              method.beginControlFlow("for (int j = 0; j < $L; j++)", width)
                  .addStatement("$L[r * $L + j] += $L[$L + j]", inGradient(i, k), width, gradientField[i],
                      Loops.plus("r * " + last, String.valueOf(at)))
                  .endControlFlow();
            } else {
              method.addStatement("$T.arraycopy($L, $L, $L, r * $L, $L)", System.class, gradientField[i],
                  Loops.plus("r * " + last, String.valueOf(at)), inGradient(i, k), width, width);
            }
          }
          at += width;
        }
        method.endControlFlow();
      } else if (spatialCode[i] != null) {
        method.addCode(spatialCode[i].backwardCall(inArray, inOffset, valueArray[i], gradientField[i], inGradient));
      } else {
        method.addComment("$L: the gradient passes through unchanged.",
            layer instanceof Layer.Flatten ? "Flatten" : "Reshape");
      }
    }
    type.addMethod(method.build());
  }

  /** The token ids a masked recurrent layer reads as its second input. */
  private Optional<SequenceLayerCode.Value> ids(int i) {
    return layers.get(i) instanceof Layer.Recurrent recurrent && recurrent.maskZero()
        || TransformerCode.masked(layers.get(i))
        ? Optional.of(new SequenceLayerCode.Value(inArray(i, 1), inOffset(i, 1))) : Optional.empty();
  }

  /** The inputs a recurrent layer's state starts from (after the sequence and the ids), with their gradients. */
  private List<SequenceLayerCode.InitialState> initialStates(int i, Optional<BackwardPlan.Step> step) {
    List<SequenceLayerCode.InitialState> states = new ArrayList<>();
    if (layers.get(i) instanceof Layer.Recurrent recurrent) {
      int first = recurrent.maskZero() ? 2 : 1;
      for (int k = first; k < first + recurrent.initialStates(); k++) {
        boolean propagates = step.isPresent() && step.get().propagates().get(k);
        states.add(new SequenceLayerCode.InitialState(new SequenceLayerCode.Value(inArray(i, k), inOffset(i, k)),
            propagates ? inGradient(i, k) : null, propagates && step.get().accumulates().get(k)));
      }
    }
    return states;
  }

  /** A call to a kernel method: the Vector API version when it runs, else the scalar one. */
  private void dispatch(MethodSpec.Builder method, CodeBlock call) {
    if (vectorKernel == null) {
      method.addStatement(call);
      return;
    }
    method.beginControlFlow("if (VECTOR)")
        .addStatement("Simd.$L", call)
        .nextControlFlow("else")
        .addStatement(call)
        .endControlFlow();
  }

  /** Whether layer {@code i}'s backward multiplies by its activation's derivative itself. */
  private boolean appliesActivationDerivative(int i) {
    Layer.Dense dense = (Layer.Dense) layers.get(i);
    boolean fusedHere = fusedAt(i);
    return !dense.activation().is(Activation.Kind.LINEAR) && !fusedHere;
  }

  // ---------------------------------------------------------------- per-layer methods

  private void addLayerMethods(TypeSpec.Builder type) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Layer.Preprocessing stage) {
        type.addMethod(PreprocessingCode.forward(stage, p, methodBase[i] + "Forward", sourceComment(stage)));
        continue;
      }
      if (spatialCode[i] != null) {
        spatialCode[i].methods().forEach(type::addMethod);
        continue;
      }
      if (sequenceCode[i] != null) {
        sequenceCode[i].methods(plan.stepOf(i)).forEach(type::addMethod);
        continue;
      }
      if (layers.get(i) instanceof Layer.Normalization norm) {
        NormalizationCode code = new NormalizationCode(norm, p);
        type.addMethod(code.forward(methodBase[i] + "Forward", sourceComment(norm)));
        Optional<BackwardPlan.Step> step = plan.stepOf(i);
        if (step.isPresent()) {
          type.addMethod(code.backward(methodBase[i] + "Backward", sourceComment(norm), step.get().propagatesToInput(),
              step.get().accumulatesIntoInput(), step.get().accumulatesParameters()));
        }
        continue;
      }
      if (layers.get(i) instanceof Layer.ActivationLayer activation) {
        String size = NetworkChecker.constant(activation.name()) + "_SIZE";
        type.addMethod(activationForward(i, activation.activation(), size, activation.outputShape().size()));
        int index = i;
        if (plan.steps().stream().anyMatch(step -> step.layerIndex() == index && step.propagatesToInput())) {
          type.addMethod(activationBackward(i, activation.activation(), size, activation.outputShape().size()));
        }
        continue;
      }
      if (!(layers.get(i) instanceof Layer.Dense dense)) {
        continue;
      }
      if (linearField[i] != null) {
        String units = NetworkChecker.constant(dense.name()) + "_UNITS";
        type.addMethod(activationForward(i, dense.activation(), units, dense.units()));
      }
      DenseNames n = names(dense);
      boolean activateInForward = !fusedAt(i) && linearField[i] == null;
      type.addMethod(denseForward(i, dense, n, activateInForward, kernel));
      if (fusedAt(i)) {
        type.addMethod(MethodSpec.methodBuilder(methodBase[i] + "Softmax")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .addJavadoc("$L: softmax over each of {@code count} rows, in place.\n", sourceComment(dense))
            .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
            .beginControlFlow("for (int b = 0; b < count; b++)")
            .addStatement("int yRow = b * $L", n.units())
            .addCode(ActivationCode.forward(Activation.SOFTMAX, "y", "yRow", dense.units(), n.units(), p))
            .endControlFlow()
            .build());
      }
      if (plan.needsOutputGradient(i)) {
        type.addMethod(denseBackward(i, dense, n, kernel));
      }
    }
  }

  /** {@code y = f(x)} over {@code count} rows, for a standalone activation or after a dense kernel. */
  private MethodSpec activationForward(int i, Activation activation, String size, int width) {
    return MethodSpec.methodBuilder(methodBase[i] + "Activation")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(x)} for each of {@code count} rows.\n",
            sourceComment(layers.get(i)), activation)
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int xRow = xOffset + b * $L", size)
        .addStatement("int yRow = b * $L", size)
        .addCode(ActivationCode.forward(activation, "x", "xRow", "y", "yRow", width, size, p))
        .endControlFlow()
        .build();
  }

  /** {@code dx = dy · f'(x)} over {@code count} rows, for a standalone activation layer. */
  private MethodSpec activationBackward(int i, Activation activation, String size, int width) {
    boolean accumulate = plan.stepOf(i).orElseThrow().accumulatesIntoInput();
    MethodSpec.Builder method = MethodSpec.methodBuilder(methodBase[i] + "ActivationBackward")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: {@code dx $L dy · $L'(x)} for each of {@code count} rows$L.\n",
            sourceComment(layers.get(i)), accumulate ? "+=" : "=", activation.keyword(),
            accumulate ? " (adding: the input's gradient has another contribution)" : "")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(p.arrayType(), "dy").addParameter(p.arrayType(), "dx")
        .addParameter(int.class, "count");
    if (!accumulate) {
      return method.addStatement("$T.arraycopy(dy, 0, dx, 0, count * $L)", System.class, size)
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("int xRow = xOffset + b * $L", size)
          .addStatement("int yRow = b * $L", size)
          .addCode(ActivationCode.backward(activation, "y", "x", "xRow", "dx", "yRow", width, size, p))
          .endControlFlow()
          .build();
    }
    // dy belongs to this layer alone and every reader of it is done: scale it in place, then add.
    return method.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int xRow = xOffset + b * $L", size)
        .addStatement("int yRow = b * $L", size)
        .addCode(ActivationCode.backward(activation, "y", "x", "xRow", "dy", "yRow", width, size, p))
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < count * $L; k++)", size)
        .addStatement("dx[k] += dy[k]")
        .endControlFlow()
        .build();
  }

  /** The nested class of Vector API kernels, one forward and one backward per dense layer. */
  private TypeSpec simd() {
    TypeSpec.Builder simd = TypeSpec.classBuilder("Simd")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Vector API kernels with the same signatures as the scalar ones. Only code guarded by\n"
            + "{@link #VECTOR} calls them, so a JVM without {@code jdk.incubator.vector} never loads this class.\n")
        .addField(FieldSpec.builder(ParameterizedTypeName.get(
                ClassName.get("jdk.incubator.vector", "VectorSpecies"), ClassName.get(Float.class)),
                "SPECIES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.SPECIES_PREFERRED", VectorDenseKernel.FLOAT_VECTOR).build())
        .addField(FieldSpec.builder(int.class, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Floats per vector: 16 with AVX-512, 8 with AVX2; a constant to the JIT.\n")
            .initializer("SPECIES.length()").build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (int i = 0; i < layers.size(); i++) {
      if (sequenceCode[i] != null) {
        sequenceCode[i].vectorMethods(plan.stepOf(i)).forEach(simd::addMethod);
        continue;
      }
      if (!(layers.get(i) instanceof Layer.Dense dense)) {
        continue;
      }
      DenseNames n = names(dense);
      boolean activateInForward = !fusedAt(i) && linearField[i] == null;
      simd.addMethod(denseForward(i, dense, n, activateInForward, vectorKernel));
      if (plan.needsOutputGradient(i)) {
        simd.addMethod(denseBackward(i, dense, n, vectorKernel));
      }
    }
    SpatialCode.addSimdMembers(simd, spatialCode);
    VectorExpCode.addSimdMembers(simd, sequenceCode);
    return simd.build();
  }

  /** Kernel methods are private, except in {@code Simd}, whose methods the outer class calls. */
  private Modifier[] kernelModifiers(DenseKernel kernel) {
    return kernel == vectorKernel ? new Modifier[] {Modifier.STATIC} : new Modifier[] {Modifier.PRIVATE, Modifier.STATIC};
  }

  private static DenseNames names(Layer.Dense dense) {
    String prefix = NetworkChecker.constant(dense.name());
    return new DenseNames(dense, prefix + "_INPUTS", prefix + "_UNITS",
        dense.weights().constantName(), dense.bias().map(ParameterSlot::constantName));
  }

  private MethodSpec denseForward(int i, Layer.Dense dense, DenseNames n, boolean activate, DenseKernel kernel) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(methodBase[i] + "Forward")
        .addModifiers(kernelModifiers(kernel))
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(x · W + b)} for each of {@code count} rows.\n",
            sourceComment(dense), activate ? dense.activation() : "linear")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(kernel.forward(n, p, activate ? dense.activation() : Activation.LINEAR));
    return method.build();
  }

  private MethodSpec denseBackward(int i, Layer.Dense dense, DenseNames n, DenseKernel kernel) {
    boolean propagate = plan.steps().stream().filter(s -> s.layerIndex() == i).findFirst()
        .map(BackwardPlan.Step::propagatesToInput).orElse(false);
    boolean derivative = appliesActivationDerivative(i);
    MethodSpec.Builder method = MethodSpec.methodBuilder(methodBase[i] + "Backward")
        .addModifiers(kernelModifiers(kernel))
        .addJavadoc("$L\n\n<p>Backward: from {@code dy}, the gradient of the layer's output, writes the weight and"
                + " bias gradients into {@code g}$L.\n",
            sourceComment(dense), !propagate ? ""
                : plan.stepOf(i).map(BackwardPlan.Step::accumulatesIntoInput).orElse(false)
                ? " and adds to the input gradient {@code dx} (another contribution came first)"
                : " and writes the input gradient {@code dx}")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    // Swish and gelu need the activation's input (x · W + b, called z) for their derivative.
    String activationValue = linearField[i] != null ? "z" : "y";
    if (derivative) {
      method.addParameter(p.arrayType(), activationValue);
    }
    method.addParameter(p.arrayType(), "dy");
    if (propagate) {
      method.addParameter(p.arrayType(), "dx");
    }
    method.addParameter(int.class, "count");
    if (derivative) {
      method.addComment("dy becomes the gradient before the activation: dy * $L'($L).", dense.activation().keyword(),
              activationValue)
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("int yRow = b * $L", n.units())
          .addCode(ActivationCode.backward(dense.activation(), activationValue, activationValue, "dy", "yRow",
              dense.units(), n.units(), p))
          .endControlFlow();
    }
    boolean accumulate = plan.stepOf(i).map(BackwardPlan.Step::accumulatesIntoInput).orElse(false);
    boolean sharedParameters = plan.stepOf(i).map(BackwardPlan.Step::accumulatesParameters).orElse(false);
    method.addCode(kernel.backward(n, p, propagate, accumulate, sharedParameters));
    return method.build();
  }

  // ---------------------------------------------------------------- workspace

  private TypeSpec workspace() {
    TypeSpec.Builder type = TypeSpec.classBuilder("Workspace")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Every layer's output for up to {@code rows} samples, allocated once.\n");
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addParameter(int.class, "rows");
    for (int k = 0; k < inputBuffer.length && inputBuffer.length > 1; k++) {
      String prefix = NetworkChecker.constant(model.networkInputs().get(k).name());
      type.addField(FieldSpec.builder(p.arrayType(), inputBuffer[k], Modifier.FINAL)
          .addJavadoc("The input {@code $L}, copied out of the flat input.\n", model.networkInputs().get(k).name()).build());
      constructor.addStatement("$L = new $L[rows * $L_INPUT_SIZE]", inputBuffer[k], p.keyword(), prefix);
    }
    for (int i = 0; i < layers.size(); i++) {
      if (bufferField[i] == null) {
        continue;
      }
      type.addField(FieldSpec.builder(p.arrayType(), bufferField[i], Modifier.FINAL)
          .addJavadoc("$L\n", sourceComment(layers.get(i))).build());
      constructor.addStatement("$L = new $L[rows * $L]", bufferField[i], p.keyword(), width(i));
      if (sequenceCode[i] != null) {
        sequenceCode[i].addWorkspace(type, constructor);
      }
      if (normalizedField[i] != null) {
        Layer.Normalization norm = (Layer.Normalization) layers.get(i);
        String prefix = NetworkChecker.constant(norm.name());
        type.addField(FieldSpec.builder(p.arrayType(), normalizedField[i], Modifier.FINAL)
            .addJavadoc("$L: the normalised values, which the backward pass needs.\n", sourceComment(norm)).build());
        constructor.addStatement("$L = new $L[rows * $L]", normalizedField[i], p.keyword(), width(i));
        type.addField(FieldSpec.builder(p.arrayType(), inverseStdField[i], Modifier.FINAL)
            .addJavadoc("$L: 1 / √(variance + ε) per $L.\n", sourceComment(norm), norm.batch() ? "feature" : "row")
            .build());
        constructor.addStatement(norm.batch() ? "$L = new $L[$L_FEATURES]" : "$L = new $L[rows * $L_ROWS]",
            inverseStdField[i], p.keyword(), prefix);
      }
      if (linearField[i] != null) {
        type.addField(FieldSpec.builder(p.arrayType(), linearField[i], Modifier.FINAL)
            .addJavadoc("$L: x · W + b before the $L, which its derivative needs.\n", sourceComment(layers.get(i)),
                ((Layer.Dense) layers.get(i)).activation().keyword()).build());
        constructor.addStatement("$L = new $L[rows * $L]", linearField[i], p.keyword(), width(i));
      }
      if (spatialCode[i] != null) {
        spatialCode[i].addWorkspaceFields(type, constructor);
      }
    }
    return type.addMethod(constructor.build()).build();
  }

  // ---------------------------------------------------------------- helpers

  /** {@code mnist.nnet:7  hidden = dense(x, units: 128, activation: relu)}. */
  private String sourceComment(Layer layer) {
    // Backslashes are doubled so that no unicode escape in the source can end the comment.
    String text = layer.source().replace("\\", "\\\\");
    StringBuilder safe = new StringBuilder();
    for (int k = 0; k < text.length() && safe.length() < 120; k++) {
      char c = text.charAt(k);
      safe.append(c < 0x20 || c == 0x7f || c == '*' && k + 1 < text.length() && text.charAt(k + 1) == '/' ? '?' : c);
    }
    if (safe.length() < text.length()) {
      safe.append(" ...");
    }
    return model.sourceFileName() + ":" + layer.span().line() + "  " + safe;
  }

  /** {@code hidden_layer} → {@code hiddenLayer}. */
  static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.length() == 0 ? "layer" : out.toString();
  }
}
