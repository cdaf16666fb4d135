package dev.nnet.processor.ir;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/**
 * One step of a network, after names are resolved and shapes checked. Which values a layer reads
 * is in {@link NetworkModel#inputs()}; layers are in an order where every value is produced
 * before it is read.
 */
public sealed interface Layer {
  /** A unique name for the layer's output, used for generated fields and constants. */
  String name();

  Shape inputShape();

  Shape outputShape();

  /** The parameter tensors the layer owns, in layout order. */
  List<ParameterSlot> parameters();

  /** Multiply-adds and other arithmetic per sample in the forward pass, counted as FLOPs. */
  long forwardFlops();

  /** Where the layer was declared. */
  SourceSpan span();

  /** The declaration's text on one line, for comments in generated code. */
  String source();

  /** {@code dense(units: 128, activation: relu)}: a fully connected layer. */
  record Dense(
      String name,
      Shape inputShape,
      Shape outputShape,
      Activation activation,
      ParameterSlot weights,
      java.util.Optional<ParameterSlot> bias,
      java.util.Optional<Regularizer> kernelRegularizer,
      java.util.Optional<Regularizer> biasRegularizer,
      java.util.OptionalDouble maxNorm,
      SourceSpan span,
      String source)
      implements Layer {
    public int inputs() {
      return inputShape.size();
    }

    public int units() {
      return outputShape.size();
    }

    @Override
    public List<ParameterSlot> parameters() {
      return bias.isPresent() ? List.of(weights, bias.get()) : List.of(weights);
    }

    @Override
    public long forwardFlops() {
      return 2L * inputs() * units() + (bias.isPresent() ? units() : 0);
    }
  }

  /**
   * {@code gaussian_noise(stddev: 0.3)}: adds zero-mean Gaussian noise in training only (a
   * regulariser, and the input corruption of a denoising autoencoder); in prediction a copy.
   */
  record GaussianNoise(String name, Shape inputShape, double stddev, SourceSpan span, String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /** {@code dropout(rate: 0.2)}: zeroes a share of values in training and rescales the rest. */
  record Dropout(String name, Shape inputShape, double rate, SourceSpan span, String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /** {@code relu(x)}, {@code leaky_relu(x, alpha: 0.1)}, …: an activation as a layer of its own. */
  record ActivationLayer(String name, Shape inputShape, Activation activation, SourceSpan span, String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return inputShape.size();
    }
  }

  /** {@code add(a, b, …)}: the element-wise sum of tensors of one shape (residual connections). */
  record Add(String name, Shape inputShape, int arity, SourceSpan span, String source) implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return (long) (arity - 1) * inputShape.size();
    }
  }

  /** {@code multiply(a, b)}: the element-wise product of two tensors of one shape (gating). */
  record Multiply(String name, Shape inputShape, SourceSpan span, String source) implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return inputShape.size();
    }
  }

  /** {@code concat(a, b, …)}: tensors joined along their last axis; other dimensions must agree. */
  record Concat(String name, List<Shape> inputShapes, Shape outputShape, SourceSpan span, String source)
      implements Layer {
    public Concat {
      inputShapes = List.copyOf(inputShapes);
    }

    @Override
    public Shape inputShape() {
      return inputShapes.get(0);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /** {@code reshape(x, shape: [4, 7])}: the same values in another shape; no copy. */
  record Reshape(String name, Shape inputShape, Shape outputShape, SourceSpan span, String source) implements Layer {
    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /**
   * {@code layer_norm(x)} or {@code batch_norm(x)}: each value normalised over the last axis of
   * its sample (layer) or over the batch (batch), then scaled by {@code gamma} and shifted by
   * {@code beta}, per feature of the last axis. Batch normalisation keeps running statistics in
   * the network's state for inference.
   *
   * @param batch batch normalisation (else layer normalisation)
   * @param epsilon added to the variance before its square root
   * @param momentum how much of the running statistics each batch keeps (batch only)
   * @param runningMean the running mean in the state array (batch only)
   * @param runningVariance the running variance in the state array (batch only)
   */
  record Normalization(
      String name,
      Shape inputShape,
      boolean batch,
      double epsilon,
      double momentum,
      ParameterSlot gamma,
      ParameterSlot beta,
      java.util.Optional<ParameterSlot> runningMean,
      java.util.Optional<ParameterSlot> runningVariance,
      SourceSpan span,
      String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    /** The features normalised separately: the last axis. */
    public int features() {
      return inputShape.dimensions().get(inputShape.rank() - 1);
    }

    /** Rows of {@link #features()} values in one sample. */
    public int rows() {
      return inputShape.size() / features();
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of(gamma, beta);
    }

    /** The state tensors: running mean and variance for batch normalisation. */
    public List<ParameterSlot> state() {
      return runningMean.isPresent() ? List.of(runningMean.get(), runningVariance.orElseThrow()) : List.of();
    }

    @Override
    public long forwardFlops() {
      return 8L * inputShape.size();
    }
  }

  /** {@code flatten()}: the same values seen as one dimension; no arithmetic, no copy. */
  record Flatten(String name, Shape inputShape, SourceSpan span, String source) implements Layer {
    @Override
    public Shape outputShape() {
      return Shape.of(inputShape.size());
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }
  /**
   * A preprocessing stage ({@link Stage}) at the start of the network: it reads an input or
   * another stage, so nothing before it is trained and it needs no backward pass. Fitted
   * statistics live in the state array, saved with the model.
   *
   * @param state the fitted tensors in the state array, the last one the count of samples they
   *     were fitted on (0 until {@code adapt} runs); empty for stages with nothing to fit
   */
  record Preprocessing(String name, Shape inputShape, Shape outputShape, Stage stage, List<ParameterSlot> state,
      SourceSpan span, String source) implements Layer {
    public Preprocessing {
      state = List.copyOf(state);
    }

    /** The features with statistics of their own: the last axis. */
    public int features() {
      return inputShape.dimensions().get(inputShape.rank() - 1);
    }

    /** Rows of {@link #features()} values in one input sample. */
    public int rows() {
      return inputShape.size() / features();
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return (stage instanceof Stage.Resize ? 8L : 2L) * outputShape.size();
    }
  }

  /**
   * {@code conv2d(filters: 16, kernel_size: 3)} or {@code conv1d(...)}: a convolution over a
   * channels-last input, {@code [height, width, channels]} ({@code [steps, channels]} for conv1d,
   * seen as height 1). The kernel is {@code [kernel height, kernel width, input channels,
   * filters]}: flattened, the same {@code [patch, filters]} matrix as a dense layer's weights.
   */
  record Convolution(
      String name,
      Shape inputShape,
      Shape outputShape,
      Window window,
      Activation activation,
      ParameterSlot weights,
      java.util.Optional<ParameterSlot> bias,
      java.util.Optional<Regularizer> kernelRegularizer,
      java.util.Optional<Regularizer> biasRegularizer,
      SourceSpan span,
      String source)
      implements Layer {
    public int filters() {
      return outputShape.dimensions().get(outputShape.rank() - 1);
    }

    /** {@code conv2d} or {@code conv1d}, as declared. */
    public String keyword() {
      return inputShape.rank() == 2 ? "conv1d" : "conv2d";
    }

    @Override
    public List<ParameterSlot> parameters() {
      return bias.isPresent() ? List.of(weights, bias.get()) : List.of(weights);
    }

    @Override
    public long forwardFlops() {
      return (long) window.positions() * filters() * (2L * window.patch() + (bias.isPresent() ? 1 : 0));
    }
  }

  /**
   * {@code maxpool2d(pool_size: 2)}, {@code avgpool2d(...)}, or with {@code global} the maximum or
   * mean of each channel over the whole image ({@code globalmaxpool2d}, {@code globalavgpool2d}).
   * Average pooling divides by the values inside the input only (padding is not counted), as Keras.
   */
  record Pooling(String name, Shape inputShape, Shape outputShape, boolean max, boolean global, Window window,
      SourceSpan span, String source) implements Layer {
    /** {@code maxpool2d}, {@code avgpool2d}, {@code globalmaxpool2d} or {@code globalavgpool2d}. */
    public String keyword() {
      return (global ? "global" : "") + (max ? "maxpool2d" : "avgpool2d");
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return (long) window.positions() * window.channels() * window.kernelHeight() * window.kernelWidth();
    }
  }

  /** {@code spatial_dropout2d(rate: 0.2)}: drops whole channels of each sample in training. */
  record SpatialDropout(String name, Shape inputShape, double rate, SourceSpan span, String source) implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    /** The channels dropped together: the last axis. */
    public int channels() {
      return inputShape.dimensions().get(inputShape.rank() - 1);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return inputShape.size();
    }
  }

  /**
   * {@code lstm(x, units: 32)}, {@code gru(...)}, {@code rnn(...)}: a recurrent layer over a
   * sequence {@code [steps, features]}, run for the declared number of steps. The input
   * projection {@code x · W + b} of every step is one product; each step adds {@code h · R} and
   * applies the cell. See {@link Cell} for the gate order.
   *
   * @param cell which recurrent cell
   * @param activation the cell's activation (tanh by default)
   * @param recurrentActivation the gates' activation (sigmoid by default; unused by rnn)
   * @param returnSequences whether the output is every step's state {@code [steps, units]} or only
   *     the last {@code [units]}
   * @param reverse whether the steps run from last to first (the backward half of bidirectional);
   *     a returned sequence stays in input order
   * @param unitForgetBias lstm only: the forget gate's bias starts at 1 (Keras's default)
   * @param kernel the input weights {@code [features, gates · units]}
   * @param recurrentKernel the recurrent weights {@code [units, gates · units]}
   * @param bias the input bias {@code [gates · units]}
   * @param recurrentBias gru only: the recurrent bias {@code [3 · units]} (Keras's reset_after)
   * @param maskZero whether the layer's second input holds token ids whose 0 steps are skipped
   *     (the state is kept, as Keras masks padding)
   * @param initialStates how many inputs after the sequence (and the ids) give the initial state:
   *     0 (zeros), 1 (h) or, for lstm, 2 (h and c), each {@code [units]}
   * @param recurrentDropout in training, the share of the state's values dropped from the
   *     recurrent product (one mask per sample for all steps and gates); 0 for none
   */
  record Recurrent(
      String name,
      Shape inputShape,
      Shape outputShape,
      Cell cell,
      Activation activation,
      Activation recurrentActivation,
      boolean returnSequences,
      boolean reverse,
      boolean unitForgetBias,
      ParameterSlot kernel,
      ParameterSlot recurrentKernel,
      ParameterSlot bias,
      java.util.Optional<ParameterSlot> recurrentBias,
      boolean maskZero,
      int initialStates,
      double recurrentDropout,
      SourceSpan span,
      String source)
      implements Layer {
    /** The recurrent cells; {@code gates} is how many blocks of {@code units} the products give. */
    public enum Cell {
      /** {@code h = activation(x·W + h·R + b)}. */
      RNN(1),
      /** Gates in Keras's order: input, forget, cell candidate, output. */
      LSTM(4),
      /** Gates in Keras's order: update, reset, candidate; the reset gate is applied after the recurrent product. */
      GRU(3);

      private final int gates;

      Cell(int gates) {
        this.gates = gates;
      }

      public int gates() {
        return gates;
      }

      public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    public int steps() {
      return inputShape.dimensions().get(0);
    }

    public int features() {
      return inputShape.dimensions().get(1);
    }

    public int units() {
      return recurrentKernel.shape().get(0);
    }

    /** Width of the input and recurrent products: {@code gates · units}. */
    public int gateWidth() {
      return cell.gates() * units();
    }

    @Override
    public List<ParameterSlot> parameters() {
      return recurrentBias.isPresent()
          ? List.of(kernel, recurrentKernel, bias, recurrentBias.get())
          : List.of(kernel, recurrentKernel, bias);
    }

    @Override
    public long forwardFlops() {
      long perStep = 2L * features() * gateWidth() + 2L * units() * gateWidth() + 10L * units();
      return perStep * steps();
    }
  }

  /**
   * {@code embedding(tokens, input_dim: 5000, output_dim: 32)}: each token id of a sequence
   * {@code [steps]} replaced by its row of a table {@code [input_dim, output_dim]}.
   *
   * @param vocabulary the number of ids, {@code input_dim}: ids run from 0 to vocabulary - 1
   * @param maskZero whether id 0 is padding that recurrent layers reading this skip
   */
  record Embedding(String name, Shape inputShape, Shape outputShape, int vocabulary, boolean maskZero,
      ParameterSlot table, SourceSpan span, String source) implements Layer {
    public int steps() {
      return inputShape.size();
    }

    public int dimension() {
      return outputShape.dimensions().get(1);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of(table);
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /**
   * {@code time_distributed(x, dense(units: 8))}: the same dense layer applied to every step of a
   * sequence {@code [steps, features]}, giving {@code [steps, units]}; one set of parameters.
   *
   * @param dense the layer applied to each step, with the shapes of one step
   */
  record TimeDistributed(String name, Shape inputShape, Shape outputShape, Dense dense, SourceSpan span, String source)
      implements Layer {
    public int steps() {
      return inputShape.dimensions().get(0);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return dense.parameters();
    }

    @Override
    public long forwardFlops() {
      return steps() * dense.forwardFlops();
    }
  }

  /**
   * {@code gaussian_sample(mean, log_variance, kl_weight: 1.0)}: the reparameterised sample of a
   * variational autoencoder. In training {@code z = mean + exp(log_variance / 2) · ε} with a fresh
   * standard normal {@code ε} per value, and the KL divergence of N(mean, exp(log_variance)) from
   * N(0, 1), times {@code klWeight}, joins the loss; in prediction {@code z = mean}.
   */
  record GaussianSample(String name, Shape inputShape, double klWeight, SourceSpan span, String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 3L * inputShape.size();
    }
  }

  /**
   * {@code upsampling2d(x, size: 2)}: each value of a channels-last image {@code [height, width,
   * channels]} repeated into a {@code sizeHeight × sizeWidth} block (nearest neighbour), giving
   * {@code [height · sizeHeight, width · sizeWidth, channels]}.
   */
  record Upsampling(String name, Shape inputShape, Shape outputShape, int sizeHeight, int sizeWidth, SourceSpan span,
      String source) implements Layer {
    public int channels() {
      return inputShape.dimensions().get(2);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return 0;
    }
  }

  /**
   * {@code conv2d_transpose(x, filters: 16, kernel_size: 3, strides: 2)}: the transpose of a
   * convolution, each input position adding its values times the kernel into a window of the
   * output (Keras's output sizes: {@code in · stride + max(kernel - stride, 0)} with {@code valid},
   * {@code in · stride} with {@code same}). The kernel is {@code [kernel height, kernel width,
   * filters, input channels]}, as Keras.
   *
   * @param window the window of the convolution this layer is the transpose of: it reads this
   *     layer's output {@code [out height, out width, filters]} (its {@code channels} are the
   *     filters) and its output positions are this layer's input positions
   */
  record TransposedConvolution(
      String name,
      Shape inputShape,
      Shape outputShape,
      Window window,
      Activation activation,
      ParameterSlot weights,
      java.util.Optional<ParameterSlot> bias,
      java.util.Optional<Regularizer> kernelRegularizer,
      java.util.Optional<Regularizer> biasRegularizer,
      SourceSpan span,
      String source)
      implements Layer {
    public int filters() {
      return outputShape.dimensions().get(2);
    }

    /** The input's channels: the last axis of the kernel. */
    public int channels() {
      return inputShape.dimensions().get(2);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return bias.isPresent() ? List.of(weights, bias.get()) : List.of(weights);
    }

    @Override
    public long forwardFlops() {
      return 2L * window.positions() * window.kernelHeight() * window.kernelWidth() * filters() * channels()
          + (bias.isPresent() ? outputShape.size() : 0);
    }
  }

  /**
   * {@code positional_embedding(x)}: a trained vector per position added to a sequence
   * {@code [steps, width]} (learned positions, as Keras-NLP's PositionEmbedding), so that the
   * order of the steps reaches layers that do not see it otherwise (attention).
   *
   * @param table the position vectors {@code [steps, width]}
   */
  record PositionalEmbedding(String name, Shape inputShape, ParameterSlot table, SourceSpan span, String source)
      implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    public int steps() {
      return inputShape.dimensions().get(0);
    }

    public int width() {
      return inputShape.dimensions().get(1);
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of(table);
    }

    @Override
    public long forwardFlops() {
      return inputShape.size();
    }
  }

  /**
   * {@code multi_head_attention(x, heads: 4)}: self-attention over a sequence {@code [steps, width]}.
   * One product gives every step's queries, keys and values ({@code projection}, {@code [width,
   * 3 · heads · keyDim]}, in that order, each head's {@code keyDim} columns side by side); each
   * head weighs the values by the softmax over the keys of {@code q · k / √keyDim}; the heads'
   * results side by side go through {@code output} ({@code [heads · keyDim, width]}).
   *
   * @param causal a step attends to itself and earlier steps only (decoders)
   * @param masked the layer's second input holds token ids: keys whose id is 0 (padding) get no weight
   * @param dropout in training, the share of attention weights dropped (the rest scaled by
   *     {@code 1 / (1 - dropout)}); 0 for none
   */
  record Attention(String name, Shape inputShape, int heads, int keyDim, boolean causal, boolean masked,
      double dropout, Dense projection, Dense output, SourceSpan span, String source) implements Layer {
    @Override
    public Shape outputShape() {
      return inputShape;
    }

    public int steps() {
      return inputShape.dimensions().get(0);
    }

    public int width() {
      return inputShape.dimensions().get(1);
    }

    @Override
    public List<ParameterSlot> parameters() {
      List<ParameterSlot> slots = new java.util.ArrayList<>(projection.parameters());
      slots.addAll(output.parameters());
      return List.copyOf(slots);
    }

    @Override
    public long forwardFlops() {
      long perStep = projection.forwardFlops() + output.forwardFlops();
      long attend = 4L * heads * keyDim * steps() * steps() + 3L * heads * steps() * steps();
      return perStep * steps() + attend;
    }
  }

  /**
   * {@code globalavgpool1d(x)}: the mean of each feature over the steps of a sequence
   * {@code [steps, features]}, giving {@code [features]}.
   *
   * @param masked the layer's second input holds token ids: steps whose id is 0 (padding) are left
   *     out of the mean
   */
  record SequencePooling(String name, Shape inputShape, boolean masked, SourceSpan span, String source)
      implements Layer {
    public int steps() {
      return inputShape.dimensions().get(0);
    }

    public int features() {
      return inputShape.dimensions().get(1);
    }

    @Override
    public Shape outputShape() {
      return Shape.of(features());
    }

    @Override
    public List<ParameterSlot> parameters() {
      return List.of();
    }

    @Override
    public long forwardFlops() {
      return inputShape.size();
    }
  }
}
