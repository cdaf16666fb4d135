package dev.nnet.prep.tabular;

import java.util.List;
import java.util.TreeSet;

/**
 * One column per category seen in training (in sorted order), 1 where the row has it. A category
 * not seen in training, or a missing one, is an error unless {@link #ignoringUnknown()} is used,
 * which encodes it as all zeros.
 */
public final class OneHotEncoder {
  private final List<String> categories;
  private final boolean ignoreUnknown;

  private OneHotEncoder(List<String> categories, boolean ignoreUnknown) {
    this.categories = categories;
    this.ignoreUnknown = ignoreUnknown;
  }

  public static OneHotEncoder fit(String[] train) {
    TreeSet<String> seen = new TreeSet<>();
    for (String value : train) {
      if (value == null) {
        throw new IllegalArgumentException("a category is missing (null); impute it first");
      }
      seen.add(value);
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException("cannot fit a one-hot encoder on no values");
    }
    return new OneHotEncoder(List.copyOf(seen), false);
  }

  /** The same encoder, but unknown or missing categories become all zeros. */
  public OneHotEncoder ignoringUnknown() {
    return new OneHotEncoder(categories, true);
  }

  public List<String> categories() {
    return categories;
  }

  /** Rows of {@code categories().size()} values. */
  public float[] apply(String[] column) {
    int width = categories.size();
    float[] out = new float[Math.multiplyExact(column.length, width)];
    for (int r = 0; r < column.length; r++) {
      int k = column[r] == null ? -1 : java.util.Collections.binarySearch(categories, column[r]);
      if (k < 0) {
        if (!ignoreUnknown) {
          throw new IllegalArgumentException("row " + r + ": category " + (column[r] == null ? "missing"
              : "'" + column[r] + "' was not seen in training") + "; the categories are " + categories);
        }
        continue;
      }
      out[r * width + k] = 1;
    }
    return out;
  }
}
