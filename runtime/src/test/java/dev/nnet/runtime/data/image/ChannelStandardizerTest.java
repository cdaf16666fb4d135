package dev.nnet.runtime.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnet.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

class ChannelStandardizerTest {

  // Two samples of 2 pixels × 2 channels: channel 0 holds 1, 3, 5, 7; channel 1 is always 10.
  private static final Dataset TRAIN =
      new Dataset(new float[] {1, 10, 3, 10, 5, 10, 7, 10}, 4, new float[] {0, 1}, 1);

  @Test
  void measuresEachChannelOverAllPixelsOfAllSamples() {
    ChannelStandardizer standardizer = ChannelStandardizer.fit(TRAIN, 2);
    assertEquals(2, standardizer.channels());
    assertArrayEquals(new double[] {4, 10}, standardizer.means(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(5), 1}, standardizer.scales(), 1e-12,
        "population standard deviation; a constant channel is only shifted");
    Dataset scaled = standardizer.apply(TRAIN);
    float s = (float) Math.sqrt(5);
    assertArrayEquals(new float[] {-3 / s, 0, -1 / s, 0, 1 / s, 0, 3 / s, 0}, scaled.features(),
        1e-6f);
    assertSame(TRAIN.targets(), scaled.targets());
    assertArrayEquals(new float[] {1, 10, 3, 10, 5, 10, 7, 10}, TRAIN.features(), "not modified");
  }

  @Test
  void appliesInPlaceToAnyRunOfPixels() {
    ChannelStandardizer standardizer = ChannelStandardizer.of(new double[] {1, 2}, new double[] {2, 4});
    float[] values = {99, 5, 10, 99};
    standardizer.applyInPlace(values, 1, 2);
    assertArrayEquals(new float[] {99, 2, 2, 99}, values);
    var error = assertThrows(IllegalArgumentException.class,
        () -> standardizer.applyInPlace(values, 0, 3));
    assertEquals("length 3 is not a multiple of the 2 channels", error.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> standardizer.applyInPlace(values, 3, 2));
  }

  @Test
  void rejectsMismatchedShapes() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> ChannelStandardizer.fit(TRAIN, 3));
    assertEquals("the feature width 4 is not a multiple of 3 channels; expected images of height"
        + " × width × 3 values", error.getMessage());
    ChannelStandardizer standardizer = ChannelStandardizer.fit(TRAIN, 2);
    error = assertThrows(IllegalArgumentException.class,
        () -> standardizer.apply(new Dataset(new float[] {1, 2, 3}, 3, new float[] {0}, 1)));
    assertEquals("the standardizer was fit on 2 channels, but the feature width 3 is not a"
        + " multiple of 2", error.getMessage());
    error = assertThrows(IllegalArgumentException.class,
        () -> ChannelStandardizer.of(new double[] {0}, new double[] {0}));
    assertEquals("scale 0 must be finite and > 0, but got 0.0", error.getMessage());
  }
}
