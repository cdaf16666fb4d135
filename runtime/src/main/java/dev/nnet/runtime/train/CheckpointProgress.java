package dev.nnet.runtime.train;

import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.io.ModelFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the trainer's progress goes into a {@link Checkpoint}'s metadata and comes back:
 *
 * <ul>
 *   <li>{@code trainer.seed}, {@code trainer.batch_size}, {@code trainer.training_samples},
 *       {@code trainer.shuffle}: checked on resume, since they decide the order of the batches;
 *   <li>{@code trainer.epochs}, {@code trainer.optimizer}, {@code trainer.schedule}: for people
 *       reading the file;
 *   <li>{@code trainer.learning_rate_scale} and {@code trainer.stop_reason} (when a stop was
 *       requested);
 *   <li>{@code history.<epoch>.<value>}: every epoch's statistics, {@code loss}, {@code val_loss},
 *       {@code learning_rate}, {@code regularization_loss}, {@code seconds},
 *       {@code samples_per_second}, {@code metric.<name>} and {@code val_metric.<name>};
 *   <li>{@code callback.<index>.<class>.<key>}: each callback's {@link
 *       Callback#checkpointState()}, strings in the metadata and {@code float[]} values as extra
 *       tensors of the same name;
 *   <li>only in a checkpoint taken after a step, in the middle of epoch e (its {@code
 *       epochs_done} is e − 1): {@code trainer.batch} (the batches of epoch e already trained),
 *       the epoch's running {@code trainer.samples_seen}, {@code trainer.loss_sum}, {@code
 *       trainer.regularization_sum}, {@code trainer.correct}, the last step's {@code
 *       trainer.learning_rate} and {@code trainer.batch_loss}, and, when metrics are configured,
 *       the outputs and targets so far as the extra tensors {@code trainer.epoch_outputs} and
 *       {@code trainer.epoch_targets}. The epoch's shuffle order and dropout masks are
 *       recomputed from (seed, epoch, batch), so nothing else is needed.
 * </ul>
 *
 * <p>Doubles are written with {@link Double#toString(double)}, which parses back to the same
 * value, so a resumed run continues with exactly the numbers of the interrupted one.
 */
final class CheckpointProgress {

  private static final String SEED = "trainer.seed";
  private static final String BATCH_SIZE = "trainer.batch_size";
  private static final String TRAINING_SAMPLES = "trainer.training_samples";
  private static final String SHUFFLE = "trainer.shuffle";
  private static final String SCALE = "trainer.learning_rate_scale";
  private static final String STOP_REASON = "trainer.stop_reason";
  private static final String BATCH = "trainer.batch";
  private static final String SAMPLES_SEEN = "trainer.samples_seen";
  private static final String LOSS_SUM = "trainer.loss_sum";
  private static final String REGULARIZATION_SUM = "trainer.regularization_sum";
  private static final String CORRECT = "trainer.correct";
  private static final String LEARNING_RATE = "trainer.learning_rate";
  private static final String BATCH_LOSS = "trainer.batch_loss";
  private static final String EPOCH_OUTPUTS = "trainer.epoch_outputs";
  private static final String EPOCH_TARGETS = "trainer.epoch_targets";
  private static final String HISTORY = "history.";
  private static final String CALLBACK = "callback.";

  private CheckpointProgress() {}

  /**
   * Writes the run's checkpoint; {@code midEpoch} when taken after a step of the current epoch
   * (which then is not yet done), else at the epoch's end.
   */
  static void save(
      Path file, TrainingContext context, Callback[] callbacks, Trainer trainer, int batchSize,
      boolean midEpoch) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(SEED, Long.toString(trainer.seed()));
    metadata.put(BATCH_SIZE, Integer.toString(batchSize));
    metadata.put(TRAINING_SAMPLES, Integer.toString(context.trainingSamples()));
    metadata.put(SHUFFLE, Boolean.toString(context.config().shuffle()));
    metadata.put("trainer.epochs", Integer.toString(context.epochs()));
    metadata.put("trainer.optimizer", context.config().optimizer().toString());
    metadata.put("trainer.schedule",
        context.config().schedule().map(Object::toString).orElse("none"));
    metadata.put(SCALE, Double.toString(context.learningRateScale()));
    if (context.stopReason() != null) {
      metadata.put(STOP_REASON, context.stopReason());
    }
    for (EpochStats stats : context.epochs) {
      String prefix = HISTORY + stats.epoch() + ".";
      metadata.put(prefix + "loss", Double.toString(stats.loss()));
      metadata.put(prefix + "val_loss", Double.toString(stats.validationLoss()));
      metadata.put(prefix + "learning_rate", Double.toString(stats.learningRate()));
      metadata.put(prefix + "regularization_loss", Double.toString(stats.regularizationLoss()));
      metadata.put(prefix + "seconds", Double.toString(stats.seconds()));
      metadata.put(prefix + "samples_per_second", Double.toString(stats.samplesPerSecond()));
      for (Map.Entry<String, Double> entry : stats.metrics().entrySet()) {
        metadata.put(prefix + "metric." + entry.getKey(), Double.toString(entry.getValue()));
      }
      for (Map.Entry<String, Double> entry : stats.validationMetrics().entrySet()) {
        metadata.put(prefix + "val_metric." + entry.getKey(), Double.toString(entry.getValue()));
      }
    }
    Map<String, float[]> tensors = new LinkedHashMap<>();
    for (int i = 0; i < callbacks.length; i++) {
      String prefix = callbackPrefix(i, callbacks[i]);
      for (Map.Entry<String, Object> entry : callbacks[i].checkpointState().entrySet()) {
        String key = prefix + entry.getKey();
        if (entry.getValue() instanceof String text) {
          metadata.put(key, text);
        } else if (entry.getValue() instanceof float[] values) {
          tensors.put(key, values);
        } else {
          throw new IllegalArgumentException("checkpoint state '" + entry.getKey() + "' of "
              + callbacks[i].getClass().getName() + " is "
              + (entry.getValue() == null ? "null" : entry.getValue().getClass().getName())
              + "; state values must be String or float[]");
        }
      }
    }
    if (midEpoch) {
      metadata.put(BATCH, Integer.toString(context.batch()));
      metadata.put(SAMPLES_SEEN, Integer.toString(context.samplesSeen));
      metadata.put(LOSS_SUM, Double.toString(context.lossSum));
      metadata.put(REGULARIZATION_SUM, Double.toString(context.regularizationSum));
      metadata.put(CORRECT, Long.toString(context.correct));
      metadata.put(LEARNING_RATE, Double.toString(context.learningRate));
      metadata.put(BATCH_LOSS, Float.toString(context.batchLoss));
      if (context.epochOutputs != null) {
        tensors.put(EPOCH_OUTPUTS, Arrays.copyOf(context.epochOutputs,
            context.samplesSeen * context.network().outputSize()));
        tensors.put(EPOCH_TARGETS, Arrays.copyOf(context.epochTargets,
            context.samplesSeen * context.network().targetSize()));
      }
    }
    Checkpoint.save(file, context.network(), context.optimizerState(),
        midEpoch ? context.epoch() - 1 : context.epoch(), context.step(), metadata, tensors);
  }

  /** The context's progress from the checkpoint, after checking it belongs to this run. */
  static void restore(
      Checkpoint checkpoint, TrainingContext context, Trainer trainer, int trainSize,
      int batchSize) throws ModelFileException {
    Map<String, String> metadata = checkpoint.metadata();
    Path file = checkpoint.file();
    same(file, metadata, SEED, Long.toString(trainer.seed()), "a trainer with seed",
        "this trainer's seed is");
    same(file, metadata, BATCH_SIZE, Integer.toString(batchSize), "batches of",
        "this run's batches hold");
    same(file, metadata, TRAINING_SAMPLES, Integer.toString(trainSize), "training samples:",
        "this run has");
    same(file, metadata, SHUFFLE, Boolean.toString(context.config().shuffle()), "shuffle =",
        "this run has shuffle =");
    context.step = checkpoint.step();
    String scale = metadata.get(SCALE);
    if (scale != null) {
      context.setLearningRateScale(number(file, SCALE, scale));
    }
    context.stopReason = metadata.get(STOP_REASON);
    // Group history.<epoch>.<name> by epoch, in epoch order.
    Map<Integer, Map<String, String>> epochs = new TreeMap<>();
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (!entry.getKey().startsWith(HISTORY)) {
        continue;
      }
      String rest = entry.getKey().substring(HISTORY.length());
      int dot = rest.indexOf('.');
      int epoch;
      try {
        epoch = dot < 0 ? -1 : Integer.parseInt(rest.substring(0, dot));
      } catch (NumberFormatException e) {
        epoch = -1;
      }
      if (epoch < 1) {
        throw new ModelFileException(file, "malformed history entry '" + entry.getKey()
            + "': expected history.<epoch>.<value>");
      }
      epochs.computeIfAbsent(epoch, e -> new LinkedHashMap<>())
          .put(rest.substring(dot + 1), entry.getValue());
    }
    for (Map.Entry<Integer, Map<String, String>> entry : epochs.entrySet()) {
      context.epochs.add(stats(file, entry.getKey(), entry.getValue()));
    }
  }

  private static EpochStats stats(Path file, int epoch, Map<String, String> values)
      throws ModelFileException {
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, Double> validationMetrics = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String name = "history." + epoch + "." + entry.getKey();
      if (entry.getKey().startsWith("metric.")) {
        metrics.put(entry.getKey().substring("metric.".length()),
            number(file, name, entry.getValue()));
      } else if (entry.getKey().startsWith("val_metric.")) {
        validationMetrics.put(entry.getKey().substring("val_metric.".length()),
            number(file, name, entry.getValue()));
      }
    }
    return new EpochStats(epoch,
        value(file, epoch, values, "loss"),
        Double.NaN,
        value(file, epoch, values, "val_loss"),
        Double.NaN,
        value(file, epoch, values, "seconds"),
        value(file, epoch, values, "samples_per_second"),
        value(file, epoch, values, "learning_rate"),
        value(file, epoch, values, "regularization_loss"),
        metrics,
        validationMetrics);
  }

  private static double value(Path file, int epoch, Map<String, String> values, String name)
      throws ModelFileException {
    String text = values.get(name);
    return text == null ? Double.NaN : number(file, "history." + epoch + "." + name, text);
  }

  private static double number(Path file, String key, String text) throws ModelFileException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new ModelFileException(file, "the metadata's " + key + " is '" + text
          + "'; expected a number", e);
    }
  }

  /** The checkpoint's value of {@code key}, if it has one, must be {@code expected}. */
  private static void same(
      Path file, Map<String, String> metadata, String key, String expected, String saved,
      String now) {
    String found = metadata.get(key);
    if (found != null && !found.equals(expected)) {
      throw new IllegalArgumentException(file + ": the checkpoint was written with " + saved
          + " " + found + ", but " + now + " " + expected
          + ": resuming would not continue the same run");
    }
  }

  /**
   * The position within the epoch after the checkpoint's (the batches of it already trained),
   * with the epoch's running sums put into {@code context}; 0 for a checkpoint taken at an
   * epoch's end.
   */
  static int restorePosition(Checkpoint checkpoint, TrainingContext context, int batchSize)
      throws ModelFileException {
    Map<String, String> metadata = checkpoint.metadata();
    Path file = checkpoint.file();
    String batchText = metadata.get(BATCH);
    if (batchText == null) {
      return 0;
    }
    int batches = context.batchesPerEpoch();
    int batch = (int) whole(file, BATCH, batchText, 1, batches);
    int samples = (int) whole(file, SAMPLES_SEEN, metadata.get(SAMPLES_SEEN), 0,
        context.trainingSamples());
    int expected = Math.min(context.trainingSamples(), batch * batchSize);
    if (samples != expected) {
      throw new ModelFileException(file, "the metadata's " + SAMPLES_SEEN + " is " + samples
          + ", but " + batch + " batches of " + batchSize + " hold " + expected + " samples");
    }
    context.batch = batch;
    context.samplesSeen = samples;
    context.lossSum = number(file, LOSS_SUM, required(file, metadata, LOSS_SUM));
    context.regularizationSum =
        number(file, REGULARIZATION_SUM, required(file, metadata, REGULARIZATION_SUM));
    context.correct = whole(file, CORRECT, metadata.get(CORRECT), 0, samples);
    context.learningRate = number(file, LEARNING_RATE, required(file, metadata, LEARNING_RATE));
    context.batchLoss = (float) number(file, BATCH_LOSS, required(file, metadata, BATCH_LOSS));
    if (context.epochOutputs != null) {
      copyPrefix(file, checkpoint, EPOCH_OUTPUTS, context.epochOutputs,
          samples * context.network().outputSize());
      copyPrefix(file, checkpoint, EPOCH_TARGETS, context.epochTargets,
          samples * context.network().targetSize());
    }
    return batch;
  }

  private static String required(Path file, Map<String, String> metadata, String key)
      throws ModelFileException {
    String text = metadata.get(key);
    if (text == null) {
      throw new ModelFileException(file, "the checkpoint was taken in the middle of an epoch ("
          + BATCH + " is " + metadata.get(BATCH) + ") but its metadata has no " + key);
    }
    return text;
  }

  /** A whole number from {@code min} to {@code max}, or a clear error. */
  private static long whole(Path file, String key, String text, long min, long max)
      throws ModelFileException {
    if (text == null) {
      throw new ModelFileException(file, "the checkpoint was taken in the middle of an epoch"
          + " but its metadata has no " + key);
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      value = min - 1;
    }
    if (value < min || value > max) {
      throw new ModelFileException(file, "the metadata's " + key + " is '" + text
          + "'; expected a whole number from " + min + " to " + max);
    }
    return value;
  }

  /** The epoch's outputs or targets so far, which a run with metrics needs to resume. */
  private static void copyPrefix(
      Path file, Checkpoint checkpoint, String name, float[] into, int length)
      throws ModelFileException {
    float[] values = checkpoint.tensors().get(name);
    if (values == null) {
      throw new ModelFileException(file, "the checkpoint was taken in the middle of an epoch"
          + " without metrics: it has no tensor '" + name + "', which this run's metrics need");
    }
    if (values.length != length) {
      throw new ModelFileException(file, "tensor '" + name + "' has " + values.length
          + " values, but the epoch's samples so far need " + length);
    }
    System.arraycopy(values, 0, into, 0, length);
  }

  /** Gives each callback the state the checkpoint holds for it, if any. */
  static void restoreCallbacks(Checkpoint checkpoint, Callback[] callbacks) {
    for (int i = 0; i < callbacks.length; i++) {
      String prefix = callbackPrefix(i, callbacks[i]);
      Map<String, Object> state = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : checkpoint.metadata().entrySet()) {
        if (entry.getKey().startsWith(prefix)) {
          state.put(entry.getKey().substring(prefix.length()), entry.getValue());
        }
      }
      for (Map.Entry<String, float[]> entry : checkpoint.tensors().entrySet()) {
        if (entry.getKey().startsWith(prefix)) {
          state.put(entry.getKey().substring(prefix.length()), entry.getValue().clone());
        }
      }
      if (!state.isEmpty()) {
        callbacks[i].restoreCheckpointState(state);
      }
    }
  }

  private static String callbackPrefix(int index, Callback callback) {
    String name = callback.getClass().getSimpleName();
    return CALLBACK + index + "." + (name.isEmpty() ? "callback" : name) + ".";
  }
}
