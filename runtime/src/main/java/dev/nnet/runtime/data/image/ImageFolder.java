package dev.nnet.runtime.data.image;

import dev.nnet.runtime.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A folder of labelled images, one sub-folder per class (the layout of Keras'
 * {@code image_dataset_from_directory} and torchvision's {@code ImageFolder}):
 *
 * <pre>
 * root/
 *   cat/  0001.jpg  0002.png  ...
 *   dog/  0001.jpg  ...
 * </pre>
 *
 * <p>{@link #load} reads every image into one {@link Dataset}: each image converted to the
 * requested channels ({@link Image#withChannels}), resized to the requested height and width
 * ({@link Image#resize}, bilinear with half-pixel centres), scaled to [0, 1] by {@code / 255} and
 * laid out channels-last, {@code [height, width, channels]}; its target is a one-hot row over the
 * classes ({@link #dataset()}, for {@code categorical_crossentropy}), or the class index
 * ({@link #sparseDataset()}, for {@code sparse_categorical_crossentropy}).
 *
 * <p>Classes are the sub-folders of {@code root}, sorted by name ({@link String#compareTo}, so
 * by Unicode code unit: {@code "B"} before {@code "a"}); class i is the i-th name. Images are the
 * files below each class folder, at any depth, whose names end in {@code .png}, {@code .jpg} or
 * {@code .jpeg} (any case), sorted by their path relative to the class folder; other files are
 * skipped, as are files and folders whose names start with a dot (such as macOS {@code ._x.jpg}
 * resource forks). Files directly in {@code root} are ignored. Samples are in class order, then
 * file order: shuffle them ({@link #shuffled}) before taking a validation split from the end.
 * Immutable.
 */
public final class ImageFolder {

  /** The file-name endings (compared ignoring case) of the files read as images. */
  public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  private final List<String> classNames;
  private final List<Path> files;
  private final int[] labels;
  private final Dataset dataset;
  private final Dataset sparseDataset;
  private final int height;
  private final int width;
  private final int channels;

  private ImageFolder(List<String> classNames, List<Path> files, int[] labels, float[] features,
      int height, int width, int channels) {
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.channels = channels;
    int classes = classNames.size();
    float[] oneHot = new float[Math.multiplyExact(labels.length, classes)];
    float[] indices = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      oneHot[i * classes + labels[i]] = 1f;
      indices[i] = labels[i];
    }
    int featureWidth = height * width * channels;
    this.dataset = new Dataset(features, featureWidth, oneHot, classes);
    this.sparseDataset = new Dataset(features, featureWidth, indices, 1);
  }

  /**
   * Loads every image below {@code root}, as the class comment describes, as images of
   * {@code height} × {@code width} × {@code channels} values in [0, 1]. Every image file is
   * read with {@link Image#read(Path)}, and so has at most {@link Image#DEFAULT_MAX_PIXELS}
   * pixels.
   *
   * @throws IllegalArgumentException if {@code height} or {@code width} is &lt; 1, or
   *     {@code channels} is neither 1 nor 3
   * @throws NoSuchFileException if {@code root} does not exist
   * @throws IOException if {@code root} is not a folder, has no class folders, a class folder
   *     holds no image file, an image file cannot be read (the message names it), or the images
   *     do not fit in one array
   */
  public static ImageFolder load(Path root, int height, int width, int channels)
      throws IOException {
    Objects.requireNonNull(root, "root");
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(
          "channels must be 1 (grey) or 3 (red, green, blue), but got " + channels);
    }
    int featureWidth = Image.checkedSize(height, width, channels);
    if (!Files.exists(root)) {
      throw new NoSuchFileException(root.toString());
    }
    if (!Files.isDirectory(root)) {
      throw new IOException(
          root + ": expected a folder with one sub-folder of images per class, but found a file");
    }
    List<Path> classDirectories = new ArrayList<>();
    try (Stream<Path> entries = Files.list(root)) {
      entries.filter(p -> Files.isDirectory(p) && !hidden(p)).forEach(classDirectories::add);
    }
    classDirectories.sort(Comparator.comparing(p -> p.getFileName().toString()));
    if (classDirectories.isEmpty()) {
      throw new IOException(
          root + ": expected one sub-folder of images per class (root/<class name>/<image>.png"
              + " or .jpg), but found no sub-folders");
    }
    List<String> classNames = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int label = 0; label < classDirectories.size(); label++) {
      Path directory = classDirectories.get(label);
      List<Path> images = imageFiles(directory);
      if (images.isEmpty()) {
        throw new IOException(
            directory + ": class '" + directory.getFileName() + "' holds no image files (names"
                + " ending in .png, .jpg or .jpeg); remove the folder or add images");
      }
      classNames.add(directory.getFileName().toString());
      for (Path image : images) {
        files.add(image);
        labels.add(label);
      }
    }
    long total = (long) files.size() * featureWidth;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IOException(
          String.format(Locale.ROOT,
              "%s: %,d images of %d × %d × %d need %,d values, more than one array holds;"
                  + " use smaller images or fewer of them",
              root, files.size(), height, width, channels, total));
    }
    float[] features = new float[(int) total];
    int[] labelArray = new int[labels.size()];
    for (int i = 0; i < files.size(); i++) {
      Image image = Image.read(files.get(i)).withChannels(channels).resize(height, width);
      int base = i * featureWidth;
      for (int k = 0; k < featureWidth; k++) {
        features[base + k] = image.pixelAt(k) / 255f;
      }
      labelArray[i] = labels.get(i);
    }
    return new ImageFolder(List.copyOf(classNames), List.copyOf(files), labelArray, features,
        height, width, channels);
  }

  private static boolean hidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static boolean isImageName(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String extension : EXTENSIONS) {
      if (name.endsWith(extension)) {
        return true;
      }
    }
    return false;
  }

  /** The image files below {@code directory}, skipping hidden names, sorted by relative path. */
  private static List<Path> imageFiles(Path directory) throws IOException {
    List<Path> images = new ArrayList<>();
    // Files.walk does not follow links, not even the start: walk a linked class folder's target.
    Path start = Files.isSymbolicLink(directory) ? directory.toRealPath() : directory;
    try (Stream<Path> walk = Files.walk(start)) {
      walk.filter(p -> !p.equals(start))
          .map(p -> directory.resolve(start.relativize(p)))
          .filter(p -> !hiddenBelow(directory, p))
          .filter(p -> Files.isRegularFile(p) && isImageName(p))
          .forEach(images::add);
    }
    images.sort(Comparator.comparing(p -> relativeName(directory, p)));
    return images;
  }

  private static boolean hiddenBelow(Path directory, Path path) {
    for (Path part : directory.relativize(path)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String relativeName(Path directory, Path path) {
    StringBuilder name = new StringBuilder();
    for (Path part : directory.relativize(path)) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString();
  }

  /**
   * The same images in an order drawn from {@code seed}: a Fisher–Yates shuffle from
   * {@code new SplittableRandom(seed)}, applied to the files, labels, features and targets alike.
   * Copies the features.
   */
  public ImageFolder shuffled(long seed) {
    int n = labels.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int featureWidth = dataset.featureWidth();
    float[] source = dataset.features();
    float[] features = new float[source.length];
    int[] shuffledLabels = new int[n];
    List<Path> shuffledFiles = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int from = order[i];
      System.arraycopy(source, from * featureWidth, features, i * featureWidth, featureWidth);
      shuffledLabels[i] = labels[from];
      shuffledFiles.add(files.get(from));
    }
    return new ImageFolder(classNames, Collections.unmodifiableList(shuffledFiles),
        shuffledLabels, features, height, width, channels);
  }

  /**
   * The images with one-hot targets: features of height · width · channels values in [0, 1],
   * channels-last, and targets of {@link #classCount()} values, 1 at the class index.
   */
  public Dataset dataset() {
    return dataset;
  }

  /**
   * The images with class-index targets: the same features (shared, not copied) and one target
   * per sample, the class index as a float, for {@code sparse_categorical_crossentropy}.
   */
  public Dataset sparseDataset() {
    return sparseDataset;
  }

  /** The class names, the sorted sub-folder names; class i is {@code classNames().get(i)}. */
  public List<String> classNames() {
    return classNames;
  }

  /** The number of classes. */
  public int classCount() {
    return classNames.size();
  }

  /** The number of images. */
  public int size() {
    return labels.length;
  }

  /** The file each sample was read from: sample i's is {@code files().get(i)}. */
  public List<Path> files() {
    return files;
  }

  /** The class index of sample {@code sample}. */
  public int label(int sample) {
    if (sample < 0 || sample >= labels.length) {
      throw new IndexOutOfBoundsException(
          "sample " + sample + " is not within [0, " + labels.length + ")");
    }
    return labels[sample];
  }

  /** A copy of the class indices of all samples. */
  public int[] labels() {
    return labels.clone();
  }

  /** The number of images of each class, indexed by class. */
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** The image height. */
  public int height() {
    return height;
  }

  /** The image width. */
  public int width() {
    return width;
  }

  /** The number of channels, 1 or 3. */
  public int channels() {
    return channels;
  }

  @Override
  public String toString() {
    return "ImageFolder(" + labels.length + " images of " + height + " × " + width + " × "
        + channels + ", classes " + classNames + ")";
  }
}
