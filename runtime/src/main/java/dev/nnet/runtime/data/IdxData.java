package dev.nnet.runtime.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The contents of an IDX file of unsigned bytes, as read by {@link IdxReader}: its dimensions
 * (for MNIST images [count, rows, columns], for labels [count]) and the values, row-major.
 */
public final class IdxData {
  private final int[] dimensions;
  private final byte[] data;

  IdxData(int[] dimensions, byte[] data) {
    this.dimensions = dimensions.clone();
    this.data = data;
  }

  /** The number of dimensions: 1 for a label file, 3 for an image file. */
  public int rank() {
    return dimensions.length;
  }

  /** The dimensions, outermost first. */
  public List<Integer> shape() {
    List<Integer> shape = new ArrayList<>(dimensions.length);
    for (int dimension : dimensions) {
      shape.add(dimension);
    }
    return Collections.unmodifiableList(shape);
  }

  /** The size of dimension {@code index}. */
  public int dimension(int index) {
    return dimensions[index];
  }

  /** The number of items: the first dimension. */
  public int count() {
    return dimensions[0];
  }

  /** The number of values per item: the product of all dimensions but the first. */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < dimensions.length; i++) {
      size *= dimensions[i];
    }
    return size;
  }

  /** Value {@code index} (row-major over all dimensions), 0..255. */
  public int unsignedByte(int index) {
    return data[index] & 0xFF;
  }

  /** All values as raw bytes (read them with {@code & 0xFF}); the backing array, do not modify. */
  public byte[] bytes() {
    return data;
  }

  @Override
  public String toString() {
    return "IdxData(shape=" + shape() + ")";
  }
}
