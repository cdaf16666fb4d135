package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

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
import dev.nnet.processor.ir.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Forward and backward code of the layers that slide a window over a channels-last image
 * {@code [height, width, channels]}: convolutions, pools and spatial dropout.
 *
 * <p>On 16-float vectors most unpadded convolutions are computed directly, without the lowering
 * described first (see "Direct convolution" below). A convolution is lowered to a matrix product: each output position's input patch
 * {@code [kernel height, kernel width, channels]} is copied to a row of a patch matrix
 * ("im2col"), and the kernel, flattened to {@code [patch, filters]}, multiplies it with the
 * same register-blocked kernels as a dense layer ({@link VectorDenseKernel}, or
 * {@link ScalarDenseKernel} without the Vector API). The copy is straight-line code for small
 * kernels (a 3×3 kernel over one channel is nine assignments per position) and costs a few
 * percent of the product (measured on W4: the copy of the first convolution took 43 of about
 * 1,700 profile samples of training steps); in exchange every multiply-add runs in a register-blocked kernel
 * ({@link VectorConvolutionKernel}) with the filters as the contiguous vector axis, the patch as
 * the shared dimension and the batch's positions as rows, so each weight vector loaded feeds up to
 * eight rows.
 *
 * <p>Direct convolution, measured against this path on W4 (issue #6): {@code DirectConvolutionProbe}
 * in the benchmarks module runs direct Vector API kernels (kernel taps unrolled, each a broadcast
 * input value times a contiguous vector of filters, accumulators in registers, no patch matrix)
 * interleaved with this generator's im2col code in one JVM, batch 32, on AVX-512. Median µs per
 * batch over 41 rounds (shared 2-core machine in a quiet moment; a run at load 7 agreed), im2col →
 * direct: 28×28×1 → 26×26×8 forward (with the patch copy) 158 → 93, kernel gradient 115 → 111
 * (even); 13×13×8 → 11×11×16 forward 162 → 111, kernel gradient 122 → 116 (even), input gradient
 * (patch gradient + col2im) 460 → 157. So on 16-float vectors the generator takes the direct
 * forward AND the direct kernel gradient for the shapes {@link DirectConvolutionKernel#form}
 * accepts (no padding or dilation; 8 filters over an even output width and a patch of at most 16
 * values, as W4's first convolution, or whole vectors of filters, as its second): the forward is
 * the gain, and the kernel gradient, even on its own, must go direct with it, since a direct
 * forward writes no patch matrix for it to read (recomputing the patches in the backward would
 * give back the copy the forward saved). The input gradient is direct where
 * {@link DirectConvolutionKernel#inputGradientApplies} (it needs nothing else); otherwise, behind a
 * direct forward, it is the patch gradient {@code dy · Wᵀ} and col2im, which need no patches.
 * {@code GeneratedConvolutionProbe} then timed the generator's own methods, both forms of each
 * shape (median µs per batch of 32, 31 interleaved rounds at load 12–14, im2col → direct):
 * forwards 408 → 210 (W4 first), 414 → 306 (W4 second), 607 → 358 (28×28×1 → 26×26×32), 4,600 →
 * 3,543 (13×13×32 → 11×11×64); kernel gradients even (312 → 259, 309 → 372, 1,129 → 955, 5,064 →
 * 5,088). Whole training steps with the previous generator's class in the same JVM, alternating:
 * W4 1.20× faster, the wide mnist-cnn 1.05× (docs/performance.md). Other vector widths (AVX2's
 * 8 floats) and the scalar fallback keep im2col: the rule and the blocks are sized for 16-float
 * vectors, and the scalar form of a direct loop nest stays slower (C2 does not vectorise it: the
 * offsets differ).
 *
 * <p>The backward pass is the dense backward pass on the patch matrix, then the patches' gradients
 * are added back to the input positions they came from ("col2im"), except where the direct input
 * gradient applies (above). A 1×1 kernel with stride 1
 * reads the input as the patch matrix itself: no copy. Without the Vector API, the scalar dense
 * kernel ({@link ScalarDenseKernel}) multiplies the same patch matrix.
 */
final class SpatialCode {
  private final Layer layer;
  private final Precision p;
  private final String prefix;
  private final String comment;
  private final String method;
  private final boolean vector;
  private final BackwardPlan.Step step;
  /** Convolution: the workspace's patch matrix, and (when propagating) the patch gradient field. */
  private String patches;
  private String patchGradient;
  /** Convolution in a class with Vector API kernels: scratch for the transposed kernel. */
  private String transposed;
  /** Convolution in a class with Vector API kernels: scratch for two rows per vector. */
  private String pairs;
  /**
   * Convolution whose input gradient can skip the patch gradient on 16-float vectors
   * ({@link DirectConvolutionKernel}): scratch for the shifted kernel rows; otherwise null.
   */
  private String directTable;
  /**
   * Convolution whose forward and kernel gradient read the image directly on 16-float vectors
   * ({@link DirectConvolutionKernel#form}); the patch matrix stays for the other paths.
   */
  private boolean directForward;
  /** Convolution with swish or gelu: x · W + b before the activation, which its derivative needs. */
  private String linear;
  /**
   * Max pools: where each output's maximum came from, as an index into the input's gradient, or
   * (with {@link #tapMode}) as the number of the window's value it was, in the precision's type.
   */
  private String argmax;
  /** A max pool whose windows stay inside the input: it records window taps, and has a Simd kernel. */
  private boolean tapMode;
  /** The generated class's name, for the Simd kernels' scalar fallback. */
  private final String className;
  /** Spatial dropout: the factor each channel of each sample was scaled by (0 when dropped). */
  private String mask;

  /**
   * @param step the layer's backward step, or null when it has none
   */
  SpatialCode(Layer layer, Precision precision, NameAllocator names, String methodBase, String camel, String comment,
      boolean vector, BackwardPlan.Step step, String className) {
    this.className = className;
    this.layer = layer;
    this.p = precision;
    this.prefix = NetworkChecker.constant(layer.name());
    this.comment = comment;
    this.method = methodBase;
    this.vector = vector;
    this.step = step;
    if (layer instanceof Layer.Convolution conv) {
      if (!direct(conv)) {
        patches = names.newName(camel + "Patches", camel + "Patches");
        if (step != null && step.propagatesToInput()) {
          patchGradient = names.newName(camel + "PatchGradient", camel + "PatchGradient");
        }
      }
      if (vector) {
        pairs = names.newName(camel + "Pairs", camel + "Pairs");
      }
      directForward = vector && patches != null
          && DirectConvolutionKernel.form(conv.window(), conv.filters()) != DirectConvolutionKernel.Form.NONE;
      if (vector && step != null && step.propagatesToInput()) {
        transposed = names.newName(camel + "KernelTransposed", camel + "KernelTransposed");
        if (patches != null && DirectConvolutionKernel.inputGradientApplies(conv.window())) {
          directTable = names.newName(camel + "ShiftedKernel", camel + "ShiftedKernel");
        }
      }
      if (conv.activation().kind().needsInput()) {
        linear = names.newName(camel + "Linear", camel + "Linear");
      }
    } else if (layer instanceof Layer.Pooling pool && pool.max()) {
      argmax = names.newName(camel + "Argmax", camel + "Argmax");
      tapMode = !pool.global() && !pool.window().padded();
    } else if (layer instanceof Layer.SpatialDropout) {
      mask = names.newName(camel + "Mask", camel + "Mask");
    }
  }

  static boolean handles(Layer layer) {
    return layer instanceof Layer.Convolution || layer instanceof Layer.Pooling || layer instanceof Layer.SpatialDropout;
  }

  /** The kind as written in {@code .nnet} files, for the layer table. */
  static String kind(Layer layer) {
    if (layer instanceof Layer.Convolution conv) {
      return conv.keyword();
    }
    return layer instanceof Layer.Pooling pool ? pool.keyword() : "spatial_dropout2d";
  }

  /** Values in the largest buffer per sample: a convolution's patch matrix can outgrow every output. */
  static long widestBuffer(Layer layer) {
    return layer instanceof Layer.Convolution conv ? (long) conv.window().positions() * conv.window().patch() : 0;
  }

  /** A 1×1 kernel with stride 1: the input already is the patch matrix. */
  private static boolean direct(Layer.Convolution conv) {
    Window w = conv.window();
    return w.kernelHeight() == 1 && w.kernelWidth() == 1 && w.strideHeight() == 1 && w.strideWidth() == 1;
  }

  String width() {
    return prefix + "_SIZE";
  }

  private String c(String suffix) {
    return prefix + "_" + suffix;
  }

  // ---------------------------------------------------------------- constants and buffers

  List<FieldSpec> constants(Set<String> declared) {
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(intConstant(c("SIZE"), layer.outputShape().size(), comment + ": values per sample."));
    if (layer instanceof Layer.SpatialDropout dropout) {
      fields.add(intConstant(c("CHANNELS"), dropout.channels(), comment + ": channels, each dropped as a whole."));
      fields.add(FieldSpec.builder(double.class, c("RATE"), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("$L: share of channels dropped in training.\n", comment)
          .initializer("$L", dropout.rate()).build());
      return fields;
    }
    Window w = layer instanceof Layer.Convolution conv ? conv.window() : ((Layer.Pooling) layer).window();
    fields.add(intConstant(c("INPUT_SIZE"), layer.inputShape().size(), comment + ": input values per sample "
        + layer.inputShape() + "."));
    if (layer instanceof Layer.Convolution conv) {
      fields.add(intConstant(c("POSITIONS"), w.positions(), comment + ": output positions, " + w.outHeight() + " × "
          + w.outWidth() + "."));
      fields.add(intConstant(c("PATCH"), w.patch(), comment + ": input values under the kernel, " + w.kernelHeight()
          + " × " + w.kernelWidth() + " × " + w.channels() + "."));
      fields.add(intConstant(c("FILTERS"), conv.filters(), comment + ": output channels."));
      for (ParameterSlot slot : conv.parameters()) {
        if (declared.add(slot.constantName())) {
          fields.add(intConstant(slot.constantName(), slot.offset(),
              "Offset of {@code " + slot.tensorName() + "} " + slot.shape() + " in the parameter array."));
        }
      }
    } else {
      fields.add(intConstant(c("CHANNELS"), w.channels(), comment + ": channels, pooled apart."));
    }
    return fields;
  }

  /** Buffers in each workspace (training and inference), for {@code rows} samples. */
  void addWorkspaceFields(TypeSpec.Builder type, MethodSpec.Builder constructor) {
    if (patches != null) {
      type.addField(FieldSpec.builder(p.arrayType(), patches, Modifier.FINAL)
          .addJavadoc("$L: each output position's input patch, a row of the patch matrix.\n", comment).build());
      constructor.addStatement("$L = new $L[rows * $L * $L]", patches, p.keyword(), c("POSITIONS"), c("PATCH"));
    }
    if (pairs != null) {
      type.addField(FieldSpec.builder(p.arrayType(), pairs, Modifier.FINAL)
          .addJavadoc("$L: the kernel and bias, each row twice, when two rows of filters fill a vector.\n", comment)
          .build());
      constructor.addStatement("$L = new $L[($L + 1) * 2 * $L]", pairs, p.keyword(), c("PATCH"), c("FILTERS"));
    }
    if (linear != null) {
      type.addField(FieldSpec.builder(p.arrayType(), linear, Modifier.FINAL)
          .addJavadoc("$L: x · W + b before the $L, which its derivative needs.\n", comment,
              ((Layer.Convolution) layer).activation().keyword()).build());
      constructor.addStatement("$L = new $L[rows * $L]", linear, p.keyword(), c("SIZE"));
    }
    if (argmax != null && tapMode) {
      type.addField(FieldSpec.builder(p.arrayType(), argmax, Modifier.FINAL)
          .addJavadoc("$L: per output value, which value of its window was the maximum (0 to $L).\n", comment,
              ((Layer.Pooling) layer).window().kernelHeight() * ((Layer.Pooling) layer).window().kernelWidth() - 1)
          .build());
      constructor.addStatement("$L = new $L[rows * $L]", argmax, p.keyword(), c("SIZE"));
    } else if (argmax != null) {
      type.addField(FieldSpec.builder(int[].class, argmax, Modifier.FINAL)
          .addJavadoc("$L: per output value, the index in the input of the maximum it took.\n", comment).build());
      constructor.addStatement("$L = new int[rows * $L]", argmax, c("SIZE"));
    }
    if (mask != null) {
      type.addField(FieldSpec.builder(p.arrayType(), mask, Modifier.FINAL)
          .addJavadoc("$L: per sample and channel, 0 (dropped) or the rescale factor, in training.\n", comment).build());
      constructor.addStatement("$L = new $L[rows * $L]", mask, p.keyword(), c("CHANNELS"));
    }
  }

  /** The patch gradient lives with the other gradients: training only. */
  void addTrainingFields(TypeSpec.Builder type) {
    if (patchGradient != null) {
      type.addField(FieldSpec.builder(p.arrayType(), patchGradient, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Gradient of the loss with respect to {@code $L}'s patch matrix.\n", layer.name()).build());
    }
    if (transposed != null) {
      type.addField(FieldSpec.builder(p.arrayType(), transposed, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code $L}'s kernel transposed, [filters, patch], for the Vector API backward pass.\n",
              layer.name()).build());
    }
    if (directTable != null) {
      type.addField(FieldSpec.builder(p.arrayType(), directTable, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code $L}'s kernel rows, transposed and shifted, for the direct input gradient.\n",
              layer.name()).build());
    }
  }

  void allocateTrainingFields(MethodSpec.Builder constructor) {
    if (patchGradient != null) {
      constructor.addStatement("this.$L = new $L[batchCapacity * $L * $L]", patchGradient, p.keyword(), c("POSITIONS"),
          c("PATCH"));
    }
    if (transposed != null) {
      constructor.addStatement("this.$L = new $L[$L * $L]", transposed, p.keyword(), c("PATCH"), c("FILTERS"));
    }
    if (directTable != null) {
      constructor.addStatement("this.$L = new $L[$L]", directTable, p.keyword(),
          DirectConvolutionKernel.scratchSize(((Layer.Convolution) layer).window(), ((Layer.Convolution) layer).filters()));
    }
  }

  // ---------------------------------------------------------------- calls from forward and backward

  /** Forward: {@code in} at {@code inOffset} into {@code out}, for {@code count} samples. */
  CodeBlock forwardCall(String in, String inOffset, String out) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (layer instanceof Layer.Convolution conv) {
      String y = linear != null ? "ws." + linear : out;
      if (directForward) {
        code.add("// On 16-float vectors, straight from the image, without the patch matrix: see DirectConvolutionKernel.\n");
        code.beginControlFlow("if (VECTOR && Simd.LANES == $L)", DirectConvolutionKernel.LANES)
            .addStatement("Simd.$LForwardDirect(parameters, $L, $L, $L, count, ws.$L)", method, in, inOffset, y, pairs)
            .nextControlFlow("else");
      }
      String x = in;
      String xOffset = inOffset;
      if (patches != null) {
        code.addStatement("$LPatches($L, $L, ws.$L, count)", method, in, inOffset, patches);
        x = "ws." + patches;
        xOffset = "0";
      }
      CodeBlock call = CodeBlock.of("$LForward(parameters, $L, $L, $L, count * $L", method, x, xOffset, y,
          c("POSITIONS"));
      if (vector) {
        code.beginControlFlow("if (VECTOR)")
            .addStatement("Simd.$L, ws.$L)", call, pairs)
            .nextControlFlow("else")
            .addStatement("$L)", call)
            .endControlFlow();
      } else {
        code.addStatement("$L)", call);
      }
      if (directForward) {
        code.endControlFlow();
      }
      if (linear != null) {
        code.addStatement("$LActivation(ws.$L, $L, count * $L)", method, linear, out, c("POSITIONS"));
      }
    } else if (layer instanceof Layer.Pooling && tapMode && vector) {
      CodeBlock call = CodeBlock.of("$LForward($L, $L, $L, ws.$L, count)", method, in, inOffset, out, argmax);
      code.beginControlFlow("if (VECTOR)").addStatement("Simd.$L", call).nextControlFlow("else").addStatement(call)
          .endControlFlow();
    } else if (layer instanceof Layer.Pooling) {
      code.addStatement("$LForward($L, $L, $L$L, count)", method, in, inOffset, out,
          argmax != null ? ", ws." + argmax : "");
    } else {
      code.addStatement("$LForward($L, $L, $L, ws.$L, count, training ? random : null)", method, in, inOffset, out,
          mask);
    }
    return code.build();
  }

  /**
   * Backward: from {@code dy} (the gradient of {@code out}) into the parameters' gradients and,
   * when the step propagates, the input's gradient {@code dx}.
   */
  CodeBlock backwardCall(String in, String inOffset, String out, String dy, String dx) {
    CodeBlock.Builder code = CodeBlock.builder();
    boolean propagate = step.propagatesToInput();
    if (layer instanceof Layer.Convolution conv) {
      List<String> args = new ArrayList<>(List.of("parameters", "gradients"));
      args.add(patches != null ? "ws." + patches : in);
      args.add(patches != null ? "0" : inOffset);
      if (derivative(conv)) {
        args.add(linear != null ? "ws." + linear : out);
      }
      args.add(dy);
      String rows = "count * " + c("POSITIONS");
      String gradient = patchGradient != null ? patchGradient : dx;
      boolean directInput = directTable != null && !directForward;
      if (directForward) {
        List<String> direct = new ArrayList<>(List.of("parameters", "gradients", in, inOffset));
        if (derivative(conv)) {
          direct.add(linear != null ? "ws." + linear : out);
        }
        direct.addAll(List.of(dy, "count", "ws." + pairs));
        code.add("// On 16-float vectors the forward skipped the patch matrix: the kernel gradient reads the image too.\n");
        code.beginControlFlow("if (VECTOR && Simd.LANES == $L)", DirectConvolutionKernel.LANES)
            .addStatement("Simd.$LBackwardDirect($L)", method, String.join(", ", direct));
        if (directTable != null) {
          code.addStatement("Simd.$LBackwardInputDirect(parameters, $L, $L, $L, count)", method, directTable, dy, dx);
        } else if (propagate) {
          code.addStatement("Simd.$LBackwardInput(parameters, $L, $L, $L, $L)", method, transposed, dy, gradient, rows)
              .addStatement("$LPatchesBackward($L, $L, count)", method, patchGradient, dx);
        }
        code.nextControlFlow("else");
      }
      if (directInput) {
        // On 16-float vectors the input gradient comes straight from dy: see DirectConvolutionKernel.
        code.beginControlFlow("if (VECTOR && Simd.LANES == $L)", DirectConvolutionKernel.LANES)
            .addStatement("Simd.$LBackward($L, $L, ws.$L)", method, String.join(", ", args), rows, pairs)
            .addStatement("Simd.$LBackwardInputDirect(parameters, $L, $L, $L, count)", method, directTable, dy, dx)
            .nextControlFlow("else");
      }
      if (vector) {
        // The Vector API backward pass computes the patch gradient in a method of its own.
        code.beginControlFlow("if (VECTOR)")
            .addStatement("Simd.$LBackward($L, $L, ws.$L)", method, String.join(", ", args), rows, pairs);
        if (propagate) {
          code.addStatement("Simd.$LBackwardInput(parameters, $L, $L, $L, $L)", method, transposed, dy, gradient, rows);
        }
        code.nextControlFlow("else");
      }
      if (propagate) {
        args.add(gradient);
      }
      args.add(rows);
      code.addStatement("$LBackward($L)", method, String.join(", ", args));
      if (vector) {
        code.endControlFlow();
      }
      if (propagate && patchGradient != null) {
        code.addStatement("$LPatchesBackward($L, $L, count)", method, patchGradient, dx);
      }
      if (directInput) {
        code.endControlFlow();
      }
      if (directForward) {
        code.endControlFlow();
      }
    } else if (propagate) {
      code.addStatement("$LBackward($L$L, $L, count)", method, dy,
          argmax != null ? ", ws." + argmax : mask != null ? ", ws." + mask : "", dx);
    }
    return code.build();
  }

  /** Whether the convolution's backward multiplies by its activation's derivative. */
  private static boolean derivative(Layer.Convolution conv) {
    return !conv.activation().is(Activation.Kind.LINEAR);
  }

  // ---------------------------------------------------------------- methods

  /** The methods of the outer class (scalar kernels, patch copies, pools, dropout). */
  List<MethodSpec> methods() {
    List<MethodSpec> methods = new ArrayList<>();
    if (layer instanceof Layer.Convolution conv) {
      if (patches != null) {
        methods.add(patchesForward(conv.window()));
      }
      if (patchGradient != null) {
        methods.add(patchesBackward(conv.window()));
      }
      methods.addAll(kernels(conv, new ScalarDenseKernel()));
      if (linear != null) {
        methods.add(MethodSpec.methodBuilder(method + "Activation").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .addJavadoc("$L\n\n<p>{@code y = $L(z)} for each of {@code rows} rows of filters.\n", comment,
                conv.activation())
            .addParameter(p.arrayType(), "z").addParameter(p.arrayType(), "y").addParameter(int.class, "rows")
            .beginControlFlow("for (int r = 0; r < rows; r++)")
            .addStatement("int row = r * $L", c("FILTERS"))
            .addCode(ActivationCode.forward(conv.activation(), "z", "row", "y", "row", conv.filters(), c("FILTERS"), p))
            .endControlFlow()
            .build());
      }
    } else if (layer instanceof Layer.Pooling pool && tapMode) {
      methods.add(tapPoolForward(pool));
      if (step != null && step.propagatesToInput()) {
        methods.add(tapPoolBackward(pool));
      }
    } else if (layer instanceof Layer.Pooling pool) {
      methods.add(pool.global() ? globalPoolForward(pool) : poolForward(pool));
      if (step != null && step.propagatesToInput()) {
        methods.add(pool.global() ? globalPoolBackward(pool) : poolBackward(pool));
      }
    } else {
      methods.add(dropoutForward((Layer.SpatialDropout) layer));
      if (step != null && step.propagatesToInput()) {
        methods.add(dropoutBackward((Layer.SpatialDropout) layer));
      }
    }
    return methods;
  }

  /** Adds the Vector API kernels of every convolution to the nested {@code Simd} class. */
  static void addSimdMembers(TypeSpec.Builder simd, SpatialCode[] codes) {
    boolean any = false;
    for (SpatialCode code : codes) {
      if (code != null && code.layer instanceof Layer.Convolution conv) {
        code.simdMethods(conv).forEach(simd::addMethod);
        any = true;
      } else if (code != null && code.tapMode) {
        simd.addMethod(code.tapPoolForwardSimd((Layer.Pooling) code.layer));
        any = true;
      }
    }
    if (any) {
      simd.addField(FieldSpec.builder(com.palantir.javapoet.ParameterizedTypeName.get(
              com.palantir.javapoet.ClassName.get("jdk.incubator.vector", "VectorMask"),
              com.palantir.javapoet.ClassName.get(Float.class)), "SECOND_HALF", Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("The upper half of a vector's lanes: two rows of a convolution's filters share a vector.\n")
          .initializer("$T.fromLong(SPECIES, ((1L << LANES) - 1) & ~((1L << (LANES / 2)) - 1))",
              com.palantir.javapoet.ClassName.get("jdk.incubator.vector", "VectorMask")).build());
    }
  }

  private List<MethodSpec> simdMethods(Layer.Convolution conv) {
    Window w = conv.window();
    int patch = w.patch();
    int filters = conv.filters();
    String weights = conv.weights().constantName();
    String bias = conv.bias().map(ParameterSlot::constantName).orElse(null);
    Activation activation = linear != null ? Activation.LINEAR : conv.activation();
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(x · W + b)} for each of {@code count} rows of the patch matrix.\n",
            comment, activation)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs")
        .addCode(VectorConvolutionKernel.forward(method + "Forward", patch, filters, weights, bias, activation,
            c("FILTERS"), p))
        .build());
    methods.add(MethodSpec.methodBuilder(method + "ForwardPairs").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward when two rows of filters fill a vector.\n", comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs")
        .addCode(VectorConvolutionKernel.forwardPairs(patch, filters, weights, bias,
            activation.is(Activation.Kind.RELU)))
        .build());
    if (directForward) {
      directMethods(conv, methods, weights, bias, activation);
    }
    if (step == null) {
      return methods;
    }
    MethodSpec.Builder backward = MethodSpec.methodBuilder(method + "Backward").addModifiers(Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward over the patch matrix: writes the kernel and bias gradients into {@code g}.\n",
            comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    String activationValue = linear != null ? "z" : "y";
    if (derivative(conv)) {
      backward.addParameter(p.arrayType(), activationValue);
    }
    backward.addParameter(p.arrayType(), "dy").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs");
    derivativePrologue(backward, conv, "count");
    backward.addCode(VectorConvolutionKernel.parameterGradients(method + "Backward", patch, filters, weights, bias,
        step.accumulatesParameters()));
    methods.add(backward.build());
    methods.add(MethodSpec.methodBuilder(method + "BackwardPairs").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Kernel and bias gradients when two rows of filters fill a vector.\n", comment)
        .addParameter(p.arrayType(), "g").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "dy").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs")
        .addCode(VectorConvolutionKernel.parameterGradientPairs(patch, filters, weights, bias,
            step.accumulatesParameters()))
        .build());
    if (step.propagatesToInput()) {
      boolean add = patchGradient == null && step.accumulatesIntoInput();
      methods.add(MethodSpec.methodBuilder(method + "BackwardInput").addModifiers(Modifier.STATIC)
          .addJavadoc("$L\n\n<p>Backward: $L {@code dx = dy · Wᵀ}, through {@code wt}, the kernel transposed.\n", comment,
              add ? "adds" : "writes")
          .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "wt").addParameter(p.arrayType(), "dy")
          .addParameter(p.arrayType(), "dx").addParameter(int.class, "count")
          .addCode(VectorConvolutionKernel.patchGradient(patch, filters, weights, add))
          .build());
    }
    if (directTable != null) {
      methods.add(MethodSpec.methodBuilder(method + "BackwardInputDirect").addModifiers(Modifier.STATIC)
          .addJavadoc("$L\n\n<p>Backward: $L the input gradient straight from {@code dy} (16-float vectors), through"
              + " {@code table}, the kernel rows transposed and shifted.\n", comment,
              step.accumulatesIntoInput() ? "adds" : "writes")
          .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "table").addParameter(p.arrayType(), "dy")
          .addParameter(p.arrayType(), "dx").addParameter(int.class, "count")
          .addCode(DirectConvolutionKernel.inputGradient(w, filters, weights, c("INPUT_SIZE"),
              step.accumulatesIntoInput()))
          .build());
    }
    return methods;
  }

  /**
   * The Vector API backward's first step: {@code dy} (over {@code rows} rows of filters) becomes
   * the gradient before the activation, in place.
   */
  private void derivativePrologue(MethodSpec.Builder backward, Layer.Convolution conv, String rows) {
    String activationValue = linear != null ? "z" : "y";
    if (conv.activation().is(Activation.Kind.RELU)) {
      backward.addComment("dy becomes the gradient before the ReLU: zero where y is not above 0.")
          .addStatement("int e = 0")
          .beginControlFlow("for (; e + LANES <= $L * $L; e += LANES)", rows, c("FILTERS"))
          .addStatement("$T yv = $T.fromArray(SPECIES, y, e)", VectorDenseKernel.FLOAT_VECTOR, VectorDenseKernel.FLOAT_VECTOR)
          .addStatement("$T.fromArray(SPECIES, dy, e).blend(0f, yv.compare($T.LE, 0f)).intoArray(dy, e)",
              VectorDenseKernel.FLOAT_VECTOR, VectorDenseKernel.VECTOR_OPERATORS)
          .endControlFlow()
          .beginControlFlow("for (; e < $L * $L; e++)", rows, c("FILTERS"))
          .beginControlFlow("if (y[e] <= 0f)")
          .addStatement("dy[e] = 0f")
          .endControlFlow()
          .endControlFlow();
    } else if (derivative(conv)) {
      backward.addComment("dy becomes the gradient before the activation: dy * $L'($L).", conv.activation().keyword(),
              activationValue)
          .beginControlFlow("for (int b = 0; b < $L; b++)", rows)
          .addStatement("int yRow = b * $L", c("FILTERS"))
          .addCode(ActivationCode.backward(conv.activation(), activationValue, activationValue, "dy", "yRow",
              conv.filters(), c("FILTERS"), p))
          .endControlFlow();
    }
  }

  /** The direct forward and kernel gradient ({@link DirectConvolutionKernel}), for 16-float vectors. */
  private void directMethods(Layer.Convolution conv, List<MethodSpec> methods, String weights, String bias,
      Activation activation) {
    Window w = conv.window();
    methods.add(MethodSpec.methodBuilder(method + "ForwardDirect").addModifiers(Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward on 16-float vectors: {@code y = $L(conv(x) + b)} for each of {@code count} samples,"
            + " straight\nfrom the image (no patch matrix).\n", comment, activation)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs")
        .addCode(DirectConvolutionKernel.forward(w, conv.filters(), weights, bias, activation, c("INPUT_SIZE"),
            c("FILTERS"), p))
        .build());
    if (step == null) {
      return;
    }
    MethodSpec.Builder backward = MethodSpec.methodBuilder(method + "BackwardDirect").addModifiers(Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward on 16-float vectors: writes the kernel and bias gradients into {@code g}, straight"
            + " from\nthe image (no patch matrix).\n", comment)
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    if (derivative(conv)) {
      backward.addParameter(p.arrayType(), linear != null ? "z" : "y");
    }
    backward.addParameter(p.arrayType(), "dy").addParameter(int.class, "count").addParameter(p.arrayType(), "pairs");
    derivativePrologue(backward, conv, "count * " + c("POSITIONS"));
    backward.addCode(DirectConvolutionKernel.parameterGradients(w, conv.filters(), weights, bias, c("INPUT_SIZE"),
        step.accumulatesParameters()));
    methods.add(backward.build());
  }

  /** The matrix products: patches · kernel (+ bias, activation), and its backward pass. */
  private List<MethodSpec> kernels(Layer.Convolution conv, DenseKernel kernel) {
    Modifier[] modifiers = {Modifier.PRIVATE, Modifier.STATIC};
    Layer.Dense matrix = new Layer.Dense(conv.name(), Shape.of(conv.window().patch()), Shape.of(conv.filters()),
        linear != null ? Activation.LINEAR : conv.activation(), conv.weights(), conv.bias(), Optional.empty(),
        Optional.empty(), java.util.OptionalDouble.empty(), conv.span(), conv.source());
    DenseNames n = new DenseNames(matrix, c("PATCH"), c("FILTERS"), conv.weights().constantName(),
        conv.bias().map(ParameterSlot::constantName));
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder(method + "Forward").addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Forward: {@code y = $L(x · W + b)} for each of {@code count} rows of the patch matrix"
            + " (one per output position).\n", comment, matrix.activation())
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "y").addParameter(int.class, "count")
        .addCode(kernel.forward(n, p, matrix.activation()))
        .build());
    if (step == null) {
      return methods;
    }
    boolean propagate = step.propagatesToInput();
    MethodSpec.Builder backward = MethodSpec.methodBuilder(method + "Backward").addModifiers(modifiers)
        .addJavadoc("$L\n\n<p>Backward over the patch matrix: writes the kernel and bias gradients into {@code g}$L.\n",
            comment, !propagate ? "" : patchGradient != null ? " and the patches' gradient {@code dx}"
                : step.accumulatesIntoInput() ? " and adds to the input gradient {@code dx}"
                : " and writes the input gradient {@code dx}")
        .addParameter(p.arrayType(), "p").addParameter(p.arrayType(), "g")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset");
    String activationValue = linear != null ? "z" : "y";
    if (derivative(conv)) {
      backward.addParameter(p.arrayType(), activationValue);
    }
    backward.addParameter(p.arrayType(), "dy");
    if (propagate) {
      backward.addParameter(p.arrayType(), "dx");
    }
    backward.addParameter(int.class, "count");
    if (derivative(conv)) {
      backward.addComment("dy becomes the gradient before the activation: dy * $L'($L).", conv.activation().keyword(),
              activationValue)
          .beginControlFlow("for (int b = 0; b < count; b++)")
          .addStatement("int yRow = b * $L", c("FILTERS"))
          .addCode(ActivationCode.backward(conv.activation(), activationValue, activationValue, "dy", "yRow",
              conv.filters(), c("FILTERS"), p))
          .endControlFlow();
    }
    // The patch gradient is written whole; a direct (1×1) kernel's dx may have another contribution.
    boolean accumulate = patchGradient == null && step.accumulatesIntoInput();
    backward.addCode(kernel.backward(n, p, propagate, accumulate, step.accumulatesParameters()));
    methods.add(backward.build());
    return methods;
  }

  /** Values up to this many are copied by straight-line assignments, more by {@code System.arraycopy}. */
  private static final int UNROLLED_COPY = 16;

  /** im2col: the patch under the kernel at each output position, as a row of {@code patches}. */
  private MethodSpec patchesForward(Window w) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Patches").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Copies the input under the kernel at each output position to a row of {@code patches}"
            + "\n(kernel row, kernel column, channel)$L.\n", comment, w.padded() ? "; the padding reads as zeros" : "")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset")
        .addParameter(p.arrayType(), "patches").addParameter(int.class, "count");
    return m.addCode(walk(w, false)).build();
  }

  /** col2im: each patch value's gradient added back to the input position it was copied from. */
  private MethodSpec patchesBackward(Window w) {
    boolean accumulate = step.accumulatesIntoInput();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "PatchesBackward")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Adds each patch value's gradient to the input position it was copied from$L.\n", comment,
            accumulate ? " (the input's gradient has another contribution, so it is not cleared)" : "")
        .addParameter(p.arrayType(), "patches").addParameter(p.arrayType(), "dx").addParameter(int.class, "count");
    if (!accumulate) {
      m.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
    }
    return m.addCode(walk(w, true)).build();
  }

  /**
   * The loop over samples and output positions shared by im2col and col2im: {@code back} adds
   * patch values into {@code dx}, otherwise input values are copied into {@code patches}.
   */
  private CodeBlock walk(Window w, boolean back) {
    CodeBlock.Builder code = CodeBlock.builder();
    int channels = w.channels();
    String input = back ? "dx" : "x";
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = $L", back ? "b * " + c("INPUT_SIZE") : "xOffset + b * " + c("INPUT_SIZE"))
        .addStatement("int row = b * $L * $L", c("POSITIONS"), c("PATCH"))
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", w.outWidth());
    if (!w.padded()) {
      code.addStatement("int at = sample + (oy * $L + ox * $L) * $L", w.strideHeight() * w.inWidth(), w.strideWidth(),
          channels);
      // One kernel row's values are contiguous in the input when the kernel is not dilated across.
      int run = w.dilationWidth() == 1 ? w.kernelWidth() * channels : channels;
      int runs = w.dilationWidth() == 1 ? w.kernelHeight() : w.kernelHeight() * w.kernelWidth();
      boolean unroll = run <= UNROLLED_COPY && (long) run * runs <= 64;
      if (unroll) {
        for (int r = 0; r < runs; r++) {
          int ky = w.dilationWidth() == 1 ? r : r / w.kernelWidth();
          int kx = w.dilationWidth() == 1 ? 0 : r % w.kernelWidth();
          int source = (ky * w.dilationHeight() * w.inWidth() + kx * w.dilationWidth()) * channels;
          for (int k = 0; k < run; k++) {
            code.add(copy(back, Loops.plus("at", String.valueOf(source + k)), Loops.plus("row", String.valueOf(r * run + k))));
          }
        }
      } else {
        code.beginControlFlow("for (int r = 0; r < $L; r++)", runs);
        if (w.dilationWidth() == 1) {
          code.addStatement("int source = at + r * $L", w.dilationHeight() * w.inWidth() * channels);
        } else {
          code.addStatement("int source = at + (r / $L * $L + r % $L * $L) * $L", w.kernelWidth(),
              w.dilationHeight() * w.inWidth(), w.kernelWidth(), w.dilationWidth(), channels);
        }
        code.addStatement("int target = row + r * $L", run);
        if (back) {
          code.beginControlFlow("for (int k = 0; k < $L; k++)", run)
              .addStatement("dx[source + k] += patches[target + k]")
              .endControlFlow();
        } else {
          code.addStatement("$T.arraycopy(x, source, patches, target, $L)", System.class, run);
        }
        code.endControlFlow();
      }
    } else {
      code.addStatement("int top = oy * $L - $L", w.strideHeight(), w.padTop())
          .addStatement("int left = ox * $L - $L", w.strideWidth(), w.padLeft())
          .beginControlFlow("for (int ky = 0; ky < $L; ky++)", w.kernelHeight())
          .addStatement("int iy = top + ky * $L", w.dilationHeight())
          .beginControlFlow("for (int kx = 0; kx < $L; kx++)", w.kernelWidth())
          .addStatement("int ix = left + kx * $L", w.dilationWidth())
          .addStatement("int target = row + (ky * $L + kx) * $L", w.kernelWidth(), channels)
          .beginControlFlow("if (iy >= 0 && iy < $L && ix >= 0 && ix < $L)", w.inHeight(), w.inWidth())
          .addStatement("int source = sample + (iy * $L + ix) * $L", w.inWidth(), channels);
      if (back || channels <= UNROLLED_COPY) {
        code.add(Loops.constant("k", channels, String.valueOf(channels), k ->
            copy(back, Loops.plus("source", k), Loops.plus("target", k))));
      } else {
        code.addStatement("$T.arraycopy(x, source, patches, target, $L)", System.class, channels);
      }
      if (!back) {
        code.nextControlFlow("else")
            .addStatement("$T.fill(patches, target, target + $L, $L)", Arrays.class, channels, p.literal(0));
      }
      code.endControlFlow().endControlFlow().endControlFlow();
    }
    code.addStatement("row += $L", c("PATCH"));
    code.endControlFlow().endControlFlow().endControlFlow();
    return code.build();
  }

  private static CodeBlock copy(boolean back, String source, String target) {
    return back ? CodeBlock.of("dx[$L] += patches[$L];\n", source, target)
        : CodeBlock.of("patches[$L] = x[$L];\n", target, source);
  }

  // ---------------------------------------------------------------- pools

  private MethodSpec poolForward(Layer.Pooling pool) {
    Window w = pool.window();
    int channels = w.channels();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: the $L of each channel over the $L × $L window at each output position$L.\n",
            comment, pool.max() ? "maximum" : "mean", w.kernelHeight(), w.kernelWidth(),
            pool.max() ? ", and where it was (for the backward pass)" : w.padded() ? " (padding is not counted)" : "")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y");
    if (pool.max()) {
      m.addParameter(int[].class, "argmax");
    }
    m.addParameter(int.class, "count");
    CodeBlock.Builder code = CodeBlock.builder();
    positions(code, w, "xOffset + ");
    code.beginControlFlow("for (int c = 0; c < $L; c++)", channels);
    if (pool.max() && !w.padded()) {
      // The window's first value starts the search; two-way choices the JIT turns into conditional moves.
      code.addStatement("int best = at + c")
          .addStatement("$L most = x[best]", p.keyword());
    } else if (pool.max()) {
      code.addStatement("int best = -1")
          .addStatement("$L most = $L", p.keyword(), p.literal(0));
    } else {
      code.addStatement("$L sum = $L", p.keyword(), p.literal(0));
    }
    boolean[] first = {!w.padded() && w.kernelHeight() * w.kernelWidth() <= 16};
    taps(code, w, tap -> {
      if (!pool.max()) {
        return CodeBlock.of("sum += x[$L];\n", tap);
      }
      if (first[0]) {
        first[0] = false;
        return CodeBlock.of("");
      }
      return CodeBlock.builder().beginControlFlow(w.padded() ? "if (best < 0 || x[$L] > most)" : "if (x[$L] > most)", tap)
          .addStatement("most = x[$L]", tap).addStatement("best = $L", tap).endControlFlow().build();
    });
    if (pool.max()) {
      code.addStatement("y[out + c] = most").addStatement("argmax[out + c] = best - xOffset");
    } else {
      code.addStatement("y[out + c] = sum * $L", w.padded() ? "inverse" : p.literal(1.0 / (w.kernelHeight() * w.kernelWidth())));
    }
    code.endControlFlow();
    closePositions(code);
    return m.addCode(code.build()).build();
  }

  private MethodSpec poolBackward(Layer.Pooling pool) {
    Window w = pool.window();
    boolean accumulate = step.accumulatesIntoInput();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Backward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: $L$L.\n", comment, pool.max()
                ? "each output's gradient goes to the input value that was the maximum"
                : "each output's gradient is shared equally by the values of its window",
            accumulate ? ", added to the input gradient (it has another contribution)" : "")
        .addParameter(p.arrayType(), "dy");
    if (pool.max()) {
      m.addParameter(int[].class, "argmax");
    }
    m.addParameter(p.arrayType(), "dx").addParameter(int.class, "count");
    if (!accumulate) {
      m.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
    }
    if (pool.max()) {
      return m.beginControlFlow("for (int k = 0; k < count * $L; k++)", c("SIZE"))
          .addStatement("dx[argmax[k]] += dy[k]")
          .endControlFlow().build();
    }
    CodeBlock.Builder code = CodeBlock.builder();
    positions(code, w, "");
    code.beginControlFlow("for (int c = 0; c < $L; c++)", w.channels())
        .addStatement("$L share = dy[out + c] * $L", p.keyword(),
            w.padded() ? "inverse" : p.literal(1.0 / (w.kernelHeight() * w.kernelWidth())));
    taps(code, w, tap -> CodeBlock.of("dx[$L] += share;\n", tap));
    code.endControlFlow();
    closePositions(code);
    return m.addCode(code.build()).build();
  }

  /** Input offset of window value {@code t} (row-major over the window) from the window's first value. */
  private static int tapOffset(Window w, int t) {
    return (t / w.kernelWidth() * w.inWidth() + t % w.kernelWidth()) * w.channels();
  }

  private static String tapOffsetExpression(Window w, String t) {
    return "(" + t + " / " + w.kernelWidth() + " * " + w.inWidth() + " + " + t + " % " + w.kernelWidth() + ") * "
        + w.channels();
  }

  /** Opens the loops over samples and output positions of a pool without padding: {@code at}, {@code out}. */
  private void tapPositions(CodeBlock.Builder code, Window w, String sampleBase) {
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = $Lb * $L", sampleBase, c("INPUT_SIZE"))
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", w.outWidth())
        .addStatement("int out = b * $L + (oy * $L + ox) * $L", c("SIZE"), w.outWidth(), w.channels())
        .addStatement("int at = sample + (oy * $L + ox * $L) * $L", w.strideHeight() * w.inWidth(), w.strideWidth(),
            w.channels());
  }

  /** The scalar search of one channel's window from {@code at + c}: {@code most} and its tap {@code best}. */
  private CodeBlock scalarSearch(Window w, String y, String taps) {
    int count = w.kernelHeight() * w.kernelWidth();
    CodeBlock.Builder code = CodeBlock.builder()
        .addStatement("$L most = x[at + c]", p.keyword())
        .addStatement("int best = 0");
    if (count <= 16) {
      // Two-way choices with constant offsets: the JIT turns them into conditional moves.
      for (int t = 1; t < count; t++) {
        String at = "at + " + tapOffset(w, t) + " + c";
        code.beginControlFlow("if (x[$L] > most)", at).addStatement("most = x[$L]", at).addStatement("best = $L", t)
            .endControlFlow();
      }
    } else {
      code.beginControlFlow("for (int t = 1; t < $L; t++)", count)
          .addStatement("$L v = x[at + $L + c]", p.keyword(), tapOffsetExpression(w, "t"))
          .beginControlFlow("if (v > most)").addStatement("most = v").addStatement("best = t").endControlFlow()
          .endControlFlow();
    }
    return code.addStatement("$L[out + c] = most", y).addStatement("$L[out + c] = best", taps).build();
  }

  private MethodSpec tapPoolForward(Layer.Pooling pool) {
    Window w = pool.window();
    CodeBlock.Builder code = CodeBlock.builder();
    tapPositions(code, w, "xOffset + ");
    code.beginControlFlow("for (int c = 0; c < $L; c++)", w.channels()).add(scalarSearch(w, "y", "argmax"))
        .endControlFlow();
    closePositions(code);
    return MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: the maximum of each channel over the $L × $L window at each output position,\n"
            + "and which value of the window it was (the first, on ties), for the backward pass.\n", comment,
            w.kernelHeight(), w.kernelWidth())
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y")
        .addParameter(p.arrayType(), "argmax").addParameter(int.class, "count")
        .addCode(code.build())
        .build();
  }

  private MethodSpec tapPoolBackward(Layer.Pooling pool) {
    Window w = pool.window();
    boolean accumulate = step.accumulatesIntoInput();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Backward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: each output's gradient goes to the value of its window that was the maximum$L.\n",
            comment, accumulate ? ", added to the input gradient (it has another contribution)" : "")
        .addParameter(p.arrayType(), "dy").addParameter(p.arrayType(), "argmax").addParameter(p.arrayType(), "dx")
        .addParameter(int.class, "count");
    if (!accumulate) {
      m.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
    }
    CodeBlock.Builder code = CodeBlock.builder();
    tapPositions(code, w, "");
    code.beginControlFlow("for (int c = 0; c < $L; c++)", w.channels())
        .addStatement("int t = (int) argmax[out + c]")
        .addStatement("dx[at + $L + c] += dy[out + c]", tapOffsetExpression(w, "t"))
        .endControlFlow();
    closePositions(code);
    return m.addCode(code.build()).build();
  }

  /**
   * The Vector API max pool: channels as the vector axis when they fill whole vectors; when they
   * fill half a vector (8 channels with 16-float vectors), two neighbouring output positions per
   * vector, each half of a window value loaded from its own position and joined by {@code blend};
   * otherwise the scalar method.
   */
  private MethodSpec tapPoolForwardSimd(Layer.Pooling pool) {
    Window w = pool.window();
    int channels = w.channels();
    int count = w.kernelHeight() * w.kernelWidth();
    com.palantir.javapoet.ClassName vectorType = VectorDenseKernel.FLOAT_VECTOR;
    com.palantir.javapoet.ClassName operators = VectorDenseKernel.VECTOR_OPERATORS;
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("if ($L % LANES == 0)", channels);
    tapPositions(code, w, "xOffset + ");
    code.beginControlFlow("for (int c = 0; c < $L; c += LANES)", channels)
        .addStatement("$T most = $T.fromArray(SPECIES, x, at + c)", vectorType, vectorType)
        .addStatement("$T best = $T.zero(SPECIES)", vectorType, vectorType);
    vectorSearch(code, w, count, offset -> CodeBlock.of("$T.fromArray(SPECIES, x, at + $L + c)", vectorType,
        offset), vectorType, operators);
    code.addStatement("most.intoArray(y, out + c)").addStatement("best.intoArray(argmax, out + c)")
        .endControlFlow();
    closePositions(code);
    code.nextControlFlow("else if (2 * $L == LANES)", channels);
    int neighbour = (w.strideWidth() - 1) * channels;
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = xOffset + b * $L", c("INPUT_SIZE"))
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .addStatement("int ox = 0")
        .beginControlFlow("for (; ox + 2 <= $L; ox += 2)", w.outWidth())
        .addStatement("int out = b * $L + (oy * $L + ox) * $L", c("SIZE"), w.outWidth(), channels)
        .addStatement("int at = sample + (oy * $L + ox * $L) * $L", w.strideHeight() * w.inWidth(), w.strideWidth(),
            channels)
        .add("// Lanes of the upper half: the next output position, $L values further on.\n", w.strideWidth() * channels)
        .addStatement("$T most = $T.fromArray(SPECIES, x, at).blend($T.fromArray(SPECIES, x, at + $L), SECOND_HALF)",
            vectorType, vectorType, vectorType, neighbour)
        .addStatement("$T best = $T.zero(SPECIES)", vectorType, vectorType);
    vectorSearch(code, w, count, offset -> CodeBlock.of(
        "$T.fromArray(SPECIES, x, at + $L).blend($T.fromArray(SPECIES, x, at + $L + $L), SECOND_HALF)", vectorType,
        offset, vectorType, offset, neighbour), vectorType, operators);
    code.addStatement("most.intoArray(y, out)").addStatement("best.intoArray(argmax, out)")
        .endControlFlow()
        .beginControlFlow("if (ox < $L)", w.outWidth())
        .addStatement("int out = b * $L + (oy * $L + ox) * $L", c("SIZE"), w.outWidth(), channels)
        .addStatement("int at = sample + (oy * $L + ox * $L) * $L", w.strideHeight() * w.inWidth(), w.strideWidth(),
            channels)
        .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
        .add(scalarSearch(w, "y", "argmax"))
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    code.nextControlFlow("else")
        .addStatement("$L.$LForward(x, xOffset, y, argmax, count)", className, method)
        .endControlFlow();
    return MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward, as the scalar method, on vectors of channels (or of two positions' channels).\n",
            comment)
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y")
        .addParameter(p.arrayType(), "argmax").addParameter(int.class, "count")
        .addCode(code.build())
        .build();
  }

  /**
   * Updates {@code most} and {@code best} (the tap, as a float) with window values 1, 2, ...;
   * {@code load} is given each value's offset from the window's first.
   */
  private static void vectorSearch(CodeBlock.Builder code, Window w, int count,
      java.util.function.Function<String, CodeBlock> load, com.palantir.javapoet.ClassName vectorType,
      com.palantir.javapoet.ClassName operators) {
    if (count <= 16) {
      for (int t = 1; t < count; t++) {
        code.addStatement("$T v$L = $L", vectorType, t, load.apply(String.valueOf(tapOffset(w, t))));
        code.addStatement("best = best.blend($Lf, v$L.compare($T.GT, most))", t, t, operators);
        code.addStatement("most = most.max(v$L)", t);
      }
    } else {
      code.beginControlFlow("for (int t = 1; t < $L; t++)", count)
          .addStatement("$T v = $L", vectorType, load.apply(tapOffsetExpression(w, "t")))
          .addStatement("best = best.blend((float) t, v.compare($T.GT, most))", operators)
          .addStatement("most = most.max(v)")
          .endControlFlow();
    }
  }

  /**
   * Opens the loops over samples and output positions; defines {@code at} (the window's first
   * input value, or with padding {@code top}/{@code left}), {@code out} (the output position's
   * first value) and, with padding, {@code inverse}, 1 / the values inside the input.
   */
  private void positions(CodeBlock.Builder code, Window w, String sampleBase) {
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = $Lb * $L", sampleBase, c("INPUT_SIZE"))
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", w.outWidth())
        .addStatement("int out = b * $L + (oy * $L + ox) * $L", c("SIZE"), w.outWidth(), w.channels());
    if (!w.padded()) {
      code.addStatement("int at = sample + (oy * $L + ox * $L) * $L", w.strideHeight() * w.inWidth(), w.strideWidth(),
          w.channels());
    } else {
      code.addStatement("int top = oy * $L - $L", w.strideHeight(), w.padTop())
          .addStatement("int left = ox * $L - $L", w.strideWidth(), w.padLeft())
          .addStatement("int rows = Math.min(top + $L, $L) - Math.max(top, 0)", w.kernelHeight(), w.inHeight())
          .addStatement("int columns = Math.min(left + $L, $L) - Math.max(left, 0)", w.kernelWidth(), w.inWidth())
          .addStatement("$L inverse = $L / (rows * columns)", p.keyword(), p.literal(1));
    }
  }

  private static void closePositions(CodeBlock.Builder code) {
    code.endControlFlow().endControlFlow().endControlFlow();
  }

  /** The window's input values for channel {@code c}: unrolled for small windows, else loops. */
  private void taps(CodeBlock.Builder code, Window w, java.util.function.Function<String, CodeBlock> body) {
    if (w.padded()) {
      code.beginControlFlow("for (int iy = Math.max(top, 0); iy < Math.min(top + $L, $L); iy++)", w.kernelHeight(),
              w.inHeight())
          .beginControlFlow("for (int ix = Math.max(left, 0); ix < Math.min(left + $L, $L); ix++)", w.kernelWidth(),
              w.inWidth())
          .add(body.apply("sample + (iy * " + w.inWidth() + " + ix) * " + w.channels() + " + c"))
          .endControlFlow().endControlFlow();
    } else if (w.kernelHeight() * w.kernelWidth() <= 16) {
      for (int ky = 0; ky < w.kernelHeight(); ky++) {
        for (int kx = 0; kx < w.kernelWidth(); kx++) {
          code.add(body.apply(Loops.plus("at", String.valueOf((ky * w.inWidth() + kx) * w.channels())) + " + c"));
        }
      }
    } else {
      code.beginControlFlow("for (int ky = 0; ky < $L; ky++)", w.kernelHeight())
          .beginControlFlow("for (int kx = 0; kx < $L; kx++)", w.kernelWidth())
          .add(body.apply("at + (ky * " + w.inWidth() + " + kx) * " + w.channels() + " + c"))
          .endControlFlow().endControlFlow();
    }
  }

  private MethodSpec globalPoolForward(Layer.Pooling pool) {
    Window w = pool.window();
    int area = w.inHeight() * w.inWidth();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: the $L of each channel over all $L positions$L.\n", comment,
            pool.max() ? "maximum" : "mean", area, pool.max() ? ", and where it was" : "")
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y");
    if (pool.max()) {
      m.addParameter(int[].class, "argmax");
    }
    m.addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = xOffset + b * $L", c("INPUT_SIZE"))
        .addStatement("int out = b * $L", c("CHANNELS"));
    if (pool.max()) {
      m.beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
          .addStatement("y[out + c] = x[sample + c]")
          .addStatement("argmax[out + c] = sample + c - xOffset")
          .endControlFlow()
          .beginControlFlow("for (int at = 1; at < $L; at++)", area)
          .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
          .addStatement("int k = sample + at * $L + c", c("CHANNELS"))
          .beginControlFlow("if (x[k] > y[out + c])")
          .addStatement("y[out + c] = x[k]")
          .addStatement("argmax[out + c] = k - xOffset")
          .endControlFlow().endControlFlow().endControlFlow();
    } else {
      m.addStatement("$T.fill(y, out, out + $L, $L)", Arrays.class, c("CHANNELS"), p.literal(0))
          .beginControlFlow("for (int at = 0; at < $L; at++)", area)
          .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
          .addStatement("y[out + c] += x[sample + at * $L + c]", c("CHANNELS"))
          .endControlFlow().endControlFlow()
          .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
          .addStatement("y[out + c] *= $L", p.literal(1.0 / area))
          .endControlFlow();
    }
    return m.endControlFlow().build();
  }

  private MethodSpec globalPoolBackward(Layer.Pooling pool) {
    Window w = pool.window();
    int area = w.inHeight() * w.inWidth();
    boolean accumulate = step.accumulatesIntoInput();
    MethodSpec.Builder m = MethodSpec.methodBuilder(method + "Backward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: $L$L.\n", comment, pool.max()
                ? "each channel's gradient goes to the position that was its maximum"
                : "each channel's gradient is shared equally by its " + area + " positions",
            accumulate ? ", added to the input gradient (it has another contribution)" : "")
        .addParameter(p.arrayType(), "dy");
    if (pool.max()) {
      m.addParameter(int[].class, "argmax");
    }
    m.addParameter(p.arrayType(), "dx").addParameter(int.class, "count");
    if (pool.max()) {
      if (!accumulate) {
        m.addStatement("$T.fill(dx, 0, count * $L, $L)", Arrays.class, c("INPUT_SIZE"), p.literal(0));
      }
      return m.beginControlFlow("for (int k = 0; k < count * $L; k++)", c("CHANNELS"))
          .addStatement("dx[argmax[k]] += dy[k]")
          .endControlFlow().build();
    }
    return m.beginControlFlow("for (int b = 0; b < count; b++)")
        .addStatement("int sample = b * $L", c("INPUT_SIZE"))
        .addStatement("int out = b * $L", c("CHANNELS"))
        .beginControlFlow("for (int at = 0; at < $L; at++)", area)
        .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
        .addStatement("dx[sample + at * $L + c] $L dy[out + c] * $L", c("CHANNELS"), accumulate ? "+=" : "=",
            p.literal(1.0 / area))
        .endControlFlow().endControlFlow().endControlFlow().build();
  }

  // ---------------------------------------------------------------- spatial dropout

  private MethodSpec dropoutForward(Layer.SpatialDropout dropout) {
    int positions = dropout.inputShape().size() / dropout.channels();
    return MethodSpec.methodBuilder(method + "Forward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Forward: in training ({@code random} given) each channel of each sample is dropped\n"
            + "with probability $L, the others scaled by 1 / (1 - rate); in inference a plain copy.\n", comment,
            dropout.rate())
        .addParameter(p.arrayType(), "x").addParameter(int.class, "xOffset").addParameter(p.arrayType(), "y")
        .addParameter(p.arrayType(), "mask").addParameter(int.class, "count")
        .addParameter(NetworkClassWriter.TRAINING_RANDOM, "random")
        .beginControlFlow("if (random == null)")
        .addStatement("$T.arraycopy(x, xOffset, y, 0, count * $L)", System.class, c("SIZE"))
        .addStatement("return")
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < count * $L; k++)", c("CHANNELS"))
        .addStatement("mask[k] = random.nextDouble() < $L ? $L : $L", c("RATE"), p.literal(0),
            p.literal(1.0 / (1.0 - dropout.rate())))
        .endControlFlow()
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int at = 0; at < $L; at++)", positions)
        .addStatement("int k = b * $L + at * $L", c("SIZE"), c("CHANNELS"))
        .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
        .addStatement("y[k + c] = x[xOffset + k + c] * mask[b * $L + c]", c("CHANNELS"))
        .endControlFlow().endControlFlow().endControlFlow()
        .build();
  }

  private MethodSpec dropoutBackward(Layer.SpatialDropout dropout) {
    int positions = dropout.inputShape().size() / dropout.channels();
    boolean accumulate = step.accumulatesIntoInput();
    return MethodSpec.methodBuilder(method + "Backward").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L\n\n<p>Backward: {@code dx $L dy · mask} of each value's channel.\n", comment,
            accumulate ? "+=" : "=")
        .addParameter(p.arrayType(), "dy").addParameter(p.arrayType(), "mask").addParameter(p.arrayType(), "dx")
        .addParameter(int.class, "count")
        .beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int at = 0; at < $L; at++)", positions)
        .addStatement("int k = b * $L + at * $L", c("SIZE"), c("CHANNELS"))
        .beginControlFlow("for (int c = 0; c < $L; c++)", c("CHANNELS"))
        .addStatement("dx[k + c] $L dy[k + c] * mask[b * $L + c]", accumulate ? "+=" : "=", c("CHANNELS"))
        .endControlFlow().endControlFlow().endControlFlow()
        .build();
  }
}
