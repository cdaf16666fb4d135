package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code multiply(a, b, ...)}: the product, value by value, of two tensors of one shape, named with {@link From @From}. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("multiply")
public @interface Multiply {
  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
