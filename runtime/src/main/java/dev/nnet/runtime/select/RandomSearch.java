package dev.nnet.runtime.select;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random search, as scikit-learn's {@code RandomizedSearchCV} over a discrete space: a seeded
 * sample of {@code trials} distinct candidates, each cross-validated like {@link GridSearch}. Worth
 * it when the grid is too large to try every point.
 */
public final class RandomSearch {
  private RandomSearch() {}

  /**
   * Cross-validates {@code trials} candidates drawn without replacement from {@code space}
   * (seeded), in the order they were drawn.
   *
   * @throws IllegalArgumentException if {@code trials} is not in {@code 1..space.size()}
   */
  public static GridSearchResult run(List<GridSearch.Candidate> space, int trials, Dataset data, int k, long seed,
      List<Metric> metrics, FoldPreparation preparation) {
    return GridSearch.run(sample(space, trials, seed), data, k, seed, metrics, preparation);
  }

  /** {@code trials} distinct candidates from {@code space}, the same ones for the same seed. */
  public static List<GridSearch.Candidate> sample(List<GridSearch.Candidate> space, int trials, long seed) {
    if (trials < 1 || trials > space.size()) {
      throw new IllegalArgumentException("trials must be from 1 to the " + space.size()
          + " candidates, but got " + trials);
    }
    List<GridSearch.Candidate> pool = new ArrayList<>(space);
    SplittableRandom random = new SplittableRandom(seed);
    List<GridSearch.Candidate> drawn = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      drawn.add(pool.remove(random.nextInt(pool.size())));
    }
    return drawn;
  }
}
