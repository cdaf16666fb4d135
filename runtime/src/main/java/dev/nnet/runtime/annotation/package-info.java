/**
 * Declaring a network in Java: an {@link dev.nnet.runtime.annotation.Network @Network} type whose
 * methods are its inputs and layers. The nnet annotation processor turns the type into the same
 * syntax tree a {@code .nnet} file gives, so the checks, the messages and the generated class are
 * the same (see {@code docs/annotations.md}).
 *
 * <pre>{@code
 * @Network
 * @Train(loss = "sparse_categorical_crossentropy", optimizer = "adam(learning_rate: 0.01)", epochs = 100)
 * interface IrisNet {
 *   @Input(4)                                    Layer features();
 *   @Dense(units = 16, activation = RELU)        Layer hidden();
 *   @Output @Dense(units = 3, activation = SOFTMAX) Layer probs();
 * }
 * // javac generates: public final class IrisNetModel implements dev.nnet.runtime.Network
 * }</pre>
 *
 * <p>Every annotation here has source retention: nothing of it reaches the class files of the
 * user's code, and the runtime is the only compile-time dependency.
 */
package dev.nnet.runtime.annotation;
