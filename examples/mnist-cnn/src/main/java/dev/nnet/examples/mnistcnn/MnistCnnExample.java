package dev.nnet.examples.mnistcnn;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.data.image.Augmentation;
import dev.nnet.runtime.train.EpochStats;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Convolutional networks on MNIST, first 8,000 digits to train, last 2,000 to test, pixels / 255,
 * images channels-last [28, 28, 1]:
 *
 * <ul>
 *   <li>workload W4 exactly as WORKLOADS.md defines it ({@link MnistCnn}: conv 8@3×3, max pool,
 *       conv 16@3×3, max pool, dense 64, dense 10; Adam 1e-3, batch 32, 3 epochs);
 *   <li>a wider configuration ({@link MnistCnnWide}: 32 and 64 filters, dropout, 10 epochs), each
 *       training digit shifted by up to 2 pixels on the fly through {@link Trainer#withTransform}.
 * </ul>
 *
 * <p>Arguments: {@code [w4|all] [data directory]}; defaults {@code all} and {@code examples/data}.
 * {@code w4} runs only the workload (seconds); the wide network takes a few minutes on one core.
 */
public final class MnistCnnExample {
  static final int TRAIN = 8_000;
  static final long SEED = 42;
  /** Up to 2 of 28 pixels each way (Augmentation rounds the drawn fraction of the width). */
  static final double SHIFT = 2.0 / 28;

  private MnistCnnExample() {}

  public static void main(String[] args) throws IOException {
    String which = args.length > 0 ? args[0] : "all";
    if (!which.equals("w4") && !which.equals("all")) {
      System.err.println("usage: examples/run mnist-cnn [w4|all] [data directory]");
      System.exit(2);
    }
    Path data = Path.of(args.length > 1 ? args[1] : "examples/data");
    Result w4 = w4(data, true);
    Result wide = which.equals("all") ? wide(data, true) : null;
    System.out.printf(Locale.ROOT, "w4 test accuracy: %.4f%n", w4.testAccuracy());
    System.out.printf(Locale.ROOT, "w4 train samples/s: %.0f%n", w4.samplesPerSecond());
    System.out.printf(Locale.ROOT, "w4 parameters: %d%n", MnistCnn.PARAMETER_COUNT);
    if (wide != null) {
      System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", wide.testAccuracy());
      System.out.printf(Locale.ROOT, "train samples/s: %.0f%n", wide.samplesPerSecond());
      System.out.printf(Locale.ROOT, "parameters: %d%n", MnistCnnWide.PARAMETER_COUNT);
    }
  }

  /** What one run measured. */
  record Result(double testAccuracy, double samplesPerSecond) {}

  static Dataset[] split(Path data) throws IOException {
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    return new Dataset[] {all.slice(0, TRAIN), all.slice(TRAIN, all.size())};
  }

  /** W4: the network, data and settings of WORKLOADS.md; no augmentation. */
  static Result w4(Path data, boolean verbose) throws IOException {
    Dataset[] sets = split(data);
    MnistCnn network = new MnistCnn();
    network.initialize(SEED);
    if (verbose) {
      System.out.printf(Locale.ROOT, "MnistCnn (W4): %,d parameters, %,d FLOPs per forward pass%n",
          MnistCnn.PARAMETER_COUNT, 2 * forwardMultiplyAdds());
    }
    Trainer trainer = new Trainer(network.trainingConfig(), SEED);
    return train(network, trainer, sets, verbose);
  }

  /** The wider network with ±2-pixel shifts applied on the fly. */
  static Result wide(Path data, boolean verbose) throws IOException {
    Dataset[] sets = split(data);
    MnistCnnWide network = new MnistCnnWide();
    network.initialize(SEED);
    if (verbose) {
      System.out.printf(Locale.ROOT, "MnistCnnWide: %,d parameters, shifts of up to 2 pixels%n",
          MnistCnnWide.PARAMETER_COUNT);
    }
    Trainer trainer = new Trainer(network.trainingConfig(), SEED)
        .withTransform(Augmentation.none().shift(SHIFT).asTransform(28, 28, 1, SEED));
    return train(network, trainer, sets, verbose);
  }

  private static Result train(Network network, Trainer trainer, Dataset[] sets, boolean verbose) {
    History history = trainer.fit(network, sets[0], null,
        verbose ? TrainingListener.console(System.out) : TrainingListener.silent());
    return new Result(Evaluation.accuracy(network, sets[1]), steadySamplesPerSecond(history));
  }

  /** Multiply-adds of W4's forward pass per sample, from the layer shapes. */
  static long forwardMultiplyAdds() {
    return 26L * 26 * 8 * 9 + 11L * 11 * 16 * 72 + 400L * 64 + 64L * 10;
  }

  /** Training speed after the first (warm-up) epoch: the median of the later epochs. */
  static double steadySamplesPerSecond(History history) {
    double[] speeds = history.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
    if (speeds.length == 0) {
      return history.epochs().get(0).samplesPerSecond();
    }
    return speeds[speeds.length / 2];
  }
}
