package dev.nnet.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Reads PNG files back and checks they hold a real picture. */
final class PngAssertions {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private PngAssertions() {}

  /** Asserts {@code png} is a PNG of the given size with more than {@code minColours} colours. */
  static BufferedImage assertPicture(Path png, int width, int height, int minColours)
      throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > PNG_SIGNATURE.length, "file is too short to be a PNG");
    byte[] signature = new byte[PNG_SIGNATURE.length];
    System.arraycopy(bytes, 0, signature, 0, signature.length);
    assertArrayEquals(PNG_SIGNATURE, signature, "not a PNG signature");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO could not decode " + png);
    assertEquals(width, image.getWidth(), "width");
    assertEquals(height, image.getHeight(), "height");
    int colours = distinctColours(image);
    assertTrue(colours > minColours,
        "only " + colours + " distinct colours; expected a drawn chart, more than " + minColours);
    return image;
  }

  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  /** Number of pixels within {@code tolerance} (per channel) of {@code rgb}. */
  static int countNear(BufferedImage image, int rgb, int tolerance) {
    int n = 0;
    for (int p : pixels(image)) {
      if (Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance
          && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance
          && Math.abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance) {
        n++;
      }
    }
    return n;
  }

  /** Files left in {@code dir} other than {@code expected}: temporary files must be gone. */
  static void assertOnlyFiles(Path dir, String... expected) throws IOException {
    Set<String> names = new HashSet<>();
    try (var stream = Files.list(dir)) {
      stream.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertEquals(Set.of(expected), names, "files in " + dir);
  }
}
