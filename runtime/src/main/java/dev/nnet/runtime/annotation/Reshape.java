package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code reshape(x, shape: [...])}: the same values in another shape. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("reshape")
public @interface Reshape {
  /** The new shape of one sample. */
  int[] shape();

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
