package dev.nnet.runtime.loss;

import java.util.List;
import java.util.Objects;

/**
 * The loss of a network with several outputs: each output's own loss on its part of the output
 * sample and of the target sample, summed, as Keras sums the losses of a multi-output model.
 * Outputs and targets sit side by side in each sample, in declaration order.
 *
 * <p>Generated classes compute their training loss head by head without this class; it serves
 * evaluation ({@code Network.loss()}), and copies each part to scratch arrays to do so.
 */
public final class SplitLoss implements Loss {
  private final List<Loss> losses;
  private final int[] outputWidths;
  private final int[] targetWidths;
  private final int outputWidth;
  private final int targetWidth;

  /**
   * @param losses one loss per output
   * @param outputWidths each output's values per sample
   * @param targetWidths each output's target values per sample
   */
  public SplitLoss(List<Loss> losses, int[] outputWidths, int[] targetWidths) {
    this.losses = List.copyOf(losses);
    if (losses.isEmpty() || outputWidths.length != losses.size() || targetWidths.length != losses.size()) {
      throw new IllegalArgumentException("a split loss needs one loss, output width and target width per output, "
          + "but got " + losses.size() + ", " + outputWidths.length + " and " + targetWidths.length);
    }
    this.outputWidths = outputWidths.clone();
    this.targetWidths = targetWidths.clone();
    int outputs = 0;
    int targets = 0;
    for (int k = 0; k < losses.size(); k++) {
      Objects.requireNonNull(losses.get(k), "loss");
      if (outputWidths[k] < 1 || targetWidths[k] < 1) {
        throw new IllegalArgumentException("widths must be >= 1, but output " + k + " has " + outputWidths[k]
            + " and " + targetWidths[k]);
      }
      outputs += outputWidths[k];
      targets += targetWidths[k];
    }
    this.outputWidth = outputs;
    this.targetWidth = targets;
  }

  @Override
  public String name() {
    return "split(" + String.join(", ", losses.stream().map(Loss::name).toList()) + ")";
  }

  @Override
  public int targetWidth(int width) {
    return targetWidth;
  }

  @Override
  public float value(float[] outputs, float[] targets, int targetOffset, float[] sampleWeights, int count, int width) {
    return (float) evaluate(outputs, targets, targetOffset, sampleWeights, null, count, width);
  }

  @Override
  public float valueAndGradient(float[] outputs, float[] targets, int targetOffset, float[] sampleWeights,
      float[] gradient, int count, int width) {
    return (float) evaluate(outputs, targets, targetOffset, sampleWeights, gradient, count, width);
  }

  private double evaluate(float[] outputs, float[] targets, int targetOffset, float[] weights, float[] gradient,
      int count, int width) {
    if (width != outputWidth) {
      throw new IllegalArgumentException("outputs have " + width + " values per sample, but the outputs of this"
          + " loss add up to " + outputWidth);
    }
    double total = 0;
    int outputAt = 0;
    int targetAt = 0;
    for (int k = 0; k < losses.size(); k++) {
      int ow = outputWidths[k];
      int tw = targetWidths[k];
      float[] part = new float[count * ow];
      float[] partTargets = new float[count * tw];
      for (int b = 0; b < count; b++) {
        System.arraycopy(outputs, b * width + outputAt, part, b * ow, ow);
        System.arraycopy(targets, targetOffset + b * targetWidth + targetAt, partTargets, b * tw, tw);
      }
      if (gradient == null) {
        total += losses.get(k).value(part, partTargets, 0, weights, count, ow);
      } else {
        float[] partGradient = new float[count * ow];
        total += losses.get(k).valueAndGradient(part, partTargets, 0, weights, partGradient, count, ow);
        for (int b = 0; b < count; b++) {
          System.arraycopy(partGradient, b * ow, gradient, b * width + outputAt, ow);
        }
      }
      outputAt += ow;
      targetAt += tw;
    }
    return total;
  }

  @Override
  public double value(double[] outputs, double[] targets, int targetOffset, double[] sampleWeights, int count,
      int width) {
    throw new UnsupportedOperationException("split losses are for float networks");
  }

  @Override
  public double valueAndGradient(double[] outputs, double[] targets, int targetOffset, double[] sampleWeights,
      double[] gradient, int count, int width) {
    throw new UnsupportedOperationException("split losses are for float networks");
  }

  @Override
  public String toString() {
    return name();
  }
}
