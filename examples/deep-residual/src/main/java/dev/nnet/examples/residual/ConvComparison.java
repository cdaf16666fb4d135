package dev.nnet.examples.residual;

import dev.nnet.plots.RunComparison;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The convolutional configuration, from {@code ConvNets.nnet}: {@link ConvResidual} and
 * {@link ConvPlain} have the same 21 convolutions (ConvResidual adds one 1×1 projection
 * shortcut); trained like the dense pair, on the same digits, with curves in a PNG of their own.
 */
final class ConvComparison {
  /** The figures, printed after the dense pair's. */
  record Result(History plain, History residual, double plainAccuracy, double residualAccuracy, double seconds,
      Path png) {
    void print(PrintStream out) {
      out.printf(Locale.ROOT, "conv layers: %d (both networks; residual adds a 1×1 projection)%n", 21);
      out.printf(Locale.ROOT, "conv plain parameters: %d%n", ConvPlain.PARAMETER_COUNT);
      out.printf(Locale.ROOT, "conv residual parameters: %d%n", ConvResidual.PARAMETER_COUNT);
      out.printf(Locale.ROOT, "conv plain final training loss: %.4f%n", plain.last().loss());
      out.printf(Locale.ROOT, "conv residual final training loss: %.4f%n", residual.last().loss());
      out.printf(Locale.ROOT, "conv plain test accuracy: %.4f%n", plainAccuracy);
      out.printf(Locale.ROOT, "conv residual test accuracy: %.4f%n", residualAccuracy);
      out.printf(Locale.ROOT, "conv training seconds (both): %.1f%n", seconds);
      out.println("conv curves: " + png);
    }
  }

  private ConvComparison() {}

  static Result run(Dataset train, Dataset test, Path png) throws IOException {
    ConvPlain plain = new ConvPlain();
    ConvResidual residual = new ConvResidual();
    long start = System.nanoTime();
    History plainHistory = DeepResidual.fit(plain, plain.trainingConfig(), train, test);
    History residualHistory = DeepResidual.fit(residual, residual.trainingConfig(), train, test);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Map<String, double[]>> runs = new LinkedHashMap<>();
    runs.put("plain", DeepResidual.curves(plainHistory));
    runs.put("residual", DeepResidual.curves(residualHistory));
    Files.createDirectories(png.toAbsolutePath().getParent());
    RunComparison.write(png, "21 convolutions on MNIST: plain vs residual", runs);
    return new Result(plainHistory, residualHistory, Evaluation.accuracy(plain, test),
        Evaluation.accuracy(residual, test), seconds, png);
  }
}
