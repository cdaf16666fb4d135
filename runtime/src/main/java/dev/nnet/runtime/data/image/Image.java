package dev.nnet.runtime.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image as a channels-last float32 array: {@code height} rows of {@code width} pixels of
 * {@code channels} values, stored row-major as {@code [height, width, channels]} (HWC), so the
 * value of channel c of the pixel in row y and column x is
 * {@code pixels[(y · width + x) · channels + c]}. This is the layout of one sample in a
 * {@link dev.nnet.runtime.data.Dataset} of images and of a Keras/TensorFlow image tensor.
 *
 * <p>Images are immutable: the factory copies the array it is given and {@link #pixels()} returns
 * a copy. {@link #read(Path)} gives values on the 0..255 scale of an 8-bit file (one channel for a
 * grey image, three, red, green and blue, for a colour one); {@link #normalized()} scales them to
 * [0, 1], the range {@link Augmentation} and {@link ImageFolder} work in.
 */
public final class Image {

  /**
   * The largest image {@link #read(Path)} decodes: 2<sup>24</sup> pixels (4096 × 4096). A header
   * declaring more is rejected before any pixel is decoded.
   */
  public static final long DEFAULT_MAX_PIXELS = 1L << 24;

  private static final float LUMA_RED = 0.299f;
  private static final float LUMA_GREEN = 0.587f;
  private static final float LUMA_BLUE = 0.114f;

  private final int height;
  private final int width;
  private final int channels;
  private final float[] pixels;

  private Image(int height, int width, int channels, float[] pixels) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = pixels;
  }

  /**
   * An image of the given HWC values, copied.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1 or {@code pixels} does not hold
   *     exactly height · width · channels values
   */
  public static Image of(int height, int width, int channels, float[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    int size = checkedSize(height, width, channels);
    if (pixels.length != size) {
      throw new IllegalArgumentException(
          "an image of " + height + " × " + width + " × " + channels + " holds " + size
              + " values, but got " + pixels.length);
    }
    return new Image(height, width, channels, pixels.clone());
  }

  /** An image over {@code pixels}, not copied: for values this package has just computed. */
  static Image wrap(int height, int width, int channels, float[] pixels) {
    return new Image(height, width, channels, pixels);
  }

  /**
   * The number of values of an image of these dimensions, height · width · channels.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1 or the product exceeds
   *     {@code Integer.MAX_VALUE}
   */
  static int checkedSize(int height, int width, int channels) {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "image dimensions must be >= 1, but got height " + height + ", width " + width
              + ", channels " + channels);
    }
    long size = (long) height * width * channels;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "an image of " + height + " × " + width + " × " + channels + " has " + size
              + " values, more than one array holds");
    }
    return (int) size;
  }

  /**
   * Reads a PNG or JPEG file, of at most {@link #DEFAULT_MAX_PIXELS} pixels.
   *
   * @see #read(Path, long)
   */
  public static Image read(Path file) throws IOException {
    return read(file, DEFAULT_MAX_PIXELS);
  }

  /**
   * Reads a PNG or JPEG file with {@code javax.imageio}, whatever its name. A grey file (grey
   * PNG, with or without alpha, grey palette or one-component JPEG) gives one channel; any other
   * gives three, red, green and blue in sRGB. Alpha is dropped (the colour values are kept as
   * stored, not composited). Values are on the 0..255 scale: 8-bit samples are exact, and other
   * depths (16-bit, 1/2/4-bit PNG) are scaled to it, so 16-bit values may be fractional.
   *
   * <p>The width and height are read from the header first, and a file declaring more than
   * {@code maxPixels} pixels is rejected before any pixel memory is allocated.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException naming the file if it is a directory, is not a PNG or JPEG file (another
   *     format, or bytes no decoder recognises), declares more than {@code maxPixels} pixels, or
   *     cannot be decoded: corrupt or truncated data, including a JPEG the decoder would only
   *     finish with warnings (such as "premature end of data segment"), which it would otherwise
   *     fill with grey
   * @throws IllegalArgumentException if {@code maxPixels} &lt; 1
   */
  public static Image read(Path file, long maxPixels) throws IOException {
    Objects.requireNonNull(file, "file");
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, but got " + maxPixels);
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": expected a PNG or JPEG file, but found a directory");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    try (ImageInputStream in = open(file)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException(
            file + ": expected a PNG or JPEG image, but no image decoder recognises the file ("
                + describeStart(in) + ")");
      }
      ImageReader reader = readers.next();
      try {
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        if (!format.equals("PNG") && !format.equals("JPEG")) {
          throw new IOException(
              file + ": expected a PNG or JPEG image, but found a " + format + " image");
        }
        reader.setInput(in, true, true);
        int width;
        int height;
        try {
          width = reader.getWidth(0);
          height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
          throw damaged(file, format, "its header cannot be read", e);
        }
        long pixelCount = (long) width * height;
        if (width < 1 || height < 1) {
          throw new IOException(
              file + ": the " + format + " header declares " + width + " × " + height
                  + " pixels; expected at least 1 × 1");
        }
        if (pixelCount > maxPixels) {
          throw new IOException(
              String.format(Locale.ROOT,
                  "%s: the %s header declares %d × %d = %,d pixels, more than the limit of %,d;"
                      + " pass a larger maxPixels to Image.read if the file is genuine",
                  file, format, width, height, pixelCount, maxPixels));
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage decoded;
        try {
          decoded = reader.read(0);
        } catch (IOException | RuntimeException e) {
          throw damaged(file, format, "its pixel data cannot be decoded", e);
        }
        if (!warnings.isEmpty()) {
          throw new IOException(
              file + ": damaged or truncated " + format + " image; the decoder reported: "
                  + String.join("; ", warnings));
        }
        if (decoded.getWidth() != width || decoded.getHeight() != height) {
          throw new IOException(
              file + ": the " + format + " header declares " + width + " × " + height
                  + " pixels, but " + decoded.getWidth() + " × " + decoded.getHeight()
                  + " were decoded");
        }
        return fromBufferedImage(decoded);
      } finally {
        reader.dispose();
      }
    }
  }

  private static ImageInputStream open(Path file) throws IOException {
    if (file.getFileSystem() == FileSystems.getDefault()) {
      return new FileImageInputStream(file.toFile());
    }
    InputStream stream = Files.newInputStream(file);
    return new MemoryCacheImageInputStream(stream) {
      @Override
      public void close() throws IOException {
        // MemoryCacheImageInputStream leaves the underlying stream open.
        try {
          super.close();
        } finally {
          stream.close();
        }
      }
    };
  }

  private static String describeStart(ImageInputStream in) throws IOException {
    in.seek(0);
    byte[] start = new byte[8];
    int n = 0;
    while (n < start.length) {
      int read = in.read(start, n, start.length - n);
      if (read < 0) {
        break;
      }
      n += read;
    }
    if (n == 0) {
      return "it is empty";
    }
    StringBuilder hex = new StringBuilder("it starts with bytes");
    for (int i = 0; i < n; i++) {
      hex.append(String.format(Locale.ROOT, " %02x", start[i] & 0xFF));
    }
    return hex.toString();
  }

  private static IOException damaged(Path file, String format, String what, Exception cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage();
    return new IOException(
        file + ": damaged or truncated " + format + " image: " + what + " (" + reason + ")", cause);
  }

  /**
   * The pixels of a decoded image, converted as {@link #read(Path, long)} describes: one channel
   * for a grey colour space or an all-grey palette, otherwise three sRGB channels (an image with
   * premultiplied alpha is converted through {@code getRGB}, which divides the alpha out, and
   * always gives three); alpha dropped; values on the 0..255 scale.
   */
  public static Image fromBufferedImage(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int height = image.getHeight();
    int width = image.getWidth();
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    if (model instanceof IndexColorModel) {
      IndexColorModel palette = (IndexColorModel) model;
      return isGreyPalette(palette)
          ? fromRgb(image, height, width, 1)
          : fromRgb(image, height, width, 3);
    }
    ColorSpace space = model.getColorSpace();
    if (model.isAlphaPremultiplied()) {
      return fromRgb(image, height, width, 3);
    }
    if (space.getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1) {
      return fromRaster(raster, height, width, 1);
    }
    if (space.isCS_sRGB() && model.getNumColorComponents() == 3) {
      return fromRaster(raster, height, width, 3);
    }
    return fromRgb(image, height, width, 3);
  }

  private static boolean isGreyPalette(IndexColorModel palette) {
    for (int i = 0; i < palette.getMapSize(); i++) {
      int red = palette.getRed(i);
      if (red != palette.getGreen(i) || red != palette.getBlue(i)) {
        return false;
      }
    }
    return true;
  }

  /** Reads the first {@code channels} bands, scaled from their bit depth to 0..255. */
  private static Image fromRaster(Raster raster, int height, int width, int channels) {
    float[] pixels = new float[checkedSize(height, width, channels)];
    int[] row = new int[width];
    int minX = raster.getMinX();
    int minY = raster.getMinY();
    for (int c = 0; c < channels; c++) {
      int bits = raster.getSampleModel().getSampleSize(c);
      boolean eightBit = bits == 8;
      float scale = 255f / (float) ((1L << bits) - 1);
      for (int y = 0; y < height; y++) {
        raster.getSamples(minX, minY + y, width, 1, c, row);
        int base = y * width * channels + c;
        for (int x = 0; x < width; x++) {
          pixels[base + x * channels] = eightBit ? row[x] : row[x] * scale;
        }
      }
    }
    return new Image(height, width, channels, pixels);
  }

  /** Reads through {@code getRGB}, which converts any colour model to 8-bit sRGB. */
  private static Image fromRgb(BufferedImage image, int height, int width, int channels) {
    float[] pixels = new float[checkedSize(height, width, channels)];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      int base = y * width * channels;
      for (int x = 0; x < width; x++) {
        int rgb = row[x];
        int at = base + x * channels;
        if (channels == 1) {
          pixels[at] = rgb & 0xFF;
        } else {
          pixels[at] = (rgb >>> 16) & 0xFF;
          pixels[at + 1] = (rgb >>> 8) & 0xFF;
          pixels[at + 2] = rgb & 0xFF;
        }
      }
    }
    return new Image(height, width, channels, pixels);
  }

  /** The number of rows. */
  public int height() {
    return height;
  }

  /** The number of columns. */
  public int width() {
    return width;
  }

  /** The number of values per pixel: 1 for grey, 3 for red, green, blue. */
  public int channels() {
    return channels;
  }

  /** The number of values, height · width · channels. */
  public int size() {
    return pixels.length;
  }

  /** Channel {@code channel} of the pixel in row {@code y} and column {@code x}. */
  public float pixel(int y, int x, int channel) {
    if (y < 0 || y >= height || x < 0 || x >= width || channel < 0 || channel >= channels) {
      throw new IndexOutOfBoundsException(
          "pixel (y " + y + ", x " + x + ", channel " + channel + ") is not within an image of "
              + height + " × " + width + " × " + channels);
    }
    return pixels[(y * width + x) * channels + channel];
  }

  /** Value {@code index} of the HWC array, unchecked beyond the array's own bounds check. */
  float pixelAt(int index) {
    return pixels[index];
  }

  /** A copy of the HWC values. */
  public float[] pixels() {
    return pixels.clone();
  }

  /** Copies the HWC values into {@code target} from {@code offset}, without allocating. */
  public void copyTo(float[] target, int offset) {
    Objects.requireNonNull(target, "target");
    if (offset < 0 || offset > target.length - pixels.length) {
      throw new IndexOutOfBoundsException(
          "cannot copy " + pixels.length + " values to offset " + offset + " of an array of "
              + target.length);
    }
    System.arraycopy(pixels, 0, target, offset, pixels.length);
  }

  /**
   * A one-channel image of the ITU-R BT.601 luma of this one: 0.299 · red + 0.587 · green + 0.114
   * · blue, computed in float and not rounded (the weights of {@code PIL}'s {@code convert("L")},
   * which rounds to integers, and close to TensorFlow's {@code rgb_to_grayscale}). A one-channel
   * image is returned as is.
   *
   * @throws IllegalStateException if the image has neither 1 nor 3 channels
   */
  public Image toGrey() {
    if (channels == 1) {
      return this;
    }
    if (channels != 3) {
      throw new IllegalStateException(
          "grey conversion needs 3 channels (red, green, blue), but the image has " + channels);
    }
    int count = height * width;
    float[] grey = new float[count];
    for (int i = 0; i < count; i++) {
      grey[i] = LUMA_RED * pixels[3 * i] + LUMA_GREEN * pixels[3 * i + 1]
          + LUMA_BLUE * pixels[3 * i + 2];
    }
    return new Image(height, width, 1, grey);
  }

  /**
   * A three-channel image with each grey value repeated as red, green and blue. A three-channel
   * image is returned as is.
   *
   * @throws IllegalStateException if the image has neither 1 nor 3 channels
   */
  public Image toRgb() {
    if (channels == 3) {
      return this;
    }
    if (channels != 1) {
      throw new IllegalStateException(
          "RGB conversion needs 1 channel (grey), but the image has " + channels);
    }
    float[] rgb = new float[pixels.length * 3];
    for (int i = 0; i < pixels.length; i++) {
      rgb[3 * i] = pixels[i];
      rgb[3 * i + 1] = pixels[i];
      rgb[3 * i + 2] = pixels[i];
    }
    return new Image(height, width, 3, rgb);
  }

  /**
   * This image with {@code channels} channels: itself, {@link #toGrey()} or {@link #toRgb()}.
   *
   * @throws IllegalArgumentException if {@code channels} is neither 1 nor 3
   * @throws IllegalStateException if the conversion is not one of those two
   */
  public Image withChannels(int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(
          "channels must be 1 (grey) or 3 (red, green, blue), but got " + channels);
    }
    return channels == 1 ? toGrey() : toRgb();
  }

  /**
   * This image resized to {@code height} × {@code width} by bilinear interpolation with
   * half-pixel centres (align-corners false): output pixel i samples the input at
   * (i + 0.5) · inputSize / outputSize − 0.5, clamped to [0, inputSize − 1]. This is TensorFlow
   * 2's {@code tf.image.resize(..., "bilinear", antialias=False)}, PyTorch's
   * {@code interpolate(mode="bilinear", align_corners=False)} and OpenCV's {@code INTER_LINEAR}.
   * There is no antialiasing: shrinking by more than 2 skips input pixels. An image of the same
   * size is returned as is.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1
   */
  public Image resize(int height, int width) {
    int size = checkedSize(height, width, channels);
    if (height == this.height && width == this.width) {
      return this;
    }
    int[] x0 = new int[width];
    int[] x1 = new int[width];
    float[] fx = new float[width];
    axis(this.width, width, x0, x1, fx);
    int[] y0 = new int[height];
    int[] y1 = new int[height];
    float[] fy = new float[height];
    axis(this.height, height, y0, y1, fy);
    float[] resized = new float[size];
    int c = channels;
    for (int y = 0; y < height; y++) {
      int top = y0[y] * this.width;
      int bottom = y1[y] * this.width;
      float wy = fy[y];
      for (int x = 0; x < width; x++) {
        int left = x0[x];
        int right = x1[x];
        float wx = fx[x];
        int out = (y * width + x) * c;
        for (int k = 0; k < c; k++) {
          float topValue = lerp(pixels[(top + left) * c + k], pixels[(top + right) * c + k], wx);
          float bottomValue =
              lerp(pixels[(bottom + left) * c + k], pixels[(bottom + right) * c + k], wx);
          resized[out + k] = lerp(topValue, bottomValue, wy);
        }
      }
    }
    return new Image(height, width, channels, resized);
  }

  private static float lerp(float a, float b, float t) {
    return t == 0f ? a : a + (b - a) * t;
  }

  /** For each output index along one axis: the two input indices and the weight of the second. */
  private static void axis(int inSize, int outSize, int[] lower, int[] upper, float[] weight) {
    double scale = (double) inSize / outSize;
    for (int i = 0; i < outSize; i++) {
      double source = (i + 0.5) * scale - 0.5;
      source = Math.max(0, Math.min(inSize - 1, source));
      int low = (int) Math.floor(source);
      lower[i] = low;
      upper[i] = Math.min(low + 1, inSize - 1);
      weight[i] = (float) (source - low);
    }
  }

  /** This image with every value divided by 255: the 0..255 scale of a file mapped to [0, 1]. */
  public Image normalized() {
    float[] scaled = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      scaled[i] = pixels[i] / 255f;
    }
    return new Image(height, width, channels, scaled);
  }

  /** Equal dimensions and bitwise-equal values (as {@link Arrays#equals(float[], float[])}). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Image
        && ((Image) other).height == height
        && ((Image) other).width == width
        && ((Image) other).channels == channels
        && Arrays.equals(((Image) other).pixels, pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, channels) * 31 + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "Image(height=" + height + ", width=" + width + ", channels=" + channels + ")";
  }
}
