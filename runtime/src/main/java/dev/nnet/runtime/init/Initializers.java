package dev.nnet.runtime.init;

import java.util.List;
import java.util.Objects;

/** Looks initializers up by the name written in a {@code .nnet} file. */
public final class Initializers {
  private static final List<Initializer> ALL = List.of(GlorotUniform.INSTANCE, Zeros.INSTANCE);

  private Initializers() {}

  /**
   * The initializer called {@code name}, such as {@code glorot_uniform}.
   *
   * @throws IllegalArgumentException naming the known initializers if there is none of that name
   */
  public static Initializer byName(String name) {
    Objects.requireNonNull(name, "name");
    for (Initializer initializer : ALL) {
      if (initializer.name().equals(name)) {
        return initializer;
      }
    }
    throw new IllegalArgumentException(
        "unknown initializer '" + name + "'; known initializers are " + names());
  }

  /** The names of all initializers, sorted. */
  public static List<String> names() {
    return ALL.stream().map(Initializer::name).sorted().toList();
  }
}
