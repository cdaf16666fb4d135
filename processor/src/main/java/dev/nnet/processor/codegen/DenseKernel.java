package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;

/**
 * How a dense layer's arithmetic is written. This is the replaceable part of the dense emitter:
 * the scalar kernel works on every JVM; the Vector API kernel runs where
 * {@code jdk.incubator.vector} is present, with the same method signatures.
 *
 * <p>Forward bodies run in a method with parameters {@code p} (parameters), {@code x},
 * {@code xOffset}, {@code y}, {@code count}. Backward bodies add {@code g} (gradients),
 * {@code dy} (the gradient before the activation) and, when propagating, {@code dx}.
 */
interface DenseKernel {

  /** {@code y[b] = activation(x[b] · W + bias)} for each of {@code count} rows. */
  CodeBlock forward(DenseNames names, Precision precision, Activation activation);

  /**
   * Writes (not adds) the layer's weight gradient {@code Σ_b x[b]ᵀ · dy[b]} and bias gradient
   * {@code Σ_b dy[b]} into {@code g}, and when {@code propagate} writes
   * {@code dx[b] = dy[b] · Wᵀ} — or adds it, with {@code accumulate}, when the input's gradient has
   * another contribution (the input feeds several layers). With {@code accumulateParameters} the
   * weight and bias gradients are added too: another layer sharing them wrote them first.
   */
  CodeBlock backward(DenseNames names, Precision precision, boolean propagate, boolean accumulate,
      boolean accumulateParameters);
}
