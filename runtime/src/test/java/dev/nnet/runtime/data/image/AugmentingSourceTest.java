package dev.nnet.runtime.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentingSourceTest {
  private static final int H = 4;
  private static final int W = 4;
  private static final int C = 3;
  private static final int N = 10;
  private static final Augmentation AUGMENTATION =
      Augmentation.none().flipHorizontal(0.5).shift(0.25).rotate(15).brightness(0.1);

  /** N random [0, 1) images with targets {i, −i}. */
  private static Dataset data() {
    SplittableRandom random = new SplittableRandom(1);
    float[] features = new float[N * H * W * C];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextDouble();
    }
    float[] targets = new float[N * 2];
    for (int i = 0; i < N; i++) {
      targets[2 * i] = i;
      targets[2 * i + 1] = -i;
    }
    return new Dataset(features, H * W * C, targets, 2);
  }

  private static float[] row(float[] values, int row, int width) {
    return Arrays.copyOfRange(values, row * width, (row + 1) * width);
  }

  @Test
  void withoutAugmentationFillCopiesTheRequestedSamples() {
    Dataset data = data();
    AugmentingSource source = new AugmentingSource(data, H, W, C, Augmentation.none(), 7);
    float[] x = new float[3 * 48];
    float[] y = new float[3 * 2];
    source.fill(new int[] {9, 4, 2, 7}, 1, 3, x, y, 1);
    assertArrayEquals(new float[] {4, -4, 2, -2, 7, -7}, y);
    assertArrayEquals(row(data.features(), 4, 48), row(x, 0, 48));
    assertArrayEquals(row(data.features(), 7, 48), row(x, 2, 48));
  }

  @Test
  void aSampleIsAugmentedByItsSeedWhereverItFallsInABatch() {
    Dataset data = data();
    AugmentingSource source = new AugmentingSource(data, H, W, C, AUGMENTATION, 7);
    float[] x = new float[N * 48];
    float[] y = new float[N * 2];
    int[] order = {3, 1, 4, 0, 5, 9, 2, 6, 8, 7};
    source.fill(order, 0, N, x, y, 2);
    float[] single = new float[48];
    for (int k = 0; k < N; k++) {
      int sample = order[k];
      float[] expected = new float[48];
      AUGMENTATION.apply(data.features(), sample * 48, expected, 0, H, W, C,
          source.sampleSeed(sample, 2));
      assertArrayEquals(expected, row(x, k, 48), "sample " + sample);
      source.fill(new int[] {sample}, 0, 1, single, new float[2], 2);
      assertArrayEquals(expected, single, "alone in a batch");
    }
    float[] again = new float[N * 48];
    source.fill(order, 0, N, again, y, 2);
    assertArrayEquals(x, again, "the same epoch, the same samples");
    source.fill(order, 0, N, again, y, 3);
    assertFalse(Arrays.equals(x, again), "another epoch, other variants");
    assertFalse(Arrays.equals(Arrays.copyOf(data.features(), N * 48), x), "augmented");
  }

  @Test
  void standardisesAfterAugmenting() {
    Dataset data = data();
    ChannelStandardizer standardizer = ChannelStandardizer.fit(data, C);
    AugmentingSource source =
        new AugmentingSource(data, H, W, C, AUGMENTATION, 7).withStandardizer(standardizer);
    float[] x = new float[48];
    source.fill(new int[] {5}, 0, 1, x, new float[2], 1);
    float[] expected = new float[48];
    AUGMENTATION.apply(data.features(), 5 * 48, expected, 0, H, W, C, source.sampleSeed(5, 1));
    standardizer.applyInPlace(expected, 0, 48);
    assertArrayEquals(expected, x);
    var error = assertThrows(IllegalArgumentException.class,
        () -> source.withStandardizer(ChannelStandardizer.fit(data, 1)));
    assertEquals("the standardizer has 1 channels, but the images have 3", error.getMessage());
  }

  @Test
  void rejectsBadShapesIndicesAndBuffers() {
    Dataset data = data();
    var shape = assertThrows(IllegalArgumentException.class,
        () -> new AugmentingSource(data, 4, 4, 1, AUGMENTATION, 0));
    assertEquals("images of 4 × 4 × 1 have 16 values, but the data set has 48 features per"
        + " sample", shape.getMessage());
    AugmentingSource source = new AugmentingSource(data, H, W, C, AUGMENTATION, 0);
    var index = assertThrows(IndexOutOfBoundsException.class,
        () -> source.fill(new int[] {0, 10}, 0, 2, new float[96], new float[4], 1));
    assertEquals("indices[1] is 10, not a sample index in [0, 10)", index.getMessage());
    var buffer = assertThrows(IndexOutOfBoundsException.class,
        () -> source.fill(new int[] {0, 1}, 0, 2, new float[95], new float[4], 1));
    assertEquals("2 samples need 96 features, but the features buffer holds 95",
        buffer.getMessage());
    var range = assertThrows(IndexOutOfBoundsException.class,
        () -> source.fill(new int[] {0, 1}, 1, 2, new float[96], new float[4], 1));
    assertEquals("indices [1, 3) are not within an array of 2", range.getMessage());
  }

  @Test
  void fillAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    Dataset data = data();
    AugmentingSource source = new AugmentingSource(data, H, W, C, AUGMENTATION, 7)
        .withStandardizer(ChannelStandardizer.fit(data, C));
    int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] x = new float[N * 48];
    float[] y = new float[N * 2];
    for (int epoch = 0; epoch < 2_000; epoch++) {
      source.fill(order, 0, N, x, y, epoch);
    }
    // The least of three rounds: a batch that allocated would allocate in every round (at least
    // 16 bytes a batch, 16,000 in all), while the JIT may allocate a little once in a while.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long before = threads.getThreadAllocatedBytes(thread);
      for (int epoch = 0; epoch < 1_000; epoch++) {
        source.fill(order, 0, N, x, y, epoch);
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
    }
    assertTrue(allocated < 1_000, "allocated " + allocated + " bytes in 1,000 batches");
  }
}
