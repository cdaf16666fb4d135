package dev.nnet.runtime.loss;

import java.util.List;
import java.util.Objects;

/** Looks losses up by the name written in a {@code .nnet} file. */
public final class Losses {
  private static final List<Loss> ALL =
      List.of(CategoricalCrossEntropy.INSTANCE, MeanSquaredError.INSTANCE);

  private Losses() {}

  /**
   * The loss called {@code name}, such as {@code mean_squared_error}.
   *
   * @throws IllegalArgumentException naming the known losses if there is none of that name
   */
  public static Loss byName(String name) {
    Objects.requireNonNull(name, "name");
    for (Loss loss : ALL) {
      if (loss.name().equals(name)) {
        return loss;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss '" + name + "'; known losses are " + names());
  }

  /** The names of all losses, sorted. */
  public static List<String> names() {
    return ALL.stream().map(Loss::name).sorted().toList();
  }
}
