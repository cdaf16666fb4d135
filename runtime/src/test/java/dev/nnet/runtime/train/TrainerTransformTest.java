package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.image.Augmentation;
import dev.nnet.runtime.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer's on-the-fly sample transform, with an image augmentation as the transform. */
class TrainerTransformTest {
  private static final int SAMPLES = 40;

  /** Softmax regression that records every training batch it is given. */
  private static final class Recording extends SoftmaxRegression {
    final List<float[]> batches = new ArrayList<>();

    Recording() {
      super(2, 2, 8, new TrainingConfig(new Sgd(0.1), 8, 4));
    }

    @Override
    public float computeGradients(float[] inputs, int inputOffset, float[] targets, int targetOffset, int count) {
      batches.add(Arrays.copyOfRange(inputs, inputOffset, inputOffset + count * 2));
      return super.computeGradients(inputs, inputOffset, targets, targetOffset, count);
    }
  }

  /** 1 × 2 × 1 images [i, i + 0.5]: a horizontal flip gives [i + 0.5, i]. */
  private static Dataset images() {
    float[] features = new float[SAMPLES * 2];
    float[] targets = new float[SAMPLES * 2];
    for (int i = 0; i < SAMPLES; i++) {
      features[2 * i] = i / 100f;
      features[2 * i + 1] = i / 100f + 0.5f;
      targets[2 * i + i % 2] = 1;
    }
    return Dataset.of(features, 2, targets, 2);
  }

  private static List<float[]> batches(Trainer trainer) {
    Recording net = new Recording();
    net.initialize(1);
    trainer.fit(net, images());
    return net.batches;
  }

  @Test
  void theSameSeedGivesTheSameBatches() {
    Trainer trainer = new Trainer(new TrainingConfig(new Sgd(0.1), 8, 4), 7)
        .withTransform(Augmentation.none().flipHorizontal(0.5).asTransform(1, 2, 1, 99));
    List<float[]> first = batches(trainer);
    List<float[]> second = batches(trainer);
    assertEquals(4 * SAMPLES / 8, first.size());
    for (int b = 0; b < first.size(); b++) {
      assertArrayEquals(first.get(b), second.get(b), "batch " + b);
    }
    List<float[]> otherSeed = batches(new Trainer(trainer.config(), 7)
        .withTransform(Augmentation.none().flipHorizontal(0.5).asTransform(1, 2, 1, 100)));
    boolean differs = false;
    for (int b = 0; b < first.size(); b++) {
      differs |= !Arrays.equals(first.get(b), otherSeed.get(b));
    }
    assertTrue(differs, "another augmentation seed should flip other samples");
  }

  @Test
  void everySampleIsFlippedWithProbabilityOne() {
    Trainer trainer = new Trainer(new TrainingConfig(new Sgd(0.1), 8, 4), 7)
        .withTransform(Augmentation.none().flipHorizontal(1).asTransform(1, 2, 1, 99));
    int rows = 0;
    for (float[] batch : batches(trainer)) {
      for (int k = 0; k < batch.length; k += 2) {
        assertEquals(batch[k + 1] + 0.5f, batch[k], 1e-6, "a flipped image [i + 0.5, i]");
        rows++;
      }
    }
    assertEquals(4 * SAMPLES, rows);
  }

  @Test
  void eachEpochDrawsAfresh() {
    Trainer trainer = new Trainer(new TrainingConfig(new Sgd(0.1), 8, 4).withShuffle(false), 7)
        .withTransform(Augmentation.none().flipHorizontal(0.5).asTransform(1, 2, 1, 99));
    List<float[]> batches = batches(trainer);
    int perEpoch = SAMPLES / 8;
    int flipped = 0;
    boolean changed = false;
    for (int b = 0; b < perEpoch; b++) {
      for (int epoch = 1; epoch < 4; epoch++) {
        changed |= !Arrays.equals(batches.get(b), batches.get(epoch * perEpoch + b));
      }
      for (int k = 0; k < 16; k += 2) {
        flipped += batches.get(b)[k] > batches.get(b)[k + 1] ? 1 : 0;
      }
    }
    assertTrue(changed, "unshuffled epochs should still see differently augmented samples");
    assertTrue(flipped > 5 && flipped < SAMPLES - 5, "about half flipped, but " + flipped + " of " + SAMPLES);
  }

  @Test
  void withoutTransformTheSamplesAreCopied() {
    Trainer trainer = new Trainer(new TrainingConfig(new Sgd(0.1), 8, 1).withShuffle(false), 7);
    List<float[]> batches = batches(trainer);
    Dataset data = images();
    assertArrayEquals(Arrays.copyOfRange(data.features(), 0, 16), batches.get(0), "first batch");
    assertThrows(NullPointerException.class, () -> trainer.withTransform(null));
  }

  private static void assertArrayEquals(float[] expected, float[] actual, String message) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
  }
}
