package dev.nnet.prep.tabular;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table read from CSV: named, typed columns of equal length. Number columns hold NaN where a
 * cell is missing, category columns hold null. Immutable; the accessors return copies.
 */
public final class CsvTable {
  private final List<String> names;
  private final List<ColumnType> types;
  private final double[][] numbers;
  private final String[][] categories;
  private final int rows;

  CsvTable(List<String> names, List<ColumnType> types, double[][] numbers, String[][] categories, int rows) {
    this.names = List.copyOf(names);
    this.types = List.copyOf(types);
    this.numbers = numbers;
    this.categories = categories;
    this.rows = rows;
  }

  public int rows() {
    return rows;
  }

  public List<String> names() {
    return names;
  }

  public ColumnType type(String column) {
    return types.get(index(column));
  }

  /** A number column's values (NaN where missing). */
  public double[] numbers(String column) {
    int k = index(column);
    if (types.get(k) != ColumnType.NUMBER) {
      throw new IllegalArgumentException("column '" + column + "' holds categories, not numbers");
    }
    return numbers[k].clone();
  }

  /** A category column's values (null where missing). */
  public String[] categories(String column) {
    int k = index(column);
    if (types.get(k) != ColumnType.CATEGORY) {
      throw new IllegalArgumentException("column '" + column + "' holds numbers, not categories");
    }
    return categories[k].clone();
  }

  /** The number columns {@code columns}, side by side in row-major order, as float (NaN where missing). */
  public float[] matrix(List<String> columns) {
    float[] out = new float[Math.multiplyExact(rows, columns.size())];
    for (int c = 0; c < columns.size(); c++) {
      double[] column = numbers(columns.get(c));
      for (int r = 0; r < rows; r++) {
        out[r * columns.size() + c] = (float) column[r];
      }
    }
    return out;
  }

  /** Every number column except {@code excluded}, in file order. */
  public List<String> numberColumns(String... excluded) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      if (types.get(k) == ColumnType.NUMBER && !Arrays.asList(excluded).contains(names.get(k))) {
        out.add(names.get(k));
      }
    }
    return out;
  }

  /** The rows {@code selected}, in that order. */
  public CsvTable select(int[] selected) {
    double[][] n = new double[names.size()][];
    String[][] c = new String[names.size()][];
    for (int k = 0; k < names.size(); k++) {
      if (types.get(k) == ColumnType.NUMBER) {
        n[k] = new double[selected.length];
        for (int r = 0; r < selected.length; r++) {
          n[k][r] = numbers[k][selected[r]];
        }
      } else {
        c[k] = new String[selected.length];
        for (int r = 0; r < selected.length; r++) {
          c[k][r] = categories[k][selected[r]];
        }
      }
    }
    return new CsvTable(names, types, n, c, selected.length);
  }

  /** Only the rows with no missing cell (listwise deletion). */
  public CsvTable dropMissing() {
    int[] keep = java.util.stream.IntStream.range(0, rows).filter(r -> {
      for (int k = 0; k < names.size(); k++) {
        if (types.get(k) == ColumnType.NUMBER ? Double.isNaN(numbers[k][r]) : categories[k][r] == null) {
          return false;
        }
      }
      return true;
    }).toArray();
    return select(keep);
  }

  /** How many cells of {@code column} are missing. */
  public int missing(String column) {
    int k = index(column);
    int n = 0;
    for (int r = 0; r < rows; r++) {
      n += (types.get(k) == ColumnType.NUMBER ? Double.isNaN(numbers[k][r]) : categories[k][r] == null) ? 1 : 0;
    }
    return n;
  }

  private int index(String column) {
    int k = names.indexOf(column);
    if (k < 0) {
      throw new IllegalArgumentException("no column named '" + column + "'; the columns are " + names);
    }
    return k;
  }

  @Override
  public String toString() {
    return "CsvTable[" + rows + " rows, columns " + names + "]";
  }
}
