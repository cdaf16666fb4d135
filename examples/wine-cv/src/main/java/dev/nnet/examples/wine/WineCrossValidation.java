package dev.nnet.examples.wine;

import dev.nnet.plots.ConfusionMatrixPlot;
import dev.nnet.plots.TrainingCurves;
import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Standardizer;
import dev.nnet.runtime.metrics.ConfusionMatrix;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.select.Fold;
import dev.nnet.runtime.select.GridSearch;
import dev.nnet.runtime.select.GridSearchResult;
import dev.nnet.runtime.select.KFold;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.ProgressBar;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tuning by cross-validation on real data: hold out a fifth of the UCI wine data as a test set,
 * choose the hidden size (4, 8, 16 or 32 units, declared in {@code WineNets.nnet}) by 5-fold
 * cross-validation on the rest, with feature scaling fit on each training fold only, then train
 * the chosen network on the whole training part and report it on the test set, with plots.
 *
 * <p>Arguments: {@code [data directory] [output directory]}; defaults {@code examples/data} and
 * {@code examples/wine-cv/target}.
 */
public final class WineCrossValidation {
  static final long SEED = 7;

  private WineCrossValidation() {}

  /** The candidates, by name, in the order of the table. */
  static Map<String, Supplier<Network>> candidates() {
    Map<String, Supplier<Network>> candidates = new LinkedHashMap<>();
    candidates.put("hidden 4", WineHidden4::new);
    candidates.put("hidden 8", WineHidden8::new);
    candidates.put("hidden 16", WineHidden16::new);
    candidates.put("hidden 32", WineHidden32::new);
    return candidates;
  }

  record Result(GridSearchResult search, String chosen, double testAccuracy, double testF1, History history) {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path out = Path.of(args.length > 1 ? args[1] : "examples/wine-cv/target");
    Result result = run(data, out, true);
    System.out.println("chosen: " + result.chosen());
    System.out.printf(Locale.ROOT, "cv accuracy: %.4f%n", result.search().best().result().mean());
    System.out.printf(Locale.ROOT, "cv accuracy std: %.4f%n", result.search().best().result().std());
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", result.testAccuracy());
    System.out.printf(Locale.ROOT, "test f1: %.4f%n", result.testF1());
    System.out.println("training curves: " + out.resolve("wine-training.png"));
    System.out.println("confusion matrix: " + out.resolve("wine-confusion.png"));
  }

  static Result run(Path dataDir, Path out, boolean verbose) throws IOException {
    WineData.Labelled wine = WineData.read(dataDir.resolve("wine_data.csv"));
    Dataset all = wine.data();
    // A stratified, seeded fifth for the final test; cross-validation never sees it.
    Fold holdOut = KFold.stratified(5, SEED, true).split(all).get(0);
    Dataset train = holdOut.train(all);
    Dataset test = holdOut.test(all);
    if (verbose) {
      System.out.printf(Locale.ROOT, "wine: %d samples, %d features, %d classes; %d for cross-validation, %d held out%n",
          all.size(), all.featureWidth(), wine.classNames().size(), train.size(), test.size());
    }

    List<Metric> metrics = List.of(Metrics.byName("accuracy"), Metrics.byName("f1"));
    TrainingConfig config = new WineHidden4().trainingConfig();
    List<GridSearch.Candidate> candidates = candidates().entrySet().stream()
        .map(e -> new GridSearch.Candidate(e.getKey(), e.getValue(), config)).toList();
    // Scaling is fit on each training fold only, then applied to its test fold unchanged.
    GridSearchResult search = GridSearch.run(candidates, train, 5, SEED, metrics,
        fold -> Standardizer.fit(fold)::apply);
    if (verbose) {
      System.out.println();
      System.out.println("5-fold cross-validation on " + train.size() + " wines:");
      System.out.println(search);
    }

    String chosen = search.best().candidate();
    Network network = candidates().get(chosen).get();
    network.initialize(SEED);
    Standardizer scaling = Standardizer.fit(train);
    if (verbose) {
      System.out.println("training '" + chosen + "' on all " + train.size() + " training wines:");
    }
    History history = new Trainer(config.withMetrics(metrics), SEED)
        .fit(network, scaling.apply(train), null,
            verbose ? new ProgressBar(System.out, false) : new ProgressBar(new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()), false));
    Dataset scaledTest = scaling.apply(test);
    Map<String, Double> scores = Trainer.evaluate(network, scaledTest, metrics);

    float[] outputs = new float[scaledTest.size() * network.outputSize()];
    network.predictBatch(scaledTest.features(), 0, outputs, 0, scaledTest.size());
    ConfusionMatrix confusion = ConfusionMatrix.of(outputs, scaledTest.targets(), scaledTest.size(),
        network.outputSize(), 1);
    if (verbose) {
      System.out.println();
      System.out.println("test set (" + scaledTest.size() + " wines):");
      System.out.println(confusion);
    }
    java.nio.file.Files.createDirectories(out);
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (String name : history.names()) {
      double[] values = history.values(name);
      if (java.util.Arrays.stream(values).anyMatch(v -> !Double.isNaN(v))) {
        curves.put(name, values);
      }
    }
    TrainingCurves.write(out.resolve("wine-training.png"), chosen + " on the wine data", curves);
    ConfusionMatrixPlot.write(out.resolve("wine-confusion.png"), confusion.counts(), wine.classNames());
    return new Result(search, chosen, scores.get("accuracy"), scores.get("f1"), history);
  }
}
