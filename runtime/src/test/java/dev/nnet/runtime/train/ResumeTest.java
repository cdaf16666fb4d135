package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.io.ModelFileException;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.schedule.ExponentialDecay;
import dev.nnet.runtime.schedule.LinearWarmup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run resumed from a checkpoint ends exactly where an uninterrupted one does. */
class ResumeTest {
  @TempDir Path dir;

  static final long SEED = 77;

  /** Every stateful feature at once: dropout, Adam, schedule, clipping, class weights, split. */
  static TrainingConfig config(int epochs) {
    return new TrainingConfig(new Adam(0.05), 16, epochs)
        .withSchedule(new LinearWarmup(3, new ExponentialDecay(0.9, 5, false)))
        .withClipNorm(1.0)
        .withClipValue(0.5)
        .withClassWeights(new float[] {1f, 2f})
        .withValidationSplit(0.25)
        .withMetrics(List.of(Metrics.byName("accuracy"), Metrics.byName("f1")));
  }

  static DropoutSoftmax network(long init) {
    DropoutSoftmax net = new DropoutSoftmax(2, 2, 16, 0.3, 1e-3f);
    net.initialize(init);
    return net;
  }

  /** Records the parameters when training ends, before EarlyStopping (after it) restores. */
  static final class Trained implements Callback {
    float[] parameters;

    @Override
    public void onTrainEnd(TrainingContext context, History history) {
      parameters = context.network().parameters().clone();
    }
  }

  /** Callbacks whose state decides the final weights: plateau scale and best-weight restore. */
  List<Callback> callbacks(Trained trained, List<Callback> extra) {
    List<Callback> callbacks = new ArrayList<>();
    // "loss" with a large min delta: the rate is cut a few times in 8 epochs.
    callbacks.add(new ReduceLrOnPlateau("loss", MonitorMode.MIN, 0.5, 1, 0.15, 0, 1e-4));
    callbacks.add(trained);
    // The highest validation loss is the first epoch's: its weights come back at the end, from
    // the checkpoint's callback state when resumed.
    callbacks.add(new EarlyStopping("val_loss", MonitorMode.MAX, 100, 0, true));
    callbacks.add(new ModelCheckpoint(dir.resolve("ckpt-{epoch}.safetensors"), 2));
    callbacks.add(new CsvLogger(dir.resolve("log.csv")));
    callbacks.addAll(extra);
    return callbacks;
  }

  List<Callback> callbacks(List<Callback> extra) {
    return callbacks(new Trained(), extra);
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  /** The history without the wall-clock values, which differ between runs. */
  static List<String> withoutTimes(History history) {
    List<String> lines = new ArrayList<>();
    for (EpochStats stats : history.epochs()) {
      lines.add(stats.epoch() + " " + stats.values());
    }
    return lines;
  }

  static List<String> csvWithoutSeconds(Path file) throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      rows.add(line.substring(0, line.lastIndexOf(',')));
    }
    return rows;
  }

  @Test
  void resumedRunsEndBitIdenticalToAnUninterruptedOne() throws IOException {
    Dataset data = TrainerTest.toySet(21, 120);
    Trainer trainer = new Trainer(config(8), SEED);

    DropoutSoftmax uninterrupted = network(1);
    Trained trained = new Trained();
    History full = trainer.fit(uninterrupted, data, null, callbacks(trained, List.of()));
    assertEquals(8, full.size());
    int[] expected = bits(uninterrupted.parameters());
    int[] expectedTrained = bits(trained.parameters);
    List<String> expectedCsv = csvWithoutSeconds(dir.resolve("log.csv"));
    // The plateau callback did change the learning rate, so its state mattered, and the final
    // weights are not the trained ones but the restored first epoch's.
    Checkpoint last = Checkpoint.load(dir.resolve("ckpt-8.safetensors"), network(0), null);
    assertNotEquals("1.0", last.metadata().get("trainer.learning_rate_scale"));
    assertEquals("1", last.metadata().get("callback.2.EarlyStopping.best_epoch"));
    assertFalse(Arrays.equals(expected, expectedTrained));

    for (int at : new int[] {2, 4, 6}) {
      DropoutSoftmax resumed = network(99); // other starting weights: the checkpoint's win
      Trained resumedTrained = new Trained();
      History history = trainer.resume(resumed, dir.resolve("ckpt-" + at + ".safetensors"),
          data, null, callbacks(resumedTrained, List.of()));
      assertArrayEquals(expectedTrained, bits(resumedTrained.parameters), "resumed after " + at);
      assertArrayEquals(expected, bits(resumed.parameters()), "resumed after epoch " + at);
      assertEquals(withoutTimes(full), withoutTimes(history), "history resumed after " + at);
      assertEquals(expectedCsv, csvWithoutSeconds(dir.resolve("log.csv")));
    }
  }

  @Test
  void runsResumedAfterAnyStepEndBitIdenticalToAnUninterruptedOne() throws IOException {
    Dataset data = TrainerTest.toySet(25, 120);
    Trainer trainer = new Trainer(config(5), SEED);
    // 90 training samples in batches of 16: 6 batches per epoch (the last of 10), 30 steps.
    DropoutSoftmax uninterrupted = network(1);
    Trained trained = new Trained();
    History full = trainer.fit(uninterrupted, data, null, callbacks(trained,
        List.of(ModelCheckpoint.everySteps(dir.resolve("steps/step-{step}.safetensors"), 1))));
    assertEquals(5, full.size());
    int[] expected = bits(uninterrupted.parameters());
    List<String> expectedCsv = csvWithoutSeconds(dir.resolve("log.csv"));

    // Step 1, mid-epoch (epochs 1 and 3), an epoch's last step, the first of the next, the last.
    for (int at : new int[] {1, 3, 6, 7, 16, 30}) {
      Path checkpoint = dir.resolve("steps/step-" + at + ".safetensors");
      Checkpoint saved = Checkpoint.load(checkpoint, network(0), null);
      assertEquals((at - 1) / 6, saved.epochsDone(), "epochs done at step " + at);
      assertEquals(Integer.toString((at - 1) % 6 + 1), saved.metadata().get("trainer.batch"));
      DropoutSoftmax resumed = network(99);
      Trained resumedTrained = new Trained();
      History history = trainer.resume(resumed, checkpoint, data, null,
          callbacks(resumedTrained, List.of(ModelCheckpoint.everySteps(
              dir.resolve("again-" + at + "/step-{step}.safetensors"), 1))));
      assertArrayEquals(bits(trained.parameters), bits(resumedTrained.parameters),
          "resumed after step " + at);
      assertArrayEquals(expected, bits(resumed.parameters()), "resumed after step " + at);
      assertEquals(withoutTimes(full), withoutTimes(history), "history resumed after step " + at);
      assertEquals(expectedCsv, csvWithoutSeconds(dir.resolve("log.csv")), "after step " + at);
    }
  }

  @Test
  void aStopRequestedAfterAStepIsKeptByItsCheckpoint() throws IOException {
    Dataset data = TrainerTest.toySet(26, 120);
    Trainer trainer = new Trainer(config(4), SEED);
    Callback stopper = new Callback() {
      @Override
      public void onBatchEnd(TrainingContext context) {
        if (context.step() == 9) {
          context.requestStop("enough");
          context.saveCheckpoint(dir.resolve("stopped.safetensors"));
        }
      }
    };
    DropoutSoftmax first = network(1);
    History stopped = trainer.fit(first, data, null, List.of(stopper));
    assertEquals(2, stopped.size());
    assertEquals("enough", stopped.stopReason().orElseThrow());

    DropoutSoftmax second = network(3);
    History resumed = trainer.resume(second, dir.resolve("stopped.safetensors"), data, null);
    assertEquals(withoutTimes(stopped), withoutTimes(resumed));
    assertEquals("enough", resumed.stopReason().orElseThrow());
    assertArrayEquals(bits(first.parameters()), bits(second.parameters()));
  }

  @Test
  void midEpochCheckpointsThatCannotContinueTheRunAreRefused() throws IOException {
    Dataset data = TrainerTest.toySet(27, 64);
    TrainingConfig plain = new TrainingConfig(new Adam(0.01), 8, 2);
    new Trainer(plain, 1).fit(network(1), data, null,
        ModelCheckpoint.everySteps(dir.resolve("s{step}.safetensors"), 3));
    DropoutSoftmax net = network(2);
    float[] before = net.parameters().clone();
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> new Trainer(plain.withMetrics(List.of(Metrics.byName("f1"))), 1)
            .resume(net, dir.resolve("s3.safetensors"), data, null));
    assertTrue(e.problem().contains("has no tensor 'trainer.epoch_outputs'"), e.problem());
    assertArrayEquals(before, net.parameters());
    IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(plain.withEpochs(1), 1).resume(net, dir.resolve("s12.safetensors"),
            data, null));
    assertTrue(shorter.getMessage().endsWith("the checkpoint was taken in epoch 2, after its batch"
        + " 4, but this run trains only 1 epochs: resume with at least 2"), shorter.getMessage());
    assertArrayEquals(before, net.parameters());
    assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.everySteps(dir.resolve("a-{val_loss}"), 1));
    assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.everySteps(dir.resolve("a"), 0));
  }

  @Test
  void aCrashedRunResumesFromItsLastCheckpoint() throws IOException {
    Dataset data = TrainerTest.toySet(22, 120);
    Trainer trainer = new Trainer(config(6), SEED);
    DropoutSoftmax reference = network(1);
    Trained referenceTrained = new Trained();
    trainer.fit(reference, data, null, callbacks(referenceTrained, List.of()));

    Callback crash = new Callback() {
      @Override
      public void onBatchEnd(TrainingContext context) {
        if (context.epoch() == 5 && context.batch() == 3) {
          throw new IllegalStateException("power cut");
        }
      }
    };
    DropoutSoftmax crashed = network(1);
    assertThrows(IllegalStateException.class,
        () -> trainer.fit(crashed, data, null, callbacks(List.of(crash))));
    DropoutSoftmax resumed = network(5);
    Trained resumedTrained = new Trained();
    History history = trainer.resume(resumed, dir.resolve("ckpt-4.safetensors"), data, null,
        callbacks(resumedTrained, List.of()));
    assertEquals(6, history.size());
    assertArrayEquals(bits(referenceTrained.parameters), bits(resumedTrained.parameters));
    assertArrayEquals(bits(reference.parameters()), bits(resumed.parameters()));
  }

  @Test
  void resumingAStoppedRunTrainsNoFurtherAndRestoresTheBestWeights() throws IOException {
    Dataset data = TrainerTest.toySet(23, 80);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 8, 30);
    Trainer trainer = new Trainer(config, 3);
    // Patience 0 on a min delta nothing reaches: stops after epoch 2.
    DropoutSoftmax first = network(1);
    History stopped = trainer.fit(first, data, data, List.of(
        new EarlyStopping("val_loss", MonitorMode.MIN, 0, 10.0, true),
        new ModelCheckpoint(dir.resolve("last.safetensors"), 1)));
    assertEquals(2, stopped.size());
    assertTrue(stopped.stoppedEarly());

    DropoutSoftmax second = network(9);
    History resumed = trainer.resume(second, dir.resolve("last.safetensors"), data, data,
        new EarlyStopping("val_loss", MonitorMode.MIN, 0, 10.0, true));
    assertEquals(2, resumed.size());
    assertEquals(stopped.stopReason(), resumed.stopReason());
    assertArrayEquals(bits(first.parameters()), bits(second.parameters()));
  }

  @Test
  void resumeRefusesAnotherRunsCheckpointAndLeavesTheNetworkAlone() throws IOException {
    Dataset data = TrainerTest.toySet(24, 64);
    TrainingConfig config = new TrainingConfig(new Adam(0.01), 8, 2);
    DropoutSoftmax net = network(1);
    new Trainer(config, 1).fit(net, data, null,
        new ModelCheckpoint(dir.resolve("a.safetensors"), 1));

    DropoutSoftmax other = network(2);
    float[] before = other.parameters().clone();
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(config, 2).resume(other, dir.resolve("a.safetensors"), data, null));
    assertTrue(seed.getMessage().endsWith(": the checkpoint was written with a trainer with seed"
        + " 1, but this trainer's seed is 2: resuming would not continue the same run"),
        seed.getMessage());
    assertArrayEquals(before, other.parameters());

    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(config, 1).resume(other, dir.resolve("a.safetensors"),
            data.slice(0, 40), null));
    assertTrue(size.getMessage().contains("training samples: 64, but this run has 40"),
        size.getMessage());
    assertArrayEquals(before, other.parameters());

    ModelFileException optimizer = assertThrows(ModelFileException.class,
        () -> new Trainer(config.withOptimizer(new Sgd(0.1, 0.9)), 1)
            .resume(other, dir.resolve("a.safetensors"), data, null));
    assertEquals("the checkpoint has optimizer slot 'm' but the optimizer has [velocity]: was it"
        + " saved with a different optimizer?", optimizer.problem());
    assertArrayEquals(before, other.parameters());

    // Training longer than the original run is fine.
    History longer = new Trainer(config.withEpochs(4), 1).resume(other,
        dir.resolve("a.safetensors"), data, null);
    assertEquals(4, longer.size());
    assertTrue(Arrays.stream(longer.losses()).allMatch(Double::isFinite));
  }
}
