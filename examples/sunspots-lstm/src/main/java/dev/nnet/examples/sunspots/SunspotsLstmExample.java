package dev.nnet.examples.sunspots;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.series.Series;
import dev.nnet.runtime.data.series.SeriesCsv;
import dev.nnet.runtime.data.series.SeriesScaler;
import dev.nnet.runtime.data.series.Windows;
import dev.nnet.runtime.train.EpochStats;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Workload W5 end to end: {@link SunspotsLstm} (generated from {@code SunspotsLstm.nnet}) learns
 * to forecast the yearly sunspot number ({@code sunspots.csv}, 1700–2008) from the 24 years
 * before. The windows are taken in time order and the last 20 % are the test set; the min-max
 * scaling is fit on the years the training windows cover, so nothing of the test years leaks
 * into training (test values may leave [0, 1]: the largest maximum, 1957, is a test year).
 *
 * <p>Arguments: {@code [data directory]}, default {@code examples/data}.
 */
public final class SunspotsLstmExample {
  static final int WINDOW = 24;
  static final long SEED = 42;

  private SunspotsLstmExample() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Result result = run(data, new SunspotsLstm().trainingConfig().epochs(), true);
    System.out.printf(Locale.ROOT, "test mse: %.5f%n", result.testMse());
    System.out.printf(Locale.ROOT, "naive mse: %.5f%n", result.naiveMse());
    System.out.printf(Locale.ROOT, "test rmse (sunspots): %.2f%n", result.testRmseSunspots());
    System.out.printf(Locale.ROOT, "naive rmse (sunspots): %.2f%n", result.naiveRmseSunspots());
    System.out.printf(Locale.ROOT, "train sequences/s: %.0f%n", result.sequencesPerSecond());
    System.out.printf(Locale.ROOT, "training windows: %d%n", result.trainWindows());
    System.out.printf(Locale.ROOT, "test windows: %d%n", result.testWindows());
    System.out.printf(Locale.ROOT, "parameters: %d%n", SunspotsLstm.PARAMETER_COUNT);
    System.out.println("beats naive: " + (result.testMse() < result.naiveMse()));
  }

  /** What one run measured; MSEs on the scaled values, RMSEs in sunspot numbers. */
  record Result(double testMse, double naiveMse, double testRmseSunspots, double naiveRmseSunspots,
      double sequencesPerSecond, int trainWindows, int testWindows) {}

  /** The W5 split: windows in time order, the last 20 % for testing, scaling fit on the rest. */
  record Split(Dataset train, Dataset test, SeriesScaler scaler) {}

  static Split split(Path data) throws IOException {
    Series sunspots = SeriesCsv.read(data.resolve("sunspots.csv"));
    int windows = Windows.count(sunspots.size(), WINDOW, 1, 1);
    int trainWindows = windows - Math.round(windows * 0.2f);
    // The training windows read values [0, trainWindows + WINDOW): their inputs and targets.
    SeriesScaler scaler = SeriesScaler.fitMinMax(sunspots.slice(0, trainWindows + WINDOW));
    Dataset all = Windows.of(scaler.apply(sunspots), WINDOW, 1, 1);
    return new Split(all.slice(0, trainWindows), all.slice(trainWindows, all.size()), scaler);
  }

  static Result run(Path data, int epochs, boolean verbose) throws IOException {
    Split split = split(data);
    SunspotsLstm network = new SunspotsLstm();
    network.initialize(SEED);
    Trainer trainer = new Trainer(network.trainingConfig().withEpochs(epochs), SEED);
    History history = trainer.fit(network, split.train(), null,
        verbose ? TrainingListener.console(System.out) : TrainingListener.silent());
    Dataset test = split.test();
    double mse = Evaluation.loss(network, test);
    double naive = naiveMse(test);
    double scale = split.scaler().scale();
    return new Result(mse, naive, Math.sqrt(mse) * scale, Math.sqrt(naive) * scale,
        steadySequencesPerSecond(history), split.train().size(), test.size());
  }

  /** "Next year = this year": the last value of each window as the forecast. */
  static double naiveMse(Dataset test) {
    double sum = 0;
    for (int k = 0; k < test.size(); k++) {
      double error = test.features()[k * WINDOW + WINDOW - 1] - test.targets()[k];
      sum += error * error;
    }
    return sum / test.size();
  }

  /** Training speed after the first (warm-up) epoch: the median of the later epochs. */
  static double steadySequencesPerSecond(History history) {
    double[] speeds = history.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
    return speeds.length == 0 ? history.epochs().get(0).samplesPerSecond() : speeds[speeds.length / 2];
  }
}
