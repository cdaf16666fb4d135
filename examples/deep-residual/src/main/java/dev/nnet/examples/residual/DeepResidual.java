package dev.nnet.examples.residual;

import dev.nnet.plots.RunComparison;
import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Depth with and without shortcuts: {@link Residual} and {@link Plain} (both from {@code
 * DeepNets.nnet}) have the same 34 dense layers; Residual adds an identity shortcut around every
 * pair. Both train on the first 8,000 MNIST digits with the same optimizer, batch, epochs and
 * seed, and are tested on the last 2,000. The per-epoch curves go into one PNG.
 *
 * <p>Arguments: {@code [data directory] [png]}; defaults {@code examples/data} and {@code
 * examples/deep-residual/target/deep-residual-curves.png}.
 */
public final class DeepResidual {
  static final int TRAIN = 8_000;
  static final long SEED = 7;

  private DeepResidual() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path png = Path.of(args.length > 1 ? args[1] : "examples/deep-residual/target/deep-residual-curves.png");
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, TRAIN);
    Dataset test = all.slice(TRAIN, all.size());

    Plain plain = new Plain();
    Residual residual = new Residual();
    long start = System.nanoTime();
    History plainHistory = fit(plain, plain.trainingConfig(), train, test);
    History residualHistory = fit(residual, residual.trainingConfig(), train, test);
    double seconds = (System.nanoTime() - start) / 1e9;
    ConvComparison.Result conv = ConvComparison.run(train, test, png.resolveSibling("conv-residual-curves.png"));

    Map<String, Map<String, double[]>> runs = new LinkedHashMap<>();
    runs.put("plain", curves(plainHistory));
    runs.put("residual", curves(residualHistory));
    Files.createDirectories(png.toAbsolutePath().getParent());
    RunComparison.write(png, "34 dense layers on MNIST: plain vs residual", runs);

    System.out.printf(Locale.ROOT, "dense layers: %d (both networks)%n", 34);
    System.out.printf(Locale.ROOT, "plain parameters: %d%n", Plain.PARAMETER_COUNT);
    System.out.printf(Locale.ROOT, "residual parameters: %d%n", Residual.PARAMETER_COUNT);
    System.out.printf(Locale.ROOT, "plain final training loss: %.4f%n", plainHistory.last().loss());
    System.out.printf(Locale.ROOT, "residual final training loss: %.4f%n", residualHistory.last().loss());
    System.out.printf(Locale.ROOT, "plain test accuracy: %.4f%n", Evaluation.accuracy(plain, test));
    System.out.printf(Locale.ROOT, "residual test accuracy: %.4f%n", Evaluation.accuracy(residual, test));
    System.out.printf(Locale.ROOT, "training seconds (both): %.1f%n", seconds);
    conv.print(System.out);
    System.out.println("curves: " + png);
  }

  /** Per epoch: the training loss and the accuracy on the held-out test digits. */
  static Map<String, double[]> curves(History history) {
    Map<String, double[]> curves = new LinkedHashMap<>();
    curves.put("training loss", history.losses());
    curves.put("test accuracy", history.validationAccuracies());
    return curves;
  }

  static History fit(Network network, dev.nnet.runtime.train.TrainingConfig config, Dataset train, Dataset test) {
    network.initialize(SEED);
    System.out.println(network.name() + ":");
    return new Trainer(config, SEED).fit(network, train, test, TrainingListener.console(System.out));
  }
}
