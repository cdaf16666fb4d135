package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.NormalizedSoftmax;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.schedule.ExponentialDecay;
import dev.nnet.runtime.schedule.LinearWarmup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training a network with non-trainable state (running statistics): the state is saved and
 * resumed with the run, restored with the best weights, and rolled back with a skipped step.
 */
class NetworkStateTest {
  @TempDir Path dir;

  static final long SEED = 41;

  /** Adam, schedule, clipping, validation split and metrics; no class weights. */
  static TrainingConfig config(int epochs) {
    return new TrainingConfig(new Adam(0.05), 16, epochs)
        .withSchedule(new LinearWarmup(3, new ExponentialDecay(0.9, 5, false)))
        .withClipNorm(1.0)
        .withValidationSplit(0.25)
        .withMetrics(List.of(Metrics.byName("accuracy")));
  }

  static NormalizedSoftmax network(long init) {
    NormalizedSoftmax net = NormalizedSoftmax.small(config(1));
    net.initialize(init);
    return net;
  }

  /** Inputs offset from zero, so the running mean moves away from its initial 0. */
  static Dataset shifted(long seed, int size) {
    Dataset data = TrainerTest.toySet(seed, size);
    float[] features = data.features().clone();
    for (int n = 0; n < size; n++) {
      features[2 * n] = 3 + 2 * features[2 * n];
      features[2 * n + 1] = -1 + 0.5f * features[2 * n + 1];
    }
    return Dataset.of(features, 2, data.targets(), 2);
  }

  /** Records the parameters and the state when training ends, before EarlyStopping restores. */
  static final class Trained implements Callback {
    float[] parameters;
    float[] state;

    @Override
    public void onTrainEnd(TrainingContext context, History history) {
      parameters = context.network().parameters().clone();
      state = context.network().state().clone();
    }
  }

  /** Copies the parameters and the state at the end of every epoch. */
  static final class Snapshots implements Callback {
    final List<float[]> parameters = new ArrayList<>();
    final List<float[]> states = new ArrayList<>();

    @Override
    public void onEpochEnd(TrainingContext context, EpochStats stats) {
      parameters.add(context.network().parameters().clone());
      states.add(context.network().state().clone());
    }
  }

  List<Callback> callbacks(Trained trained) {
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new ReduceLrOnPlateau("loss", MonitorMode.MIN, 0.5, 1, 0.15, 0, 1e-4));
    callbacks.add(trained);
    // The highest validation loss is an early epoch's: its weights and state come back at the
    // end, from the checkpoint's callback state when resumed.
    callbacks.add(new EarlyStopping("val_loss", MonitorMode.MAX, 100, 0, true));
    callbacks.add(new ModelCheckpoint(dir.resolve("ckpt-{epoch}.safetensors"), 2));
    return callbacks;
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  @Test
  void resumedRunsEndBitIdenticalIncludingTheState() throws IOException {
    Dataset data = shifted(5, 120);
    Trainer trainer = new Trainer(config(8), SEED);

    NormalizedSoftmax uninterrupted = network(1);
    float[] initialState = uninterrupted.state().clone();
    Trained trained = new Trained();
    History full = trainer.fit(uninterrupted, data, null, callbacks(trained));
    assertEquals(8, full.size());
    // Training moved the running statistics, and the best epoch's were put back at the end.
    assertFalse(Arrays.equals(initialState, trained.state));
    assertTrue(trained.state[0] > 1, Arrays.toString(trained.state));
    assertFalse(Arrays.equals(trained.state, uninterrupted.state()));
    int[] expectedParameters = bits(uninterrupted.parameters());
    int[] expectedState = bits(uninterrupted.state());

    // The checkpoint holds the state, and EarlyStopping's snapshot of it.
    NormalizedSoftmax reader = network(0);
    Checkpoint last = Checkpoint.load(dir.resolve("ckpt-8.safetensors"), reader, null);
    assertArrayEquals(bits(trained.state), bits(reader.state()));
    assertArrayEquals(expectedState,
        bits(last.tensors().get("callback.2.EarlyStopping.best_state")));

    for (int at : new int[] {2, 4, 6}) {
      NormalizedSoftmax resumed = network(99);
      Arrays.fill(resumed.state(), 7f); // other starting state: the checkpoint's wins
      Trained resumedTrained = new Trained();
      History history = trainer.resume(resumed, dir.resolve("ckpt-" + at + ".safetensors"),
          data, null, callbacks(resumedTrained));
      assertArrayEquals(bits(trained.parameters), bits(resumedTrained.parameters),
          "trained parameters resumed after " + at);
      assertArrayEquals(bits(trained.state), bits(resumedTrained.state),
          "trained state resumed after " + at);
      assertArrayEquals(expectedParameters, bits(resumed.parameters()), "resumed after " + at);
      assertArrayEquals(expectedState, bits(resumed.state()), "state resumed after " + at);
      assertEquals(ResumeTest.withoutTimes(full), ResumeTest.withoutTimes(history));
    }
  }

  @Test
  void earlyStoppingRestoresTheStateOfTheBestEpoch() {
    Dataset data = shifted(6, 64);
    // The score peaks at epoch 2, then fails to beat it for 3 epochs.
    CallbackTest.Scripted score = new CallbackTest.Scripted(0.5, 0.7, 0.6, 0.65, 0.69, 0.9);
    TrainingConfig config = new TrainingConfig(new Sgd(0.3), 8, 6).withMetrics(List.of(score));
    NormalizedSoftmax net = NormalizedSoftmax.small(config);
    net.initialize(2);
    Snapshots snapshots = new Snapshots();
    EarlyStopping stopping = new EarlyStopping("score", MonitorMode.MAX, 3, 0, true);
    History history = new Trainer(config, 4).fit(net, data, null, snapshots, stopping);
    assertEquals(5, history.size());
    assertEquals(2, stopping.bestEpoch());
    assertArrayEquals(bits(snapshots.parameters.get(1)), bits(net.parameters()));
    assertArrayEquals(bits(snapshots.states.get(1)), bits(net.state()));
    assertFalse(Arrays.equals(snapshots.states.get(4), net.state()));

    // Without restoring, the last epoch's state stays.
    CallbackTest.Scripted again = new CallbackTest.Scripted(0.5, 0.7, 0.6, 0.65, 0.69, 0.9);
    NormalizedSoftmax other = NormalizedSoftmax.small(config);
    other.initialize(2);
    Snapshots otherSnapshots = new Snapshots();
    new Trainer(config.withMetrics(List.of(again)), 4).fit(other, data, null, otherSnapshots,
        new EarlyStopping("score", MonitorMode.MAX, 3, 0, false));
    assertArrayEquals(bits(otherSnapshots.states.get(4)), bits(other.state()));
  }

  @Test
  void aStopBeforeTheStepRollsBackTheBatchsStateUpdate() {
    TrainingConfig config = new TrainingConfig(new Sgd(0.1), 4, 3);
    NormalizedSoftmax net = new NormalizedSoftmax("NormSoftmax", "fp-norm-2-2", 2, 2, 16, config,
        "norm") {
      private int calls;

      @Override
      public float computeGradients(float[] inputs, int inputOffset, float[] targets,
          int targetOffset, int count) {
        float loss = super.computeGradients(inputs, inputOffset, targets, targetOffset, count);
        if (++calls == 7) {
          gradients()[1] = Float.NaN;
        }
        return loss;
      }
    };
    net.initialize(3);
    List<float[]> afterStep = new ArrayList<>();
    List<float[]> seenByGuard = new ArrayList<>();
    Callback recorder = new Callback() {
      @Override
      public void onGradients(TrainingContext context, float[] gradients) {
        seenByGuard.add(context.network().state().clone());
      }

      @Override
      public void onBatchEnd(TrainingContext context) {
        afterStep.add(context.network().state().clone());
      }
    };
    NanGuard guard = new NanGuard();
    History history =
        new Trainer(config, 1).fit(net, shifted(7, 20), null, recorder, guard);
    assertTrue(history.stoppedEarly());
    assertEquals(6, afterStep.size());
    // The seventh batch did update the state, and the trainer put it back.
    assertNotEquals(Arrays.toString(afterStep.get(5)), Arrays.toString(seenByGuard.get(6)));
    assertArrayEquals(bits(afterStep.get(5)), bits(net.state()));
  }

  @Test
  void aRefusedResumeLeavesTheStateAlone() throws IOException {
    Dataset data = shifted(8, 64);
    TrainingConfig config = new TrainingConfig(new Adam(0.01), 8, 2);
    new Trainer(config, 1).fit(network(1), data, null,
        new ModelCheckpoint(dir.resolve("a.safetensors"), 1));

    NormalizedSoftmax other = network(2);
    Arrays.fill(other.state(), 3f);
    float[] parameters = other.parameters().clone();
    float[] state = other.state().clone();
    // The checkpoint is read (state included), then found to be another run's: all put back.
    assertThrows(IllegalArgumentException.class,
        () -> new Trainer(config, 2).resume(other, dir.resolve("a.safetensors"), data, null));
    assertArrayEquals(parameters, other.parameters());
    assertArrayEquals(state, other.state());
  }

  @Test
  void earlyStoppingRefusesBestWeightsWithoutTheNetworksState() throws IOException {
    Dataset data = shifted(9, 64);
    TrainingConfig config = new TrainingConfig(new Adam(0.01), 8, 4);
    Trainer trainer = new Trainer(config, 1);
    trainer.fit(network(1), data, data,
        new EarlyStopping("val_loss", MonitorMode.MIN, 10, 0, true),
        new ModelCheckpoint(dir.resolve("a.safetensors"), 2));

    // The same checkpoint with EarlyStopping's state stripped of its best state.
    NormalizedSoftmax net = network(1);
    OptimizerState optimizerState = new Adam(0.01).newState(net.parameterCount());
    Checkpoint checkpoint = Checkpoint.load(dir.resolve("a.safetensors"), net, optimizerState);
    Map<String, float[]> tensors = new LinkedHashMap<>(checkpoint.tensors());
    assertTrue(tensors.remove("callback.0.EarlyStopping.best_state") != null);
    Path stripped = dir.resolve("stripped.safetensors");
    Checkpoint.save(stripped, net, optimizerState, checkpoint.epochsDone(), checkpoint.step(),
        checkpoint.metadata(), tensors);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> trainer.resume(network(1), stripped, data, data,
            new EarlyStopping("val_loss", MonitorMode.MIN, 10, 0, true)));
    assertEquals("EarlyStopping's best weights hold 6 parameters and no state values, but"
        + " network 'NormSoftmax' has 6 and 4: the checkpoint's callback state is not for this"
        + " network", e.getMessage());
  }

  @Test
  void checkpointsOfNetworksWithoutStateHoldNoBestState() throws IOException {
    Dataset data = TrainerTest.toySet(10, 64);
    TrainingConfig config = new TrainingConfig(new Sgd(0.3), 8, 2);
    SoftmaxRegression net = SoftmaxRegression.small();
    net.initialize(1);
    new Trainer(config, 1).fit(net, data, data,
        new EarlyStopping("val_loss", MonitorMode.MIN, 10, 0, true),
        new ModelCheckpoint(dir.resolve("a.safetensors"), 1));
    Checkpoint checkpoint =
        Checkpoint.load(dir.resolve("a.safetensors"), SoftmaxRegression.small(), null);
    assertEquals(List.of("callback.0.EarlyStopping.best_weights"),
        List.copyOf(checkpoint.tensors().keySet()));

    // A trained stateful model saves and loads with its state.
    NormalizedSoftmax trained = network(1);
    new Trainer(config, 1).fit(trained, shifted(11, 64), null);
    Path model = dir.resolve("model.safetensors");
    ModelFile.save(trained, model);
    NormalizedSoftmax loaded = network(5);
    ModelFile.load(loaded, model);
    assertArrayEquals(bits(trained.state()), bits(loaded.state()));
    float[] expected = new float[2];
    float[] actual = new float[2];
    trained.predict(new float[] {3.5f, -1f}, 0, expected, 0);
    loaded.predict(new float[] {3.5f, -1f}, 0, actual, 0);
    assertArrayEquals(expected, actual);
  }
}
