package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code batch_norm(x, momentum: ..., epsilon: ...)}: batch normalisation over the last axis. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("batch_norm")
public @interface BatchNorm {
  /** 0.99 by default. */
  double momentum() default 0.99;

  /** 0.001 by default. */
  double epsilon() default 0.001;

  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
