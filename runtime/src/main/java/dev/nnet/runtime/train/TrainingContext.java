package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.optim.OptimizerState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Callback} sees of a running {@link Trainer#fit} or {@link Trainer#resume}: the
 * network and configuration, where training is (epoch, batch, global step, learning rate, the
 * losses so far), and the levers a callback may pull: {@link #requestStop}, {@link
 * #setLearningRateScale} and {@link #saveCheckpoint}.
 *
 * <p>One context lives for one run; the trainer updates it in place before every callback, so
 * reading it allocates nothing (except {@link #runningValues()} and {@link #history()}). Not
 * thread-safe: use it from the callback methods only.
 */
public final class TrainingContext {

  private final Network network;
  private final TrainingConfig config;
  private final long seed;
  private final OptimizerState optimizerState;
  private final List<Callback> callbacks;
  private final int initialEpoch;
  private final int trainingSamples;
  private final int batchesPerEpoch;
  private final boolean hasValidation;
  private final List<Metric> metrics;
  private final boolean builtInAccuracy;

  // Where the run is; written by the trainer.
  int epoch;
  int batch;
  long step;
  double learningRate;
  double learningRateScale = 1;
  float batchLoss;
  int samplesSeen;
  double lossSum;
  double regularizationSum;
  long correct;
  float[] epochOutputs;
  float[] epochTargets;
  final List<EpochStats> epochs = new ArrayList<>();
  String stopReason;
  boolean atEpochEnd;
  boolean atBatchEnd;
  final List<Path> pendingCheckpoints = new ArrayList<>();

  TrainingContext(
      Network network, TrainingConfig config, long seed, OptimizerState optimizerState,
      List<Callback> callbacks, int initialEpoch, int trainingSamples, int batchesPerEpoch,
      boolean hasValidation, List<Metric> metrics, boolean builtInAccuracy) {
    this.network = network;
    this.config = config;
    this.seed = seed;
    this.optimizerState = optimizerState;
    this.callbacks = Collections.unmodifiableList(callbacks);
    this.initialEpoch = initialEpoch;
    this.trainingSamples = trainingSamples;
    this.batchesPerEpoch = batchesPerEpoch;
    this.hasValidation = hasValidation;
    this.metrics = metrics;
    this.builtInAccuracy = builtInAccuracy;
  }

  /** The network being trained. */
  public Network network() {
    return network;
  }

  /** The trainer's configuration. */
  public TrainingConfig config() {
    return config;
  }

  /** The trainer's seed. */
  public long seed() {
    return seed;
  }

  /** The optimizer's state (moments, iteration count), live. */
  public OptimizerState optimizerState() {
    return optimizerState;
  }

  /** Every callback of the run, in call order. */
  public List<Callback> callbacks() {
    return callbacks;
  }

  /** The total number of epochs of the run ({@code config().epochs()}). */
  public int epochs() {
    return config.epochs();
  }

  /** The epochs completed before this run started: 0, or the checkpoint's when resuming. */
  public int initialEpoch() {
    return initialEpoch;
  }

  /** The current epoch, 1-based; 0 before the first (or, resuming, the checkpoint's). */
  public int epoch() {
    return epoch;
  }

  /** The current mini-batch within the epoch, 1-based; 0 before the epoch's first. */
  public int batch() {
    return batch;
  }

  /** The number of mini-batches per epoch; the last one may be smaller. */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** The number of training samples per epoch (after any validation split). */
  public int trainingSamples() {
    return trainingSamples;
  }

  /** Whether each epoch ends with a validation pass (so {@code val_} values exist). */
  public boolean hasValidation() {
    return hasValidation;
  }

  /** The names of the metrics each epoch measures (without {@code val_}), in order. */
  public List<String> metricNames() {
    if (builtInAccuracy) {
      return List.of(EpochStats.ACCURACY);
    }
    List<String> names = new ArrayList<>(metrics.size());
    for (Metric metric : metrics) {
      names.add(metric.name());
    }
    return names;
  }

  /** The number of optimizer steps taken so far in the whole run, resumed epochs included. */
  public long step() {
    return step;
  }

  /**
   * The learning rate of the current step (during a batch) or of the last one: the schedule's
   * rate times {@link #learningRateScale()}.
   */
  public double learningRate() {
    return learningRate;
  }

  /** The factor the schedule's rate is multiplied by; 1 unless a callback changed it. */
  public double learningRateScale() {
    return learningRateScale;
  }

  /**
   * Sets the factor every later step's scheduled rate is multiplied by, as
   * {@link ReduceLrOnPlateau} does. It is saved in checkpoints.
   *
   * @throws IllegalArgumentException if {@code scale} is not finite and &gt;= 0
   */
  public void setLearningRateScale(double scale) {
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "learning rate scale must be a finite number >= 0, but got " + scale);
    }
    learningRateScale = scale;
  }

  /** The loss of the current (or last) mini-batch. */
  public float batchLoss() {
    return batchLoss;
  }

  /** The training samples seen so far in the current epoch. */
  public int samplesSeen() {
    return samplesSeen;
  }

  /** The mean training loss of the current epoch so far; NaN before its first batch. */
  public double runningLoss() {
    return samplesSeen == 0 ? Double.NaN : lossSum / samplesSeen;
  }

  /**
   * The loss and the metrics over the current epoch's batches so far, by name, as the epoch's
   * {@link EpochStats#values()} will name them; empty before the first batch. Computing the
   * metrics costs a pass over the epoch's outputs so far, and this allocates: call it now and
   * then, not every batch.
   */
  public Map<String, Double> runningValues() {
    Map<String, Double> values = new LinkedHashMap<>();
    if (samplesSeen == 0) {
      return values;
    }
    values.put("loss", lossSum / samplesSeen);
    values.putAll(trainingMetrics());
    return values;
  }

  /** The training metrics over the samples seen this epoch. */
  Map<String, Double> trainingMetrics() {
    Map<String, Double> values = new LinkedHashMap<>();
    if (samplesSeen == 0) {
      return values;
    }
    if (builtInAccuracy) {
      values.put(EpochStats.ACCURACY, (double) correct / samplesSeen);
    }
    for (Metric metric : metrics) {
      values.put(metric.name(), metric.compute(epochOutputs, epochTargets, samplesSeen,
          network.outputSize(), network.targetSize()));
    }
    return values;
  }

  /** The epochs completed so far, resumed ones included. Allocates a copy. */
  public History history() {
    return new History(epochs, stopReason);
  }

  /**
   * Asks the trainer to stop. From {@link Callback#onGradients} the current batch's optimizer step
   * is skipped and the network's state is put back as it was before the batch; from {@link Callback#onBatchEnd} the epoch ends after this batch; from
   * {@link Callback#onEpochBegin} the epoch is not trained; from {@link Callback#onEpochEnd}
   * training ends after this epoch. The epoch in progress still gets its statistics, its
   * validation pass and its {@code onEpochEnd}. The first reason wins and ends up in
   * {@link History#stopReason()}.
   */
  public void requestStop(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  /** Whether a callback asked to stop. */
  public boolean stopRequested() {
    return stopReason != null;
  }

  /** Why training stops, or {@code null} if nothing asked it to. */
  public String stopReason() {
    return stopReason;
  }

  /**
   * Writes a checkpoint of the run ({@link dev.nnet.runtime.io.Checkpoint}) to {@code file} once
   * every callback has seen the end of the step or of the epoch, so it includes their state, the
   * learning-rate scale and any stop request; {@link Trainer#resume} continues from it. Called
   * from {@link Callback#onBatchEnd}, it also records where the epoch is (its batch and running
   * sums), and the resumed run continues with the epoch's next batch. A failure to write throws
   * {@link java.io.UncheckedIOException} out of the training run.
   *
   * @throws IllegalStateException if called outside {@link Callback#onBatchEnd} and {@link
   *     Callback#onEpochEnd}: a run resumes after a step or at the end of an epoch
   */
  public void saveCheckpoint(Path file) {
    Objects.requireNonNull(file, "file");
    if (!atEpochEnd && !atBatchEnd) {
      throw new IllegalStateException("a checkpoint can be saved only from onBatchEnd or"
          + " onEpochEnd: a run resumes after a step or at the end of an epoch");
    }
    pendingCheckpoints.add(file);
  }

  @Override
  public String toString() {
    return "TrainingContext(epoch=" + epoch + "/" + epochs() + ", batch=" + batch + "/"
        + batchesPerEpoch + ", step=" + step + ", learningRate=" + learningRate + ")";
  }
}
