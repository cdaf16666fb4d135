package dev.nnet.runtime.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code train} block of a {@link Network @Network} type. Only the elements written become
 * settings; the others keep the {@code .nnet} defaults shown here (see
 * {@code docs/language.md#the-train-block}). Losses, optimizers, metrics and schedules are
 * written as in {@code .nnet}: {@code "adam"} or {@code "adam(learning_rate: 1e-3)"}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Train {
  /** The loss; one per output, in output order, for a network with several outputs. Required. */
  String[] loss();

  /** {@code adam} by default. */
  String optimizer() default "adam";

  /** Samples per step, 1 to 65,536; 32 by default. */
  int batch() default 32;

  /** Passes over the data; 1 by default. */
  int epochs() default 1;

  /** What to measure after each epoch, such as {@code {"accuracy", "top_k_accuracy(k: 3)"}}. */
  String[] metrics() default {};

  /** A learning-rate schedule, such as {@code "cosine_decay(decay_steps: 2000)"}; none by default. */
  String schedule() default "";

  /** The largest gradient norm; none by default. */
  double clipnorm() default 0;

  /** The largest gradient value; none by default. */
  double clipvalue() default 0;

  /** The share of the training data kept aside for validation; none by default. */
  double validationSplit() default 0;

  /** Whether to shuffle each epoch; true by default. */
  boolean shuffle() default true;

  /** One weight per class; none by default. */
  double[] classWeight() default {};

  /** More settings in {@code .nnet} form, such as {@code "name: value"}. */
  String[] settings() default {};
}
