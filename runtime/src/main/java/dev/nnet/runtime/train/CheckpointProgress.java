package dev.nnet.runtime.train;

import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.io.ModelFileException;
import java.io.IOException;
import java.nio.file.Path;
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
 *       tensors of the same name.
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
  private static final String HISTORY = "history.";
  private static final String CALLBACK = "callback.";

  private CheckpointProgress() {}

  static void save(
      Path file, TrainingContext context, Callback[] callbacks, Trainer trainer, int batchSize)
      throws IOException {
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
    Checkpoint.save(file, context.network(), context.optimizerState(), context.epoch(),
        context.step(), metadata, tensors);
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
