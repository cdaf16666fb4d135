package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Another {@link Network @Network} type used as a layer: {@code @Use(Encoder.class) @From("left")
 * Layer a();} is {@code a = EncoderModel(left)}. Its layers are inlined, and every use within one
 * network shares its parameters (see {@code docs/language.md#networks-as-layers}). The used type
 * needs no {@link Train @Train}; without one it generates no class of its own.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
@LayerKind("")
public @interface Use {
  /** The {@code @Network} type to apply. */
  Class<?> value();
}
