package dev.nnet.runtime.train;

import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How to train: the optimizer, the mini-batch size and the number of epochs, as declared in a
 * network's {@code train} block, plus the settings Keras passes to {@code compile} and
 * {@code fit}: a learning-rate schedule, gradient clipping, metrics, a validation split, class
 * weights and shuffling. An immutable value; the {@code with…} methods return changed copies:
 *
 * <pre>{@code
 * TrainingConfig config = new TrainingConfig(new Adam(1e-3), 32, 20)
 *     .withSchedule(new CosineDecay(5_000))
 *     .withClipNorm(1.0)
 *     .withMetrics(List.of(Metrics.byName("accuracy"), Metrics.byName("f1")))
 *     .withValidationSplit(0.1);
 * }</pre>
 *
 * <p>The constructor gives the defaults: no schedule (every step uses the optimizer's rate), no
 * clipping, no metrics (a classifier then reports its accuracy, see {@link #metrics()}), no
 * validation split, no class weights, shuffling on. Settings that are off read as empty
 * {@link Optional}s.
 */
public final class TrainingConfig {

  /** The most threads {@link #withThreads} accepts. */
  public static final int MAX_THREADS = 256;

  /** Names a metric may not have: they are taken by the values every epoch reports. */
  private static final Set<String> RESERVED =
      Set.of("loss", "learning_rate", "regularization_loss", "epoch", "seconds");

  private final Optimizer optimizer;
  private final int batchSize;
  private final int epochs;
  private final LearningRateSchedule schedule;
  private final double clipValue;
  private final double clipNorm;
  private final List<Metric> metrics;
  private final double validationSplit;
  private final float[] classWeights;
  private final boolean shuffle;
  private final int threads;

  /**
   * The optimizer, batch size and epochs, with every other setting at its default.
   *
   * @param optimizer the optimizer; its {@link Optimizer#learningRate()} is the schedule's base
   *     rate
   * @param batchSize the number of samples per mini-batch, &gt;= 1
   * @param epochs the number of passes over the training data, &gt;= 1
   * @throws IllegalArgumentException if the batch size or epochs are &lt; 1
   */
  public TrainingConfig(Optimizer optimizer, int batchSize, int epochs) {
    this(optimizer, batchSize, epochs, null, Double.NaN, Double.NaN, List.of(), 0, null, true, 1);
  }

  /** Every setting; NaN clipping limits, a 0 split and null mean "off". */
  private TrainingConfig(
      Optimizer optimizer, int batchSize, int epochs, LearningRateSchedule schedule,
      double clipValue, double clipNorm, List<Metric> metrics, double validationSplit,
      float[] classWeights, boolean shuffle, int threads) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, but got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, but got " + epochs);
    }
    this.batchSize = batchSize;
    this.epochs = epochs;
    this.schedule = schedule;
    this.clipValue = clipValue;
    this.clipNorm = clipNorm;
    this.metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
    Set<String> names = new HashSet<>();
    for (Metric metric : this.metrics) {
      String name = Objects.requireNonNull(metric.name(), "metric name");
      if (RESERVED.contains(name) || name.startsWith("val_")) {
        throw new IllegalArgumentException("metric name '" + name + "' is reserved: every epoch"
            + " reports a value of that name");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("metric '" + name + "' is listed twice");
      }
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "validation split must be in [0, 1), but got " + validationSplit);
    }
    this.validationSplit = validationSplit;
    if (classWeights != null) {
      classWeights = classWeights.clone();
      if (classWeights.length == 0) {
        throw new IllegalArgumentException("class weights must hold one weight per class, but"
            + " got none");
      }
      for (int c = 0; c < classWeights.length; c++) {
        if (!(classWeights[c] >= 0) || Float.isInfinite(classWeights[c])) {
          throw new IllegalArgumentException("class weight " + c + " must be a finite number"
              + " >= 0, but got " + classWeights[c]);
        }
      }
    }
    this.classWeights = classWeights;
    this.shuffle = shuffle;
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", but got "
          + threads);
    }
    this.threads = threads;
  }

  private static double checkClip(String what, double limit) {
    if (Double.isNaN(limit) || Double.isInfinite(limit)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, but got " + limit);
    }
    if (!(limit > 0)) {
      throw new IllegalArgumentException(what + " must be > 0, but got " + limit);
    }
    return limit;
  }

  /** The optimizer; its {@link Optimizer#learningRate()} is the base rate of the schedule. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The number of samples per mini-batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The number of passes over the training data. */
  public int epochs() {
    return epochs;
  }

  /** The learning rate of every step, from the optimizer's rate; empty for the constant rate. */
  public Optional<LearningRateSchedule> schedule() {
    return Optional.ofNullable(schedule);
  }

  /**
   * Keras' {@code clipvalue}: before each optimizer step every element of the flat gradient is
   * clipped to [−clipValue, clipValue]; empty for no clipping.
   */
  public OptionalDouble clipValue() {
    return Double.isNaN(clipValue) ? OptionalDouble.empty() : OptionalDouble.of(clipValue);
  }

  /**
   * Before each optimizer step the whole flat gradient (all parameters together) is rescaled to
   * at most this L2 norm, Keras' {@code global_clipnorm} (Keras' {@code clipnorm} clips each
   * tensor on its own); empty for no clipping. With both limits set the norm is clipped first,
   * then the values, in the order of Keras 2.
   */
  public OptionalDouble clipNorm() {
    return Double.isNaN(clipNorm) ? OptionalDouble.empty() : OptionalDouble.of(clipNorm);
  }

  /**
   * The metrics measured on the training and validation data after every epoch, in order. When
   * empty (the default), a network with two or more outputs reports its {@code accuracy}, a
   * network with one output only its loss; otherwise exactly these are measured, as in Keras.
   */
  public List<Metric> metrics() {
    return metrics;
  }

  /**
   * The fraction of the training data held out for validation, in (0, 1): the last samples,
   * taken before any shuffling, as Keras' {@code validation_split}; empty for none.
   */
  public OptionalDouble validationSplit() {
    return validationSplit == 0 ? OptionalDouble.empty() : OptionalDouble.of(validationSplit);
  }

  /**
   * Keras' {@code class_weight}: one weight per class, by class index, that multiplies the loss
   * of every training sample of that class (a copy); empty for none.
   */
  public Optional<float[]> classWeights() {
    return classWeights == null ? Optional.empty() : Optional.of(classWeights.clone());
  }

  /** Whether the training samples are shuffled before every epoch (the default). */
  public boolean shuffle() {
    return shuffle;
  }

  /**
   * How many threads train: 1 (the default) trains on the calling thread; more split every batch
   * into slices computed in parallel on replicas of the network, whose gradients are combined in
   * a fixed order (see {@code DataParallel}), so a run is reproducible for a given thread count.
   */
  public int threads() {
    return threads;
  }

  /**
   * A copy that trains on {@code threads} threads, for example
   * {@code withThreads(Runtime.getRuntime().availableProcessors())}. Results are bit-identical from
   * run to run for the same thread count, and differ from other thread counts by rounding (and by
   * dropout's random streams and per-slice batch statistics, if the network has them).
   *
   * @throws IllegalArgumentException unless 1 &lt;= threads &lt;= {@link #MAX_THREADS}
   */
  public TrainingConfig withThreads(int threads) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /** A copy with another optimizer. */
  public TrainingConfig withOptimizer(Optimizer newOptimizer) {
    return new TrainingConfig(newOptimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /** A copy with another number of epochs. */
  public TrainingConfig withEpochs(int newEpochs) {
    return new TrainingConfig(optimizer, batchSize, newEpochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /** A copy with another batch size. */
  public TrainingConfig withBatchSize(int newBatchSize) {
    return new TrainingConfig(optimizer, newBatchSize, epochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /** A copy with this learning-rate schedule; {@code null} for the constant rate. */
  public TrainingConfig withSchedule(LearningRateSchedule newSchedule) {
    return new TrainingConfig(optimizer, batchSize, epochs, newSchedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /**
   * A copy that clips every gradient element to [−limit, limit] before each optimizer step
   * (Keras' {@code clipvalue}).
   *
   * @throws IllegalArgumentException if {@code limit} is not finite and &gt; 0
   */
  public TrainingConfig withClipValue(double limit) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule,
        checkClip("clip value", limit), clipNorm, metrics, validationSplit, classWeights,
        shuffle, threads);
  }

  /**
   * A copy that rescales the whole flat gradient to an L2 norm of at most {@code maxNorm} before
   * each optimizer step (Keras' {@code global_clipnorm}).
   *
   * @throws IllegalArgumentException if {@code maxNorm} is not finite and &gt; 0
   */
  public TrainingConfig withClipNorm(double maxNorm) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue,
        checkClip("clip norm", maxNorm), metrics, validationSplit, classWeights, shuffle, threads);
  }

  /** A copy without gradient clipping. */
  public TrainingConfig withoutClipping() {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, Double.NaN, Double.NaN,
        metrics, validationSplit, classWeights, shuffle, threads);
  }

  /**
   * A copy measuring these metrics after every epoch; an empty list restores the default.
   *
   * @throws IllegalArgumentException if two metrics share a name, or a metric has a reserved
   *     name ({@code loss}, {@code learning_rate}, {@code regularization_loss}, {@code epoch},
   *     {@code seconds}, or one starting with {@code val_})
   */
  public TrainingConfig withMetrics(List<Metric> newMetrics) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        newMetrics, validationSplit, classWeights, shuffle, threads);
  }

  /**
   * A copy that holds out the last {@code fraction} of the training data for validation, before
   * shuffling, as Keras' {@code validation_split}: of n samples, the first ⌊n·(1 − fraction)⌋
   * train. Ignored when {@link Trainer#fit} is given validation data. 0 turns it off.
   *
   * @throws IllegalArgumentException if {@code fraction} is not in [0, 1)
   */
  public TrainingConfig withValidationSplit(double fraction) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        metrics, fraction, classWeights, shuffle, threads);
  }

  /**
   * A copy that weights the loss of each training sample by the weight of its class (Keras'
   * {@code class_weight}), {@code weights[c]} for class c: the argmax of a one-hot target, the
   * class index of a sparse one, or for a single output 1 when the target is &gt; 0.5, else 0.
   * The per-sample weights go to {@link dev.nnet.runtime.Network#computeGradients(float[], int,
   * float[], int, float[], int)}. {@code null} turns it off. The array is copied.
   *
   * @throws IllegalArgumentException if there are no weights, or one is negative or not finite
   */
  public TrainingConfig withClassWeights(float[] weights) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, weights, shuffle, threads);
  }

  /** A copy that does or does not shuffle the training samples before every epoch. */
  public TrainingConfig withShuffle(boolean newShuffle) {
    return new TrainingConfig(optimizer, batchSize, epochs, schedule, clipValue, clipNorm,
        metrics, validationSplit, classWeights, newShuffle, threads);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingConfig other
        && optimizer.equals(other.optimizer)
        && batchSize == other.batchSize
        && epochs == other.epochs
        && Objects.equals(schedule, other.schedule)
        && Double.compare(clipValue, other.clipValue) == 0
        && Double.compare(clipNorm, other.clipNorm) == 0
        && metrics.equals(other.metrics)
        && Double.compare(validationSplit, other.validationSplit) == 0
        && Arrays.equals(classWeights, other.classWeights)
        && shuffle == other.shuffle
        && threads == other.threads;
  }

  @Override
  public int hashCode() {
    return Objects.hash(optimizer, batchSize, epochs, schedule, clipValue, clipNorm, metrics,
        validationSplit, Arrays.hashCode(classWeights), shuffle, threads);
  }

  /** The optimizer, batch size and epochs, and the settings that are not at their defaults. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("optimizer=" + optimizer);
    parts.add("batchSize=" + batchSize);
    parts.add("epochs=" + epochs);
    if (schedule != null) {
      parts.add("schedule=" + schedule);
    }
    if (!Double.isNaN(clipValue)) {
      parts.add("clipValue=" + clipValue);
    }
    if (!Double.isNaN(clipNorm)) {
      parts.add("clipNorm=" + clipNorm);
    }
    if (!metrics.isEmpty()) {
      parts.add("metrics=" + metrics.stream().map(Metric::name).toList());
    }
    if (validationSplit > 0) {
      parts.add("validationSplit=" + validationSplit);
    }
    if (classWeights != null) {
      parts.add("classWeights=" + Arrays.toString(classWeights));
    }
    if (!shuffle) {
      parts.add("shuffle=false");
    }
    if (threads != 1) {
      parts.add("threads=" + threads);
    }
    return "TrainingConfig(" + String.join(", ", parts) + ")";
  }
}
