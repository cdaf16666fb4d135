package dev.nnet.prep.geo;

/**
 * Principal component analysis: fitted on training rows (centred by their mean, covariance
 * eigen-decomposed by the cyclic Jacobi method, components ordered by variance), then projects
 * any rows onto the first {@code k} components. Components have a fixed sign (largest absolute
 * entry positive) so fits on the same data agree.
 */
public final class Pca {
  private final double[] mean;
  private final double[][] components;
  private final double[] variances;

  private Pca(double[] mean, double[][] components, double[] variances) {
    this.mean = mean;
    this.components = components;
    this.variances = variances;
  }

  public static Pca fit(float[] train, int width) {
    if (width < 1 || train.length == 0 || train.length % width != 0) {
      throw new IllegalArgumentException("need rows of width " + width + ", but got " + train.length + " values");
    }
    int rows = train.length / width;
    double[] mean = new double[width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        double v = train[r * width + c];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("PCA needs finite values, but row " + r + " column " + c + " is " + v);
        }
        mean[c] += v / rows;
      }
    }
    double[][] covariance = new double[width][width];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < width; i++) {
        double di = train[r * width + i] - mean[i];
        for (int j = i; j < width; j++) {
          covariance[i][j] += di * (train[r * width + j] - mean[j]) / Math.max(1, rows - 1);
        }
      }
    }
    for (int i = 0; i < width; i++) {
      for (int j = 0; j < i; j++) {
        covariance[i][j] = covariance[j][i];
      }
    }
    double[][] vectors = new double[width][width];
    double[] values = jacobi(covariance, vectors);
    Integer[] order = new Integer[width];
    for (int i = 0; i < width; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double[][] components = new double[width][width];
    double[] variances = new double[width];
    for (int k = 0; k < width; k++) {
      int i = order[k];
      variances[k] = Math.max(0, values[i]);
      int largest = 0;
      for (int j = 0; j < width; j++) {
        components[k][j] = vectors[j][i];
        if (Math.abs(components[k][j]) > Math.abs(components[k][largest])) {
          largest = j;
        }
      }
      if (components[k][largest] < 0) {
        for (int j = 0; j < width; j++) {
          components[k][j] = -components[k][j];
        }
      }
    }
    return new Pca(mean, components, variances);
  }

  /** Eigenvalues of symmetric {@code a} (destroyed); eigenvectors into the columns of {@code v}. */
  private static double[] jacobi(double[][] a, double[][] v) {
    int n = a.length;
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return values;
  }

  /** Rows projected onto the first {@code k} components: rows × k values. */
  public float[] transform(float[] data, int width, int k) {
    if (width != mean.length || k < 1 || k > width || data.length % width != 0) {
      throw new IllegalArgumentException("need rows of width " + mean.length + " and 1 <= k <= " + mean.length
          + ", but got width " + width + " and k " + k);
    }
    int rows = data.length / width;
    float[] out = new float[rows * k];
    for (int r = 0; r < rows; r++) {
      for (int component = 0; component < k; component++) {
        double sum = 0;
        for (int j = 0; j < width; j++) {
          sum += (data[r * width + j] - mean[j]) * components[component][j];
        }
        out[r * k + component] = (float) sum;
      }
    }
    return out;
  }

  /** Component {@code k} (unit length), in order of decreasing variance. */
  public double[] component(int k) {
    return components[k].clone();
  }

  /** The variance along each component, largest first. */
  public double[] variances() {
    return variances.clone();
  }

  /** Each component's share of the total variance. */
  public double[] explainedVarianceRatio() {
    double total = 0;
    for (double v : variances) {
      total += v;
    }
    double[] out = new double[variances.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = total > 0 ? variances[k] / total : 0;
    }
    return out;
  }
}
