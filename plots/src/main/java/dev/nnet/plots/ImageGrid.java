package dev.nnet.plots;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Small grey-scale images (digits, reconstructions, generated samples) laid out in a grid and
 * written as one PNG. Values are read as intensities from 0 (black) to 1 (white); values outside
 * are clipped. Each image is enlarged by an integer {@code scale} without smoothing, and images are
 * separated by a one-pixel grey line.
 */
public final class ImageGrid {
  private static final int SEPARATOR = 0x808080;

  private ImageGrid() {}

  /**
   * Writes {@code count} images of {@code height × width} values each, stored one after the other
   * in {@code pixels} from index 0, row by row, {@code columns} images per row of the grid.
   *
   * @throws IllegalArgumentException if a size is not positive, or {@code pixels} holds fewer than
   *     {@code count × height × width} values
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, float[] pixels, int count, int height, int width, int columns, int scale)
      throws IOException {
    Objects.requireNonNull(png, "png");
    PngFiles.writeAtomically(png, render(pixels, count, height, width, columns, scale));
  }

  /** The grid as an image, for callers that encode it themselves; see {@link #write}. */
  public static BufferedImage render(float[] pixels, int count, int height, int width, int columns, int scale) {
    Objects.requireNonNull(pixels, "pixels");
    if (count < 1 || height < 1 || width < 1 || columns < 1 || scale < 1) {
      throw new IllegalArgumentException("count, height, width, columns and scale must be positive, but got "
          + count + ", " + height + ", " + width + ", " + columns + ", " + scale);
    }
    if ((long) count * height * width > pixels.length) {
      throw new IllegalArgumentException(count + " images of " + height + " x " + width + " need "
          + (long) count * height * width + " values, but pixels holds " + pixels.length);
    }
    int rows = (count + columns - 1) / columns;
    int cellWidth = width * scale + 1;
    int cellHeight = height * scale + 1;
    BufferedImage image = new BufferedImage(columns * cellWidth + 1, rows * cellHeight + 1, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, SEPARATOR);
      }
    }
    for (int n = 0; n < count; n++) {
      int left = (n % columns) * cellWidth + 1;
      int top = (n / columns) * cellHeight + 1;
      for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
          float v = pixels[(n * height + r) * width + c];
          int grey = Math.round(255 * Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v)));
          int rgb = grey << 16 | grey << 8 | grey;
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              image.setRGB(left + c * scale + dx, top + r * scale + dy, rgb);
            }
          }
        }
      }
    }
    return image;
  }
}
