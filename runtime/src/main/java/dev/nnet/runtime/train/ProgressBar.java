package dev.nnet.runtime.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Console progress, Keras style, that stays readable in CI logs.
 *
 * <p>On a terminal, one line per epoch is redrawn in place with {@code \r} (at most ten times a
 * second) while the epoch runs, and replaced by the epoch's summary when it ends:
 *
 * <pre>
 * epoch 2/5  [=========&gt;          ]  120/250  ETA 3 s  loss: 0.2614  accuracy: 0.9288
 * epoch 2/5  loss: 0.2614  accuracy: 0.9288  val_loss: 0.2620  val_accuracy: 0.9285  (0.9 s, 10559 samples/s)
 * </pre>
 *
 * <p>When the output is not a terminal (a file, a pipe, a CI log), nothing is redrawn: it prints
 * the summary line per epoch and, during long epochs, a plain progress line every
 * {@code progressInterval} (30 seconds by default):
 *
 * <pre>
 * epoch 1/5  batch 120/250  ETA 32 s  loss: 0.5812  accuracy: 0.8390
 * epoch 1/5  loss: 0.5690  accuracy: 0.8420  (0.8 s, 10133 samples/s)
 * </pre>
 *
 * <p>The summary line is {@link TrainingListener#format}'s, plus the learning rate
 * ({@code learning_rate: 0.0005}) when a schedule or a {@link ReduceLrOnPlateau} can change it. A
 * resumed run starts with {@code resuming after epoch 3/5 (step 750)}, and a run stopped by a
 * callback ends with {@code stopped: } and the reason. The running values are the epoch's so far
 * ({@link TrainingContext#runningValues()}). Numbers use {@link java.util.Locale#ROOT}.
 */
public final class ProgressBar implements Callback {

  /** The default time between two progress lines when not on a terminal. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 20;

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private final LongSupplier clock;

  private boolean showRate;
  private long epochStarted;
  private long lastPrinted;
  private int drawnLength;

  /**
   * A progress bar that redraws only when {@code out} is {@link System#out} or {@link System#err}
   * and the JVM has a console ({@code System.console() != null}).
   */
  public ProgressBar(PrintStream out) {
    this(out, System.console() != null && (out == System.out || out == System.err));
  }

  /** A progress bar that redraws with {@code \r} if {@code terminal}, else prints plain lines. */
  public ProgressBar(PrintStream out, boolean terminal) {
    this(out, terminal, DEFAULT_INTERVAL);
  }

  /**
   * @param progressInterval the time between two progress lines when not on a terminal
   * @throws IllegalArgumentException if {@code progressInterval} is negative
   */
  public ProgressBar(PrintStream out, boolean terminal, Duration progressInterval) {
    this(out, terminal, progressInterval, System::nanoTime);
  }

  ProgressBar(PrintStream out, boolean terminal, Duration progressInterval, LongSupplier clock) {
    this.out = Objects.requireNonNull(out, "out");
    this.terminal = terminal;
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException(
          "progress interval must be >= 0, but got " + progressInterval);
    }
    this.intervalNanos = progressInterval.toNanos();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether this bar redraws in place. */
  public boolean terminal() {
    return terminal;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    showRate = context.config().schedule().isPresent()
        || context.callbacks().stream().anyMatch(c -> c instanceof ReduceLrOnPlateau);
    drawnLength = 0;
    if (context.initialEpoch() > 0) {
      out.println("resuming after epoch " + context.initialEpoch() + "/" + context.epochs()
          + " (step " + context.step() + ")");
    }
  }

  @Override
  public void onEpochBegin(TrainingContext context) {
    epochStarted = clock.getAsLong();
    lastPrinted = epochStarted;
    drawnLength = 0;
  }

  @Override
  public void onBatchEnd(TrainingContext context) {
    long now = clock.getAsLong();
    int batch = context.batch();
    int batches = context.batchesPerEpoch();
    if (terminal) {
      if (batch == 1 || batch == batches || now - lastPrinted >= REDRAW_NANOS) {
        lastPrinted = now;
        draw(barLine(context, now));
      }
    } else if (batch < batches && now - lastPrinted >= intervalNanos) {
      lastPrinted = now;
      out.println(progressLine(context, now));
    }
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    String line = Lines.epoch(stats, context.epochs(), showRate);
    if (terminal) {
      draw(line);
      out.print('\n');
      out.flush();
      drawnLength = 0;
    } else {
      out.println(line);
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context, History history) {
    if (terminal && drawnLength > 0) {
      out.print('\n');
    }
    history.stopReason().ifPresent(reason -> out.println("stopped: " + reason));
    out.flush();
  }

  /** Overwrites the current terminal line, blanking what is left of a longer previous one. */
  private void draw(String line) {
    StringBuilder text = new StringBuilder(line.length() + 8).append('\r').append(line);
    for (int i = line.length(); i < drawnLength; i++) {
      text.append(' ');
    }
    out.print(text);
    out.flush();
    drawnLength = line.length();
  }

  private String barLine(TrainingContext context, long now) {
    int batch = context.batch();
    int batches = context.batchesPerEpoch();
    int filled = (int) ((long) BAR_WIDTH * batch / batches);
    StringBuilder line = new StringBuilder();
    line.append("epoch ").append(context.epoch()).append('/').append(context.epochs());
    line.append("  [");
    for (int i = 0; i < BAR_WIDTH; i++) {
      line.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    line.append("]  ").append(batch).append('/').append(batches);
    appendEtaAndValues(line, context, now);
    return line.toString();
  }

  private String progressLine(TrainingContext context, long now) {
    StringBuilder line = new StringBuilder();
    line.append("epoch ").append(context.epoch()).append('/').append(context.epochs());
    line.append("  batch ").append(context.batch()).append('/').append(context.batchesPerEpoch());
    appendEtaAndValues(line, context, now);
    return line.toString();
  }

  private void appendEtaAndValues(StringBuilder line, TrainingContext context, long now) {
    int batch = context.batch();
    int remaining = context.batchesPerEpoch() - batch;
    if (remaining > 0) {
      double perBatch = (now - epochStarted) / 1e9 / batch;
      line.append("  ETA ").append(Lines.duration(perBatch * remaining));
    }
    Map<String, Double> values = context.runningValues();
    Lines.values(line, "", values);
    if (showRate) {
      line.append("  learning_rate: ").append(Lines.rate(context.learningRate()));
    }
  }

  @Override
  public String toString() {
    return "ProgressBar(terminal=" + terminal + ")";
  }
}
