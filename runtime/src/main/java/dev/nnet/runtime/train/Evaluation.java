package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measures a network on a dataset in inference mode ({@link Network#predictBatch}), a chunk of
 * samples at a time into one reusable output buffer, so evaluating sixty thousand samples needs a
 * buffer of a few hundred rows rather than sixty thousand. (Metrics such as F1 or AUC need every
 * output at once: {@link Trainer#evaluate} keeps them all.)
 *
 * <p>Targets are one-hot rows (or regression values) of {@link Network#outputSize()} floats, or
 * class indices of one float when the network's {@link Network#targetSize()} is 1.
 */
public final class Evaluation {

  /** The number of samples predicted per {@link Network#predictBatch} call. */
  static final int CHUNK = 256;

  private Evaluation() {}

  /**
   * The fraction of samples whose predicted class (the argmax of the outputs) is the target class
   * (the argmax of a one-hot target, ties going to the first index, or a class index).
   *
   * @throws IllegalArgumentException if the dataset does not fit the network, is empty, or the
   *     network has a single output (there are no classes to compare)
   */
  public static double accuracy(Network net, Dataset data) {
    check("data", net, data);
    if (net.outputSize() < 2) {
      throw new IllegalArgumentException(
          "accuracy needs a classifier with at least 2 outputs, but network '" + net.name()
              + "' has " + net.outputSize());
    }
    return evaluate(net, data, newBuffer(net, data), true, null)[1];
  }

  /**
   * The network's own {@link Network#loss()}, averaged over all samples.
   *
   * @throws IllegalArgumentException if the dataset does not fit the network or is empty
   */
  public static float loss(Network net, Dataset data) {
    check("data", net, data);
    return (float) evaluate(net, data, newBuffer(net, data), false, null)[0];
  }

  /** A buffer for {@link #evaluate}: at most {@link #CHUNK} rows of outputs. */
  static float[] newBuffer(Network net, Dataset data) {
    return new float[Math.min(data.size(), CHUNK) * net.outputSize()];
  }

  /**
   * The mean loss and (if {@code withAccuracy}, else NaN) the accuracy over {@code data}, predicting
   * into {@code buffer} chunk by chunk; every output is also copied to {@code allOutputs} (row n at
   * {@code n · outputSize}) unless it is {@code null}.
   */
  static double[] evaluate(
      Network net, Dataset data, float[] buffer, boolean withAccuracy, float[] allOutputs) {
    final int inputWidth = data.featureWidth();
    final int outputWidth = net.outputSize();
    final int targetWidth = data.targetWidth();
    final int chunk = buffer.length / outputWidth;
    final float[] features = data.features();
    final float[] targets = data.targets();
    double lossSum = 0;
    long correct = 0;
    for (int start = 0; start < data.size(); start += chunk) {
      int count = Math.min(chunk, data.size() - start);
      net.predictBatch(features, start * inputWidth, buffer, 0, count);
      // Loss.value is a mean over the chunk: weight it by the chunk's size for the overall mean.
      lossSum += (double) net.loss().value(buffer, targets, start * targetWidth, count,
          outputWidth) * count;
      if (withAccuracy) {
        correct += countCorrect(buffer, targets, start * targetWidth, count, outputWidth,
            targetWidth);
      }
      if (allOutputs != null) {
        System.arraycopy(buffer, 0, allOutputs, start * outputWidth, count * outputWidth);
      }
    }
    return new double[] {
      lossSum / data.size(), withAccuracy ? (double) correct / data.size() : Double.NaN
    };
  }

  /**
   * The loss and every metric over {@code data} in inference mode, by name: {@code loss} first,
   * then the metrics in order.
   */
  static Map<String, Double> evaluate(Network net, Dataset data, List<Metric> metrics) {
    check("data", net, data);
    Objects.requireNonNull(metrics, "metrics");
    float[] outputs = metrics.isEmpty()
        ? null : new float[Math.multiplyExact(data.size(), net.outputSize())];
    double loss = evaluate(net, data, newBuffer(net, data), false, outputs)[0];
    Map<String, Double> results = new LinkedHashMap<>();
    results.put("loss", loss);
    for (Metric metric : metrics) {
      Objects.requireNonNull(metric, "metric");
      if (results.containsKey(metric.name())) {
        throw new IllegalArgumentException("metric '" + metric.name() + "' is listed twice");
      }
      results.put(metric.name(), metric.compute(outputs, data.targets(), data.size(),
          net.outputSize(), data.targetWidth()));
    }
    return Collections.unmodifiableMap(results);
  }

  /**
   * How many of {@code count} output rows (from index 0) have the target row's class: its argmax
   * for one-hot targets, the value itself for a class index ({@code targetWidth == 1}).
   */
  static int countCorrect(
      float[] outputs, float[] targets, int targetOffset, int count, int outputWidth,
      int targetWidth) {
    int correct = 0;
    for (int row = 0; row < count; row++) {
      int target = targetWidth == 1
          ? (int) targets[targetOffset + row]
          : argmax(targets, targetOffset + row * targetWidth, targetWidth);
      if (argmax(outputs, row * outputWidth, outputWidth) == target) {
        correct++;
      }
    }
    return correct;
  }

  /** The index of the largest value; the first on ties, and never a NaN unless all are. */
  static int argmax(float[] values, int offset, int width) {
    int best = 0;
    float bestValue = values[offset];
    for (int j = 1; j < width; j++) {
      float value = values[offset + j];
      if (value > bestValue || (Float.isNaN(bestValue) && !Float.isNaN(value))) {
        bestValue = value;
        best = j;
      }
    }
    return best;
  }

  /**
   * Checks that {@code data} is non-empty, its feature width is the network's input size and its
   * target width the network's {@link Network#targetSize()}.
   */
  static void check(String what, Network net, Dataset data) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(data, what);
    if (data.featureWidth() != net.inputSize()) {
      throw new IllegalArgumentException(
          what + " has " + data.featureWidth() + " features per sample, but network '"
              + net.name() + "' takes " + net.inputSize() + " inputs");
    }
    if (data.targetWidth() != net.targetSize()) {
      throw new IllegalArgumentException(
          what + " has " + data.targetWidth() + " targets per sample, but network '"
              + net.name() + (net.targetSize() == net.outputSize()
                  ? "' has " + net.outputSize() + " outputs"
                  : "' takes " + net.targetSize() + " per sample (it has " + net.outputSize()
                      + " outputs)"));
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
  }
}
