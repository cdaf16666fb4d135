package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.init.Seeds;
import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.io.ModelFileException;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.regularize.GradientClipping;
import dev.nnet.runtime.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mini-batch training: for each epoch, shuffle the training samples, and for each mini-batch
 * compute the gradient of the mean loss ({@link Network#computeGradients}, which also updates the
 * network's {@linkplain Network#state() state}, such as running statistics), clip it if
 * configured, and let the optimizer update the parameters ({@link Optimizer#step}) with the
 * scheduled learning rate; then evaluate the validation data and tell the
 * {@link Callback callbacks}. A batch whose optimizer step a callback cancels (from {@link
 * Callback#onGradients}) does not change the model: the state it updated is put back as it was.
 *
 * <p>Reproducible: epoch e (1-based) shuffles with a Fisher–Yates permutation (Durstenfeld's
 * in-place form) drawn from a {@link SplittableRandom} seeded from the trainer's seed and e, and
 * its batch b (1-based) starts with {@code net.seedTraining(Seeds.derive(Seeds.derive(seed, e),
 * b))} (dropout masks). No random state is carried from one step to the next, so the same seed,
 * network state and data give the same history, and a run {@link #resume resumed} from a
 * checkpoint taken after any step ends with the same weights, bit for bit, as one that was never
 * interrupted (on the same number of {@linkplain TrainingConfig#threads() threads}).
 * Mini-batches are gathered into contiguous buffers allocated once per run; the last batch of an
 * epoch may be smaller. A training step allocates nothing.
 *
 * <p>Immutable; a trainer may be reused for several runs.
 */
public final class Trainer {

  private final TrainingConfig config;
  private final long seed;
  /** Applied to each training sample as it is gathered into a batch; null for a plain copy. */
  private final SampleTransform transform;

  public Trainer(TrainingConfig config, long seed) {
    this(config, seed, null);
  }

  private Trainer(TrainingConfig config, long seed, SampleTransform transform) {
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
    this.transform = transform;
  }

  /**
   * This trainer, with {@code transform} applied to every training sample as it is gathered into
   * a mini-batch (on-the-fly augmentation: each epoch sees freshly transformed samples, and no
   * transformed copy of the data is made). Validation data is not transformed.
   */
  public Trainer withTransform(SampleTransform transform) {
    return new Trainer(config, seed, Objects.requireNonNull(transform, "transform"));
  }

  public TrainingConfig config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  /** As {@link #fit(Network, Dataset, Dataset, List)} without validation data or callbacks. */
  public History fit(Network net, Dataset train) {
    return fit(net, train, null, List.of());
  }

  /** As {@link #fit(Network, Dataset, Dataset, List)} with one listener. */
  public History fit(
      Network net, Dataset train, Dataset validation, TrainingListener listener) {
    Objects.requireNonNull(listener, "listener");
    return fit(net, train, validation, List.of(listener));
  }

  /** As {@link #fit(Network, Dataset, Dataset, List)}. */
  public History fit(Network net, Dataset train, Dataset validation, Callback... callbacks) {
    return fit(net, train, validation, Arrays.asList(callbacks));
  }

  /**
   * Trains {@code net} in place for {@code config().epochs()} epochs, or until a callback stops
   * it. It does not call {@link Network#initialize}: training starts from the current
   * parameters, with fresh optimizer state.
   *
   * @param validation evaluated after each epoch in inference mode; {@code null} for none, or to
   *     hold out {@link TrainingConfig#validationSplit()} of {@code train} (given validation data
   *     wins over the split, as in Keras)
   * @param callbacks told about the progress, in this order
   * @return every epoch's statistics
   * @throws IllegalArgumentException if a dataset is empty or does not match the network's input
   *     and target sizes, the batch size exceeds the network's batch capacity, the validation
   *     split leaves no training or no validation samples, or the class weights do not fit
   * @throws UncheckedIOException if a checkpoint a callback asked for cannot be written
   */
  public History fit(
      Network net, Dataset train, Dataset validation, List<? extends Callback> callbacks) {
    Run run = new Run(net, train, validation, callbacks);
    run.start(0);
    return run.train();
  }

  /** As {@link #resume(Network, Path, Dataset, Dataset, List)}. */
  public History resume(
      Network net, Path checkpoint, Dataset train, Dataset validation, Callback... callbacks)
      throws IOException {
    return resume(net, checkpoint, train, validation, Arrays.asList(callbacks));
  }

  /**
   * Continues a run from a checkpoint written during {@link #fit} (by {@link ModelCheckpoint} or
   * {@link TrainingContext#saveCheckpoint}): restores the parameters, the network's state, the
   * optimizer state, the step count, the learning-rate scale, the history and the callbacks' state, then trains the
   * remaining epochs up to {@code config().epochs()}. A checkpoint taken after a step, in the
   * middle of an epoch, also restores the epoch's position and its running sums (loss,
   * regularization, accuracy and, with metrics, the outputs so far): the epoch continues with its
   * next batch (the callbacks get {@code onEpochBegin} again, with {@link TrainingContext#batch()}
   * at the checkpoint's batch) and ends as it would have. With the same configuration, seed, data
   * and callbacks as the interrupted run, the final weights and history (times aside) are those
   * of a run that was never interrupted, bit for bit. A checkpoint of a run that had stopped
   * early, or of its last epoch, trains no further epochs.
   *
   * <p>The epochs may differ from the checkpoint's run, to train longer. The seed, batch size,
   * shuffling and the number of training samples may not.
   *
   * @return the whole history, the checkpoint's epochs included
   * @throws ModelFileException if the checkpoint cannot be read or is not for this network and
   *     optimizer (the network is then unchanged)
   * @throws IllegalArgumentException as {@link #fit}, or if the checkpoint was written by a
   *     trainer with another seed, batch size, shuffling or training-set size (the network is
   *     then unchanged)
   */
  public History resume(
      Network net, Path checkpoint, Dataset train, Dataset validation,
      List<? extends Callback> callbacks) throws IOException {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Run run = new Run(net, train, validation, callbacks);
    run.restore(checkpoint);
    return run.train();
  }

  /**
   * Evaluates {@code net} on {@code data} in inference mode, as Keras' {@code evaluate}: the
   * network's loss and every metric over the whole set, by name ({@code loss} first, then the
   * metrics in order). Unmodifiable.
   *
   * @throws IllegalArgumentException if the data does not fit the network or is empty, or two
   *     metrics share a name
   */
  public static Map<String, Double> evaluate(Network net, Dataset data, List<Metric> metrics) {
    return Evaluation.evaluate(net, data, metrics);
  }

  /** Fills {@code order} with a uniformly random permutation of 0..n-1 (Fisher–Yates). */
  static void shuffle(int[] order, SplittableRandom random) {
    // Starting from the identity each epoch makes the order depend only on (seed, epoch).
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }

  /**
   * The number of training samples a validation split of {@code fraction} leaves of {@code size},
   * as Keras computes it: ⌊size · (1 − fraction)⌋.
   */
  static int splitPoint(int size, double fraction) {
    return (int) Math.floor(size * (1.0 - fraction));
  }

  @Override
  public String toString() {
    return "Trainer(config=" + config + ", seed=" + seed + ")";
  }

  /** One training run: its checked inputs, buffers, state and loop. */
  private final class Run {
    final Network net;
    final Dataset train;
    final Dataset validation;
    final List<Callback> callbackList;
    final Callback[] callbacks;
    final int trainSize;
    final int batchSize;
    final int inputWidth;
    final int outputWidth;
    final int targetWidth;
    final List<Metric> metrics;
    final boolean builtInAccuracy;
    final Optimizer optimizer;
    final OptimizerState state;
    final float[] sampleWeights;
    final float[] batchWeights;
    final float[] batchInputs;
    final float[] batchTargets;
    final int[] order;
    final float[] validationBuffer;
    final float[] validationOutputs;
    /** The network's live state, and its value before the current batch (null without state). */
    final float[] netState;
    final float[] stateBefore;
    TrainingContext context;
    /** The batches of the first epoch already trained before a mid-epoch checkpoint; else 0. */
    int resumeBatch;

    Run(Network net, Dataset train, Dataset validation, List<? extends Callback> callbacks) {
      this.net = Objects.requireNonNull(net, "net");
      Objects.requireNonNull(callbacks, "callbacks");
      this.callbackList = new ArrayList<>(callbacks.size());
      for (Callback callback : callbacks) {
        callbackList.add(Objects.requireNonNull(callback, "callback"));
      }
      this.callbacks = callbackList.toArray(new Callback[0]);
      Evaluation.check("training data", net, train);
      if (validation != null) {
        Evaluation.check("validation data", net, validation);
        this.trainSize = train.size();
      } else if (config.validationSplit().isPresent()) {
        double fraction = config.validationSplit().getAsDouble();
        int split = splitPoint(train.size(), fraction);
        if (split < 1 || split >= train.size()) {
          throw new IllegalArgumentException("a validation split of " + fraction
              + " of " + train.size() + " samples leaves " + split + " for training and "
              + (train.size() - split) + " for validation: both need at least one; use more"
              + " data or another split");
        }
        this.trainSize = split;
        validation = train.slice(split, train.size());
      } else {
        this.trainSize = train.size();
      }
      this.train = train;
      this.validation = validation;
      // Preprocessing stages fit their statistics on the training samples only, before epoch 1.
      if (!net.adapted()) {
        net.adapt(train.features(), 0, trainSize);
      }
      // A batch never holds more samples than the data set has.
      this.batchSize = Math.min(config.batchSize(), trainSize);
      if (batchSize > net.batchCapacity()) {
        throw new IllegalArgumentException(
            "batch size " + batchSize + " exceeds the batch capacity " + net.batchCapacity()
                + " of network '" + net.name() + "': construct the network with a batch capacity"
                + " of at least " + batchSize + ", or train with a smaller batch size");
      }
      this.inputWidth = net.inputSize();
      this.outputWidth = net.outputSize();
      this.targetWidth = net.targetSize();
      this.metrics = config.metrics();
      // With several outputs side by side, one argmax over all of them would mean nothing.
      this.builtInAccuracy = metrics.isEmpty() && outputWidth > 1 && net.outputCount() == 1;
      this.sampleWeights = config.classWeights().map(this::sampleWeights).orElse(null);
      this.batchWeights = sampleWeights == null ? null : new float[batchSize];
      this.optimizer = config.optimizer();
      this.state = optimizer.newState(net.parameterCount());

      // Everything the epoch loop touches is allocated here, once.
      this.batchInputs = new float[batchSize * inputWidth];
      this.batchTargets = new float[batchSize * targetWidth];
      this.order = new int[trainSize];
      this.validationBuffer =
          this.validation == null ? null : Evaluation.newBuffer(net, this.validation);
      this.validationOutputs = this.validation == null || metrics.isEmpty()
          ? null : new float[Math.multiplyExact(this.validation.size(), outputWidth)];
      this.netState = net.state();
      this.stateBefore = netState.length == 0 ? null : new float[netState.length];
    }

    /** Per-sample weights from the class weights, for the first {@code trainSize} samples. */
    private float[] sampleWeights(float[] classWeights) {
      int classes = outputWidth == 1 ? 2 : outputWidth;
      if (classWeights.length != classes) {
        throw new IllegalArgumentException(classWeights.length + " class weights were given,"
            + " but network '" + net.name() + "' has " + classes + " classes");
      }
      float[] targets = train.targets();
      float[] weights = new float[trainSize];
      for (int n = 0; n < trainSize; n++) {
        int c;
        if (outputWidth == 1) {
          c = targets[n * targetWidth] > 0.5f ? 1 : 0;
        } else if (targetWidth == 1) {
          float value = targets[n];
          c = (int) value;
          if (c != value || c < 0 || c >= classes) {
            throw new IllegalArgumentException("the target of training sample " + n + " is "
                + value + ", not a class index from 0 to " + (classes - 1));
          }
        } else {
          c = Evaluation.argmax(targets, n * targetWidth, targetWidth);
        }
        weights[n] = classWeights[c];
      }
      return weights;
    }

    private TrainingContext newContext(int initialEpoch) {
      int batches = (trainSize + batchSize - 1) / batchSize;
      TrainingContext created = new TrainingContext(net, config, seed, state, callbackList,
          initialEpoch, trainSize, batches, validation != null, metrics, builtInAccuracy);
      created.epoch = initialEpoch;
      if (!metrics.isEmpty()) {
        created.epochOutputs = new float[Math.multiplyExact(trainSize, outputWidth)];
        created.epochTargets = new float[Math.multiplyExact(trainSize, targetWidth)];
      }
      return created;
    }

    /** A fresh run: a new context and {@code onTrainBegin}. */
    void start(int initialEpoch) {
      context = newContext(initialEpoch);
      context.learningRate = rate(initialEpoch + 1);
      for (Callback callback : callbacks) {
        callback.onTrainBegin(context);
      }
    }

    /** A resumed run: the checkpoint's state, then {@code onTrainBegin} and the callbacks' state. */
    void restore(Path file) throws IOException {
      float[] parameters = net.parameters().clone();
      float[] modelState = netState.clone();
      OptimizerState fresh = optimizer.newState(net.parameterCount());
      Checkpoint checkpoint = Checkpoint.load(file, net, state);
      try {
        context = newContext(checkpoint.epochsDone());
        CheckpointProgress.restore(checkpoint, context, Trainer.this, trainSize, batchSize);
        resumeBatch = CheckpointProgress.restorePosition(checkpoint, context, batchSize);
        if (resumeBatch > 0 && checkpoint.epochsDone() >= config.epochs()) {
          throw new IllegalArgumentException(file + ": the checkpoint was taken in epoch "
              + (checkpoint.epochsDone() + 1) + ", after its batch " + resumeBatch
              + ", but this run trains only " + config.epochs() + " epochs: resume with at"
              + " least " + (checkpoint.epochsDone() + 1));
        }
      } catch (IOException | RuntimeException e) {
        // Leave the network as it was: the checkpoint does not belong to this run.
        System.arraycopy(parameters, 0, net.parameters(), 0, parameters.length);
        System.arraycopy(modelState, 0, netState, 0, modelState.length);
        for (String slot : state.slotNames()) {
          System.arraycopy(fresh.slot(slot), 0, state.slot(slot), 0, state.parameterCount());
        }
        state.setIterations(0);
        throw e;
      }
      if (resumeBatch == 0) {
        // Mid-epoch, the checkpoint's rate (of its last step) is kept: the epoch reports it.
        context.learningRate = rate(context.initialEpoch() + 1);
      }
      for (Callback callback : callbacks) {
        callback.onTrainBegin(context);
      }
      CheckpointProgress.restoreCallbacks(checkpoint, callbacks);
    }

    /** The learning rate of the next step, in {@code epoch} (1-based). */
    private double rate(int epoch) {
      return config.schedule().orElse(LearningRateSchedule.constant())
          .rate(optimizer.learningRate(), epoch - 1, context.step)
          * context.learningRateScale;
    }

    History train() {
      if (config.threads() == 1) {
        return train(null);
      }
      try (DataParallel parallel = new DataParallel(net, config.threads())) {
        return train(parallel);
      }
    }

    /** The epoch loop; {@code parallel} computes each step on several threads, or is null. */
    private History train(DataParallel parallel) {
      final TrainingContext context = this.context;
      final LearningRateSchedule schedule =
          config.schedule().orElse(LearningRateSchedule.constant());
      final double baseRate = optimizer.learningRate();
      final float[] features = train.features();
      final float[] targets = train.targets();
      final float[] parameters = net.parameters();
      final float[] gradients = net.gradients();
      final boolean clipNorm = config.clipNorm().isPresent();
      final double maxNorm = config.clipNorm().orElse(0);
      final boolean clipValue = config.clipValue().isPresent();
      final double maxValue = config.clipValue().orElse(0);
      final boolean collectOutputs = !metrics.isEmpty();
      final long shuffleSeed = Seeds.derive(seed, "shuffle");

      // Resumed mid-epoch: the first epoch continues after its first resumeBatch batches, and
      // ends (without further batches) even if a stop had been requested after the last of them.
      int firstBatch = resumeBatch;
      for (int epoch = context.initialEpoch() + 1;
          epoch <= config.epochs() && (firstBatch > 0 || !context.stopRequested()); epoch++) {
        final long started = System.nanoTime();
        final boolean stoppedBefore = firstBatch > 0 && context.stopRequested();
        context.epoch = epoch;
        if (firstBatch == 0) {
          context.batch = 0;
          context.samplesSeen = 0;
          context.lossSum = 0;
          context.regularizationSum = 0;
          context.correct = 0;
        }
        for (Callback callback : callbacks) {
          callback.onEpochBegin(context);
        }
        if (context.stopRequested() && !stoppedBefore) {
          break;
        }
        final long epochSeed = Seeds.derive(seed, epoch);
        if (config.shuffle()) {
          shuffle(order, new SplittableRandom(Seeds.derive(shuffleSeed, epoch)));
        } else {
          for (int i = 0; i < trainSize; i++) {
            order[i] = i;
          }
        }
        final int firstSample = stoppedBefore ? trainSize : firstBatch * batchSize;
        firstBatch = 0;
        for (int start = firstSample; start < trainSize; start += batchSize) {
          final int count = Math.min(batchSize, trainSize - start);
          for (int k = 0; k < count; k++) {
            int sample = order[start + k];
            if (transform != null) {
              transform.apply(features, sample * inputWidth, batchInputs, k * inputWidth, sample, epoch);
            } else {
              System.arraycopy(features, sample * inputWidth, batchInputs, k * inputWidth,
                  inputWidth);
            }
            System.arraycopy(targets, sample * targetWidth, batchTargets, k * targetWidth,
                targetWidth);
            if (batchWeights != null) {
              batchWeights[k] = sampleWeights[sample];
            }
          }
          context.batch++;
          // Dropout masks depend on (seed, epoch, batch) only: a run resumes after any step.
          if (parallel == null) {
            net.seedTraining(Seeds.derive(epochSeed, context.batch));
          } else {
            parallel.seedTraining(Seeds.derive(epochSeed, context.batch));
          }
          final double rate =
              schedule.rate(baseRate, epoch - 1, context.step) * context.learningRateScale;
          context.learningRate = rate;
          if (stateBefore != null) {
            System.arraycopy(netState, 0, stateBefore, 0, netState.length);
          }
          final float loss;
          if (parallel != null) {
            loss = parallel.computeGradients(batchInputs, batchTargets, batchWeights, count);
          } else {
            loss = batchWeights == null
                ? net.computeGradients(batchInputs, 0, batchTargets, 0, count)
                : net.computeGradients(batchInputs, 0, batchTargets, 0, batchWeights, count);
          }
          final float[] outputs =
              parallel != null ? parallel.trainingOutputs() : net.trainingOutputs();
          context.batchLoss = loss;
          context.lossSum += (double) loss * count;
          context.regularizationSum += (double) net.regularizationLoss() * count;
          if (builtInAccuracy) {
            context.correct += Evaluation.countCorrect(
                outputs, batchTargets, 0, count, outputWidth, targetWidth);
          }
          if (collectOutputs) {
            System.arraycopy(outputs, 0, context.epochOutputs,
                context.samplesSeen * outputWidth, count * outputWidth);
            System.arraycopy(batchTargets, 0, context.epochTargets,
                context.samplesSeen * targetWidth, count * targetWidth);
          }
          context.samplesSeen += count;
          for (Callback callback : callbacks) {
            callback.onGradients(context, gradients);
          }
          if (context.stopRequested()) {
            // The step is skipped: undo the batch's update of the state too (running statistics
            // of a batch that made the loss NaN would poison inference).
            if (stateBefore != null) {
              System.arraycopy(stateBefore, 0, netState, 0, netState.length);
            }
            break;
          }
          if (clipNorm) {
            GradientClipping.clipByGlobalNorm(gradients, maxNorm);
          }
          if (clipValue) {
            GradientClipping.clipByValue(gradients, maxValue);
          }
          if (parallel != null) {
            parallel.step(optimizer, state, rate);
          } else {
            optimizer.step(parameters, gradients, state, rate);
          }
          net.applyConstraints();
          context.step++;
          context.atBatchEnd = true;
          try {
            for (Callback callback : callbacks) {
              callback.onBatchEnd(context);
            }
          } finally {
            context.atBatchEnd = false;
          }
          writePendingCheckpoints(true);
          if (context.stopRequested()) {
            break;
          }
        }
        final long trained = System.nanoTime();
        final int seen = context.samplesSeen;
        Map<String, Double> trainingMetrics = context.trainingMetrics();
        double validationLoss = Double.NaN;
        Map<String, Double> validationMetrics = new LinkedHashMap<>();
        if (validation != null) {
          double[] measured = Evaluation.evaluate(net, validation, validationBuffer,
              builtInAccuracy, validationOutputs);
          validationLoss = measured[0];
          if (builtInAccuracy) {
            validationMetrics.put(EpochStats.ACCURACY, measured[1]);
          }
          for (Metric metric : metrics) {
            validationMetrics.put(metric.name(), metric.compute(validationOutputs,
                validation.targets(), validation.size(), outputWidth, targetWidth));
          }
        }
        final long finished = System.nanoTime();
        EpochStats stats = new EpochStats(
            epoch,
            context.lossSum / seen,
            Double.NaN,
            validationLoss,
            Double.NaN,
            (finished - started) / 1e9,
            seen / (Math.max(1, trained - started) / 1e9),
            context.learningRate,
            context.regularizationSum / seen,
            trainingMetrics,
            validationMetrics);
        context.epochs.add(stats);
        context.atEpochEnd = true;
        try {
          for (Callback callback : callbacks) {
            callback.onEpochEnd(context, stats);
          }
        } finally {
          context.atEpochEnd = false;
        }
        writePendingCheckpoints(false);
      }
      History history = context.history();
      for (Callback callback : callbacks) {
        callback.onTrainEnd(context, history);
      }
      return history;
    }

    /**
     * Writes the checkpoints callbacks asked for at this step's end ({@code midEpoch}) or at the
     * epoch's end.
     */
    private void writePendingCheckpoints(boolean midEpoch) {
      if (context.pendingCheckpoints.isEmpty()) {
        return;
      }
      for (Path file : context.pendingCheckpoints) {
        try {
          CheckpointProgress.save(file, context, callbacks, Trainer.this, batchSize, midEpoch);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write checkpoint " + file + ": "
              + e.getMessage(), e);
        }
      }
      context.pendingCheckpoints.clear();
    }
  }
}
