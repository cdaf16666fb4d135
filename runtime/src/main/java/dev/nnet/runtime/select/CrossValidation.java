package dev.nnet.runtime.select;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * K-fold cross-validation, as scikit-learn's {@code cross_val_score}: for each fold, a fresh
 * network from the factory, initialized with the seed ({@link Network#initialize}), trained on
 * the other folds with {@code new Trainer(config, seed)} and scored on the fold in inference mode
 * ({@link Trainer#evaluate}).
 *
 * <p>Every fold starts from the same initial weights and the same trainer seed, so the scores
 * differ only through the data. Folds run one after the other.
 */
public final class CrossValidation {

  private CrossValidation() {}

  /**
   * Cross-validates with k shuffled folds from {@code seed}, stratified when every target names a
   * class (one-hot rows, or whole-number class indices), scoring {@code metric} and the loss.
   *
   * @param metric the score to report; {@code null} for the loss alone
   * @throws IllegalArgumentException if {@code k} is &lt; 2 or exceeds the number of samples, or
   *     the data does not fit the networks
   */
  public static CrossValidationResult run(
      Supplier<? extends Network> factory, Dataset data, int k, TrainingConfig config, long seed,
      Metric metric) {
    Objects.requireNonNull(data, "data");
    return run(factory, data, folds(k, seed, data), config, seed,
        metric == null ? List.of() : List.of(metric));
  }

  /**
   * Cross-validates over the given folds, scoring every metric and the loss.
   *
   * @throws IllegalArgumentException if the folds cannot split the data, the data does not fit the
   *     networks, or two metrics share a name
   */
  public static CrossValidationResult run(
      Supplier<? extends Network> factory, Dataset data, KFold folds, TrainingConfig config,
      long seed, List<Metric> metrics) {
    return run(factory, data, folds, config, seed, metrics, FoldPreparation.none());
  }

  /**
   * Cross-validates over the given folds, preparing each pair of folds with a transform fit on
   * the training fold only ({@link FoldPreparation}).
   */
  public static CrossValidationResult run(
      Supplier<? extends Network> factory, Dataset data, KFold folds, TrainingConfig config,
      long seed, List<Metric> metrics, FoldPreparation preparation) {
    Objects.requireNonNull(preparation, "preparation");
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(folds, "folds");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(metrics, "metrics");
    List<String> names = new ArrayList<>();
    for (Metric metric : metrics) {
      names.add(Objects.requireNonNull(metric, "metric").name());
    }
    names.add("loss");
    List<Fold> split = folds.split(data);
    double[][] scores = new double[split.size()][];
    for (Fold fold : split) {
      Network net = Objects.requireNonNull(factory.get(), "the network factory returned null");
      net.initialize(seed);
      Dataset training = fold.train(data);
      var prepare = Objects.requireNonNull(preparation.fit(training), "the preparation returned no transform");
      new Trainer(config, seed).fit(net, prepare.apply(training));
      Map<String, Double> results = Trainer.evaluate(net, prepare.apply(fold.test(data)), metrics);
      double[] row = new double[names.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = results.get(names.get(i));
      }
      scores[fold.index()] = row;
    }
    return new CrossValidationResult(names, scores);
  }

  /** Shuffled k folds from {@code seed}, stratified when every target names a class. */
  static KFold folds(int k, long seed, Dataset data) {
    return KFold.isClassification(data)
        ? KFold.stratified(k, seed, true)
        : new KFold(k, seed, true);
  }
}
