package dev.nnet.runtime.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path root;

  /** cat: two red PNGs (one 4 × 4, one 8 × 6, one nested); dog: a blue PNG and a grey JPEG. */
  private void twoClasses() throws IOException {
    ImageFiles.png(root.resolve("cat/b.png"), ImageFiles.uniform(4, 4, 0xFF0000));
    ImageFiles.png(root.resolve("cat/a/nested.PNG"), ImageFiles.uniform(8, 6, 0xFF0000));
    Files.writeString(root.resolve("cat/readme.txt"), "not an image");
    Files.writeString(root.resolve("cat/._b.png"), "a macOS resource fork, not a PNG");
    ImageFiles.png(root.resolve("dog/x.png"), ImageFiles.uniform(3, 5, 0x0000FF));
    ImageFiles.jpeg(root.resolve("dog/y.jpeg"), ImageFiles.uniform(8, 8, 0x808080), 1f);
    Files.createDirectories(root.resolve(".cache/junk"));
    Files.writeString(root.resolve("labels.csv"), "ignored");
  }

  @Test
  void loadsTwoClassesWithOneHotTargets() throws IOException {
    twoClasses();
    ImageFolder folder = ImageFolder.load(root, 4, 4, 3);
    assertEquals(List.of("cat", "dog"), folder.classNames());
    assertEquals(2, folder.classCount());
    assertEquals(4, folder.size());
    assertEquals(List.of(root.resolve("cat/a/nested.PNG"), root.resolve("cat/b.png"),
        root.resolve("dog/x.png"), root.resolve("dog/y.jpeg")), folder.files());
    assertArrayEquals(new int[] {0, 0, 1, 1}, folder.labels());
    assertArrayEquals(new int[] {2, 2}, folder.classCounts());
    assertEquals(1, folder.label(3));

    Dataset data = folder.dataset();
    assertEquals(4, data.size());
    assertEquals(4 * 4 * 3, data.featureWidth());
    assertEquals(2, data.targetWidth());
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, data.targets());
    float[] features = data.features();
    for (int sample = 0; sample < 4; sample++) {
      for (int pixel = 0; pixel < 16; pixel++) {
        int at = sample * 48 + pixel * 3;
        float[] rgb = Arrays.copyOfRange(features, at, at + 3);
        if (sample < 2) {
          assertArrayEquals(new float[] {1, 0, 0}, rgb, 1e-6f, "red cat " + sample);
        } else if (sample == 2) {
          assertArrayEquals(new float[] {0, 0, 1}, rgb, 1e-6f, "blue dog");
        } else {
          assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, rgb, 3 / 255f, "grey JPEG dog");
        }
      }
    }
  }

  @Test
  void convertsToGreyAndOffersClassIndexTargets() throws IOException {
    twoClasses();
    ImageFolder folder = ImageFolder.load(root, 2, 3, 1);
    Dataset sparse = folder.sparseDataset();
    assertEquals(6, sparse.featureWidth());
    assertEquals(1, sparse.targetWidth());
    assertArrayEquals(new float[] {0, 0, 1, 1}, sparse.targets());
    assertSame(folder.dataset().features(), sparse.features(), "the features are shared");
    assertEquals(0.299f, sparse.features()[0], 1e-6f, "red's luma");
    assertEquals(0.114f, sparse.features()[12], 1e-6f, "blue's luma");
  }

  @Test
  void shufflesFilesLabelsAndFeaturesTogether() throws IOException {
    twoClasses();
    ImageFolder folder = ImageFolder.load(root, 2, 2, 3);
    ImageFolder shuffled = folder.shuffled(5);
    assertEquals(shuffled.files(), folder.shuffled(5).files(), "seeded");
    assertEquals(folder.classNames(), shuffled.classNames());
    for (int i = 0; i < shuffled.size(); i++) {
      int original = folder.files().indexOf(shuffled.files().get(i));
      assertEquals(folder.label(original), shuffled.label(i));
      assertArrayEquals(
          Arrays.copyOfRange(folder.dataset().features(), original * 12, original * 12 + 12),
          Arrays.copyOfRange(shuffled.dataset().features(), i * 12, i * 12 + 12));
      assertEquals(shuffled.label(i), shuffled.sparseDataset().targets()[i]);
    }
    List<List<Path>> orders = new java.util.ArrayList<>();
    for (long seed = 0; seed < 10; seed++) {
      orders.add(folder.shuffled(seed).files());
    }
    assertNotEquals(1, orders.stream().distinct().count(), "different seeds, different orders");
  }

  @Test
  void rejectsAnEmptyClass() throws IOException {
    ImageFiles.png(root.resolve("cat/a.png"), ImageFiles.uniform(2, 2, 0));
    Files.createDirectories(root.resolve("dog"));
    Files.writeString(root.resolve("dog/notes.txt"), "no images here");
    String message =
        assertThrows(IOException.class, () -> ImageFolder.load(root, 2, 2, 3)).getMessage();
    assertEquals(root.resolve("dog") + ": class 'dog' holds no image files (names ending in .png,"
        + " .jpg or .jpeg); remove the folder or add images", message);
  }

  @Test
  void rejectsAFolderWithoutClasses() throws IOException {
    ImageFiles.png(root.resolve("a.png"), ImageFiles.uniform(2, 2, 0));
    String message =
        assertThrows(IOException.class, () -> ImageFolder.load(root, 2, 2, 3)).getMessage();
    assertEquals(root + ": expected one sub-folder of images per class (root/<class name>/"
        + "<image>.png or .jpg), but found no sub-folders", message);
    assertThrows(NoSuchFileException.class,
        () -> ImageFolder.load(root.resolve("missing"), 2, 2, 3));
    message = assertThrows(IOException.class,
        () -> ImageFolder.load(root.resolve("a.png"), 2, 2, 3)).getMessage();
    assertTrue(message.endsWith("but found a file"), message);
  }

  @Test
  void namesTheFileThatCannotBeRead() throws IOException {
    ImageFiles.png(root.resolve("cat/a.png"), ImageFiles.uniform(2, 2, 0));
    Path broken = Files.writeString(root.resolve("cat/broken.jpg"), "not a JPEG");
    String message =
        assertThrows(IOException.class, () -> ImageFolder.load(root, 2, 2, 3)).getMessage();
    assertTrue(message.startsWith(broken + ": expected a PNG or JPEG image"), message);
  }

  @Test
  void rejectsBadArguments() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.load(root, 2, 2, 4));
    assertEquals("channels must be 1 (grey) or 3 (red, green, blue), but got 4",
        error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 0, 2, 3));
  }
}
