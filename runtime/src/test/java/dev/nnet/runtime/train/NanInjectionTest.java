package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN and infinity injected at step k, into a parameter or into an input (so into an activation):
 * training stops at step k, not one step later, with a message naming the step and the first
 * non-finite parameter (tensor and index) or activation (sample and element); the network keeps
 * the parameters it had before step k, and the last checkpoint on disk is byte for byte the one
 * written before step k.
 */
class NanInjectionTest {
  @TempDir Path dir;

  static final int SAMPLES = 96;
  static final int BATCH = 8; // 12 steps per epoch
  static final int EPOCHS = 5; // 60 steps

  /** Softmax regression that, at its {@code at}-th gradient computation, poisons something. */
  static final class Poisoned extends SoftmaxRegression {
    final int at;
    final boolean parameter;
    final float value;
    int calls;
    float[] before;

    Poisoned(int at, boolean parameter, float value) {
      super("Iris", "fp", 2, 2, BATCH, new TrainingConfig(new Adam(0.05), BATCH, EPOCHS));
      this.at = at;
      this.parameter = parameter;
      this.value = value;
      initialize(3);
    }

    @Override
    public float computeGradients(float[] inputs, int inputOffset, float[] targets,
        int targetOffset, int count) {
      if (++calls == at) {
        before = parameters().clone();
        if (parameter) {
          parameters()[3] = value; // 'dense.weight'[3]
        } else {
          inputs = inputs.clone();
          inputs[inputOffset + 2 * 5 + 1] = value; // sample 5, feature 1
        }
      }
      return super.computeGradients(inputs, inputOffset, targets, targetOffset, count);
    }
  }

  @Test
  void injectedNonFiniteValuesStopTrainingAtThatStep() throws IOException {
    Dataset data = TrainerTest.toySet(41, SAMPLES);
    int runs = 0;
    for (int step : new int[] {1, 12, 13, 30, 60}) {
      for (boolean parameter : new boolean[] {true, false}) {
        for (float value : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
          check(data, step, parameter, value);
          runs++;
        }
      }
    }
    assertEquals(20, runs);
  }

  private void check(Dataset data, int step, boolean parameter, float value) throws IOException {
    String what = (parameter ? "parameter" : "input") + " " + value + " at step " + step;
    Path checkpoint = dir.resolve("ckpt-" + step + "-" + parameter + "-" + value + ".safetensors");
    Poisoned net = new Poisoned(step, parameter, value);
    List<byte[]> saved = new ArrayList<>();
    int[] steps = {0};
    Callback recorder = new Callback() {
      @Override
      public void onBatchEnd(TrainingContext context) {
        steps[0]++;
      }

      @Override
      public void onEpochBegin(TrainingContext context) {
        // The checkpoint of the epoch before, as it was when this epoch began.
        if (Files.exists(checkpoint)) {
          try {
            saved.add(Files.readAllBytes(checkpoint));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }
    };
    NanGuard guard = new NanGuard();
    History history = new Trainer(net.trainingConfig(), 7).fit(net, data, null,
        recorder, guard, new ModelCheckpoint(checkpoint, 1));

    assertTrue(history.stoppedEarly(), what);
    assertEquals(step - 1, steps[0], what + ": optimizer steps taken");
    int epoch = (step - 1) / 12 + 1;
    int batch = (step - 1) % 12 + 1;
    String kind = Float.isNaN(value) ? "NaN" : "infinite";
    String where = " at step " + step + " (epoch " + epoch + ", batch " + batch + ", learning rate ";
    String reason = history.stopReason().orElseThrow();
    if (parameter) {
      assertTrue(reason.startsWith("parameter 'dense.weight'[3] is " + kind + where), what + ": " + reason);
    } else {
      // Sample 5's output is the first non-finite activation (an infinite logit makes the
      // softmax NaN).
      assertTrue(reason.matches("output activation \\[5\\]\\[[01]\\] became (NaN|infinite)"
          + java.util.regex.Pattern.quote(where) + ".*"), what + ": " + reason);
    }
    assertEquals(epoch, history.size(), what + ": epochs in the history");
    if (!parameter) {
      assertArrayEquals(net.before, net.parameters(), what + ": the bad step was applied");
    }
    if (epoch == 1) {
      assertFalse(Files.exists(checkpoint), what + ": a checkpoint of the bad epoch was written");
    } else {
      assertArrayEquals(saved.get(saved.size() - 1), Files.readAllBytes(checkpoint),
          what + ": the last good checkpoint changed");
      Checkpoint last = Checkpoint.load(checkpoint, new SoftmaxRegression("Iris", "fp", 2, 2, BATCH,
          net.trainingConfig()), null);
      assertEquals(epoch - 1, last.epochsDone(), what);
    }
  }
}
