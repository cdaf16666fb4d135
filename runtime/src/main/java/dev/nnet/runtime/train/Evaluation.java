package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import java.util.Objects;

/**
 * Measures a network on a dataset in inference mode ({@link Network#predictBatch}), a chunk of
 * samples at a time into one reusable output buffer, so evaluating sixty thousand samples needs a
 * buffer of a few hundred rows rather than sixty thousand.
 */
public final class Evaluation {

  /** The number of samples predicted per {@link Network#predictBatch} call. */
  static final int CHUNK = 256;

  private Evaluation() {}

  /**
   * The fraction of samples whose predicted class (the argmax of the outputs) is the target class
   * (the argmax of the targets; ties go to the first index).
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
    return evaluate(net, data, newBuffer(net, data), true)[1];
  }

  /**
   * The network's own {@link Network#loss()}, averaged over all samples.
   *
   * @throws IllegalArgumentException if the dataset does not fit the network or is empty
   */
  public static float loss(Network net, Dataset data) {
    check("data", net, data);
    return (float) evaluate(net, data, newBuffer(net, data), false)[0];
  }

  /** A buffer for {@link #evaluate}: at most {@link #CHUNK} rows of outputs. */
  static float[] newBuffer(Network net, Dataset data) {
    return new float[Math.min(data.size(), CHUNK) * net.outputSize()];
  }

  /**
   * The mean loss and (if {@code withAccuracy}, else NaN) the accuracy over {@code data}, predicting
   * into {@code buffer} chunk by chunk.
   */
  static double[] evaluate(Network net, Dataset data, float[] buffer, boolean withAccuracy) {
    final int inputWidth = data.featureWidth();
    final int outputWidth = net.outputSize();
    final int chunk = buffer.length / outputWidth;
    final float[] features = data.features();
    final float[] targets = data.targets();
    double lossSum = 0;
    long correct = 0;
    for (int start = 0; start < data.size(); start += chunk) {
      int count = Math.min(chunk, data.size() - start);
      net.predictBatch(features, start * inputWidth, buffer, 0, count);
      // Loss.value is a mean over the chunk: weight it by the chunk's size for the overall mean.
      lossSum += (double) net.loss().value(buffer, targets, start * outputWidth, count,
          outputWidth) * count;
      if (withAccuracy) {
        correct += countCorrect(buffer, targets, start * outputWidth, count, outputWidth);
      }
    }
    return new double[] {
      lossSum / data.size(), withAccuracy ? (double) correct / data.size() : Double.NaN
    };
  }

  /** How many of {@code count} output rows (from index 0) have the target row's argmax. */
  static int countCorrect(
      float[] outputs, float[] targets, int targetOffset, int count, int width) {
    int correct = 0;
    for (int row = 0; row < count; row++) {
      if (argmax(outputs, row * width, width) == argmax(targets, targetOffset + row * width,
          width)) {
        correct++;
      }
    }
    return correct;
  }

  static int argmax(float[] values, int offset, int width) {
    int best = 0;
    float bestValue = values[offset];
    for (int j = 1; j < width; j++) {
      if (values[offset + j] > bestValue) {
        bestValue = values[offset + j];
        best = j;
      }
    }
    return best;
  }

  /** Checks that {@code data} is non-empty and its widths are the network's input and output sizes. */
  static void check(String what, Network net, Dataset data) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(data, what);
    if (data.featureWidth() != net.inputSize()) {
      throw new IllegalArgumentException(
          what + " has " + data.featureWidth() + " features per sample, but network '"
              + net.name() + "' takes " + net.inputSize() + " inputs");
    }
    if (data.targetWidth() != net.outputSize()) {
      throw new IllegalArgumentException(
          what + " has " + data.targetWidth() + " targets per sample, but network '"
              + net.name() + "' has " + net.outputSize() + " outputs");
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
  }
}
