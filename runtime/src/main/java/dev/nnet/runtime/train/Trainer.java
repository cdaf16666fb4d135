package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.init.Seeds;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mini-batch training: for each epoch, shuffle the training samples, and for each mini-batch
 * compute the gradient of the mean loss ({@link Network#computeGradients}) and let the optimizer
 * update the parameters ({@link Optimizer#step}).
 *
 * <p>Reproducible: the shuffle of epoch e is a Fisher–Yates permutation (Durstenfeld's in-place
 * form) drawn from a {@link SplittableRandom} seeded from the trainer's seed and e, and the
 * network's training randomness is seeded with {@link Network#seedTraining} at the start of
 * {@link #fit}; the same seed, network state and data give the same history. Mini-batches are
 * gathered into contiguous buffers allocated once per {@code fit}; the last batch of an epoch
 * may be smaller.
 *
 * <p>Immutable; a trainer may be reused for several {@code fit} calls.
 */
public final class Trainer {

  private final TrainingConfig config;
  private final long seed;

  public Trainer(TrainingConfig config, long seed) {
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
  }

  public TrainingConfig config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  /** As {@link #fit(Network, Dataset, Dataset, TrainingListener)} without validation or listener. */
  public History fit(Network net, Dataset train) {
    return fit(net, train, null, TrainingListener.silent());
  }

  /**
   * Trains {@code net} in place for {@code config().epochs()} epochs.
   *
   * @param validation evaluated after each epoch in inference mode, or {@code null}
   * @param listener told after each epoch
   * @return every epoch's statistics
   * @throws IllegalArgumentException if a dataset is empty or does not match the network's input
   *     and output sizes, or the batch size exceeds the network's batch capacity
   */
  public History fit(
      Network net, Dataset train, Dataset validation, TrainingListener listener) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(listener, "listener");
    Evaluation.check("training data", net, train);
    if (validation != null) {
      Evaluation.check("validation data", net, validation);
    }
    final int size = train.size();
    // A batch never holds more samples than the data set has.
    final int batchSize = Math.min(config.batchSize(), size);
    if (batchSize > net.batchCapacity()) {
      throw new IllegalArgumentException(
          "batch size " + batchSize + " exceeds the batch capacity " + net.batchCapacity()
              + " of network '" + net.name() + "': construct the network with a batch capacity"
              + " of at least " + batchSize + ", or train with a smaller batch size");
    }
    final int inputWidth = net.inputSize();
    final int outputWidth = net.outputSize();
    final boolean classifier = outputWidth > 1;
    final Optimizer optimizer = config.optimizer();
    final OptimizerState state = optimizer.newState(net.parameterCount());
    final double learningRate = optimizer.learningRate();

    // Everything the epoch loop touches is allocated here, once.
    final float[] batchInputs = new float[batchSize * inputWidth];
    final float[] batchTargets = new float[batchSize * outputWidth];
    final int[] order = new int[size];
    final float[] validationBuffer =
        validation == null ? null : Evaluation.newBuffer(net, validation);
    final float[] features = train.features();
    final float[] targets = train.targets();
    final float[] parameters = net.parameters();
    final float[] gradients = net.gradients();

    net.seedTraining(seed);
    final long shuffleSeed = Seeds.derive(seed, "shuffle");
    List<EpochStats> history = new ArrayList<>(config.epochs());
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      final long started = System.nanoTime();
      shuffle(order, new SplittableRandom(Seeds.derive(shuffleSeed, epoch)));
      double lossSum = 0;
      long correct = 0;
      for (int start = 0; start < size; start += batchSize) {
        final int count = Math.min(batchSize, size - start);
        for (int k = 0; k < count; k++) {
          int sample = order[start + k];
          System.arraycopy(features, sample * inputWidth, batchInputs, k * inputWidth,
              inputWidth);
          System.arraycopy(targets, sample * outputWidth, batchTargets, k * outputWidth,
              outputWidth);
        }
        float loss = net.computeGradients(batchInputs, 0, batchTargets, 0, count);
        lossSum += (double) loss * count;
        if (classifier) {
          correct += Evaluation.countCorrect(
              net.trainingOutputs(), batchTargets, 0, count, outputWidth);
        }
        optimizer.step(parameters, gradients, state, learningRate);
      }
      final long trained = System.nanoTime();
      double validationLoss = Double.NaN;
      double validationAccuracy = Double.NaN;
      if (validation != null) {
        double[] measured = Evaluation.evaluate(net, validation, validationBuffer, classifier);
        validationLoss = measured[0];
        validationAccuracy = measured[1];
      }
      final long finished = System.nanoTime();
      EpochStats stats = new EpochStats(
          epoch,
          lossSum / size,
          classifier ? (double) correct / size : Double.NaN,
          validationLoss,
          validationAccuracy,
          (finished - started) / 1e9,
          size / (Math.max(1, trained - started) / 1e9));
      history.add(stats);
      listener.onEpochEnd(stats, config.epochs());
    }
    return new History(history);
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

  @Override
  public String toString() {
    return "Trainer(config=" + config + ", seed=" + seed + ")";
  }
}
