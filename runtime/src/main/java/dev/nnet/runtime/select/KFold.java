package dev.nnet.runtime.select;

import dev.nnet.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * K-fold cross-validation splits, as scikit-learn's {@code KFold} and {@code StratifiedKFold}:
 * every sample is in the test part of exactly one of the k folds, and the test parts differ in
 * size by at most one sample.
 *
 * <p>Plain: the samples (in order, or shuffled) are cut into k consecutive runs; the first
 * {@code n mod k} runs have one sample more. Stratified ({@link #stratified}): the samples are
 * grouped by class (in order within a class, or shuffled) and dealt to the folds in turn, so
 * every fold has each class's share of the samples, give or take one.
 *
 * <p>The shuffle is a Fisher–Yates permutation from {@code new SplittableRandom(seed)}: the same
 * seed gives the same folds. Immutable.
 */
public final class KFold {
  private final int k;
  private final long seed;
  private final boolean shuffle;
  private final boolean stratified;

  /**
   * Plain k-fold splits.
   *
   * @param shuffle whether to shuffle the samples before cutting them (scikit-learn's default is
   *     not to)
   * @throws IllegalArgumentException if {@code k} is &lt; 2
   */
  public KFold(int k, long seed, boolean shuffle) {
    this(k, seed, shuffle, false);
  }

  private KFold(int k, long seed, boolean shuffle, boolean stratified) {
    if (k < 2) {
      throw new IllegalArgumentException("k must be >= 2, but got " + k);
    }
    this.k = k;
    this.seed = seed;
    this.shuffle = shuffle;
    this.stratified = stratified;
  }

  /**
   * Stratified k-fold splits for classification: each fold keeps the class proportions of the
   * whole set. The class of a sample is the argmax of a one-hot target row, or the value of a
   * one-wide target (a class index, or 0/1 for a binary problem).
   *
   * @throws IllegalArgumentException if {@code k} is &lt; 2
   */
  public static KFold stratified(int k, long seed, boolean shuffle) {
    return new KFold(k, seed, shuffle, true);
  }

  public int k() {
    return k;
  }

  public long seed() {
    return seed;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public boolean isStratified() {
    return stratified;
  }

  /**
   * The k folds of {@code size} samples.
   *
   * @throws IllegalStateException for a stratified split, which needs the targets
   * @throws IllegalArgumentException if there are fewer samples than folds
   */
  public List<Fold> split(int size) {
    if (stratified) {
      throw new IllegalStateException("a stratified split needs the classes: call split(Dataset)");
    }
    return folds(size, null);
  }

  /**
   * The k folds of {@code data}.
   *
   * @throws IllegalArgumentException if there are fewer samples than folds, or (stratified) a
   *     target does not name a class
   */
  public List<Fold> split(Dataset data) {
    return folds(data.size(), stratified ? classes(data) : null);
  }

  private List<Fold> folds(int size, int[] classes) {
    if (size < k) {
      throw new IllegalArgumentException(
          "cannot split " + size + " samples into " + k + " folds: each needs a test sample");
    }
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = size - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
    int[] foldOf = new int[size];
    if (classes == null) {
      int at = 0;
      for (int fold = 0; fold < k; fold++) {
        int foldSize = size / k + (fold < size % k ? 1 : 0);
        for (int i = 0; i < foldSize; i++) {
          foldOf[order[at++]] = fold;
        }
      }
    } else {
      // Group by class, keeping the (shuffled) order within each class, and deal in turn.
      int classCount = 0;
      for (int c : classes) {
        classCount = Math.max(classCount, c + 1);
      }
      int[] start = new int[classCount + 1];
      for (int c : classes) {
        start[c + 1]++;
      }
      for (int c = 0; c < classCount; c++) {
        start[c + 1] += start[c];
      }
      int[] byClass = new int[size];
      for (int sample : order) {
        byClass[start[classes[sample]]++] = sample;
      }
      for (int i = 0; i < size; i++) {
        foldOf[byClass[i]] = i % k;
      }
    }
    int[] testSizes = new int[k];
    for (int fold : foldOf) {
      testSizes[fold]++;
    }
    List<Fold> folds = new ArrayList<>(k);
    for (int fold = 0; fold < k; fold++) {
      int[] test = new int[testSizes[fold]];
      int[] train = new int[size - testSizes[fold]];
      int t = 0;
      int r = 0;
      for (int sample = 0; sample < size; sample++) {
        if (foldOf[sample] == fold) {
          test[t++] = sample;
        } else {
          train[r++] = sample;
        }
      }
      folds.add(new Fold(fold, train, test));
    }
    return List.copyOf(folds);
  }

  /** The class of every sample. */
  static int[] classes(Dataset data) {
    int width = data.targetWidth();
    float[] targets = data.targets();
    int[] classes = new int[data.size()];
    for (int n = 0; n < data.size(); n++) {
      if (width == 1) {
        float value = targets[n];
        int c = (int) value;
        if (c != value || c < 0) {
          throw new IllegalArgumentException("a stratified split needs class targets, but the"
              + " target of sample " + n + " is " + value + ", not a class index");
        }
        classes[n] = c;
      } else {
        int best = 0;
        for (int j = 1; j < width; j++) {
          if (targets[n * width + j] > targets[n * width + best]) {
            best = j;
          }
        }
        classes[n] = best;
      }
    }
    return classes;
  }

  /**
   * Whether every target names a class: a one-hot row (a single 1, zeros elsewhere), or a
   * one-wide whole number &gt;= 0. Cross-validation stratifies such data, as scikit-learn does
   * for classifiers.
   */
  static boolean isClassification(Dataset data) {
    int width = data.targetWidth();
    float[] targets = data.targets();
    for (int n = 0; n < data.size(); n++) {
      if (width == 1) {
        float value = targets[n];
        if (value != (int) value || value < 0) {
          return false;
        }
      } else {
        int ones = 0;
        for (int j = 0; j < width; j++) {
          float value = targets[n * width + j];
          if (value == 1) {
            ones++;
          } else if (value != 0) {
            return false;
          }
        }
        if (ones != 1) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KFold other && k == other.k && seed == other.seed
        && shuffle == other.shuffle && stratified == other.stratified;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new long[] {k, seed, shuffle ? 1 : 0, stratified ? 1 : 0});
  }

  @Override
  public String toString() {
    return (stratified ? "KFold.stratified(" : "KFold(") + k + ", seed=" + seed + ", shuffle="
        + shuffle + ")";
  }
}
