package dev.nnet.runtime.select;

import dev.nnet.runtime.data.Dataset;
import java.util.Arrays;

/**
 * One split of a {@link KFold}: the samples held out for testing and the rest, for training, as
 * sorted sample indices. Immutable.
 */
public final class Fold {
  private final int index;
  private final int[] train;
  private final int[] test;

  Fold(int index, int[] train, int[] test) {
    this.index = index;
    this.train = train;
    this.test = test;
  }

  /** The fold's 0-based number. */
  public int index() {
    return index;
  }

  /** The training samples' indices, ascending (a copy). */
  public int[] trainIndices() {
    return train.clone();
  }

  /** The test samples' indices, ascending (a copy). */
  public int[] testIndices() {
    return test.clone();
  }

  public int trainSize() {
    return train.length;
  }

  public int testSize() {
    return test.length;
  }

  /** A copy of the training samples of {@code data}, in index order. */
  public Dataset train(Dataset data) {
    return gather(data, train);
  }

  /** A copy of the test samples of {@code data}, in index order. */
  public Dataset test(Dataset data) {
    return gather(data, test);
  }

  private static Dataset gather(Dataset data, int[] rows) {
    int featureWidth = data.featureWidth();
    int targetWidth = data.targetWidth();
    float[] features = new float[Math.multiplyExact(rows.length, featureWidth)];
    float[] targets = new float[Math.multiplyExact(rows.length, targetWidth)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] >= data.size()) {
        throw new IndexOutOfBoundsException("fold holds sample " + rows[i]
            + " but the data set has " + data.size() + " samples: split the same data set");
      }
      System.arraycopy(data.features(), rows[i] * featureWidth, features, i * featureWidth,
          featureWidth);
      System.arraycopy(data.targets(), rows[i] * targetWidth, targets, i * targetWidth,
          targetWidth);
    }
    return new Dataset(features, featureWidth, targets, targetWidth);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fold other && index == other.index && Arrays.equals(train, other.train)
        && Arrays.equals(test, other.test);
  }

  @Override
  public int hashCode() {
    return (index * 31 + Arrays.hashCode(train)) * 31 + Arrays.hashCode(test);
  }

  @Override
  public String toString() {
    return "Fold(" + index + ", train=" + train.length + ", test=" + test.length + ")";
  }
}
