package dev.nnet.runtime.optim;

import java.util.List;
import java.util.Objects;

/**
 * Looks optimizers up by their snake_case name, as Keras' {@code optimizers.get("adam")} does, and
 * returns them with their default settings:
 *
 * <table>
 *   <caption>Optimizer names</caption>
 *   <tr><th>name</th><th>optimizer</th></tr>
 *   <tr><td>{@code adadelta}</td><td>{@code new Adadelta()}</td></tr>
 *   <tr><td>{@code adagrad}</td><td>{@code new Adagrad()}</td></tr>
 *   <tr><td>{@code adam}</td><td>{@code new Adam()}</td></tr>
 *   <tr><td>{@code adamw}</td><td>{@code new AdamW()}</td></tr>
 *   <tr><td>{@code gradient_descent}</td><td>{@code new GradientDescent()}</td></tr>
 *   <tr><td>{@code nadam}</td><td>{@code new Nadam()}</td></tr>
 *   <tr><td>{@code rmsprop}</td><td>{@code new RmsProp()}</td></tr>
 *   <tr><td>{@code sgd}</td><td>{@code new Sgd()}</td></tr>
 * </table>
 */
public final class Optimizers {

  private static final List<String> NAMES = List.of(
      "adadelta", "adagrad", "adam", "adamw", "gradient_descent", "nadam", "rmsprop", "sgd");

  private Optimizers() {}

  /**
   * A new optimizer with default settings for {@code name}, such as {@code adam}.
   *
   * @throws IllegalArgumentException naming the known optimizers if there is none of that name
   */
  public static Optimizer byName(String name) {
    Objects.requireNonNull(name, "name");
    switch (name) {
      case "adadelta":
        return new Adadelta();
      case "adagrad":
        return new Adagrad();
      case "adam":
        return new Adam();
      case "adamw":
        return new AdamW();
      case "gradient_descent":
        return new GradientDescent();
      case "nadam":
        return new Nadam();
      case "rmsprop":
        return new RmsProp();
      case "sgd":
        return new Sgd();
      default:
        throw new IllegalArgumentException(
            "unknown optimizer '" + name + "'; known optimizers are " + NAMES);
    }
  }

  /** The names {@link #byName} accepts, sorted. */
  public static List<String> names() {
    return NAMES;
  }
}
