package dev.nnet.prep.tabular;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded train/validation/test split that keeps each class's share in every part: the rows of
 * each class are shuffled (Fisher–Yates with a {@link SplittableRandom} of the seed) and cut by
 * the fractions, rounding to the nearest row. The same labels and seed always give the same split.
 *
 * @param train row indices, ascending
 * @param validation row indices, ascending (empty for a validation fraction of 0)
 * @param test row indices, ascending
 */
public record StratifiedSplit(int[] train, int[] validation, int[] test) {

  public static StratifiedSplit of(int[] labels, double validationFraction, double testFraction, long seed) {
    if (!(validationFraction >= 0 && testFraction > 0 && validationFraction + testFraction < 1)) {
      throw new IllegalArgumentException("fractions need validation >= 0, test > 0 and validation + test < 1, but got "
          + validationFraction + " and " + testFraction);
    }
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int r = 0; r < labels.length; r++) {
      byClass.computeIfAbsent(labels[r], k -> new ArrayList<>()).add(r);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (List<Integer> rows : byClass.values()) {
      for (int i = rows.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Integer t = rows.get(i);
        rows.set(i, rows.get(j));
        rows.set(j, t);
      }
      int nTest = (int) Math.round(rows.size() * testFraction);
      int nValidation = (int) Math.round(rows.size() * validationFraction);
      test.addAll(rows.subList(0, nTest));
      validation.addAll(rows.subList(nTest, Math.min(rows.size(), nTest + nValidation)));
      train.addAll(rows.subList(Math.min(rows.size(), nTest + nValidation), rows.size()));
    }
    return new StratifiedSplit(sorted(train), sorted(validation), sorted(test));
  }

  private static int[] sorted(List<Integer> rows) {
    int[] out = rows.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(out);
    return out;
  }

  /** The rows {@code selected} of row-major data of the given width. */
  public static float[] rows(float[] data, int width, int[] selected) {
    float[] out = new float[Math.multiplyExact(selected.length, width)];
    for (int r = 0; r < selected.length; r++) {
      System.arraycopy(data, selected[r] * width, out, r * width, width);
    }
    return out;
  }
}
