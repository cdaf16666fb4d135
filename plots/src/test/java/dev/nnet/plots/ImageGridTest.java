package dev.nnet.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
  @Test
  void laysImagesOutRowByRowWithSeparators(@TempDir Path dir) throws Exception {
    // Three 2 x 2 images, two per row: black, white, and a diagonal with an out-of-range value.
    float[] pixels = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 7};
    BufferedImage image = ImageGrid.render(pixels, 3, 2, 2, 2, 2);
    // Two columns of (2 * 2 + 1) pixels plus the closing line; two rows likewise.
    assertEquals(11, image.getWidth());
    assertEquals(11, image.getHeight());
    assertEquals(0x808080, image.getRGB(0, 0) & 0xFFFFFF, "separator");
    assertEquals(0x000000, image.getRGB(1, 1) & 0xFFFFFF, "first image is black");
    assertEquals(0xFFFFFF, image.getRGB(6, 1) & 0xFFFFFF, "second image is white");
    assertEquals(0xFFFFFF, image.getRGB(1, 6) & 0xFFFFFF, "third image, top left");
    assertEquals(0x000000, image.getRGB(3, 6) & 0xFFFFFF, "third image, top right");
    assertEquals(0xFFFFFF, image.getRGB(4, 9) & 0xFFFFFF, "7 is clipped to white");
    assertEquals(0x808080, image.getRGB(6, 6) & 0xFFFFFF, "the empty fourth cell stays grey");

    Path png = dir.resolve("grid.png");
    ImageGrid.write(png, pixels, 3, 2, 2, 2, 2);
    assertTrue(Files.size(png) > 0);
    assertEquals(11, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void refusesTooFewPixels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.render(new float[7], 2, 2, 2, 2, 1));
    assertTrue(e.getMessage().contains("need 8 values, but pixels holds 7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(new float[8], 2, 2, 2, 0, 1));
  }
}
