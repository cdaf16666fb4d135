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
}
