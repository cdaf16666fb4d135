package dev.nnet.runtime.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final int H = 5;
  private static final int W = 6;
  private static final int C = 2;

  /** Random values in [0, 1), channels-last H × W × C. */
  private static float[] image(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[H * W * C];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }

  private static float[] apply(Augmentation augmentation, float[] source, long seed) {
    float[] target = new float[source.length];
    augmentation.apply(source, 0, target, 0, H, W, C, seed);
    return target;
  }

  private static float at(float[] values, int y, int x, int c) {
    return values[(y * W + x) * C + c];
  }

  @Test
  void aHorizontalFlipMirrorsAndTwiceIsTheIdentity() {
    Augmentation flip = Augmentation.none().flipHorizontal(1);
    float[] source = image(1);
    float[] once = apply(flip, source, 7);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          assertEquals(at(source, y, W - 1 - x, c), at(once, y, x, c));
        }
      }
    }
    assertArrayEquals(source, apply(flip, once, 8));
    Augmentation vertical = Augmentation.none().flipVertical(1);
    float[] upsideDown = apply(vertical, source, 9);
    assertEquals(at(source, H - 1, 2, 1), at(upsideDown, 0, 2, 1));
    assertArrayEquals(source, apply(vertical, upsideDown, 10));
  }

  @Test
  void flipsWithTheGivenProbability() {
    Augmentation flip = Augmentation.none().flipHorizontal(0.25);
    float[] source = image(2);
    int flipped = 0;
    for (long seed = 0; seed < 4000; seed++) {
      flipped += Arrays.equals(source, apply(flip, source, seed)) ? 0 : 1;
    }
    assertEquals(1000, flipped, 90);
  }

  @Test
  void theSameSeedGivesTheSameOutput() {
    Augmentation all = Augmentation.none().flipHorizontal(0.5).flipVertical(0.5).shift(0.2)
        .rotate(20).zoom(0.2).brightness(0.2).gaussianNoise(0.05);
    float[] source = image(3);
    assertArrayEquals(apply(all, source, 42), apply(all, source, 42));
    assertFalse(Arrays.equals(apply(all, source, 42), apply(all, source, 43)));
    assertArrayEquals(source, image(3), "the source is not modified");
  }

  @Test
  void zeroSettingsAreTheIdentity() {
    Augmentation zero = Augmentation.none().flipHorizontal(0).flipVertical(0).shift(0).rotate(0)
        .zoom(0).brightness(0).gaussianNoise(0);
    assertTrue(zero.isIdentity());
    assertEquals(Augmentation.none(), zero);
    float[] source = image(4);
    source[0] = 5f;                                  // outside [0, 1]: nothing clips either
    for (long seed = 0; seed < 50; seed++) {
      assertArrayEquals(source, apply(zero, source, seed));
    }
  }

  @Test
  void brightnessShiftsEveryValueByOneDeltaAndClipsTo01() {
    Augmentation bright = Augmentation.none().brightness(0.5);
    float[] source = new float[H * W * C];
    for (int i = 0; i < source.length; i++) {
      source[i] = i / (float) (source.length - 1);  // 0 .. 1
    }
    boolean clippedLow = false;
    boolean clippedHigh = false;
    for (long seed = 0; seed < 20; seed++) {
      float[] out = apply(bright, source, seed);
      float delta = Float.NaN;
      for (int i = 0; i < out.length; i++) {
        assertTrue(out[i] >= 0 && out[i] <= 1, "value " + out[i]);
        if (out[i] == 0) {
          clippedLow = true;
        } else if (out[i] == 1) {
          clippedHigh = true;
        } else if (Float.isNaN(delta)) {
          delta = out[i] - source[i];
        } else {
          assertEquals(delta, out[i] - source[i], 1e-6f, "one delta for the whole image");
        }
      }
      assertTrue(Float.isNaN(delta) || Math.abs(delta) <= 0.5f);
    }
    assertTrue(clippedLow && clippedHigh, "both ends clip over 20 seeds");
  }

  @Test
  void shiftMovesWholePixelsAndPadsWithZero() {
    float[] source = image(5);
    float[] target = new float[source.length];
    Augmentation.transform(source, 0, target, 0, H, W, C, false, false, 2, -1, 0, 1);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          int sy = y + 1;
          int sx = x - 2;
          float expected = sx >= 0 && sy < H ? at(source, sy, sx, c) : 0f;
          assertEquals(expected, at(target, y, x, c), "at " + y + ", " + x + ", " + c);
        }
      }
    }
  }

  @Test
  void randomShiftsAreWholePixelTranslationsWithinTheLimit() {
    Augmentation shift = Augmentation.none().shift(0.4);  // up to 2.4 → 2 rows, 2.4 → 2 columns
    float[] source = image(6);
    boolean moved = false;
    for (long seed = 0; seed < 30; seed++) {
      float[] out = apply(shift, source, seed);
      int found = 0;
      for (int dy = -2; dy <= 2; dy++) {
        for (int dx = -2; dx <= 2; dx++) {
          float[] expected = new float[source.length];
          Augmentation.transform(source, 0, expected, 0, H, W, C, false, false, dx, dy, 0, 1);
          if (Arrays.equals(expected, out)) {
            found++;
            moved |= dx != 0 || dy != 0;
          }
        }
      }
      assertEquals(1, found, "seed " + seed + " is one translation by at most 2 pixels");
    }
    assertTrue(moved);
  }

  @Test
  void rotatesCounterClockwiseAsDisplayed() {
    // A 3 × 3 grey image with a bright pixel right of centre; 90° counter-clockwise moves it above.
    float[] source = new float[9];
    source[1 * 3 + 2] = 1f;
    float[] target = new float[9];
    Augmentation.transform(source, 0, target, 0, 3, 3, 1, false, false, 0, 0, 90, 1);
    float[] expected = new float[9];
    expected[0 * 3 + 1] = 1f;
    assertArrayEquals(expected, target, 1e-6f);
  }

  @Test
  void zoomScalesAboutTheCentreBilinearly() {
    // A row gradient v = x across 4 columns, zoomed in by 2: column x samples x/2 + 0.75.
    float[] source = new float[4 * 4];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        source[y * 4 + x] = x;
      }
    }
    float[] target = new float[16];
    Augmentation.transform(source, 0, target, 0, 4, 4, 1, false, false, 0, 0, 0, 2);
    assertArrayEquals(new float[] {0.75f, 1.25f, 1.75f, 2.25f},
        Arrays.copyOfRange(target, 4, 8), 1e-6f);
    // Zoomed out by 2, column x samples 2x − 1.5: the outer columns fall outside (zero padding).
    Augmentation.transform(source, 0, target, 0, 4, 4, 1, false, false, 0, 0, 0, 0.5);
    assertArrayEquals(new float[] {0, 0.5f, 2.5f, 0}, Arrays.copyOfRange(target, 4, 8), 1e-6f);
  }

  @Test
  void noiseHasTheRequestedSpread() {
    int size = 100 * 100;
    float[] grey = new float[size];
    Arrays.fill(grey, 0.5f);
    float[] out = new float[size];
    Augmentation.none().gaussianNoise(0.05).apply(grey, 0, out, 0, 100, 100, 1, 11);
    double sum = 0;
    double squares = 0;
    for (float v : out) {
      sum += v - 0.5;
      squares += (v - 0.5) * (v - 0.5);
    }
    assertEquals(0, sum / size, 0.002);
    assertEquals(0.05, Math.sqrt(squares / size), 0.002);
  }

  @Test
  void writesAtOffsetsAndChecksArguments() {
    float[] source = image(7);
    float[] buffer = new float[source.length * 3];
    System.arraycopy(source, 0, buffer, source.length, source.length);
    Augmentation flip = Augmentation.none().flipHorizontal(1);
    flip.apply(buffer, source.length, buffer, 2 * source.length, H, W, C, 0);
    assertArrayEquals(apply(flip, source, 0),
        Arrays.copyOfRange(buffer, 2 * source.length, 3 * source.length));
    assertArrayEquals(new float[source.length], Arrays.copyOf(buffer, source.length));

    var overlap = assertThrows(IllegalArgumentException.class,
        () -> flip.apply(buffer, 0, buffer, 10, H, W, C, 0));
    assertEquals("source [0, 60) and target [10, 70) overlap in the same array",
        overlap.getMessage());
    var range = assertThrows(IndexOutOfBoundsException.class,
        () -> flip.apply(source, 1, new float[60], 0, H, W, C, 0));
    assertEquals("source range [1, 61) is not within an array of 60", range.getMessage());
    var setting = assertThrows(IllegalArgumentException.class,
        () -> Augmentation.none().flipHorizontal(1.5));
    assertEquals("flipHorizontal probability must be in [0, 1], but got 1.5",
        setting.getMessage());
    setting = assertThrows(IllegalArgumentException.class, () -> Augmentation.none().zoom(1));
    assertEquals("zoom maxFraction must be in [0, 1), but got 1.0", setting.getMessage());
    setting = assertThrows(IllegalArgumentException.class,
        () -> Augmentation.none().gaussianNoise(Double.NaN));
    assertEquals("gaussianNoise stddev must be finite and >= 0, but got NaN",
        setting.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Augmentation.none().rotate(181));
    assertThrows(IllegalArgumentException.class, () -> Augmentation.none().shift(-0.1));
  }

  @Test
  void appliesToImagesAndDescribesItself() {
    Image image = Image.of(1, 2, 1, new float[] {0.25f, 0.75f});
    Augmentation flip = Augmentation.none().flipHorizontal(1).brightness(0.1);
    assertNotEquals(image, flip.apply(image, 3));
    assertEquals(1, flip.flipHorizontalProbability());
    assertEquals(0.1, flip.maxBrightnessDelta());
    assertEquals("Augmentation(flipHorizontal=1.0, flipVertical=0.0, shift=0.0, rotate=0.0,"
        + " zoom=0.0, brightness=0.1, gaussianNoise=0.0)", flip.toString());
  }

  @Test
  void applyAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    Augmentation all = Augmentation.none().flipHorizontal(0.5).shift(0.1).rotate(10).zoom(0.1)
        .brightness(0.1).gaussianNoise(0.01);
    float[] source = image(8);
    float[] target = new float[source.length];
    for (int i = 0; i < 20_000; i++) {
      all.apply(source, 0, target, 0, H, W, C, i);
    }
    // The least of three rounds: an application that allocated would allocate in every round (at
    // least 16 bytes each, 16,000 in all), while the JIT may allocate a little once in a while.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 1_000; i++) {
        all.apply(source, 0, target, 0, H, W, C, i);
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
    }
    assertTrue(allocated < 1_000, "allocated " + allocated + " bytes in 1,000 applications");
  }
}
