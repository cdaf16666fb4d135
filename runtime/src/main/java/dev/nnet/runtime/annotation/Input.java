package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An input of the network: {@code @Input({28, 28}) Layer image();} is
 * {@code input image: float[28, 28]}. The value is the shape of one sample; the batch dimension
 * is never written. {@code @Input(type = "string") Layer text();} is {@code input text: string}: one
 * text per sample, read by a {@code text_vectorize} stage.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Input {
  /** The dimensions of one sample (none for a string input). */
  int[] value() default {};

  /** The element type: {@code "float"}, or {@code "string"} for text. */
  String type() default "float";
}
