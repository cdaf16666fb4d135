package dev.nnet.runtime.data.image;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.init.Seeds;
import java.util.Objects;

/**
 * Mini-batches of a data set of images, augmented on the fly: {@link #fill} writes the augmented
 * features and the targets of the requested samples into a caller's batch buffers, so no
 * augmented copy of the data set is ever materialised and a batch allocates nothing. Optionally,
 * a {@link ChannelStandardizer} is applied after the augmentation (which works on [0, 1] pixels).
 *
 * <p>Sample i of epoch e is augmented with the seed
 * {@code Seeds.derive(Seeds.derive(seed, e), i)}: it depends on the source's seed, the epoch and
 * the sample index only, not on the batch size or where in a batch the sample falls, so a run is
 * reproducible whatever the shuffle and batching, and every epoch sees new variants.
 *
 * <p>A training loop uses it in place of copying rows into the batch buffers:
 *
 * <pre>{@code
 * AugmentingSource source = new AugmentingSource(train, 32, 32, 3, augmentation, 42)
 *     .withStandardizer(standardizer);
 * float[] x = new float[net.batchCapacity() * net.inputSize()];
 * float[] y = new float[net.batchCapacity() * net.targetSize()];
 * int[] order = new int[train.size()];
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *   // shuffle order with a seeded Fisher–Yates ...
 *   for (int start = 0; start < order.length; start += net.batchCapacity()) {
 *     int count = Math.min(net.batchCapacity(), order.length - start);
 *     source.fill(order, start, count, x, y, epoch);
 *     net.computeGradients(x, 0, y, 0, count);
 *     // optimizer step ...
 *   }
 * }
 * }</pre>
 *
 * <p>Immutable; {@code fill} may be called from several threads at once with different buffers
 * (to prepare the next batch while the current one trains, say).
 */
public final class AugmentingSource {
  private final Dataset data;
  private final int height;
  private final int width;
  private final int channels;
  private final Augmentation augmentation;
  private final long seed;
  private final ChannelStandardizer standardizer;

  /**
   * A source over {@code data}, whose features are channels-last images of {@code height} ×
   * {@code width} × {@code channels} values in [0, 1], augmented by {@code augmentation} with
   * draws derived from {@code seed}. The data set is not copied.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1 or the data's feature width is not
   *     height · width · channels
   */
  public AugmentingSource(Dataset data, int height, int width, int channels,
      Augmentation augmentation, long seed) {
    this(data, height, width, channels, augmentation, seed, null);
  }

  private AugmentingSource(Dataset data, int height, int width, int channels,
      Augmentation augmentation, long seed, ChannelStandardizer standardizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(augmentation, "augmentation");
    int size = Image.checkedSize(height, width, channels);
    if (data.featureWidth() != size) {
      throw new IllegalArgumentException(
          "images of " + height + " × " + width + " × " + channels + " have " + size
              + " values, but the data set has " + data.featureWidth() + " features per sample");
    }
    this.data = data;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.augmentation = augmentation;
    this.seed = seed;
    this.standardizer = standardizer;
  }

  /**
   * This source, with {@code standardizer} applied to each augmented sample (fit it on the
   * un-augmented training images).
   *
   * @throws IllegalArgumentException if the standardizer has another channel count
   */
  public AugmentingSource withStandardizer(ChannelStandardizer standardizer) {
    Objects.requireNonNull(standardizer, "standardizer");
    if (standardizer.channels() != channels) {
      throw new IllegalArgumentException(
          "the standardizer has " + standardizer.channels() + " channels, but the images have "
              + channels);
    }
    return new AugmentingSource(data, height, width, channels, augmentation, seed, standardizer);
  }

  /**
   * Writes {@code count} samples, {@code indices[from]} to {@code indices[from + count − 1]}, into
   * the batch buffers from index 0: sample k's augmented (and standardised, if set) features at
   * {@code k · featureWidth()} of {@code features} and its targets, unchanged, at
   * {@code k · targetWidth()} of {@code targets}. {@code epochSeed} varies the draws between
   * epochs; passing the epoch number is enough. Allocates nothing.
   *
   * @throws IllegalArgumentException if {@code count} &lt; 0
   * @throws IndexOutOfBoundsException if {@code [from, from + count)} is not within
   *     {@code indices}, an index is not a sample of the data set, or a buffer is too small
   */
  public void fill(int[] indices, int from, int count, float[] features, float[] targets,
      long epochSeed) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(targets, "targets");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but got " + count);
    }
    if (from < 0 || from > indices.length - count) {
      throw new IndexOutOfBoundsException(
          "indices [" + from + ", " + ((long) from + count) + ") are not within an array of "
              + indices.length);
    }
    int featureWidth = data.featureWidth();
    int targetWidth = data.targetWidth();
    if ((long) count * featureWidth > features.length) {
      throw new IndexOutOfBoundsException(
          count + " samples need " + (long) count * featureWidth
              + " features, but the features buffer holds " + features.length);
    }
    if ((long) count * targetWidth > targets.length) {
      throw new IndexOutOfBoundsException(
          count + " samples need " + (long) count * targetWidth
              + " targets, but the targets buffer holds " + targets.length);
    }
    int size = data.size();
    for (int k = 0; k < count; k++) {
      int sample = indices[from + k];
      if (sample < 0 || sample >= size) {
        throw new IndexOutOfBoundsException(
            "indices[" + (from + k) + "] is " + sample + ", not a sample index in [0, " + size
                + ")");
      }
    }
    long epochStream = Seeds.derive(seed, epochSeed);
    float[] sourceFeatures = data.features();
    float[] sourceTargets = data.targets();
    for (int k = 0; k < count; k++) {
      int sample = indices[from + k];
      augmentation.apply(sourceFeatures, sample * featureWidth, features, k * featureWidth,
          height, width, channels, Seeds.derive(epochStream, sample));
      if (standardizer != null) {
        standardizer.applyInPlace(features, k * featureWidth, featureWidth);
      }
      System.arraycopy(sourceTargets, sample * targetWidth, targets, k * targetWidth,
          targetWidth);
    }
  }

  /**
   * The seed {@link #fill} augments sample {@code sample} with in the epoch {@code epochSeed}:
   * {@code Seeds.derive(Seeds.derive(seed, epochSeed), sample)}.
   */
  public long sampleSeed(int sample, long epochSeed) {
    return Seeds.derive(Seeds.derive(seed, epochSeed), sample);
  }

  /** The underlying (un-augmented) data set. */
  public Dataset data() {
    return data;
  }

  /** The number of samples. */
  public int size() {
    return data.size();
  }

  /** The number of features per sample, height · width · channels. */
  public int featureWidth() {
    return data.featureWidth();
  }

  /** The number of targets per sample. */
  public int targetWidth() {
    return data.targetWidth();
  }

  /** The image height. */
  public int height() {
    return height;
  }

  /** The image width. */
  public int width() {
    return width;
  }

  /** The number of channels. */
  public int channels() {
    return channels;
  }

  /** The augmentation. */
  public Augmentation augmentation() {
    return augmentation;
  }

  /** The seed the per-sample seeds are derived from. */
  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "AugmentingSource(" + data + ", " + height + " × " + width + " × " + channels + ", "
        + augmentation + (standardizer == null ? "" : ", " + standardizer) + ", seed=" + seed
        + ")";
  }
}
