package dev.nnet.runtime.data.series;

import dev.nnet.runtime.data.Dataset;
import java.util.List;
import java.util.Objects;

/**
 * Splits the positions {@code 0 … n−1} of a series into three consecutive parts, in time order:
 *
 * <pre>
 *   train       [0, trainEnd)
 *   validation  [trainEnd, validationEnd)
 *   test        [validationEnd, n)
 * </pre>
 *
 * <p>with {@code trainEnd = round(n · trainFraction)} and {@code validationEnd = trainEnd +
 * round(n · validationFraction)} (rounded half up; the test part takes the rest). Nothing is
 * shuffled: a model is trained on the past and judged on the future.
 *
 * <p><b>No leakage, exactly.</b> {@link #windows} cuts each part into samples on its own, so every
 * sample's inputs <i>and</i> target lie inside one part, and no sample straddles a boundary:
 *
 * <ul>
 *   <li>no training sample holds a value at a position {@code ≥ trainEnd}, as input or target;
 *   <li>no validation sample holds a value outside {@code [trainEnd, validationEnd)}, so none
 *       from the test part;
 *   <li>no test sample holds a value before {@code validationEnd}.
 * </ul>
 *
 * <p>The price is {@code size + horizon − 1} positions at the start of the validation and test
 * parts that are the target of no sample. The other steps must keep the same rule: fit a
 * {@link SeriesScaler} on {@link #train} only, fill gaps per part (see {@link GapFilling} for why)
 * and compute {@link Rolling} features, which are causal, before or after splitting.
 *
 * <p>Immutable.
 */
public final class ChronologicalSplit {

  /** One of the three parts. */
  public enum Part {
    TRAIN, VALIDATION, TEST;

    private String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final int size;
  private final int trainEnd;
  private final int validationEnd;

  private ChronologicalSplit(int size, int trainEnd, int validationEnd) {
    this.size = size;
    this.trainEnd = trainEnd;
    this.validationEnd = validationEnd;
  }

  /**
   * The split of {@code n} positions.
   *
   * @param trainFraction the share of positions for training, in (0, 1]
   * @param validationFraction the share for validation, in [0, 1); the test part gets
   *     {@code 1 − trainFraction − validationFraction}, which may be 0
   * @throws IllegalArgumentException if a fraction is out of range, they add up to more than 1,
   *     or the training part would be empty
   */
  public static ChronologicalSplit of(int n, double trainFraction, double validationFraction) {
    if (n < 1) {
      throw new IllegalArgumentException("cannot split " + n + " positions; need at least 1");
    }
    if (!(trainFraction > 0 && trainFraction <= 1)) {
      throw new IllegalArgumentException(
          "the training fraction must be in (0, 1], but got " + trainFraction);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "the validation fraction must be in [0, 1), but got " + validationFraction);
    }
    if (trainFraction + validationFraction > 1 + 1e-9) {
      throw new IllegalArgumentException("the training and validation fractions add up to "
          + (trainFraction + validationFraction) + ", more than 1");
    }
    int train = (int) Math.round(n * trainFraction);
    int validation = (int) Math.min(Math.round(n * validationFraction), n - train);
    if (train < 1) {
      throw new IllegalArgumentException("a training fraction of " + trainFraction + " of " + n
          + " positions leaves no training part");
    }
    return new ChronologicalSplit(n, train, train + validation);
  }

  /** The number of positions split. */
  public int size() {
    return size;
  }

  /** The end (exclusive) of the training part and start of the validation part. */
  public int trainEnd() {
    return trainEnd;
  }

  /** The end (exclusive) of the validation part and start of the test part. */
  public int validationEnd() {
    return validationEnd;
  }

  /** The first position of a part. */
  public int from(Part part) {
    return switch (Objects.requireNonNull(part, "part")) {
      case TRAIN -> 0;
      case VALIDATION -> trainEnd;
      case TEST -> validationEnd;
    };
  }

  /** The end (exclusive) of a part. */
  public int to(Part part) {
    return switch (Objects.requireNonNull(part, "part")) {
      case TRAIN -> trainEnd;
      case VALIDATION -> validationEnd;
      case TEST -> size;
    };
  }

  /** The number of positions in a part, possibly 0 for validation and test. */
  public int size(Part part) {
    return to(part) - from(part);
  }

  /** The part of {@code series} (which must have {@link #size()} values), a copy. */
  public Series part(Part part, Series series) {
    checkSize(series);
    return series.slice(from(part), to(part));
  }

  /** The training part of {@code series}. */
  public Series train(Series series) {
    return part(Part.TRAIN, series);
  }

  /** The validation part of {@code series}. */
  public Series validation(Series series) {
    return part(Part.VALIDATION, series);
  }

  /** The test part of {@code series}. */
  public Series test(Series series) {
    return part(Part.TEST, series);
  }

  /**
   * The samples of one part, cut from that part alone: {@link Windows#of(Series, int, int, int)}
   * on {@link #part}, so no sample straddles a boundary.
   *
   * @throws IllegalArgumentException if the part is shorter than {@code size + horizon}, or as
   *     {@link Windows#of(Series, int, int, int)}
   */
  public Dataset windows(Part part, Series series, int size, int horizon, int stride) {
    return windows(part, List.of(series), series, size, horizon, stride);
  }

  /**
   * The samples of one part with several aligned feature series, as
   * {@link Windows#of(List, Series, int, int, int)} on each series' part.
   */
  public Dataset windows(
      Part part, List<Series> features, Series target, int size, int horizon, int stride) {
    Objects.requireNonNull(features, "features");
    int length = size(part);
    if (length < (long) size + horizon) {
      throw new IllegalArgumentException("the " + part.label() + " part has " + length
          + " values [" + from(part) + ", " + to(part) + "), too few for one window of size "
          + size + " and horizon " + horizon + " (needs " + ((long) size + horizon) + ")");
    }
    Series targetPart = part(part, target);
    List<Series> featureParts = features.stream().map(feature -> part(part, feature)).toList();
    return Windows.of(featureParts, targetPart, size, horizon, stride);
  }

  private void checkSize(Series series) {
    Objects.requireNonNull(series, "series");
    if (series.size() != size) {
      throw new IllegalArgumentException("the split is of " + size + " positions, but "
          + series.name() + " has " + series.size() + " values");
    }
  }

  @Override
  public String toString() {
    return "ChronologicalSplit(train [0, " + trainEnd + "), validation [" + trainEnd + ", "
        + validationEnd + "), test [" + validationEnd + ", " + size + "))";
  }
}
