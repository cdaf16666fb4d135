package dev.nnet.runtime.select;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Model selection over named candidates: {@link CrossValidation} of each on the same folds, and a
 * table of the results with the best candidate marked ({@link GridSearchResult}). A candidate is
 * a network factory (an architecture, or a network with other hyperparameters) and a training
 * configuration (another optimizer, learning rate, batch size, …).
 *
 * <pre>{@code
 * Map<String, Supplier<Network>> candidates = new LinkedHashMap<>();
 * candidates.put("64 units", () -> new Mlp64());
 * candidates.put("128 units", () -> new Mlp128());
 * GridSearchResult result = GridSearch.run(candidates, train, 5, config, 42,
 *     List.of(Metrics.byName("accuracy")));
 * System.out.println(result);
 * }</pre>
 */
public final class GridSearch {

  /**
   * One candidate.
   *
   * @param name the row label of the table
   * @param network makes a fresh network for every fold
   * @param config how to train it
   */
  public record Candidate(String name, Supplier<? extends Network> network, TrainingConfig config) {
    public Candidate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(config, "config");
    }
  }

  private GridSearch() {}

  /**
   * Cross-validates every network factory with the same configuration, in the map's iteration
   * order (use a {@link java.util.LinkedHashMap} to keep the insertion order).
   *
   * @param metrics the scores; the first ranks the candidates (the loss when empty)
   */
  public static GridSearchResult run(
      Map<String, ? extends Supplier<? extends Network>> candidates, Dataset data, int k,
      TrainingConfig config, long seed, List<Metric> metrics) {
    Objects.requireNonNull(candidates, "candidates");
    List<Candidate> list = new ArrayList<>();
    for (Map.Entry<String, ? extends Supplier<? extends Network>> entry : candidates.entrySet()) {
      list.add(new Candidate(entry.getKey(), entry.getValue(), config));
    }
    return run(list, data, k, seed, metrics);
  }

  /**
   * Cross-validates every candidate, in order, on the same k folds (shuffled from {@code seed},
   * stratified for class targets, as {@link CrossValidation#run(Supplier, Dataset, int,
   * TrainingConfig, long, Metric)}).
   *
   * @param metrics the scores; the first ranks the candidates (the loss when empty)
   * @throws IllegalArgumentException if there are no candidates or two share a name
   */
  public static GridSearchResult run(
      List<Candidate> candidates, Dataset data, int k, long seed, List<Metric> metrics) {
    return run(candidates, data, k, seed, metrics, FoldPreparation.none());
  }

  /**
   * As {@link #run(List, Dataset, int, long, List)}, preparing every fold with a transform fit on
   * its training part only (feature scaling, say), so no candidate sees test-fold statistics.
   */
  public static GridSearchResult run(
      List<Candidate> candidates, Dataset data, int k, long seed, List<Metric> metrics,
      FoldPreparation preparation) {
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(data, "data");
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates to search");
    }
    Set<String> names = new HashSet<>();
    for (Candidate candidate : candidates) {
      if (!names.add(candidate.name())) {
        throw new IllegalArgumentException("candidate '" + candidate.name() + "' is listed twice");
      }
    }
    KFold folds = CrossValidation.folds(k, seed, data);
    List<GridSearchResult.Row> rows = new ArrayList<>();
    for (Candidate candidate : candidates) {
      rows.add(new GridSearchResult.Row(candidate.name(), CrossValidation.run(
          candidate.network(), data, folds, candidate.config(), seed, metrics, preparation)));
    }
    return new GridSearchResult(rows);
  }
}
