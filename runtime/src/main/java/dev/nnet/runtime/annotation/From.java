package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a layer reads, by the names of earlier members: {@code @Add @From({"x", "h"}) Layer sum();}
 * is {@code sum = add(x, h)}. Without it, a layer reads the member declared just above it.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface From {
  /** The inputs or layers read, in argument order. */
  String[] value();
}
