package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code dropout(x, rate: ...)}: inverted dropout while training. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("dropout")
public @interface Dropout {
  /** The probability of dropping a value, from 0 up to (not including) 1. */
  double rate();

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
