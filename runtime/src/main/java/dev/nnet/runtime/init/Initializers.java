package dev.nnet.runtime.init;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks initializers up by the name written in a {@code .nnet} file, which is Keras' name:
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><th>name</th><th>initializer</th></tr>
 *   <tr><td>{@code glorot_uniform}, {@code xavier_uniform}</td><td>{@link GlorotUniform}</td></tr>
 *   <tr><td>{@code glorot_normal}, {@code xavier_normal}</td><td>{@link GlorotNormal}</td></tr>
 *   <tr><td>{@code he_uniform}</td><td>{@link HeUniform}</td></tr>
 *   <tr><td>{@code he_normal}</td><td>{@link HeNormal}</td></tr>
 *   <tr><td>{@code lecun_uniform}</td><td>{@link LecunUniform}</td></tr>
 *   <tr><td>{@code lecun_normal}</td><td>{@link LecunNormal}</td></tr>
 *   <tr><td>{@code orthogonal}</td><td>{@link Orthogonal#INSTANCE} (gain 1)</td></tr>
 *   <tr><td>{@code zeros}</td><td>{@link Zeros}</td></tr>
 *   <tr><td>{@code ones}</td><td>{@link Ones}</td></tr>
 * </table>
 *
 * <p>The {@code xavier_*} aliases return the same instances, whose {@link Initializer#name()} is
 * the {@code glorot_*} name. {@code constant} needs a value: construct {@link Constant}.
 */
public final class Initializers {
  private static final Map<String, Initializer> BY_NAME = Map.ofEntries(
      Map.entry(GlorotUniform.NAME, GlorotUniform.INSTANCE),
      Map.entry("xavier_uniform", GlorotUniform.INSTANCE),
      Map.entry(GlorotNormal.NAME, GlorotNormal.INSTANCE),
      Map.entry("xavier_normal", GlorotNormal.INSTANCE),
      Map.entry(HeUniform.NAME, HeUniform.INSTANCE),
      Map.entry(HeNormal.NAME, HeNormal.INSTANCE),
      Map.entry(LecunUniform.NAME, LecunUniform.INSTANCE),
      Map.entry(LecunNormal.NAME, LecunNormal.INSTANCE),
      Map.entry(Orthogonal.NAME, Orthogonal.INSTANCE),
      Map.entry(Zeros.NAME, Zeros.INSTANCE),
      Map.entry(Ones.NAME, Ones.INSTANCE));

  private static final List<String> NAMES = BY_NAME.keySet().stream().sorted().toList();

  private Initializers() {}

  /**
   * The initializer called {@code name}, such as {@code glorot_uniform}.
   *
   * @throws IllegalArgumentException naming the known initializers if there is none of that name,
   *     or saying how to construct it for {@code constant}
   */
  public static Initializer byName(String name) {
    Objects.requireNonNull(name, "name");
    Initializer initializer = BY_NAME.get(name);
    if (initializer != null) {
      return initializer;
    }
    if (name.equals(Constant.NAME)) {
      throw new IllegalArgumentException(
          "initializer 'constant' needs a value, so byName cannot make it; use new Constant("
              + "value)");
    }
    throw new IllegalArgumentException(
        "unknown initializer '" + name + "'; known initializers are " + NAMES);
  }

  /** The names {@link #byName} accepts, aliases included, sorted. */
  public static List<String> names() {
    return NAMES;
  }
}
