package dev.nnet.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {
  @Test
  void ofRowsFlattensAndSliceCopies() {
    Dataset data = Dataset.of(
        new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[][] {{1}, {0}, {1}});
    assertEquals(3, data.size());
    assertEquals(2, data.featureWidth());
    assertEquals(1, data.targetWidth());
    Dataset middle = data.slice(1, 3);
    assertArrayEquals(new float[] {3, 4, 5, 6}, middle.features());
    assertArrayEquals(new float[] {0, 1}, middle.targets());
    middle.features()[0] = 99;
    assertEquals(3, data.features()[2]);
    assertEquals(0, data.slice(2, 2).size());
  }

  @Test
  void validates() {
    assertEquals("features hold 2 samples but targets hold 3",
        assertThrows(IllegalArgumentException.class,
            () -> new Dataset(new float[4], 2, new float[3], 1)).getMessage());
    assertEquals("features length 5 is not a multiple of the feature width 2",
        assertThrows(IllegalArgumentException.class,
            () -> new Dataset(new float[5], 2, new float[2], 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(new float[][] {{1, 2}, {3}}, new float[][] {{1}, {0}}));
    assertThrows(IllegalArgumentException.class,
        () -> new Dataset(new float[4], 0, new float[2], 1));
    Dataset data = Dataset.of(new float[4], 2, new float[2], 1);
    assertThrows(IndexOutOfBoundsException.class, () -> data.slice(1, 3));
  }
}
