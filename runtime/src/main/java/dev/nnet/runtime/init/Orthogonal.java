package dev.nnet.runtime.init;

/**
 * Orthogonal initialization, {@code orthogonal} (Saxe, McClelland &amp; Ganguli 2014, "Exact
 * solutions to the nonlinear dynamics of learning in deep linear neural networks"; Keras'
 * {@code Orthogonal}): a random matrix with orthonormal rows or columns, times a gain.
 *
 * <p><b>Shape.</b> The tensor is one [fanIn, fanOut] matrix stored row-major, the layout of a
 * dense weight [inputs, units]: element (i, j) is {@code target[offset + i * fanOut + j]}, and
 * {@code count} must be fanIn · fanOut. With W that matrix and g the gain:
 *
 * <pre>
 *   fanIn ≥ fanOut:  the columns are orthonormal (times g):  WᵀW = g²·I  [fanOut × fanOut]
 *   fanIn ≤ fanOut:  the rows are orthonormal (times g):     WWᵀ = g²·I  [fanIn × fanIn]
 * </pre>
 *
 * <p>(both when square). This is Keras' convention for a kernel [fanIn, fanOut].
 *
 * <p><b>Construction.</b> Let m = max(fanIn, fanOut) and n = min(fanIn, fanOut). Draw n vectors of
 * m standard normal deviates ({@code new SplittableRandom(seed)}, Marsaglia's polar method) and
 * orthonormalise them in order by modified Gram–Schmidt, each projection done twice ("twice is
 * enough", Giraud et al. 2005) so the result is orthonormal to double precision. That is the Q
 * factor of the QR decomposition of an m × n normal matrix with R's diagonal made positive, which
 * Keras computes by Householder QR and a sign correction: Q is distributed uniformly (Haar) over
 * the matrices with orthonormal columns (Mezzadri 2007). The n vectors become the columns of W
 * when fanIn ≥ fanOut, else its rows. A vector that falls (numerically) into the span of the
 * previous ones is redrawn.
 *
 * <p>The work is in double and takes O(m·n²) time and m·n doubles of scratch; the float overload
 * casts, so float and double fill the same values. Immutable; {@link #INSTANCE} has gain 1.
 */
public final class Orthogonal implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "orthogonal";

  /** Keras' default gain. */
  public static final double DEFAULT_GAIN = 1.0;

  /** Orthogonal with gain 1. */
  public static final Orthogonal INSTANCE = new Orthogonal(DEFAULT_GAIN);

  /** A redrawn vector kept less than this fraction of its norm after projection. */
  private static final double MIN_REMAINING = 1e-10;

  private final double gain;

  /** @throws IllegalArgumentException if {@code gain} is not finite and &gt; 0 */
  public Orthogonal(double gain) {
    if (!Double.isFinite(gain)) {
      throw new IllegalArgumentException("gain must be a finite number > 0, but got " + gain);
    }
    if (!(gain > 0)) {
      throw new IllegalArgumentException("gain must be > 0, but got " + gain);
    }
    this.gain = gain;
  }

  /** The factor the orthonormal matrix is multiplied by. */
  public double gain() {
    return gain;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    double[] w = matrix(count, fanIn, fanOut, seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = (float) w[i];
    }
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    double[] w = matrix(count, fanIn, fanOut, seed);
    System.arraycopy(w, 0, target, offset, count);
  }

  /** The [fanIn, fanOut] matrix, row-major, gain applied. */
  private double[] matrix(int count, int fanIn, int fanOut, long seed) {
    Checks.fans(fanIn, fanOut);
    if ((long) fanIn * fanOut != count) {
      throw new IllegalArgumentException(
          "orthogonal fills one [fanIn, fanOut] matrix, so count must be fanIn × fanOut = "
              + (long) fanIn * fanOut + ", but got " + count);
    }
    final int m = Math.max(fanIn, fanOut);
    final int n = Math.min(fanIn, fanOut);
    // n vectors of length m, one after the other.
    final double[] q = new double[m * n];
    Normals normals = new Normals(seed);
    for (int k = 0; k < n; k++) {
      final int base = k * m;
      double remaining;
      do {
        double drawn = 0;
        for (int i = 0; i < m; i++) {
          double z = normals.next();
          q[base + i] = z;
          drawn += z * z;
        }
        for (int pass = 0; pass < 2; pass++) {
          for (int p = 0; p < k; p++) {
            final int other = p * m;
            double dot = 0;
            for (int i = 0; i < m; i++) {
              dot += q[other + i] * q[base + i];
            }
            for (int i = 0; i < m; i++) {
              q[base + i] -= dot * q[other + i];
            }
          }
        }
        double squares = 0;
        for (int i = 0; i < m; i++) {
          squares += q[base + i] * q[base + i];
        }
        remaining = Math.sqrt(squares / drawn);
        if (remaining > MIN_REMAINING) {
          double scale = 1 / Math.sqrt(squares);
          for (int i = 0; i < m; i++) {
            q[base + i] *= scale;
          }
        }
      } while (!(remaining > MIN_REMAINING));
    }
    final double[] w = new double[count];
    if (fanIn >= fanOut) {
      // Vector j is column j: w[i][j] = q[j][i].
      for (int i = 0; i < fanIn; i++) {
        for (int j = 0; j < fanOut; j++) {
          w[i * fanOut + j] = gain * q[j * m + i];
        }
      }
    } else {
      // Vector i is row i, already in place.
      for (int i = 0; i < count; i++) {
        w[i] = gain * q[i];
      }
    }
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Orthogonal other && Double.compare(gain, other.gain) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(gain);
  }

  /** {@code orthogonal} for gain 1, else {@code orthogonal(gain: 2.0)}. */
  @Override
  public String toString() {
    return gain == DEFAULT_GAIN ? NAME : NAME + "(gain: " + gain + ")";
  }
}
