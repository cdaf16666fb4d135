package dev.nnet.runtime.data.series;

import java.util.Locale;

/**
 * Scales series values as {@code (x − offset) / scale}, with the offset and scale measured on the
 * training part only and then applied unchanged to the validation and test parts, and to the
 * network's outputs in reverse with {@link #invert}.
 *
 * <ul>
 *   <li>{@link #fitMinMax}: offset = minimum, scale = maximum − minimum, so the training part
 *       maps onto [0, 1]. Other parts may fall outside [0, 1] (a rising series such as
 *       {@code co2.csv} goes above 1 after the training part), which is correct: clipping them
 *       would hide exactly what the model must extrapolate.
 *   <li>{@link #fitStandard}: offset = mean, scale = population standard deviation, like
 *       {@link dev.nnet.runtime.data.Standardizer}.
 * </ul>
 *
 * <p>A constant training part has a scale of 0; the scale is then 1, so values are only shifted.
 * Missing values stay missing. Immutable.
 */
public final class SeriesScaler {

  private final String kind;
  private final double offset;
  private final double scale;

  private SeriesScaler(String kind, double offset, double scale) {
    this.kind = kind;
    this.offset = offset;
    this.scale = scale;
  }

  /**
   * Min-max scaling measured on {@code trainingPart}, the usual choice for the inputs of a
   * recurrent network: the same as {@link #fitMinMax}.
   *
   * @throws IllegalArgumentException if the part is empty or has a missing value
   */
  public static SeriesScaler fit(Series trainingPart) {
    return fitMinMax(trainingPart);
  }

  /**
   * Min-max scaling measured on {@code trainingPart}.
   *
   * @throws IllegalArgumentException if the part is empty or has a missing value
   */
  public static SeriesScaler fitMinMax(Series trainingPart) {
    double[] values = checked(trainingPart);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double value : values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return new SeriesScaler("min-max", min, max > min ? max - min : 1);
  }

  /**
   * Standard scaling (mean 0, standard deviation 1) measured on {@code trainingPart}.
   *
   * @throws IllegalArgumentException if the part is empty or has a missing value
   */
  public static SeriesScaler fitStandard(Series trainingPart) {
    double[] values = checked(trainingPart);
    double mean = 0;
    for (double value : values) {
      mean += value;
    }
    mean /= values.length;
    double squares = 0;
    for (double value : values) {
      squares += (value - mean) * (value - mean);
    }
    double std = Math.sqrt(squares / values.length);
    return new SeriesScaler("standard", mean, std > 0 ? std : 1);
  }

  /** A scaler with a given offset and scale, for example ones saved beside a model. */
  public static SeriesScaler of(double offset, double scale) {
    if (!Double.isFinite(offset)) {
      throw new IllegalArgumentException("the offset must be finite, but got " + offset);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("the scale must be finite and > 0, but got " + scale);
    }
    return new SeriesScaler("given", offset, scale);
  }

  private static double[] checked(Series part) {
    if (part.size() == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on an empty series");
    }
    part.requireComplete("fitting a scaler");
    return part.raw();
  }

  /** The scaled series, same times and name. */
  public Series apply(Series series) {
    double[] values = series.values();
    for (int i = 0; i < values.length; i++) {
      values[i] = apply(values[i]);
    }
    return series.withComputed(series.name(), values);
  }

  /** The series back in original units, same times and name. */
  public Series invert(Series scaled) {
    double[] values = scaled.values();
    for (int i = 0; i < values.length; i++) {
      values[i] = invert(values[i]);
    }
    return scaled.withComputed(scaled.name(), values);
  }

  /** One value scaled: {@code (x − offset) / scale}. */
  public double apply(double value) {
    return (value - offset) / scale;
  }

  /** One value back in original units: {@code y · scale + offset}. */
  public double invert(double scaled) {
    return scaled * scale + offset;
  }

  /** Network outputs (or any scaled floats) back in original units, in a new array. */
  public double[] invert(float[] scaled) {
    double[] values = new double[scaled.length];
    for (int i = 0; i < scaled.length; i++) {
      values[i] = invert(scaled[i]);
    }
    return values;
  }

  /** The value subtracted: the training part's minimum or mean. */
  public double offset() {
    return offset;
  }

  /** The divisor: the training part's range or standard deviation, or 1 if that was 0. */
  public double scale() {
    return scale;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SeriesScaler(%s, offset=%s, scale=%s)",
        kind, Double.toString(offset), Double.toString(scale));
  }
}
