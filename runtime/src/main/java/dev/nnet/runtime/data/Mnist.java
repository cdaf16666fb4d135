package dev.nnet.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads the MNIST handwritten digits (LeCun, Bottou, Bengio &amp; Haffner 1998) from the IDX files
 * it is distributed as ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * gzipped or not) into a {@link Dataset}: each image flattened to rows × columns features scaled
 * to [0, 1] by {@code pixel / 255}, each label one-hot encoded as 10 targets.
 */
public final class Mnist {

  /** The number of classes, and so the target width. */
  public static final int CLASSES = 10;

  private Mnist() {}

  /**
   * Reads an image file and its label file.
   *
   * @throws IOException if either file is malformed (see {@link IdxReader}), the image file is
   *     not rank 3 or the label file not rank 1, their counts differ, or a label is not 0..9
   */
  public static Dataset load(Path images, Path labels) throws IOException {
    IdxData imageData = IdxReader.read(images);
    if (imageData.rank() != 3) {
      throw new IOException(
          images + ": expected an IDX image file (rank 3, magic 0x00000803), but found a rank-"
              + imageData.rank() + " file of shape " + imageData.shape()
              + "; were the images and labels swapped?");
    }
    IdxData labelData = IdxReader.read(labels);
    if (labelData.rank() != 1) {
      throw new IOException(
          labels + ": expected an IDX label file (rank 1, magic 0x00000801), but found a rank-"
              + labelData.rank() + " file of shape " + labelData.shape());
    }
    int count = imageData.count();
    if (labelData.count() != count) {
      throw new IOException(
          images + " holds " + count + " images but " + labels + " holds " + labelData.count()
              + " labels");
    }
    byte[] labelBytes = labelData.bytes();
    float[] targets = new float[Math.multiplyExact(count, CLASSES)];
    for (int i = 0; i < count; i++) {
      int label = labelBytes[i] & 0xFF;
      if (label >= CLASSES) {
        throw new IOException(
            labels + ": label " + i + " is " + label + ", but MNIST labels are digits 0..9");
      }
      targets[i * CLASSES + label] = 1f;
    }
    int width = imageData.itemSize();
    if (width < 1) {
      throw new IOException(images + ": images have no pixels (shape " + imageData.shape() + ")");
    }
    byte[] pixels = imageData.bytes();
    float[] features = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      features[i] = (pixels[i] & 0xFF) / 255f;
    }
    return new Dataset(features, width, targets, CLASSES);
  }
}
