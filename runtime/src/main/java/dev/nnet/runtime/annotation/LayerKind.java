package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an annotation a layer annotation: on a method of a {@link Network @Network} type it
 * becomes the call {@code value(...)}. Every element the user writes becomes a named argument,
 * its name in snake case ({@code useBias} is {@code use_bias:}): numbers and booleans as
 * written, enum constants in lower case, arrays as lists, and strings as {@code .nnet} values
 * ({@code "he_normal"}, {@code "l2(1e-4)"}). An element {@code String[] args} adds arguments
 * written in {@code .nnet} form ({@code "alpha: 0.1"}).
 *
 * <p>With an empty {@code value}, the layer kind is the annotation's own {@code value} element, as
 * in {@link Op @Op} and {@link ActivationLayer @ActivationLayer}. A new layer kind therefore needs
 * no change to the processor: declare an annotation with this one on it, or use {@link Op @Op}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.ANNOTATION_TYPE)
public @interface LayerKind {
  /** The layer's name in {@code .nnet} ({@code dense}), or empty to take it from {@code value}. */
  String value();
}
