package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An input of the network: {@code @Input({28, 28}) Layer image();} is
 * {@code input image: float[28, 28]}. The value is the shape of one sample; the batch dimension
 * is never written.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Input {
  /** The dimensions of one sample. */
  int[] value();
}
