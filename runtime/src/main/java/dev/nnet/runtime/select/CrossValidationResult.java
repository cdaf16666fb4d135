package dev.nnet.runtime.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The per-fold scores of one {@link CrossValidation} run, with their mean and standard deviation.
 * The scores are named: the metrics in the order given, then {@code loss}. The first name is the
 * {@linkplain #primary() primary} score, which {@link #scores()}, {@link #mean()} and
 * {@link #std()} report and {@link GridSearch} ranks by. Immutable.
 */
public final class CrossValidationResult {
  private final List<String> names;
  private final double[][] scores;

  /** @param scores {@code scores[fold][i]} is fold's value of {@code names.get(i)} */
  CrossValidationResult(List<String> names, double[][] scores) {
    this.names = List.copyOf(names);
    this.scores = new double[scores.length][];
    for (int fold = 0; fold < scores.length; fold++) {
      this.scores[fold] = scores[fold].clone();
    }
  }

  /** The number of folds. */
  public int folds() {
    return scores.length;
  }

  /** The score names: the metrics, then {@code loss}. */
  public List<String> names() {
    return names;
  }

  /** The first metric's name, or {@code loss} without metrics. */
  public String primary() {
    return names.get(0);
  }

  /** The primary score of every fold, in fold order. */
  public double[] scores() {
    return scores(primary());
  }

  /**
   * The score {@code name} of every fold, in fold order.
   *
   * @throws IllegalArgumentException if there is no score of that name
   */
  public double[] scores(String name) {
    int index = names.indexOf(Objects.requireNonNull(name, "name"));
    if (index < 0) {
      throw new IllegalArgumentException("no score '" + name + "'; the scores are " + names);
    }
    double[] values = new double[scores.length];
    for (int fold = 0; fold < scores.length; fold++) {
      values[fold] = scores[fold][index];
    }
    return values;
  }

  /** The mean of the primary score over the folds. */
  public double mean() {
    return mean(primary());
  }

  /** The mean of score {@code name} over the folds. */
  public double mean(String name) {
    double sum = 0;
    for (double value : scores(name)) {
      sum += value;
    }
    return sum / scores.length;
  }

  /** The standard deviation of the primary score over the folds. */
  public double std() {
    return std(primary());
  }

  /**
   * The population standard deviation (divided by the number of folds, as numpy's
   * {@code scores.std()} that scikit-learn users report) of score {@code name}.
   */
  public double std(String name) {
    double mean = mean(name);
    double sum = 0;
    for (double value : scores(name)) {
      sum += (value - mean) * (value - mean);
    }
    return Math.sqrt(sum / scores.length);
  }

  /** {@code accuracy: 0.9412 ± 0.0123 (5 folds: 0.9300 0.9500 …)}, one part per score. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (String name : names) {
      StringBuilder part = new StringBuilder(String.format(Locale.ROOT, "%s: %.4f ± %.4f (%d folds:",
          name, mean(name), std(name), scores.length));
      for (double value : scores(name)) {
        part.append(String.format(Locale.ROOT, " %.4f", value));
      }
      parts.add(part.append(')').toString());
    }
    return String.join("; ", parts);
  }
}
