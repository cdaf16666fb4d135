package dev.nnet.processor.ir;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/**
 * One step of a network, after names are resolved and shapes checked. Each layer reads the value
 * produced by the one before it (this version compiles sequential networks).
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
}
