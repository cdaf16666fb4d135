package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Any layer by its {@code .nnet} name, with its arguments in {@code .nnet} form:
 * {@code @Op(value = "conv2d", args = {"filters: 8", "kernel_size: 3"}) Layer conv();} is
 * {@code conv = conv2d(x, filters: 8, kernel_size: 3)}. Every layer kind of the language can be
 * written this way, including those without an annotation of their own, with the same checks
 * and messages.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("")
public @interface Op {
  /** The layer's name in {@code .nnet}, such as {@code "dense"} or {@code "conv2d"}. */
  String value();

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
