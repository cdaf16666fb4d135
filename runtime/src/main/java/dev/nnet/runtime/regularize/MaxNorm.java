package dev.nnet.runtime.regularize;

/**
 * Max-norm constraint, Keras' {@code MaxNorm(max_value, axis=0)} (Srivastava, Hinton, Krizhevsky,
 * Sutskever &amp; Salakhutdinov 2014, "Dropout: a simple way to prevent neural networks from
 * overfitting", §5.1): after each optimizer step, every unit's incoming weight vector whose L2 norm
 * exceeds c = {@code maxValue} is scaled back onto the sphere of radius c,
 *
 * <pre>
 *   w_·j ← w_·j · c / ‖w_·j‖    where ‖w_·j‖ = √(Σ_i w_ij²) &gt; c
 * </pre>
 *
 * <p>A dense weight is stored [inputs, units] row-major (element (i, j) at
 * {@code offset + i * columns + j}), so a unit's weights are a column: {@link #apply} constrains
 * each of the {@code columns} columns over its {@code rows} entries, which is Keras' axis 0 for a
 * {@code Dense} kernel. Columns within the bound are left exactly as they are (Keras instead
 * multiplies every column by ‖w‖ / (‖w‖ + 1e-7), nudging them all slightly). Norms are computed in
 * double; a column whose norm is NaN is left alone. Allocation-free; column by column, so it
 * strides through the matrix. Immutable.
 */
public final class MaxNorm {

  /** Keras' default bound. */
  public static final double DEFAULT_MAX_VALUE = 2.0;

  private final double maxValue;

  /** Max-norm with bound 2. */
  public MaxNorm() {
    this(DEFAULT_MAX_VALUE);
  }

  /** @throws IllegalArgumentException if {@code maxValue} is not finite and &gt; 0 */
  public MaxNorm(double maxValue) {
    this.maxValue = Checks.positive("maxValue", maxValue);
  }

  /** The largest L2 norm a column may keep. */
  public double maxValue() {
    return maxValue;
  }

  /**
   * Rescales each column of the [rows, columns] row-major matrix at {@code offset} whose L2 norm
   * exceeds {@link #maxValue()} to that norm.
   *
   * @throws IllegalArgumentException if {@code rows} or {@code columns} is &lt; 1 or the matrix
   *     does not fit the array
   */
  public void apply(float[] parameters, int offset, int rows, int columns) {
    Checks.matrix(parameters.length, offset, rows, columns);
    final int end = offset + rows * columns;
    for (int j = offset; j < offset + columns; j++) {
      double squares = 0;
      for (int i = j; i < end; i += columns) {
        double w = parameters[i];
        squares += w * w;
      }
      double norm = Math.sqrt(squares);
      if (norm > maxValue) {
        final float scale = (float) (maxValue / norm);
        for (int i = j; i < end; i += columns) {
          parameters[i] *= scale;
        }
      }
    }
  }

  /** The double twin of {@link #apply(float[], int, int, int)}. */
  public void apply(double[] parameters, int offset, int rows, int columns) {
    Checks.matrix(parameters.length, offset, rows, columns);
    final int end = offset + rows * columns;
    for (int j = offset; j < offset + columns; j++) {
      double squares = 0;
      for (int i = j; i < end; i += columns) {
        double w = parameters[i];
        squares += w * w;
      }
      double norm = Math.sqrt(squares);
      if (norm > maxValue) {
        final double scale = maxValue / norm;
        for (int i = j; i < end; i += columns) {
          parameters[i] *= scale;
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaxNorm other && Double.compare(maxValue, other.maxValue) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(maxValue);
  }

  @Override
  public String toString() {
    return "MaxNorm(maxValue=" + maxValue + ")";
  }
}
