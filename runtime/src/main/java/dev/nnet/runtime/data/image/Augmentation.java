package dev.nnet.runtime.data.image;

import dev.nnet.runtime.init.Seeds;
import java.util.Locale;
import java.util.Objects;

/**
 * Random image augmentation: an immutable description of which random changes to make, applied
 * to one channels-last image at a time with a seed that decides the draws. The same image and
 * seed always give the same result, on every JVM (the draws come from {@link Seeds}, not from
 * {@code java.util.Random}).
 *
 * <pre>{@code
 * Augmentation augmentation = Augmentation.none()
 *     .flipHorizontal(0.5)
 *     .shift(0.1)
 *     .rotate(10)
 *     .zoom(0.1)
 *     .brightness(0.1)
 *     .gaussianNoise(0.01);
 * augmentation.apply(source, 0, target, 0, 32, 32, 3, seed);
 * }</pre>
 *
 * <p>Each setting returns a new description; the defaults ({@link #none()}) change nothing. One
 * {@link #apply} does, in this order:
 *
 * <ol>
 *   <li><b>Geometry</b>, as one transform about the image centre: a horizontal flip with
 *       probability {@link #flipHorizontal(double) p}, a vertical flip with its own probability,
 *       a zoom by a factor z drawn uniformly from [1 − {@link #zoom(double) max}, 1 + max] (z &gt;
 *       1 enlarges the content, zooming in), a rotation by an angle drawn uniformly from
 *       [−{@link #rotate(double) maxDegrees}, maxDegrees] (positive is counter-clockwise as the
 *       image is displayed, row 0 at the top), and a shift by a whole number of pixels, drawn
 *       uniformly from [−{@link #shift(double) maxFraction}, maxFraction] times the width (and,
 *       independently, times the height) and rounded (positive moves the content right and
 *       down). Each output pixel is sampled bilinearly from the input, at the point the inverse
 *       transform maps its centre to; input pixels outside the image read as 0 (zero padding,
 *       black for [0, 1] pixels). Flips and shifts alone move whole pixels and copy values
 *       exactly. A draw that changes nothing copies the image.
 *   <li><b>Brightness</b>: a delta drawn uniformly from [−{@link #brightness(double) maxDelta},
 *       maxDelta] is added to every value (every channel of every pixel, the padding included).
 *   <li><b>Gaussian noise</b>: an independent N(0, {@link #gaussianNoise(double) stddev}²) draw is
 *       added to every value.
 *   <li><b>Clipping</b>: if brightness or noise is on (not 0), every value is clipped to [0, 1],
 *       the range of normalised pixels, so pixels are expected in [0, 1]: augment before
 *       standardising (as {@link AugmentingSource} does). With both off nothing is clipped.
 * </ol>
 *
 * <p>Every quantity is drawn from its own stream of the seed, so turning one setting on or off
 * does not change the draws of the others. {@code apply} allocates nothing and is safe to call
 * from several threads at once.
 */
public final class Augmentation {

  private static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, 0, 0);

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double TO_UNIT = 0x1.0p-53;

  private static final int FLIP_HORIZONTAL_STREAM = 0;
  private static final int FLIP_VERTICAL_STREAM = 1;
  private static final int SHIFT_X_STREAM = 2;
  private static final int SHIFT_Y_STREAM = 3;
  private static final int ROTATION_STREAM = 4;
  private static final int ZOOM_STREAM = 5;
  private static final int BRIGHTNESS_STREAM = 6;
  private static final int NOISE_STREAM = 7;

  private final double flipHorizontal;
  private final double flipVertical;
  private final double shift;
  private final double rotate;
  private final double zoom;
  private final double brightness;
  private final double noise;

  private Augmentation(double flipHorizontal, double flipVertical, double shift, double rotate,
      double zoom, double brightness, double noise) {
    this.flipHorizontal = flipHorizontal;
    this.flipVertical = flipVertical;
    this.shift = shift;
    this.rotate = rotate;
    this.zoom = zoom;
    this.brightness = brightness;
    this.noise = noise;
  }

  /** The augmentation that changes nothing: {@link #apply} copies. */
  public static Augmentation none() {
    return NONE;
  }

  /** Mirrors left-right with probability {@code probability}, in [0, 1]. */
  public Augmentation flipHorizontal(double probability) {
    check("flipHorizontal probability", probability, 0, 1, true);
    return new Augmentation(probability, flipVertical, shift, rotate, zoom, brightness, noise);
  }

  /** Mirrors top-bottom with probability {@code probability}, in [0, 1]. */
  public Augmentation flipVertical(double probability) {
    check("flipVertical probability", probability, 0, 1, true);
    return new Augmentation(flipHorizontal, probability, shift, rotate, zoom, brightness, noise);
  }

  /**
   * Shifts by up to {@code maxFraction} (in [0, 1]) of the width horizontally and of the height
   * vertically, rounded to whole pixels.
   */
  public Augmentation shift(double maxFraction) {
    check("shift maxFraction", maxFraction, 0, 1, true);
    return new Augmentation(flipHorizontal, flipVertical, maxFraction, rotate, zoom, brightness,
        noise);
  }

  /** Rotates about the centre by up to {@code maxDegrees} (in [0, 180]) either way. */
  public Augmentation rotate(double maxDegrees) {
    check("rotate maxDegrees", maxDegrees, 0, 180, true);
    return new Augmentation(flipHorizontal, flipVertical, shift, maxDegrees, zoom, brightness,
        noise);
  }

  /**
   * Zooms about the centre by a factor in [1 − {@code maxFraction}, 1 + maxFraction], the same
   * for both axes; {@code maxFraction} is in [0, 1).
   */
  public Augmentation zoom(double maxFraction) {
    check("zoom maxFraction", maxFraction, 0, 1, false);
    return new Augmentation(flipHorizontal, flipVertical, shift, rotate, maxFraction, brightness,
        noise);
  }

  /**
   * Adds a delta of up to {@code maxDelta} (finite, &gt;= 0) either way to every value, then
   * clips to [0, 1].
   */
  public Augmentation brightness(double maxDelta) {
    check("brightness maxDelta", maxDelta, 0, Double.MAX_VALUE, true);
    return new Augmentation(flipHorizontal, flipVertical, shift, rotate, zoom, maxDelta, noise);
  }

  /**
   * Adds independent Gaussian noise of standard deviation {@code stddev} (finite, &gt;= 0) to
   * every value, then clips to [0, 1].
   */
  public Augmentation gaussianNoise(double stddev) {
    check("gaussianNoise stddev", stddev, 0, Double.MAX_VALUE, true);
    return new Augmentation(flipHorizontal, flipVertical, shift, rotate, zoom, brightness, stddev);
  }

  private static void check(String what, double value, double min, double max,
      boolean maxIncluded) {
    if (!(value >= min && (maxIncluded ? value <= max : value < max))) {
      String range = max == Double.MAX_VALUE ? "finite and >= " + format(min)
          : "in [" + format(min) + ", " + format(max) + (maxIncluded ? "]" : ")");
      throw new IllegalArgumentException(what + " must be " + range + ", but got " + value);
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** The probability of a horizontal flip. */
  public double flipHorizontalProbability() {
    return flipHorizontal;
  }

  /** The probability of a vertical flip. */
  public double flipVerticalProbability() {
    return flipVertical;
  }

  /** The largest shift, as a fraction of the width or height. */
  public double maxShift() {
    return shift;
  }

  /** The largest rotation, in degrees. */
  public double maxRotationDegrees() {
    return rotate;
  }

  /** The largest zoom, as a fraction: factors range over [1 − maxZoom, 1 + maxZoom]. */
  public double maxZoom() {
    return zoom;
  }

  /** The largest brightness delta. */
  public double maxBrightnessDelta() {
    return brightness;
  }

  /** The standard deviation of the Gaussian noise. */
  public double noiseStddev() {
    return noise;
  }

  /** Whether every setting is off, so that {@link #apply} copies whatever the seed. */
  public boolean isIdentity() {
    return flipHorizontal == 0 && flipVertical == 0 && shift == 0 && rotate == 0 && zoom == 0
        && brightness == 0 && noise == 0;
  }

  /**
   * Writes an augmented copy of one image into a caller's buffer, allocating nothing: reads
   * height · width · channels values (channels-last) from {@code source} at {@code sourceOffset}
   * and writes as many to {@code target} at {@code targetOffset}. The draws depend on
   * {@code seed} only.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1, or source and target are the same
   *     array and the ranges overlap
   * @throws IndexOutOfBoundsException if a range is not within its array
   */
  public void apply(float[] source, int sourceOffset, float[] target, int targetOffset,
      int height, int width, int channels, long seed) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    int size = Image.checkedSize(height, width, channels);
    checkRange("source", source, sourceOffset, size);
    checkRange("target", target, targetOffset, size);
    if (source == target && sourceOffset < targetOffset + size
        && targetOffset < sourceOffset + size) {
      throw new IllegalArgumentException(
          "source [" + sourceOffset + ", " + (sourceOffset + size) + ") and target ["
              + targetOffset + ", " + (targetOffset + size) + ") overlap in the same array");
    }
    boolean flipX = flipHorizontal > 0 && uniform(seed, FLIP_HORIZONTAL_STREAM) < flipHorizontal;
    boolean flipY = flipVertical > 0 && uniform(seed, FLIP_VERTICAL_STREAM) < flipVertical;
    int dx = shift > 0 ? (int) Math.round(signed(seed, SHIFT_X_STREAM) * shift * width) : 0;
    int dy = shift > 0 ? (int) Math.round(signed(seed, SHIFT_Y_STREAM) * shift * height) : 0;
    double degrees = rotate > 0 ? signed(seed, ROTATION_STREAM) * rotate : 0;
    double factor = zoom > 0 ? 1 + signed(seed, ZOOM_STREAM) * zoom : 1;
    transform(source, sourceOffset, target, targetOffset, height, width, channels,
        flipX, flipY, dx, dy, degrees, factor);
    if (brightness > 0 || noise > 0) {
      double delta = brightness > 0 ? signed(seed, BRIGHTNESS_STREAM) * brightness : 0;
      photometric(target, targetOffset, size, (float) delta, noise,
          Seeds.derive(seed, NOISE_STREAM));
    }
  }

  /**
   * This augmentation as a {@link dev.nnet.runtime.train.SampleTransform} for
   * {@link dev.nnet.runtime.train.Trainer#withTransform}: each training sample, a channels-last
   * image of {@code height} × {@code width} × {@code channels} values, is augmented as it is
   * gathered into a batch, with the seed {@code Seeds.derive(Seeds.derive(seed, epoch), sample)}
   * (as {@link AugmentingSource} draws it), so a run is reproducible and each epoch sees new
   * variants. Allocates nothing per sample.
   *
   * @throws IllegalArgumentException if a dimension is &lt; 1
   */
  public dev.nnet.runtime.train.SampleTransform asTransform(int height, int width, int channels, long seed) {
    Image.checkedSize(height, width, channels);
    return (source, sourceOffset, target, targetOffset, sample, epoch) -> apply(source, sourceOffset, target,
        targetOffset, height, width, channels, Seeds.derive(Seeds.derive(seed, epoch), sample));
  }

  /**
   * An augmented copy of {@code image}, as {@link #apply(float[], int, float[], int, int, int,
   * int, long)} writes it (this one allocates the result): for looking at what a network is
   * trained on.
   */
  public Image apply(Image image, long seed) {
    Objects.requireNonNull(image, "image");
    float[] source = image.pixels();
    float[] target = new float[source.length];
    apply(source, 0, target, 0, image.height(), image.width(), image.channels(), seed);
    return Image.wrap(image.height(), image.width(), image.channels(), target);
  }

  private static void checkRange(String what, float[] array, int offset, int size) {
    if (offset < 0 || offset > array.length - size) {
      throw new IndexOutOfBoundsException(
          what + " range [" + offset + ", " + ((long) offset + size)
              + ") is not within an array of " + array.length);
    }
  }

  /** A uniform draw in [0, 1) from stream {@code stream} of {@code seed}. */
  private static double uniform(long seed, int stream) {
    return (Seeds.derive(seed, stream) >>> 11) * TO_UNIT;
  }

  /** A uniform draw in [−1, 1) from stream {@code stream} of {@code seed}. */
  private static double signed(long seed, int stream) {
    return 2 * uniform(seed, stream) - 1;
  }

  /**
   * The geometric part with explicit parameters: each target pixel centre is mapped back through
   * the shift, rotation (counter-clockwise on screen for positive degrees), zoom and flips to a
   * source point, sampled bilinearly with zero padding.
   */
  static void transform(float[] source, int sourceOffset, float[] target, int targetOffset,
      int height, int width, int channels, boolean flipX, boolean flipY, int dx, int dy,
      double degrees, double zoom) {
    int size = height * width * channels;
    if (!flipX && !flipY && dx == 0 && dy == 0 && degrees == 0 && zoom == 1) {
      System.arraycopy(source, sourceOffset, target, targetOffset, size);
      return;
    }
    double radians = Math.toRadians(degrees);
    double cos = degrees == 0 ? 1 : Math.cos(radians);
    double sin = degrees == 0 ? 0 : Math.sin(radians);
    double scaleX = (flipX ? -1 : 1) / zoom;
    double scaleY = (flipY ? -1 : 1) / zoom;
    // Source index = scale · R⁻¹ · (target centre − image centre − shift) + image centre − ½,
    // where R rotates counter-clockwise on screen (y down): R⁻¹ = [[cos, −sin], [sin, cos]].
    double xx = scaleX * cos;
    double xy = -scaleX * sin;
    double yx = scaleY * sin;
    double yy = scaleY * cos;
    double halfWidth = width / 2.0;
    double halfHeight = height / 2.0;
    int rowStride = width * channels;
    for (int y = 0; y < height; y++) {
      double uy = y + 0.5 - halfHeight - dy;
      int out = targetOffset + y * rowStride;
      for (int x = 0; x < width; x++, out += channels) {
        double ux = x + 0.5 - halfWidth - dx;
        double sx = xx * ux + xy * uy + halfWidth - 0.5;
        double sy = yx * ux + yy * uy + halfHeight - 0.5;
        if (!(sx > -1 && sx < width && sy > -1 && sy < height)) {
          for (int c = 0; c < channels; c++) {
            target[out + c] = 0f;
          }
          continue;
        }
        double floorX = Math.floor(sx);
        double floorY = Math.floor(sy);
        int x0 = (int) floorX;
        int y0 = (int) floorY;
        float wx = (float) (sx - floorX);
        float wy = (float) (sy - floorY);
        boolean left = x0 >= 0;
        boolean right = wx != 0 && x0 + 1 < width;
        boolean top = y0 >= 0;
        boolean bottom = wy != 0 && y0 + 1 < height;
        float w00 = (1 - wx) * (1 - wy);
        float w10 = wx * (1 - wy);
        float w01 = (1 - wx) * wy;
        float w11 = wx * wy;
        int p00 = sourceOffset + (y0 * width + x0) * channels;
        int p10 = p00 + channels;
        int p01 = p00 + rowStride;
        int p11 = p01 + channels;
        for (int c = 0; c < channels; c++) {
          float value = 0f;
          if (top && left) {
            value += w00 * source[p00 + c];
          }
          if (top && right) {
            value += w10 * source[p10 + c];
          }
          if (bottom && left) {
            value += w01 * source[p01 + c];
          }
          if (bottom && right) {
            value += w11 * source[p11 + c];
          }
          target[out + c] = value;
        }
      }
    }
  }

  /** Adds {@code delta} and N(0, stddev²) noise to {@code size} values, then clips to [0, 1]. */
  static void photometric(float[] values, int offset, int size, float delta, double stddev,
      long noiseSeed) {
    long state = noiseSeed;
    double spare = 0;
    boolean haveSpare = false;
    for (int i = offset, end = offset + size; i < end; i++) {
      float value = values[i] + delta;
      if (stddev > 0) {
        double gaussian;
        if (haveSpare) {
          gaussian = spare;
          haveSpare = false;
        } else {
          // Box–Muller: two uniforms give two independent standard normal draws.
          state += GOLDEN_GAMMA;
          double u1 = ((Seeds.mix64(state) >>> 11) + 1) * TO_UNIT;
          state += GOLDEN_GAMMA;
          double u2 = (Seeds.mix64(state) >>> 11) * TO_UNIT;
          double radius = Math.sqrt(-2 * Math.log(u1));
          double angle = 2 * Math.PI * u2;
          gaussian = radius * Math.cos(angle);
          spare = radius * Math.sin(angle);
          haveSpare = true;
        }
        value += (float) (stddev * gaussian);
      }
      values[i] = value < 0f ? 0f : (value > 1f ? 1f : value);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Augmentation)) {
      return false;
    }
    Augmentation that = (Augmentation) other;
    return Double.compare(flipHorizontal, that.flipHorizontal) == 0
        && Double.compare(flipVertical, that.flipVertical) == 0
        && Double.compare(shift, that.shift) == 0
        && Double.compare(rotate, that.rotate) == 0
        && Double.compare(zoom, that.zoom) == 0
        && Double.compare(brightness, that.brightness) == 0
        && Double.compare(noise, that.noise) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(flipHorizontal, flipVertical, shift, rotate, zoom, brightness, noise);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "Augmentation(flipHorizontal=%s, flipVertical=%s, shift=%s, rotate=%s, zoom=%s,"
            + " brightness=%s, gaussianNoise=%s)",
        flipHorizontal, flipVertical, shift, rotate, zoom, brightness, noise);
  }
}
