package dev.nnet.runtime.data;

import java.util.Arrays;

/**
 * Standard scaling of features: each column shifted by its mean and divided by its standard
 * deviation, both measured on the data it is fit on (the training part) and then applied
 * unchanged to any other data. A constant column is only shifted.
 */
public final class Standardizer {
  private final double[] means;
  private final double[] scales;

  private Standardizer(double[] means, double[] scales) {
    this.means = means;
    this.scales = scales;
  }

  /** Measures each feature column's mean and (population) standard deviation in {@code data}. */
  public static Standardizer fit(Dataset data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("cannot fit a standardizer on an empty data set");
    }
    int width = data.featureWidth();
    double[] means = new double[width];
    double[] squares = new double[width];
    float[] features = data.features();
    for (int row = 0; row < data.size(); row++) {
      for (int column = 0; column < width; column++) {
        means[column] += features[row * width + column];
      }
    }
    for (int column = 0; column < width; column++) {
      means[column] /= data.size();
    }
    for (int row = 0; row < data.size(); row++) {
      for (int column = 0; column < width; column++) {
        double d = features[row * width + column] - means[column];
        squares[column] += d * d;
      }
    }
    double[] scales = new double[width];
    for (int column = 0; column < width; column++) {
      double std = Math.sqrt(squares[column] / data.size());
      scales[column] = std > 0 ? std : 1;
    }
    return new Standardizer(means, scales);
  }

  /** A new data set with the features scaled; targets are shared, not copied. */
  public Dataset apply(Dataset data) {
    if (data.featureWidth() != means.length) {
      throw new IllegalArgumentException("the standardizer was fit on " + means.length
          + " features, but the data has " + data.featureWidth());
    }
    int width = means.length;
    float[] source = data.features();
    float[] scaled = new float[data.size() * width];
    for (int row = 0; row < data.size(); row++) {
      for (int column = 0; column < width; column++) {
        int k = row * width + column;
        scaled[k] = (float) ((source[k] - means[column]) / scales[column]);
      }
    }
    return new Dataset(scaled, width, data.targets(), data.targetWidth());
  }

  public double[] means() {
    return means.clone();
  }

  public double[] scales() {
    return scales.clone();
  }

  @Override
  public String toString() {
    return "Standardizer(means=" + Arrays.toString(means) + ", scales=" + Arrays.toString(scales) + ")";
  }
}
