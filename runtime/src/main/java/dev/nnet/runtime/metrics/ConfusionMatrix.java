package dev.nnet.runtime.metrics;

import java.util.Arrays;
import java.util.Locale;

/**
 * A confusion matrix and the per-class figures computed from it: counts C[a][p] of samples of
 * actual (target) class a predicted as class p, with rows the actual classes and columns the
 * predicted ones, as in scikit-learn's {@code confusion_matrix}. For class c:
 *
 * <pre>
 *   TP = C[c][c]    FP = Σ_a C[a][c] − TP    FN = Σ_p C[c][p] − TP
 *   precision(c) = TP / (TP + FP)             0 when nothing was predicted as c
 *   recall(c)    = TP / (TP + FN)             0 when no sample is of class c
 *   f1(c)        = 2·TP / (2·TP + FP + FN)    0 when c is neither predicted nor actual
 * </pre>
 *
 * <p>(f1 is the harmonic mean of precision and recall wherever that is defined, and 0 when TP = 0.)
 * The macro averages are the plain means over the classes that occur, as actual or predicted
 * class, in the samples: scikit-learn's {@code average="macro"} with the labels found in the data,
 * so a class that never appears neither helps nor hurts. With no samples at all, every figure is
 * 0. Nothing here is NaN.
 *
 * <p>{@link #of} counts a batch of outputs and targets read as {@link Metric} describes; a single
 * output gives a binary matrix with class 0 negative and class 1 positive. Immutable.
 */
public final class ConfusionMatrix {
  private final int classes;
  /** C[a][p] at {@code a * classes + p}. */
  private final int[] counts;
  private final int total;

  /**
   * A matrix with the given counts, {@code counts[actual][predicted]}. The array is copied.
   *
   * @throws IllegalArgumentException if it is empty or not square, a count is negative, or the
   *     counts add up to more than {@link Integer#MAX_VALUE}
   */
  public ConfusionMatrix(int[][] counts) {
    this.classes = counts.length;
    if (classes < 1) {
      throw new IllegalArgumentException("counts must have at least 1 class, but has none");
    }
    this.counts = new int[classes * classes];
    long sum = 0;
    for (int a = 0; a < classes; a++) {
      if (counts[a].length != classes) {
        throw new IllegalArgumentException(
            "counts must be square, but row " + a + " has " + counts[a].length + " columns for "
                + classes + " rows");
      }
      for (int p = 0; p < classes; p++) {
        int c = counts[a][p];
        if (c < 0) {
          throw new IllegalArgumentException(
              "counts must be >= 0, but counts[" + a + "][" + p + "] is " + c);
        }
        this.counts[a * classes + p] = c;
        sum += c;
      }
    }
    if (sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "counts must add up to at most " + Integer.MAX_VALUE + ", but add up to " + sum);
    }
    this.total = (int) sum;
  }

  private ConfusionMatrix(int classes, int[] counts, int total) {
    this.classes = classes;
    this.counts = counts;
    this.total = total;
  }

  /**
   * Counts {@code count} samples: {@code outputs} and {@code targets} as {@link Metric#compute}
   * takes them. The matrix has {@code outputWidth} classes, or 2 for a single output.
   *
   * @throws IllegalArgumentException as {@link Metric#compute} does
   */
  public static ConfusionMatrix of(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(
        "a confusion matrix", outputs, targets, count, outputWidth, targetWidth);
    final int classes = Checks.classes(outputWidth);
    final int[] counts = new int[classes * classes];
    for (int n = 0; n < count; n++) {
      int actual = Checks.actual(targets, n, outputWidth, targetWidth);
      counts[actual * classes + Checks.predicted(outputs, n, outputWidth)]++;
    }
    return new ConfusionMatrix(classes, counts, count);
  }

  /** The number of classes: the side of the matrix. */
  public int classes() {
    return classes;
  }

  /** The number of samples counted. */
  public int total() {
    return total;
  }

  /** A copy of the counts, {@code counts()[actual][predicted]}. */
  public int[][] counts() {
    int[][] copy = new int[classes][];
    for (int a = 0; a < classes; a++) {
      copy[a] = Arrays.copyOfRange(counts, a * classes, (a + 1) * classes);
    }
    return copy;
  }

  /** The number of samples of class {@code actual} predicted as {@code predicted}. */
  public int count(int actual, int predicted) {
    checkClass(actual);
    checkClass(predicted);
    return counts[actual * classes + predicted];
  }

  /** The number of samples whose target is class {@code c}: TP + FN, the row sum. */
  public int support(int c) {
    checkClass(c);
    int sum = 0;
    for (int p = 0; p < classes; p++) {
      sum += counts[c * classes + p];
    }
    return sum;
  }

  /** The number of samples predicted as class {@code c}: TP + FP, the column sum. */
  public int predictions(int c) {
    checkClass(c);
    int sum = 0;
    for (int a = 0; a < classes; a++) {
      sum += counts[a * classes + c];
    }
    return sum;
  }

  /** The fraction of samples on the diagonal; 0 with no samples. */
  public double accuracy() {
    if (total == 0) {
      return 0;
    }
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      correct += counts[c * classes + c];
    }
    return (double) correct / total;
  }

  /** TP / (TP + FP) for class {@code c}; 0 when nothing was predicted as {@code c}. */
  public double precision(int c) {
    int predicted = predictions(c);
    return predicted == 0 ? 0 : (double) counts[c * classes + c] / predicted;
  }

  /** TP / (TP + FN) for class {@code c}; 0 when no sample is of class {@code c}. */
  public double recall(int c) {
    int support = support(c);
    return support == 0 ? 0 : (double) counts[c * classes + c] / support;
  }

  /** 2·TP / (2·TP + FP + FN) for class {@code c}; 0 when {@code c} occurs nowhere. */
  public double f1(int c) {
    long both = (long) support(c) + predictions(c);
    return both == 0 ? 0 : 2.0 * counts[c * classes + c] / both;
  }

  /** The mean of {@link #precision} over the classes that occur; 0 with no samples. */
  public double macroPrecision() {
    double sum = 0;
    int occurring = 0;
    for (int c = 0; c < classes; c++) {
      if (occurs(c)) {
        sum += precision(c);
        occurring++;
      }
    }
    return occurring == 0 ? 0 : sum / occurring;
  }

  /** The mean of {@link #recall} over the classes that occur; 0 with no samples. */
  public double macroRecall() {
    double sum = 0;
    int occurring = 0;
    for (int c = 0; c < classes; c++) {
      if (occurs(c)) {
        sum += recall(c);
        occurring++;
      }
    }
    return occurring == 0 ? 0 : sum / occurring;
  }

  /**
   * The mean of {@link #f1} over the classes that occur (scikit-learn's macro F1, not the F1 of the
   * macro precision and recall); 0 with no samples.
   */
  public double macroF1() {
    double sum = 0;
    int occurring = 0;
    for (int c = 0; c < classes; c++) {
      if (occurs(c)) {
        sum += f1(c);
        occurring++;
      }
    }
    return occurring == 0 ? 0 : sum / occurring;
  }

  /** Whether class {@code c} is the actual or the predicted class of some sample. */
  private boolean occurs(int c) {
    return support(c) > 0 || predictions(c) > 0;
  }

  private void checkClass(int c) {
    if (c < 0 || c >= classes) {
      throw new IndexOutOfBoundsException(
          "class must be from 0 to " + (classes - 1) + ", but got " + c);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix other
        && classes == other.classes
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + classes;
  }

  /**
   * The matrix with each class's precision, recall, F1 and support, the macro averages and the
   * accuracy:
   *
   * <pre>
   * actual \ predicted     0     1     2 | precision  recall      f1  support
   *                  0     3     1     0 |    0.7500  0.7500  0.7500        4
   *                  1     1     2     0 |    0.6667  0.6667  0.6667        3
   *                  2     0     0     3 |    1.0000  1.0000  1.0000        3
   *      macro average                   |    0.8056  0.8056  0.8056       10
   * accuracy 0.8000 (8 of 10)
   * </pre>
   */
  @Override
  public String toString() {
    final String corner = "actual \\ predicted";
    int largest = 0;
    for (int c : counts) {
      largest = Math.max(largest, c);
    }
    final int cell = Math.max(5, Integer.toString(largest).length()) + 1;
    StringBuilder out = new StringBuilder();
    out.append(corner);
    for (int p = 0; p < classes; p++) {
      out.append(padLeft(Integer.toString(p), cell));
    }
    out.append(" | precision  recall      f1  support\n");
    for (int a = 0; a < classes; a++) {
      out.append(padLeft(Integer.toString(a), corner.length()));
      for (int p = 0; p < classes; p++) {
        out.append(padLeft(Integer.toString(counts[a * classes + p]), cell));
      }
      out.append(figures(precision(a), recall(a), f1(a), support(a)));
    }
    out.append(padLeft("macro average", corner.length())).append(" ".repeat(classes * cell));
    out.append(figures(macroPrecision(), macroRecall(), macroF1(), total));
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      correct += counts[c * classes + c];
    }
    out.append(String.format(Locale.ROOT, "accuracy %.4f (%d of %d)", accuracy(), correct, total));
    return out.toString();
  }

  private static String figures(double precision, double recall, double f1, int support) {
    return String.format(
        Locale.ROOT, " | %9.4f %7.4f %7.4f %8d\n", precision, recall, f1, support);
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
