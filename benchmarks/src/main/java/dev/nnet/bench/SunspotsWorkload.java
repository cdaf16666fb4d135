package dev.nnet.bench;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.series.Series;
import dev.nnet.runtime.data.series.SeriesCsv;
import dev.nnet.runtime.data.series.SeriesScaler;
import dev.nnet.runtime.data.series.Windows;
import dev.nnet.runtime.train.EpochStats;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Workload W5 (sunspots-lstm-train) with {@link SunspotsLstm}, generated from
 * {@code src/main/nnet/dev/nnet/bench/SunspotsLstm.nnet}: LSTM (1 feature, 32 units, 24 steps) →
 * last state → dense 1 linear; MSE; Adam 1e-3; batch 16.
 *
 * <p>Data: {@code sunspots.csv}, windows of 24 years predicting the next (285 windows), in time
 * order, the last 20 % (57) as test. {@code SUNACTIVITY} is min-max scaled with the minimum and
 * range of the years the 228 training windows cover (WORKLOADS.md says "min-max scaled to [0, 1]";
 * fitting on the training part alone keeps the test years out of training, so test values may
 * exceed 1). {@code bench.py} does the same.
 *
 * <p>A fresh network (seed 42) trains 50 epochs, reshuffled each epoch. The speed is the training
 * sequences of epochs 2–50 divided by their time (an epoch is only 228 sequences, too short to
 * time alone; epoch 1 is the warm-up); the MSE is on the test windows after epoch 50.
 */
final class SunspotsWorkload {
  static final int WINDOW = 24;
  static final int EPOCHS = 50;

  /**
   * Untimed trainings a fresh JVM runs before its first W5 figure. One run is only 11,400 short
   * training steps, and C2 is still compiling the Vector API code during the first two (measured,
   * in CPU time: 7,000 sequences/s in the first run, 39,000 in the second, 90,000 from the third).
   */
  static final int JIT_WARMUP_RUNS = 2;

  private static boolean warmedUp;

  private SunspotsWorkload() {}

  /** On {@code threads} threads: {training sequences/s over epochs 2–50, test MSE (scaled) after 50 epochs}. */
  static double[] run(Path data, long seed, int threads) throws IOException {
    Series sunspots = SeriesCsv.read(data.resolve("sunspots.csv"));
    int windows = Windows.count(sunspots.size(), WINDOW, 1, 1);
    int trainWindows = windows - Math.round(windows * 0.2f);
    SeriesScaler scaler = SeriesScaler.fitMinMax(sunspots.slice(0, trainWindows + WINDOW));
    Dataset all = Windows.of(scaler.apply(sunspots), WINDOW, 1, 1);
    Dataset train = all.slice(0, trainWindows);
    Dataset test = all.slice(trainWindows, all.size());

    if (!warmedUp) {
      warmedUp = true;
      for (int k = 0; k < JIT_WARMUP_RUNS; k++) {
        SunspotsLstm warm = new SunspotsLstm();
        warm.initialize(seed + 1 + k);
        new Trainer(warm.trainingConfig().withEpochs(EPOCHS), seed).fit(warm, train);
      }
    }
    SunspotsLstm net = new SunspotsLstm();
    net.initialize(seed);
    TrainingConfig config = net.trainingConfig().withEpochs(EPOCHS);
    if (config.batchSize() != 16) {
      throw new IllegalStateException("W5 trains with batch 16, but SunspotsLstm.nnet says " + config.batchSize());
    }
    History history = new Trainer(config.withThreads(threads), seed).fit(net, train);
    double sequences = 0;
    double seconds = 0;
    for (EpochStats epoch : history.epochs().subList(1, history.epochs().size())) {
      sequences += train.size();
      seconds += train.size() / epoch.samplesPerSecond();
    }
    return new double[] {sequences / seconds, Evaluation.loss(net, test)};
  }
}
