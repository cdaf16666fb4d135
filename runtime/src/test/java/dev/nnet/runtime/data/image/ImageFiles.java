package dev.nnet.runtime.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes small image files for the tests. */
final class ImageFiles {
  private ImageFiles() {}

  /** An 8-bit RGB image whose pixel (x, y) is {@code rgb[y][x]} (0xRRGGBB). */
  static BufferedImage rgb(int[][] rgb) {
    BufferedImage image =
        new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < rgb.length; y++) {
      for (int x = 0; x < rgb[0].length; x++) {
        image.setRGB(x, y, rgb[y][x]);
      }
    }
    return image;
  }

  /** An image of one colour. */
  static BufferedImage uniform(int height, int width, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  static Path png(Path file, BufferedImage image) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IllegalStateException("no PNG writer");
    }
    return file;
  }

  /** Writes a JPEG at the given quality (0..1). */
  static Path jpeg(Path file, BufferedImage image, float quality) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, jpegBytes(image, quality));
    return file;
  }

  static byte[] jpegBytes(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A PNG that is only a signature, an IHDR chunk declaring {@code width} × {@code height} 8-bit
   * RGB pixels (with a correct CRC), an empty IDAT and IEND: a hostile header.
   */
  static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[0]);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** {@code jpeg} with the dimensions in its baseline frame header (SOF0) replaced. */
  static byte[] withJpegDimensions(byte[] jpeg, int width, int height) {
    byte[] patched = jpeg.clone();
    for (int i = 2; i + 8 < patched.length; i++) {
      if ((patched[i] & 0xFF) == 0xFF && (patched[i + 1] & 0xFF) == 0xC0) {
        // FF C0, length (2), precision (1), height (2), width (2)
        patched[i + 5] = (byte) (height >>> 8);
        patched[i + 6] = (byte) height;
        patched[i + 7] = (byte) (width >>> 8);
        patched[i + 8] = (byte) width;
        return patched;
      }
    }
    throw new IllegalStateException("no SOF0 marker");
  }
}
