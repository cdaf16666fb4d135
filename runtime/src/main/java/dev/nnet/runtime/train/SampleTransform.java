package dev.nnet.runtime.train;

/**
 * Rewrites each training sample's features as the {@link Trainer} gathers it into a mini-batch:
 * on-the-fly data augmentation, so every epoch sees freshly transformed samples and no
 * transformed copy of the data set is ever made. Set it with {@link Trainer#withTransform};
 * {@link dev.nnet.runtime.data.image.Augmentation#asTransform} makes one from an image
 * augmentation. Validation data and evaluation never pass through it.
 *
 * <p>For a reproducible run, the result must depend on the arguments only (derive any random
 * draws from {@code sample} and {@code epoch}), and for a training step that allocates nothing,
 * it must allocate nothing.
 */
@FunctionalInterface
public interface SampleTransform {

  /**
   * Writes the transformed features of one sample, read from {@code source} at
   * {@code sourceOffset}, to {@code target} at {@code targetOffset}: as many values as the
   * network's input. The two never overlap.
   *
   * @param sample the sample's index in the training data
   * @param epoch the epoch, from 1
   */
  void apply(float[] source, int sourceOffset, float[] target, int targetOffset, int sample, int epoch);
}
