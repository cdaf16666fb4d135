package dev.nnet.examples.mnist;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.train.EpochStats;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Workload W1 end to end: train {@link MnistMlp} (generated from {@code MnistMlp.nnet}) on the
 * first 8,000 MNIST digits, test on the last 2,000, save the model, reload it and check that the
 * reloaded model predicts exactly the same.
 *
 * <p>Arguments: {@code [data directory] [model file]}; defaults {@code examples/data} and
 * {@code examples/mnist-mlp/target/mnist-mlp.safetensors}.
 */
public final class MnistMlpExample {
  static final int TRAIN = 8_000;
  static final long SEED = 42;

  private MnistMlpExample() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path modelFile = Path.of(args.length > 1 ? args[1] : "examples/mnist-mlp/target/mnist-mlp.safetensors");
    Result result = run(data, modelFile, true);
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", result.testAccuracy());
    System.out.printf(Locale.ROOT, "test loss: %.4f%n", result.testLoss());
    System.out.printf(Locale.ROOT, "train samples/s: %.0f%n", result.samplesPerSecond());
    System.out.printf(Locale.ROOT, "parameters: %d%n", MnistMlp.PARAMETER_COUNT);
    System.out.println("model file: " + modelFile);
    System.out.println("reloaded predictions identical: " + result.reloadIdentical());
    if (!result.reloadIdentical()) {
      System.exit(1);
    }
  }

  /** What one run measured. */
  record Result(double testAccuracy, double testLoss, double samplesPerSecond, boolean reloadIdentical) {}

  static Result run(Path data, Path modelFile, boolean verbose) throws IOException {
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, TRAIN);
    Dataset test = all.slice(TRAIN, all.size());
    if (verbose) {
      System.out.printf(Locale.ROOT, "MnistMlp: %,d parameters; %,d training and %,d test digits%n",
          MnistMlp.PARAMETER_COUNT, train.size(), test.size());
    }

    MnistMlp network = new MnistMlp();
    network.initialize(SEED);
    Trainer trainer = new Trainer(network.trainingConfig(), SEED);
    History history = trainer.fit(network, train, null,
        verbose ? TrainingListener.console(System.out) : TrainingListener.silent());

    double accuracy = Evaluation.accuracy(network, test);
    double loss = Evaluation.loss(network, test);

    Files.createDirectories(modelFile.toAbsolutePath().getParent());
    ModelFile.save(network, modelFile);
    MnistMlp reloaded = new MnistMlp();
    ModelFile.load(reloaded, modelFile);
    boolean identical = samePredictions(network, reloaded, test);
    return new Result(accuracy, loss, steadySamplesPerSecond(history), identical);
  }

  /** Training speed after the first (warm-up) epoch: the median of the later epochs. */
  static double steadySamplesPerSecond(History history) {
    double[] speeds = history.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
    if (speeds.length == 0) {
      return history.epochs().get(0).samplesPerSecond();
    }
    return speeds[speeds.length / 2];
  }

  static boolean samePredictions(MnistMlp a, MnistMlp b, Dataset test) {
    float[] first = new float[test.size() * MnistMlp.OUTPUT_SIZE];
    float[] second = new float[first.length];
    a.predictBatch(test.features(), 0, first, 0, test.size());
    b.predictBatch(test.features(), 0, second, 0, test.size());
    return Arrays.equals(first, second);
  }
}
