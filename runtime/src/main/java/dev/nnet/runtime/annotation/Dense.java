package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code dense(x, units: ..., ...)}: a fully connected layer. Only the elements written are passed
 * on; the others keep the {@code .nnet} defaults (see {@code docs/language.md#dense}).
 * Initializers, regularizers and constraints are {@code .nnet} values:
 * {@code kernelInitializer = "he_normal"}, {@code kernelRegularizer = "l2(1e-4)"}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("dense")
public @interface Dense {
  /** The number of outputs, from 1 to 16,777,216. */
  int units();

  /** Applied to the outputs; {@code LINEAR} (none) by default. */
  Activation activation() default Activation.LINEAR;

  /** Whether the layer adds a bias; true by default. */
  boolean useBias() default true;

  /** {@code glorot_uniform} by default. */
  String kernelInitializer() default "glorot_uniform";

  /** {@code zeros} by default. */
  String biasInitializer() default "zeros";

  /** {@code l1(x)}, {@code l2(x)} or {@code l1_l2(l1: a, l2: b)}; none by default. */
  String kernelRegularizer() default "";

  /** As {@link #kernelRegularizer()}, for the bias. */
  String biasRegularizer() default "";

  /** Shorthand for an L1 penalty on the weight; 0 by default. */
  double l1() default 0;

  /** Shorthand for an L2 penalty on the weight; 0 by default. */
  double l2() default 0;

  /** {@code max_norm(x)}; none by default. */
  String kernelConstraint() default "";

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
