package dev.nnet.runtime.data.series;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A univariate time series: values in time order, each with the time it was observed at, as text
 * ({@code "19580329"}, {@code "1700"}). A missing value is {@link Double#NaN}; infinities are
 * rejected. Times are labels only: every operation in this package works by position, so the
 * values are assumed equally spaced (the weekly {@code co2.csv} and yearly {@code sunspots.csv}
 * are).
 *
 * <p>Immutable: the factories copy the arrays they are given and {@link #values()} returns a copy.
 */
public final class Series {

  private final String timeName;
  private final String name;
  private final String[] times;
  private final double[] values;

  private Series(String timeName, String name, String[] times, double[] values) {
    this.timeName = timeName;
    this.name = name;
    this.times = times;
    this.values = values;
  }

  /**
   * A series of the given values, named {@code "value"}, whose times are the positions
   * {@code "0"}, {@code "1"}, … (time column {@code "index"}).
   *
   * @throws IllegalArgumentException if a value is infinite
   */
  public static Series of(double... values) {
    Objects.requireNonNull(values, "values");
    String[] times = new String[values.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = Integer.toString(i);
    }
    return create("index", "value", times, values.clone());
  }

  /**
   * A series with the given column names, times and values (copied).
   *
   * @param timeName the name of the time column, such as {@code "date"}
   * @param name the name of the value column, such as {@code "co2"}
   * @throws IllegalArgumentException if the counts differ, a time is empty, or a value is
   *     infinite
   */
  public static Series of(String timeName, String name, List<String> times, double[] values) {
    Objects.requireNonNull(times, "times");
    Objects.requireNonNull(values, "values");
    if (times.size() != values.length) {
      throw new IllegalArgumentException(
          times.size() + " times but " + values.length + " values");
    }
    return create(timeName, name, times.toArray(new String[0]), values.clone());
  }

  private static Series create(String timeName, String name, String[] times, double[] values) {
    Objects.requireNonNull(timeName, "timeName");
    Objects.requireNonNull(name, "name");
    for (int i = 0; i < values.length; i++) {
      if (times[i] == null || times[i].isEmpty()) {
        throw new IllegalArgumentException("time " + i + " is empty");
      }
      if (Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(
            "value " + i + " (" + timeName + " " + times[i] + ") is infinite: " + values[i]);
      }
    }
    return new Series(timeName, name, times, values);
  }

  /** A series with the same names and times and new values (copied, NaN for missing). */
  public Series withValues(double[] newValues) {
    return withValues(name, newValues);
  }

  /** A series with the same times, another value name, and new values (copied). */
  public Series withValues(String newName, double[] newValues) {
    Objects.requireNonNull(newValues, "values");
    if (newValues.length != values.length) {
      throw new IllegalArgumentException("the series has " + values.length
          + " values, but " + newValues.length + " new values were given");
    }
    return create(timeName, newName, times, newValues.clone());
  }

  /** Package use: wraps an array this package just computed (no copy, no check). */
  Series withComputed(String newName, double[] newValues) {
    return new Series(timeName, newName, times, newValues);
  }

  /** The name of the value column ({@code "co2"}). */
  public String name() {
    return name;
  }

  /** The name of the time column ({@code "date"}). */
  public String timeName() {
    return timeName;
  }

  /** The number of values, missing ones included. */
  public int size() {
    return values.length;
  }

  /** Value {@code i}; NaN if it is missing. */
  public double value(int i) {
    return values[Objects.checkIndex(i, values.length)];
  }

  /** The time of value {@code i}. */
  public String time(int i) {
    return times[Objects.checkIndex(i, times.length)];
  }

  /** A copy of the values, NaN for missing ones. */
  public double[] values() {
    return values.clone();
  }

  /** The values as floats, the precision of a {@link dev.nnet.runtime.data.Dataset}. */
  public float[] toFloats() {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** The times, in order; unmodifiable. */
  public List<String> times() {
    return Collections.unmodifiableList(Arrays.asList(times));
  }

  /** The number of missing (NaN) values. */
  public int missingCount() {
    int count = 0;
    for (double value : values) {
      if (Double.isNaN(value)) {
        count++;
      }
    }
    return count;
  }

  /** Whether any value is missing. */
  public boolean hasMissing() {
    return firstMissing() >= 0;
  }

  /** The position of the first missing value, or -1 if none is. */
  public int firstMissing() {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** A copy of values {@code from} (inclusive) to {@code to} (exclusive), times kept. */
  public Series slice(int from, int to) {
    if (from < 0 || to > values.length || from > to) {
      throw new IndexOutOfBoundsException(
          "slice [" + from + ", " + to + ") is not within [0, " + values.length + "]");
    }
    return new Series(timeName, name,
        Arrays.copyOfRange(times, from, to), Arrays.copyOfRange(values, from, to));
  }

  /**
   * Throws if any value is missing, naming the first one and what to do about it.
   *
   * @param operation what needs complete values, for the message ({@code "differencing"})
   */
  void requireComplete(String operation) {
    int missing = firstMissing();
    if (missing >= 0) {
      throw new IllegalArgumentException(operation + " needs a series without gaps, but "
          + describe(missing) + " is missing (" + missingCount()
          + " missing in all); fill the gaps first with GapFilling");
    }
  }

  /** "value 17 of co2 (date 19580510)", for messages. */
  String describe(int i) {
    return "value " + i + " of " + name + " (" + timeName + " " + times[i] + ")";
  }

  /** Package use: the backing array, not copied. */
  double[] raw() {
    return values;
  }

  /** Package use: the backing times, not copied. */
  String[] rawTimes() {
    return times;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Series that
        && timeName.equals(that.timeName)
        && name.equals(that.name)
        && Arrays.equals(times, that.times)
        && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeName, name, Arrays.hashCode(times), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Series(").append(name).append(", ")
        .append(values.length).append(" values");
    if (values.length > 0) {
      text.append(", ").append(timeName).append(' ').append(times[0]).append(" to ")
          .append(times[times.length - 1]);
    }
    int missing = missingCount();
    if (missing > 0) {
      text.append(", ").append(missing).append(" missing");
    }
    return text.append(')').toString();
  }
}
