package dev.nnet.prep.tabular;

import java.util.List;
import java.util.TreeSet;

/**
 * Each category becomes its index: in a given order ({@link #of}, for ordered categories such as
 * small &lt; medium &lt; large) or in sorted order of the training values ({@link #fit}). An
 * unknown or missing category is an error. Also the way to turn class labels into numbers.
 */
public final class OrdinalEncoder {
  private final List<String> order;

  private OrdinalEncoder(List<String> order) {
    this.order = List.copyOf(order);
  }

  public static OrdinalEncoder of(List<String> order) {
    if (order.isEmpty() || new TreeSet<>(order).size() != order.size()) {
      throw new IllegalArgumentException("the order must be non-empty and without repeats, but got " + order);
    }
    return new OrdinalEncoder(order);
  }

  public static OrdinalEncoder fit(String[] train) {
    TreeSet<String> seen = new TreeSet<>();
    for (String value : train) {
      if (value == null) {
        throw new IllegalArgumentException("a category is missing (null); impute it first");
      }
      seen.add(value);
    }
    return of(List.copyOf(seen));
  }

  public List<String> categories() {
    return order;
  }

  public int[] indices(String[] column) {
    int[] out = new int[column.length];
    for (int r = 0; r < column.length; r++) {
      int k = column[r] == null ? -1 : order.indexOf(column[r]);
      if (k < 0) {
        throw new IllegalArgumentException("row " + r + ": category " + (column[r] == null ? "missing"
            : "'" + column[r] + "' is not one of " + order));
      }
      out[r] = k;
    }
    return out;
  }

  public float[] apply(String[] column) {
    int[] indices = indices(column);
    float[] out = new float[indices.length];
    for (int r = 0; r < out.length; r++) {
      out[r] = indices[r];
    }
    return out;
  }
}
