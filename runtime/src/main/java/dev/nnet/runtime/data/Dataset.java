package dev.nnet.runtime.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of samples held as two flat row-major arrays: {@code size} rows of {@code featureWidth}
 * features and {@code size} rows of {@code targetWidth} targets. Sample i's features are
 * {@code features()[i·featureWidth … (i+1)·featureWidth)}, the layout the trainer copies into
 * mini-batches and {@link dev.nnet.runtime.Network#predictBatch} reads directly.
 *
 * <p>Treat a dataset as immutable. To avoid copying data sets of hundreds of megabytes, the
 * constructor takes ownership of the arrays it is given and the accessors return them, not
 * copies: do not modify them. {@link #of(float[][], float[][])} and {@link #slice} copy.
 */
public final class Dataset {

  private final float[] features;
  private final float[] targets;
  private final int size;
  private final int featureWidth;
  private final int targetWidth;

  /**
   * A dataset over the given arrays (not copied).
   *
   * @throws IllegalArgumentException if a width is &lt; 1, or the array lengths are not whole
   *     multiples of the widths, or they disagree on the number of samples
   */
  public Dataset(float[] features, int featureWidth, float[] targets, int targetWidth) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(targets, "targets");
    if (featureWidth < 1) {
      throw new IllegalArgumentException("feature width must be >= 1, but got " + featureWidth);
    }
    if (targetWidth < 1) {
      throw new IllegalArgumentException("target width must be >= 1, but got " + targetWidth);
    }
    if (features.length % featureWidth != 0) {
      throw new IllegalArgumentException(
          "features length " + features.length + " is not a multiple of the feature width "
              + featureWidth);
    }
    if (targets.length % targetWidth != 0) {
      throw new IllegalArgumentException(
          "targets length " + targets.length + " is not a multiple of the target width "
              + targetWidth);
    }
    int size = features.length / featureWidth;
    if (targets.length / targetWidth != size) {
      throw new IllegalArgumentException(
          "features hold " + size + " samples but targets hold " + targets.length / targetWidth);
    }
    this.features = features;
    this.targets = targets;
    this.size = size;
    this.featureWidth = featureWidth;
    this.targetWidth = targetWidth;
  }

  /** As the constructor: a dataset over the given flat arrays (not copied). */
  public static Dataset of(float[] features, int featureWidth, float[] targets, int targetWidth) {
    return new Dataset(features, featureWidth, targets, targetWidth);
  }

  /**
   * A dataset copied from rows: {@code features[i]} and {@code targets[i]} are sample i. All
   * feature rows must have the same length, as must all target rows.
   *
   * @throws IllegalArgumentException if there are no rows, the counts differ or a row is ragged
   */
  public static Dataset of(float[][] features, float[][] targets) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(targets, "targets");
    if (features.length != targets.length) {
      throw new IllegalArgumentException(
          features.length + " feature rows but " + targets.length + " target rows");
    }
    if (features.length == 0) {
      throw new IllegalArgumentException("no rows: the widths cannot be inferred");
    }
    return new Dataset(
        flatten("features", features), features[0].length,
        flatten("targets", targets), targets[0].length);
  }

  private static float[] flatten(String what, float[][] rows) {
    int width = rows[0].length;
    float[] flat = new float[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException(
            what + " row " + i + " has " + rows[i].length + " values but row 0 has " + width);
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  /** The features of all samples, row-major; the backing array, do not modify. */
  public float[] features() {
    return features;
  }

  /** The targets of all samples, row-major; the backing array, do not modify. */
  public float[] targets() {
    return targets;
  }

  /** The number of samples. */
  public int size() {
    return size;
  }

  /** The number of features per sample. */
  public int featureWidth() {
    return featureWidth;
  }

  /** The number of targets per sample. */
  public int targetWidth() {
    return targetWidth;
  }

  /** A copy of samples {@code from} (inclusive) to {@code to} (exclusive). */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException(
          "slice [" + from + ", " + to + ") is not within [0, " + size + "]");
    }
    return new Dataset(
        Arrays.copyOfRange(features, from * featureWidth, to * featureWidth), featureWidth,
        Arrays.copyOfRange(targets, from * targetWidth, to * targetWidth), targetWidth);
  }

  @Override
  public String toString() {
    return "Dataset(size=" + size + ", featureWidth=" + featureWidth + ", targetWidth="
        + targetWidth + ")";
  }
}
