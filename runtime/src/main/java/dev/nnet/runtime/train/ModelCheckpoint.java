package dev.nnet.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code ModelCheckpoint}, writing resumable checkpoints ({@link
 * dev.nnet.runtime.io.Checkpoint}: weights, the network's state, optimizer state and the
 * trainer's progress) that {@link Trainer#resume} continues from, and from which
 * {@code Checkpoint.load(file, net, null)} reads the model alone (weights and state).
 *
 * <p>The file name may hold placeholders filled from the epoch: {@code {epoch}}, or any value of
 * {@link EpochStats#values()} such as {@code {val_loss}}, optionally with a
 * {@link java.util.Formatter} conversion after a colon: {@code ckpt-{epoch:03d}.safetensors}
 * becomes {@code ckpt-007.safetensors}, {@code {val_loss:.4f}} becomes {@code 0.2934}. Without
 * placeholders every save replaces the same file (atomically). Missing directories are created.
 *
 * <p>Three modes: {@link #ModelCheckpoint(Path, int) every n epochs}, {@link #bestOnly best
 * only}, which saves when the monitored value improves (Keras' {@code save_best_only}), or
 * {@link #everySteps every n steps}, which saves after every n-th optimizer step, also in the
 * middle of an epoch (its file name may use {@code {epoch}}, {@code {batch}} and {@code {step}}).
 * Any way it saves nothing once a {@link NanGuard} has stopped the run or while a parameter or
 * state value is NaN or infinite: the last checkpoint on disk stays the last good one.
 */
public final class ModelCheckpoint implements Callback {

  private static final List<String> STEP_PLACEHOLDERS = List.of("epoch", "batch", "step");

  private final String pattern;
  private final int everyEpochs;
  /** Saves after every n-th step instead of at epoch ends; 0 in the epoch modes. */
  private final int everySteps;
  private final Monitor monitor;
  private double best;
  private Path lastSaved;

  /**
   * Saves after every {@code everyEpochs}-th epoch (epochs n, 2n, …).
   *
   * @throws IllegalArgumentException if {@code everyEpochs} is &lt; 1 or a placeholder is malformed
   */
  public ModelCheckpoint(Path pattern, int everyEpochs) {
    this(pattern, everyEpochs, null);
  }

  private ModelCheckpoint(Path pattern, int everyEpochs, Monitor monitor) {
    this(pattern, everyEpochs, 0, monitor);
  }

  private ModelCheckpoint(Path pattern, int everyEpochs, int everySteps, Monitor monitor) {
    this.pattern = Objects.requireNonNull(pattern, "pattern").toString();
    if (everyEpochs < 1) {
      throw new IllegalArgumentException("every epochs must be >= 1, but got " + everyEpochs);
    }
    if (everySteps < 0) {
      throw new IllegalArgumentException("every steps must be >= 1, but got " + everySteps);
    }
    for (int[] span : placeholders(this.pattern)) {
      String inside = this.pattern.substring(span[0] + 1, span[1]);
      String name = inside.indexOf(':') < 0 ? inside : inside.substring(0, inside.indexOf(':'));
      if (everySteps > 0 && !STEP_PLACEHOLDERS.contains(name)) {
        throw new IllegalArgumentException("checkpoint file name " + this.pattern + " uses {"
            + name + "}, but a checkpoint every n steps is taken during an epoch, before its"
            + " values exist: use {epoch}, {batch} or {step}");
      }
    }
    this.everyEpochs = everyEpochs;
    this.everySteps = everySteps;
    this.monitor = monitor;
    this.best = monitor == null ? Double.NaN : monitor.worst();
  }

  /**
   * Saves after every epoch whose {@code monitor} value beats the best so far (direction from the
   * name, {@link MonitorMode#AUTO}).
   */
  public static ModelCheckpoint bestOnly(Path pattern, String monitor) {
    return bestOnly(pattern, monitor, MonitorMode.AUTO);
  }

  /** Saves after every epoch whose {@code monitor} value beats the best so far. */
  public static ModelCheckpoint bestOnly(Path pattern, String monitor, MonitorMode mode) {
    return new ModelCheckpoint(pattern, 1, new Monitor(monitor, mode, 0));
  }

  /**
   * Saves after every {@code steps}-th optimizer step of the run (steps n, 2n, …, counted over the
   * whole run, resumed steps included), whether or not it ends an epoch; {@link Trainer#resume}
   * continues from such a checkpoint with the epoch's next batch. The file name may use {@code
   * {epoch}}, {@code {batch}} (within the epoch, 1-based) and {@code {step}}.
   *
   * @throws IllegalArgumentException if {@code steps} is &lt; 1, or the file name has another or a
   *     malformed placeholder
   */
  public static ModelCheckpoint everySteps(Path pattern, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("every steps must be >= 1, but got " + steps);
    }
    return new ModelCheckpoint(pattern, 1, steps, null);
  }

  @Override
  public void onBatchEnd(TrainingContext context) {
    if (everySteps == 0 || context.step() % everySteps != 0 || !worthKeeping(context)) {
      return;
    }
    save(context, fill(name -> switch (name) {
      case "epoch" -> context.epoch();
      case "batch" -> context.batch();
      default -> context.step();
    }));
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    if (monitor != null && context.initialEpoch() == 0) {
      best = monitor.worst();
    }
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    if (everySteps > 0 || !worthKeeping(context)) {
      return;
    }
    if (monitor != null) {
      double value = monitor.value("ModelCheckpoint", stats);
      if (!monitor.improves(value, best)) {
        return;
      }
      best = value;
    } else if (stats.epoch() % everyEpochs != 0) {
      return;
    }
    save(context, fill(stats));
  }

  private void save(TrainingContext context, String name) {
    Path file = Path.of(name);
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the checkpoint directory " + directory, e);
    }
    context.saveCheckpoint(file);
    lastSaved = file;
  }

  /**
   * Whether the network is worth a checkpoint: not after a {@link NanGuard} stopped the run, and
   * not with a non-finite parameter or state value, so the last checkpoint written stays the last
   * good one.
   */
  private static boolean worthKeeping(TrainingContext context) {
    for (Callback callback : context.callbacks()) {
      if (callback instanceof NanGuard guard && guard.reason() != null) {
        return false;
      }
    }
    float probe = 0;
    for (float value : context.network().parameters()) {
      probe += value - value;
    }
    for (float value : context.network().state()) {
      probe += value - value;
    }
    return probe == 0;
  }

  /** The file of the last checkpoint this callback asked for, or {@code null}. */
  public Path lastSaved() {
    return lastSaved;
  }

  @Override
  public Map<String, Object> checkpointState() {
    return monitor == null ? Map.of() : Map.of("best", Double.toString(best));
  }

  @Override
  public void restoreCheckpointState(Map<String, Object> state) {
    if (monitor != null && state.containsKey("best")) {
      best = Double.parseDouble((String) state.get("best"));
    }
  }

  /** The pattern with every placeholder filled from {@code stats}. */
  String fill(EpochStats stats) {
    return fill(name -> {
      if (name.equals("epoch")) {
        return stats.epoch();
      }
      Double measured = stats.values().get(name);
      if (measured == null) {
        throw new IllegalStateException("ModelCheckpoint's file name uses {" + name
            + "}, but the epoch measured " + stats.values().keySet());
      }
      return measured;
    });
  }

  /** The pattern with every placeholder filled by {@code values}, by name. */
  private String fill(java.util.function.Function<String, Object> values) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int[] span : placeholders(pattern)) {
      out.append(pattern, at, span[0]);
      String inside = pattern.substring(span[0] + 1, span[1]);
      int colon = inside.indexOf(':');
      String name = colon < 0 ? inside : inside.substring(0, colon);
      String spec = colon < 0 ? null : inside.substring(colon + 1);
      Object value = values.apply(name);
      try {
        out.append(spec == null ? String.valueOf(value)
            : String.format(Locale.ROOT, "%" + spec, value));
      } catch (IllegalFormatException e) {
        throw new IllegalArgumentException("ModelCheckpoint's file name has {" + inside
            + "}: '%" + spec + "' does not format "
            + (value instanceof Double ? "a double" : "a whole number")
            + ": " + e.getMessage(), e);
      }
      at = span[1] + 1;
    }
    out.append(pattern.substring(at));
    return out.toString();
  }

  /** The [open, close] brace positions of every placeholder; checks they are well formed. */
  private static List<int[]> placeholders(String pattern) {
    List<int[]> spans = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '}') {
        throw new IllegalArgumentException("unmatched '}' in checkpoint file name " + pattern);
      }
      if (c == '{') {
        int close = pattern.indexOf('}', i);
        int nested = pattern.indexOf('{', i + 1);
        if (close < 0 || (nested >= 0 && nested < close) || close == i + 1) {
          throw new IllegalArgumentException("malformed placeholder in checkpoint file name "
              + pattern + ": expected {epoch}, {name} or {name:format}");
        }
        spans.add(new int[] {i, close});
        i = close;
      }
    }
    return spans;
  }

  @Override
  public String toString() {
    if (everySteps > 0) {
      return "ModelCheckpoint(" + pattern + ", everySteps=" + everySteps + ")";
    }
    return monitor == null
        ? "ModelCheckpoint(" + pattern + ", everyEpochs=" + everyEpochs + ")"
        : "ModelCheckpoint(" + pattern + ", bestOnly=" + monitor.name + ")";
  }
}
