package dev.nnet.processor.ir;

import java.util.List;

/**
 * A runtime object a {@code train} block names, resolved to the Java expression that builds it:
 * {@code adam(learning_rate: 1e-3)} → {@code new Adam(0.001, 0.9, 0.999, 1.0E-7)},
 * {@code accuracy} → {@code Accuracy.INSTANCE}.
 *
 * @param keyword the name as written ({@code adam})
 * @param packageName the runtime package ({@code dev.nnet.runtime.optim})
 * @param className the runtime class ({@code Adam})
 * @param arguments constructor arguments as Java literals, every default filled in; empty with
 *     {@code singleton}
 * @param singleton whether the class is used through its {@code INSTANCE}
 * @param written the declaration as written, normalised, for comments
 */
public record RuntimeObject(
    String keyword, String packageName, String className, List<String> arguments, boolean singleton, String written) {
  public RuntimeObject {
    arguments = List.copyOf(arguments);
  }

  @Override
  public String toString() {
    return written;
  }
}
