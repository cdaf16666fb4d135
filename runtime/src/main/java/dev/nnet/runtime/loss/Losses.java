package dev.nnet.runtime.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Looks losses up by their Keras names, as written in a {@code .nnet} file, or by one of Keras'
 * aliases for them:
 *
 * <table>
 *   <caption>Loss names</caption>
 *   <tr><th>name</th><th>aliases</th><th>loss</th></tr>
 *   <tr><td>{@code binary_crossentropy}</td><td>{@code bce}</td>
 *       <td>{@link BinaryCrossEntropy#INSTANCE} (on probabilities)</td></tr>
 *   <tr><td>{@code categorical_crossentropy}</td><td></td>
 *       <td>{@link CategoricalCrossEntropy#INSTANCE}</td></tr>
 *   <tr><td>{@code cosine_similarity}</td><td></td><td>{@link CosineSimilarity#INSTANCE}</td></tr>
 *   <tr><td>{@code hinge}</td><td></td><td>{@link Hinge#INSTANCE}</td></tr>
 *   <tr><td>{@code huber}</td><td></td><td>{@link Huber#INSTANCE} (δ = 1)</td></tr>
 *   <tr><td>{@code kl_divergence}</td><td>{@code kld}, {@code kullback_leibler_divergence}</td>
 *       <td>{@link KLDivergence#INSTANCE}</td></tr>
 *   <tr><td>{@code log_cosh}</td><td>{@code logcosh}</td><td>{@link LogCosh#INSTANCE}</td></tr>
 *   <tr><td>{@code mean_absolute_error}</td><td>{@code mae}</td>
 *       <td>{@link MeanAbsoluteError#INSTANCE}</td></tr>
 *   <tr><td>{@code mean_squared_error}</td><td>{@code mse}</td>
 *       <td>{@link MeanSquaredError#INSTANCE}</td></tr>
 *   <tr><td>{@code poisson}</td><td></td><td>{@link Poisson#INSTANCE}</td></tr>
 *   <tr><td>{@code sparse_categorical_crossentropy}</td><td></td>
 *       <td>{@link SparseCategoricalCrossEntropy#INSTANCE}</td></tr>
 *   <tr><td>{@code squared_hinge}</td><td></td><td>{@link SquaredHinge#INSTANCE}</td></tr>
 * </table>
 *
 * <p>A loss found by an alias is the same instance, so its {@link Loss#name()} is the full name:
 * {@code byName("mse").name()} is {@code mean_squared_error}.
 */
public final class Losses {
  private static final List<Loss> ALL = List.of(
      BinaryCrossEntropy.INSTANCE,
      CategoricalCrossEntropy.INSTANCE,
      CosineSimilarity.INSTANCE,
      Hinge.INSTANCE,
      Huber.INSTANCE,
      KLDivergence.INSTANCE,
      LogCosh.INSTANCE,
      MeanAbsoluteError.INSTANCE,
      MeanSquaredError.INSTANCE,
      Poisson.INSTANCE,
      SparseCategoricalCrossEntropy.INSTANCE,
      SquaredHinge.INSTANCE);

  /** Alias → full name, sorted by alias. */
  private static final Map<String, String> ALIASES =
      Collections.unmodifiableMap(new TreeMap<>(Map.of(
          "bce", BinaryCrossEntropy.NAME,
          "kld", KLDivergence.NAME,
          "kullback_leibler_divergence", KLDivergence.NAME,
          "logcosh", LogCosh.NAME,
          "mae", MeanAbsoluteError.NAME,
          "mse", MeanSquaredError.NAME)));

  private static final List<String> NAMES = sortedNames();

  private Losses() {}

  /**
   * The loss called {@code name}, such as {@code mean_squared_error}, or one of its aliases, such
   * as {@code mse}.
   *
   * @throws IllegalArgumentException naming the known losses if there is none of that name
   */
  public static Loss byName(String name) {
    Objects.requireNonNull(name, "name");
    String fullName = ALIASES.getOrDefault(name, name);
    for (Loss loss : ALL) {
      if (loss.name().equals(fullName)) {
        return loss;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss '" + name + "'; known losses are " + names());
  }

  /** Every name {@link #byName} accepts, full names and aliases, sorted. */
  public static List<String> names() {
    return NAMES;
  }

  /** Keras' short names for losses, each mapped to the loss's full name, sorted by alias. */
  public static Map<String, String> aliases() {
    return ALIASES;
  }

  private static List<String> sortedNames() {
    List<String> names = new ArrayList<>(ALIASES.keySet());
    for (Loss loss : ALL) {
      names.add(loss.name());
    }
    Collections.sort(names);
    return List.copyOf(names);
  }
}
