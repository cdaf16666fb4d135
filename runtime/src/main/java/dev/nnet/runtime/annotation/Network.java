package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a network on a Java interface or class, the Java form of {@code network Name { ... }}.
 *
 * <p>Its methods are the network's members, in source order: {@link Input @Input} methods are the
 * inputs, methods with a layer annotation ({@link Dense @Dense}, {@link Op @Op}, ...) are the
 * layer statements, named after the method. Each layer reads the member declared just above it,
 * unless {@link From @From} names what it reads. {@link Output @Output} marks the outputs; without
 * any, the last layer is the output. {@link Train @Train} on the type is the {@code train} block.
 *
 * <p>The generated class is {@code <package of the type>.<name>}: {@link #name()} when given, and
 * otherwise the type's simple name followed by {@code Model} ({@code IrisNet} gives
 * {@code IrisNetModel}).
 *
 * <p>With {@link #source()}, the type declares nothing itself and binds a {@code .nnet} file: each
 * network of that file becomes a class in the package of the type.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Network {
  /** The generated class's simple name; by default the type's simple name plus {@code Model}. */
  String name() default "";

  /**
   * A {@code .nnet} file to compile into the package of this type instead of the declaration in
   * Java: a path relative to the directory of this type's source file, or else to the
   * {@code .nnet} source directory ({@code src/main/nnet}).
   */
  String source() default "";
}
