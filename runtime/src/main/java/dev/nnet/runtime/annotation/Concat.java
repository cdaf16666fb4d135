package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code concat(a, b, ...)}: two or more tensors joined along the last axis, named with {@link From @From}. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("concat")
public @interface Concat {
  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
