package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An activation as a layer of its own: {@code @ActivationLayer(RELU) Layer a();} is
 * {@code a = relu(h)}. Arguments, such as {@code alpha} of {@code LEAKY_RELU}, go in
 * {@link #args()}: {@code @ActivationLayer(value = LEAKY_RELU, args = "alpha: 0.1")}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("")
public @interface ActivationLayer {
  /** The activation. */
  Activation value();

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
