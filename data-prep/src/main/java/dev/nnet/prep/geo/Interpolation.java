package dev.nnet.prep.geo;

/**
 * Filling in missing values in space. Inverse distance weighting estimates a value at a point from
 * known points, weighting each by 1 / distance^power. On a grid (rows × columns, NaN where
 * missing), {@link #fillGridIdw} uses every known cell, and {@link #fillGridLinear} interpolates
 * each missing cell from the nearest known cells left/right and above/below (linear along the row
 * and along the column, the two averaged: bilinear where a gap is surrounded). {@link #bilinear}
 * samples a complete grid between cells.
 */
public final class Interpolation {
  private Interpolation() {}

  /**
   * The IDW estimate at (x, y) from points (xs[i], ys[i]) with values[i]; a query on a known point
   * returns its value.
   */
  public static double idw(double[] xs, double[] ys, double[] values, double x, double y, double power) {
    if (xs.length == 0 || xs.length != ys.length || xs.length != values.length) {
      throw new IllegalArgumentException("need the same positive number of x, y and values, but got " + xs.length + ", "
          + ys.length + ", " + values.length);
    }
    double weighted = 0;
    double total = 0;
    for (int i = 0; i < xs.length; i++) {
      double d = Math.hypot(xs[i] - x, ys[i] - y);
      if (d == 0) {
        return values[i];
      }
      double w = 1 / Math.pow(d, power);
      weighted += w * values[i];
      total += w;
    }
    return weighted / total;
  }

  /** IDW at a geographic point from known geographic points, using great-circle distances. */
  public static double idw(GeoPoint[] points, double[] values, GeoPoint at, double power) {
    double weighted = 0;
    double total = 0;
    for (int i = 0; i < points.length; i++) {
      double d = Geodesy.distance(points[i], at);
      if (d == 0) {
        return values[i];
      }
      double w = 1 / Math.pow(d, power);
      weighted += w * values[i];
      total += w;
    }
    if (total == 0) {
      throw new IllegalArgumentException("no known points to interpolate from");
    }
    return weighted / total;
  }

  /** A copy of {@code grid} with each NaN cell set to the IDW estimate from all known cells (cell units). */
  public static double[][] fillGridIdw(double[][] grid, double power) {
    int rows = grid.length;
    int known = 0;
    for (double[] row : grid) {
      for (double v : row) {
        known += Double.isNaN(v) ? 0 : 1;
      }
    }
    if (known == 0) {
      throw new IllegalArgumentException("every cell of the grid is missing");
    }
    double[] xs = new double[known];
    double[] ys = new double[known];
    double[] values = new double[known];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < grid[r].length; c++) {
        if (!Double.isNaN(grid[r][c])) {
          xs[n] = c;
          ys[n] = r;
          values[n++] = grid[r][c];
        }
      }
    }
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = grid[r].clone();
      for (int c = 0; c < out[r].length; c++) {
        if (Double.isNaN(out[r][c])) {
          out[r][c] = idw(xs, ys, values, c, r, power);
        }
      }
    }
    return out;
  }

  /**
   * A copy of {@code grid} with each NaN cell interpolated linearly between the nearest known cells
   * on its row and on its column, the two estimates averaged; where a direction has a known cell on
   * one side only, that side's value is used; a cell with no known cell on its row or column stays NaN.
   */
  public static double[][] fillGridLinear(double[][] grid) {
    int rows = grid.length;
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = grid[r].clone();
      double[] row = grid[r];
      for (int c = 0; c < row.length; c++) {
        if (!Double.isNaN(row[c])) {
          continue;
        }
        double along = linear(row.length, i -> row[i], c);
        int column = c;
        double across = linear(rows, i -> column < grid[i].length ? grid[i][column] : Double.NaN, r);
        out[r][c] = Double.isNaN(along) ? across : Double.isNaN(across) ? along : (along + across) / 2;
      }
    }
    return out;
  }

  private static double linear(int n, java.util.function.IntToDoubleFunction value, int at) {
    int before = at - 1;
    while (before >= 0 && Double.isNaN(value.applyAsDouble(before))) {
      before--;
    }
    int after = at + 1;
    while (after < n && Double.isNaN(value.applyAsDouble(after))) {
      after++;
    }
    if (before < 0 && after >= n) {
      return Double.NaN;
    }
    if (before < 0) {
      return value.applyAsDouble(after);
    }
    if (after >= n) {
      return value.applyAsDouble(before);
    }
    double t = (double) (at - before) / (after - before);
    return value.applyAsDouble(before) * (1 - t) + value.applyAsDouble(after) * t;
  }

  /** The grid sampled at fractional (row, column), bilinear between the four surrounding cells (clamped at edges). */
  public static double bilinear(double[][] grid, double row, double column) {
    double r = Math.min(Math.max(row, 0), grid.length - 1);
    double c = Math.min(Math.max(column, 0), grid[0].length - 1);
    int r0 = (int) Math.floor(r);
    int c0 = (int) Math.floor(c);
    int r1 = Math.min(r0 + 1, grid.length - 1);
    int c1 = Math.min(c0 + 1, grid[0].length - 1);
    double tr = r - r0;
    double tc = c - c0;
    double top = grid[r0][c0] * (1 - tc) + grid[r0][c1] * tc;
    double bottom = grid[r1][c0] * (1 - tc) + grid[r1][c1] * tc;
    return top * (1 - tr) + bottom * tr;
  }
}
