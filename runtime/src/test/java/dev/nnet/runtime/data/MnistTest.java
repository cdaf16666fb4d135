package dev.nnet.runtime.data;

import static dev.nnet.runtime.data.IdxFiles.gzip;
import static dev.nnet.runtime.data.IdxFiles.idx;
import static dev.nnet.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  @TempDir Path dir;

  @Test
  void loadsScaledPixelsAndOneHotLabels() throws IOException {
    byte[] pixels = {0, (byte) 255, 51, 102, 0, 0, 0, (byte) 128};
    Path images = write(dir, "images.gz", gzip(idx(0x803, new int[] {2, 2, 2}, pixels)));
    Path labels = write(dir, "labels", idx(0x801, new int[] {2}, new byte[] {7, 0}));
    Dataset data = Mnist.load(images, labels);
    assertEquals(2, data.size());
    assertEquals(4, data.featureWidth());
    assertEquals(10, data.targetWidth());
    assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 0f, 0f, 0f, 128 / 255f}, data.features());
    float[] expectedTargets = new float[20];
    expectedTargets[7] = 1;
    expectedTargets[10] = 1;
    assertArrayEquals(expectedTargets, data.targets());
  }

  @Test
  void rejectsMismatchedCounts() throws IOException {
    Path images = write(dir, "images", idx(0x803, new int[] {2, 1, 1}, new byte[2]));
    Path labels = write(dir, "labels", idx(0x801, new int[] {3}, new byte[3]));
    String message =
        assertThrows(IOException.class, () -> Mnist.load(images, labels)).getMessage();
    assertEquals(images + " holds 2 images but " + labels + " holds 3 labels", message);
  }

  @Test
  void rejectsLabelsBeyondNine() throws IOException {
    Path images = write(dir, "images", idx(0x803, new int[] {2, 1, 1}, new byte[2]));
    Path labels = write(dir, "labels", idx(0x801, new int[] {2}, new byte[] {1, 10}));
    String message =
        assertThrows(IOException.class, () -> Mnist.load(images, labels)).getMessage();
    assertEquals(labels + ": label 1 is 10, but MNIST labels are digits 0..9", message);
  }

  @Test
  void rejectsSwappedFiles() throws IOException {
    Path images = write(dir, "images", idx(0x803, new int[] {2, 1, 1}, new byte[2]));
    Path labels = write(dir, "labels", idx(0x801, new int[] {2}, new byte[2]));
    String message =
        assertThrows(IOException.class, () -> Mnist.load(labels, images)).getMessage();
    assertTrue(message.contains("swapped"), message);
  }
}
