package dev.nnet.runtime.data.image;

import dev.nnet.runtime.data.Dataset;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-channel standardisation of channels-last images: every value of channel c, in every pixel
 * of every image, becomes (value − mean<sub>c</sub>) / scale<sub>c</sub>. The means and scales
 * (population standard deviations) are measured once, on the training images, and then applied
 * unchanged to validation and test images and to augmented batches. A constant channel is only
 * shifted (its scale is 1).
 *
 * <p>Unlike {@link dev.nnet.runtime.data.Standardizer}, which has a mean per feature (per pixel
 * position), this has one per channel, the usual preparation for convolutional networks
 * (PyTorch's {@code transforms.Normalize}, Keras' {@code Normalization(axis=-1)}). Immutable and
 * safe to share between threads.
 */
public final class ChannelStandardizer {
  private final double[] means;
  private final double[] scales;

  private ChannelStandardizer(double[] means, double[] scales) {
    this.means = means;
    this.scales = scales;
  }

  /**
   * A standardizer with known statistics, such as ImageNet's means (0.485, 0.456, 0.406) and
   * standard deviations (0.229, 0.224, 0.225) for [0, 1] RGB pixels. Both arrays are copied.
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a mean is
   *     not finite, or a scale is not finite and &gt; 0
   */
  public static ChannelStandardizer of(double[] means, double[] scales) {
    Objects.requireNonNull(means, "means");
    Objects.requireNonNull(scales, "scales");
    if (means.length == 0 || means.length != scales.length) {
      throw new IllegalArgumentException(
          "expected one mean and one scale per channel, but got " + means.length + " means and "
              + scales.length + " scales");
    }
    for (int c = 0; c < means.length; c++) {
      if (!Double.isFinite(means[c])) {
        throw new IllegalArgumentException("mean " + c + " must be finite, but got " + means[c]);
      }
      if (!(scales[c] > 0) || !Double.isFinite(scales[c])) {
        throw new IllegalArgumentException(
            "scale " + c + " must be finite and > 0, but got " + scales[c]);
      }
    }
    return new ChannelStandardizer(means.clone(), scales.clone());
  }

  /**
   * Measures each channel's mean and population standard deviation over all pixels of all samples
   * of {@code data}, whose features are channels-last images of {@code channels} channels.
   *
   * @throws IllegalArgumentException if {@code channels} &lt; 1, the feature width is not a
   *     multiple of it, or {@code data} is empty
   */
  public static ChannelStandardizer fit(Dataset data, int channels) {
    Objects.requireNonNull(data, "data");
    checkChannels(data, channels);
    if (data.size() == 0) {
      throw new IllegalArgumentException("cannot fit a channel standardizer on an empty data set");
    }
    float[] values = data.features();
    int length = data.size() * data.featureWidth();
    double[] means = new double[channels];
    for (int i = 0; i < length; i += channels) {
      for (int c = 0; c < channels; c++) {
        means[c] += values[i + c];
      }
    }
    long count = (long) length / channels;
    for (int c = 0; c < channels; c++) {
      means[c] /= count;
    }
    double[] squares = new double[channels];
    for (int i = 0; i < length; i += channels) {
      for (int c = 0; c < channels; c++) {
        double d = values[i + c] - means[c];
        squares[c] += d * d;
      }
    }
    double[] scales = new double[channels];
    for (int c = 0; c < channels; c++) {
      double std = Math.sqrt(squares[c] / count);
      scales[c] = std > 0 ? std : 1;
    }
    return new ChannelStandardizer(means, scales);
  }

  private static void checkChannels(Dataset data, int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, but got " + channels);
    }
    if (data.featureWidth() % channels != 0) {
      throw new IllegalArgumentException(
          "the feature width " + data.featureWidth() + " is not a multiple of " + channels
              + " channels; expected images of height × width × " + channels + " values");
    }
  }

  /** A new data set with the features standardised; the targets are shared, not copied. */
  public Dataset apply(Dataset data) {
    Objects.requireNonNull(data, "data");
    if (data.featureWidth() % means.length != 0) {
      throw new IllegalArgumentException(
          "the standardizer was fit on " + means.length + " channels, but the feature width "
              + data.featureWidth() + " is not a multiple of " + means.length);
    }
    int length = data.size() * data.featureWidth();
    float[] scaled = Arrays.copyOf(data.features(), length);
    applyInPlace(scaled, 0, length);
    return new Dataset(scaled, data.featureWidth(), data.targets(), data.targetWidth());
  }

  /**
   * Standardises {@code length} values of {@code values} from {@code offset} in place, without
   * allocating: whole pixels, the first value at {@code offset} being channel 0.
   *
   * @throws IllegalArgumentException if {@code length} is not a multiple of the channel count
   * @throws IndexOutOfBoundsException if the range is not within the array
   */
  public void applyInPlace(float[] values, int offset, int length) {
    Objects.requireNonNull(values, "values");
    int channels = means.length;
    if (length % channels != 0) {
      throw new IllegalArgumentException(
          "length " + length + " is not a multiple of the " + channels + " channels");
    }
    if (offset < 0 || length < 0 || offset > values.length - length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", " + ((long) offset + length) + ") is not within an array of "
              + values.length);
    }
    for (int i = offset, end = offset + length; i < end; i += channels) {
      for (int c = 0; c < channels; c++) {
        values[i + c] = (float) ((values[i + c] - means[c]) / scales[c]);
      }
    }
  }

  /** The number of channels. */
  public int channels() {
    return means.length;
  }

  /** A copy of the per-channel means. */
  public double[] means() {
    return means.clone();
  }

  /** A copy of the per-channel scales (standard deviations, or 1 for a constant channel). */
  public double[] scales() {
    return scales.clone();
  }

  @Override
  public String toString() {
    return "ChannelStandardizer(means=" + Arrays.toString(means) + ", scales="
        + Arrays.toString(scales) + ")";
  }
}
