package dev.nnet.runtime.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTest {
  @TempDir Path dir;

  private static int[][] randomRgb(int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[][] rgb = new int[height][width];
    for (int[] row : rgb) {
      for (int x = 0; x < width; x++) {
        row[x] = random.nextInt(1 << 24);
      }
    }
    return rgb;
  }

  @Test
  void readsAPngBackExactlyAsChannelsLastRgb() throws IOException {
    int[][] rgb = randomRgb(5, 7, 1);
    Image image = Image.read(ImageFiles.png(dir.resolve("a.png"), ImageFiles.rgb(rgb)));
    assertEquals(5, image.height());
    assertEquals(7, image.width());
    assertEquals(3, image.channels());
    assertEquals(5 * 7 * 3, image.size());
    float[] pixels = image.pixels();
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        int at = (y * 7 + x) * 3;
        assertEquals((rgb[y][x] >>> 16) & 0xFF, pixels[at], "red at " + y + ", " + x);
        assertEquals((rgb[y][x] >>> 8) & 0xFF, pixels[at + 1], "green at " + y + ", " + x);
        assertEquals(rgb[y][x] & 0xFF, pixels[at + 2], "blue at " + y + ", " + x);
        assertEquals(pixels[at + 1], image.pixel(y, x, 1));
      }
    }
  }

  @Test
  void readsAGreyPngAsOneExactChannel() throws IOException {
    // getRGB would map grey 100 to 168 (a gamma conversion); the raster values must be kept.
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] values = {0, 100, 255, 7, 128, 254};
    grey.getRaster().setPixels(0, 0, 3, 2, values);
    Image image = Image.read(ImageFiles.png(dir.resolve("g.png"), grey));
    assertEquals(1, image.channels());
    assertArrayEquals(new float[] {0, 100, 255, 7, 128, 254}, image.pixels());
  }

  @Test
  void scalesSixteenBitSamplesTo255() throws IOException {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 65535, 257 * 10});
    Image image = Image.read(ImageFiles.png(dir.resolve("g16.png"), grey));
    assertEquals(1, image.channels());
    assertArrayEquals(new float[] {0, 255, 10}, image.pixels(), 1e-4f);
  }

  @Test
  void dropsAlphaAndReadsPalettes() throws IOException {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80112233);
    argb.setRGB(1, 0, 0x00445566);
    Image image = Image.read(ImageFiles.png(dir.resolve("alpha.png"), argb));
    assertEquals(3, image.channels());
    assertArrayEquals(new float[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66}, image.pixels());

    BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.setRGB(0, 0, 0xFF0000);
    indexed.setRGB(1, 0, 0x0000FF);
    Image palette = Image.read(ImageFiles.png(dir.resolve("palette.png"), indexed));
    assertEquals(3, palette.channels());
    assertArrayEquals(new float[] {255, 0, 0, 0, 0, 255}, palette.pixels());

    BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    binary.setRGB(1, 0, 0xFFFFFF);
    Image bits = Image.read(ImageFiles.png(dir.resolve("binary.png"), binary));
    assertEquals(1, bits.channels(), "a black-and-white image is grey");
    assertArrayEquals(new float[] {0, 255}, bits.pixels());
  }

  @Test
  void readsAJpegCloseToWhatWasWritten() throws IOException {
    int height = 16;
    int width = 24;
    int[][] rgb = new int[height][width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        rgb[y][x] = (x * 10) << 16 | (y * 15) << 8 | 128;   // smooth, so JPEG keeps it well
      }
    }
    Image image = Image.read(ImageFiles.jpeg(dir.resolve("a.jpg"), ImageFiles.rgb(rgb), 1f));
    assertEquals(height, image.height());
    assertEquals(width, image.width());
    assertEquals(3, image.channels());
    double error = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        error += Math.abs(image.pixel(y, x, 0) - x * 10) + Math.abs(image.pixel(y, x, 1) - y * 15)
            + Math.abs(image.pixel(y, x, 2) - 128);
      }
    }
    double meanError = error / image.size();
    assertTrue(meanError < 3, "mean absolute error " + meanError);
  }

  @Test
  void readsByContentNotByName() throws IOException {
    Path misnamed = dir.resolve("really-a-png.jpg");
    ImageFiles.png(misnamed, ImageFiles.uniform(2, 2, 0x102030));
    assertEquals(Image.of(1, 1, 3, new float[] {16, 32, 48}), Image.read(misnamed).resize(1, 1));
  }

  @Test
  void convertsToGreyWithBt601Luma() {
    Image rgb = Image.of(1, 4, 3, new float[] {255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50});
    Image grey = rgb.toGrey();
    assertEquals(1, grey.channels());
    assertArrayEquals(
        new float[] {76.245f, 149.685f, 29.07f, 0.299f * 200 + 0.587f * 100 + 0.114f * 50},
        grey.pixels(), 1e-3f);
    assertEquals(255f, Image.of(1, 1, 3, new float[] {255, 255, 255}).toGrey().pixel(0, 0, 0),
        1e-3f, "white stays white: the weights sum to 1");
    assertSame(grey, grey.toGrey());
    assertArrayEquals(new float[] {7, 7, 7}, Image.of(1, 1, 1, new float[] {7}).toRgb().pixels());
    var error = assertThrows(IllegalStateException.class,
        () -> Image.of(1, 1, 2, new float[] {1, 2}).toGrey());
    assertEquals("grey conversion needs 3 channels (red, green, blue), but the image has 2",
        error.getMessage());
  }

  @Test
  void resizesAGradientBilinearlyWithHalfPixelCentres() {
    Image row = Image.of(1, 4, 1, new float[] {0, 10, 20, 30});
    // Output i samples input (i + 0.5) · 4/8 − 0.5 = −0.25, 0.25, ..., 3.25, clamped to [0, 3].
    assertArrayEquals(new float[] {0, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30},
        row.resize(1, 8).pixels(), 1e-5f);
    // Shrinking: (i + 0.5) · 2 − 0.5 = 0.5, 2.5.
    assertArrayEquals(new float[] {5, 25}, row.resize(1, 2).pixels(), 1e-5f);

    // A 2 × 2 plane v = 20·row + 10·column, two channels (the second is 100 − v), to 4 × 4:
    // rows and columns sample at 0 (clamped), 0.25, 0.75 and 1 (clamped).
    Image plane = Image.of(2, 2, 2, new float[] {0, 100, 10, 90, 20, 80, 30, 70});
    Image big = plane.resize(4, 4);
    float[] at = {0, 0.25f, 0.75f, 1};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        float v = 20 * at[y] + 10 * at[x];
        assertEquals(v, big.pixel(y, x, 0), 1e-5f, "channel 0 at " + y + ", " + x);
        assertEquals(100 - v, big.pixel(y, x, 1), 1e-5f, "channel 1 at " + y + ", " + x);
      }
    }
    assertSame(plane, plane.resize(2, 2));
    var error = assertThrows(IllegalArgumentException.class, () -> plane.resize(0, 3));
    assertEquals("image dimensions must be >= 1, but got height 0, width 3, channels 2",
        error.getMessage());
  }

  @Test
  void normalizesTo01() {
    Image image = Image.of(1, 3, 1, new float[] {0, 51, 255});
    assertArrayEquals(new float[] {0, 0.2f, 1}, image.normalized().pixels(), 1e-7f);
  }

  @Test
  void isImmutable() {
    float[] values = {1, 2, 3};
    Image image = Image.of(1, 1, 3, values);
    values[0] = 9;
    image.pixels()[1] = 9;
    assertArrayEquals(new float[] {1, 2, 3}, image.pixels());
    float[] target = new float[5];
    image.copyTo(target, 2);
    assertArrayEquals(new float[] {0, 0, 1, 2, 3}, target);
    assertThrows(IndexOutOfBoundsException.class, () -> image.copyTo(target, 3));
    var error = assertThrows(IllegalArgumentException.class,
        () -> Image.of(2, 2, 3, new float[11]));
    assertEquals("an image of 2 × 2 × 3 holds 12 values, but got 11", error.getMessage());
  }

  @Test
  void rejectsFilesThatAreNotImages() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "hello, world");
    String message = assertThrows(IOException.class, () -> Image.read(text)).getMessage();
    assertEquals(text + ": expected a PNG or JPEG image, but no image decoder recognises the file"
        + " (it starts with bytes 68 65 6c 6c 6f 2c 20 77)", message);

    Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
    message = assertThrows(IOException.class, () -> Image.read(empty)).getMessage();
    assertEquals(empty + ": expected a PNG or JPEG image, but no image decoder recognises the"
        + " file (it is empty)", message);

    Path bmp = dir.resolve("a.bmp");
    ImageIO.write(ImageFiles.uniform(2, 2, 0), "bmp", bmp.toFile());
    message = assertThrows(IOException.class, () -> Image.read(bmp)).getMessage();
    assertEquals(bmp + ": expected a PNG or JPEG image, but found a BMP image", message);

    assertThrows(NoSuchFileException.class, () -> Image.read(dir.resolve("missing.png")));
    message = assertThrows(IOException.class, () -> Image.read(dir)).getMessage();
    assertEquals(dir + ": expected a PNG or JPEG file, but found a directory", message);
  }

  @Test
  void rejectsTruncatedAndCorruptPngs() throws IOException {
    byte[] png = Files.readAllBytes(
        ImageFiles.png(dir.resolve("whole.png"), ImageFiles.rgb(randomRgb(20, 20, 2))));

    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    String message = assertThrows(IOException.class, () -> Image.read(truncated)).getMessage();
    assertTrue(message.startsWith(truncated + ": damaged or truncated PNG image: its pixel data"
        + " cannot be decoded ("), message);

    Path header = Files.write(dir.resolve("header.png"), Arrays.copyOf(png, 12));
    message = assertThrows(IOException.class, () -> Image.read(header)).getMessage();
    assertTrue(message.startsWith(header + ": damaged or truncated PNG image: its header cannot"
        + " be read ("), message);

    byte[] corrupt = png.clone();
    for (int i = 60; i < corrupt.length - 20; i++) {
      corrupt[i] = (byte) (i * 31);                     // garbage in the compressed pixel data
    }
    Path garbled = Files.write(dir.resolve("garbled.png"), corrupt);
    message = assertThrows(IOException.class, () -> Image.read(garbled)).getMessage();
    assertTrue(message.startsWith(garbled + ": damaged or truncated PNG image"), message);
  }

  @Test
  void rejectsATruncatedJpegInsteadOfFillingItWithGrey() throws IOException {
    byte[] jpeg = ImageFiles.jpegBytes(ImageFiles.rgb(randomRgb(32, 32, 3)), 0.9f);
    Path truncated = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    String message = assertThrows(IOException.class, () -> Image.read(truncated)).getMessage();
    assertTrue(message.startsWith(truncated + ": damaged or truncated JPEG image"), message);
  }

  @Test
  void rejectsHostileDimensionsBeforeAllocatingPixels() throws IOException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();

    Path png = Files.write(dir.resolve("huge.png"), ImageFiles.pngHeaderOnly(1_000_000, 1_000_000));
    long before = threads.getThreadAllocatedBytes(thread);
    String message = assertThrows(IOException.class, () -> Image.read(png)).getMessage();
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertEquals(png + ": the PNG header declares 1000000 × 1000000 = 1,000,000,000,000 pixels,"
        + " more than the limit of 16,777,216; pass a larger maxPixels to Image.read if the file"
        + " is genuine", message);
    assertTrue(allocated < 50_000_000, "allocated " + allocated + " bytes");

    byte[] small = ImageFiles.jpegBytes(ImageFiles.uniform(8, 8, 0x808080), 0.9f);
    Path jpeg = Files.write(dir.resolve("huge.jpg"), ImageFiles.withJpegDimensions(small, 65000, 65000));
    before = threads.getThreadAllocatedBytes(thread);
    message = assertThrows(IOException.class, () -> Image.read(jpeg)).getMessage();
    allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(message.startsWith(jpeg + ": the JPEG header declares 65000 × 65000 = 4,225,000,000"
        + " pixels, more than the limit"), message);
    assertTrue(allocated < 50_000_000, "allocated " + allocated + " bytes");
  }

  @Test
  void theLimitIsAdjustable() throws IOException {
    Path file = ImageFiles.png(dir.resolve("ten.png"), ImageFiles.uniform(10, 10, 0));
    assertThrows(IOException.class, () -> Image.read(file, 99));
    assertEquals(100, Image.read(file, 100).size() / 3);
    assertThrows(IllegalArgumentException.class, () -> Image.read(file, 0));
  }
}
