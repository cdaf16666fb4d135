package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code add(a, b, ...)}: the sum, value by value, of two or more tensors of one shape, named with {@link From @From}. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("add")
public @interface Add {
  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
