package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** {@code flatten(x)}: the same values as one dimension. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("flatten")
public @interface Flatten {
  /** More arguments in {@code .nnet} form, such as {@code "name: value"}. */
  String[] args() default {};
}
