package dev.nnet.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardizerTest {

  @Test
  void scalesEachColumnByTheStatisticsOfTheDataItWasFitOn() {
    Dataset train = new Dataset(new float[] {1, 10, 3, 10, 5, 10}, 2, new float[] {0, 1, 0}, 1);
    Standardizer scaling = Standardizer.fit(train);
    assertArrayEquals(new double[] {3, 10}, scaling.means(), 1e-12);
    assertEquals(Math.sqrt(8.0 / 3), scaling.scales()[0], 1e-12);
    assertEquals(1, scaling.scales()[1], 0, "a constant column is only shifted");
    Dataset other = scaling.apply(new Dataset(new float[] {3, 12}, 2, new float[] {1}, 1));
    assertArrayEquals(new float[] {0, 2}, other.features(), 1e-6f);
    assertArrayEquals(new float[] {1}, other.targets());
  }

  @Test
  void rejectsDataOfAnotherWidth() {
    Standardizer scaling = Standardizer.fit(new Dataset(new float[] {1, 2}, 2, new float[] {0}, 1));
    var error = assertThrows(IllegalArgumentException.class,
        () -> scaling.apply(new Dataset(new float[] {1, 2, 3}, 3, new float[] {0}, 1)));
    assertEquals("the standardizer was fit on 2 features, but the data has 3", error.getMessage());
  }
}
