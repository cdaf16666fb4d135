package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;

/**
 * How a dense layer's matrix arithmetic is written. This is the replaceable part of the dense
 * emitter: the scalar kernel works everywhere; a register-blocked Vector API kernel can sit
 * beside it without changing anything around it.
 *
 * <p>Both bodies run in a method whose parameters are {@code p} (parameters), {@code x},
 * {@code xOffset}, {@code count} and for backward {@code g} (gradients), {@code dy} (gradient of
 * the pre-activation output, already multiplied by the activation's derivative) and {@code dx}.
 */
interface DenseKernel {

  /** {@code y[b] = x[b] · W + bias} for each of {@code count} rows; no activation. */
  CodeBlock forward(DenseNames names, Precision precision);

  /**
   * Adds {@code x[b]ᵀ · dy[b]} to the weight gradient and {@code dy[b]} to the bias gradient for
   * each row, and when {@code propagate} writes {@code dx[b] = dy[b] · Wᵀ}.
   */
  CodeBlock backward(DenseNames names, Precision precision, boolean propagate);
}
