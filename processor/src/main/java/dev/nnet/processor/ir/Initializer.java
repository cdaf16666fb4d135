package dev.nnet.processor.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The initializer a layer names for a parameter tensor, resolved to the runtime class that
 * fills it ({@code dev.nnet.runtime.init}).
 *
 * @param keyword the name as written ({@code he_normal}, {@code constant})
 * @param runtimeClass the simple name of the runtime class ({@code HeNormal})
 * @param value the value of {@code constant(value: 0.1)}, empty for the others
 */
public record Initializer(String keyword, String runtimeClass, OptionalDouble value) {
  private static final Map<String, String> CLASSES = new LinkedHashMap<>();

  static {
    CLASSES.put("glorot_uniform", "GlorotUniform");
    CLASSES.put("glorot_normal", "GlorotNormal");
    CLASSES.put("xavier_uniform", "GlorotUniform");
    CLASSES.put("xavier_normal", "GlorotNormal");
    CLASSES.put("he_uniform", "HeUniform");
    CLASSES.put("he_normal", "HeNormal");
    CLASSES.put("lecun_uniform", "LecunUniform");
    CLASSES.put("lecun_normal", "LecunNormal");
    CLASSES.put("orthogonal", "Orthogonal");
    CLASSES.put("zeros", "Zeros");
    CLASSES.put("ones", "Ones");
  }

  public static final Initializer GLOROT_UNIFORM = named("glorot_uniform").orElseThrow();
  public static final Initializer ZEROS = named("zeros").orElseThrow();

  /** Every keyword a layer may name without arguments. */
  public static List<String> keywords() {
    return List.copyOf(CLASSES.keySet());
  }

  public static Optional<Initializer> named(String keyword) {
    return Optional.ofNullable(CLASSES.get(keyword))
        .map(type -> new Initializer(keyword, type, OptionalDouble.empty()));
  }

  public static Initializer constant(double value) {
    return new Initializer("constant", "Constant", OptionalDouble.of(value));
  }

  /** As written in a {@code .nnet} file, for the architecture fingerprint. */
  @Override
  public String toString() {
    return value.isPresent() ? keyword + "(" + value.getAsDouble() + ")" : keyword;
  }
}
