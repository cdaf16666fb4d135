package dev.nnet.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code CSVLogger}: one row per epoch in a CSV file, after a header row naming the
 * columns: {@code epoch}, every value of {@link EpochStats#values()} ({@code loss}, the metrics,
 * {@code val_loss}, the {@code val_} metrics, {@code learning_rate}, {@code regularization_loss})
 * and {@code seconds}:
 *
 * <pre>
 * epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,regularization_loss,seconds
 * 1,0.5690232515335083,0.842,0.33201,0.915,0.001,0.0,0.8123
 * </pre>
 *
 * <p>Numbers are written as {@link Double#toString(double)} does (exact, {@code NaN} when not a
 * number; Python's {@code float()} and pandas read both). Each row is appended and the file
 * closed after every epoch, so the file is complete up to the last finished epoch even if the
 * process dies.
 *
 * <p>A run starting from epoch 1 replaces the file. A {@link Trainer#resume resumed} run keeps the
 * header and the rows of the epochs the checkpoint holds, drops later rows (written by the
 * interrupted run after its checkpoint) and appends from there, so the file ends as an
 * uninterrupted run's would.
 */
public final class CsvLogger implements Callback {

  private final Path file;
  private List<String> columns;

  public CsvLogger(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    columns = null;
    try {
      if (context.initialEpoch() > 0 && Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        if (!lines.isEmpty() && lines.get(0).startsWith("epoch,")) {
          kept.add(lines.get(0));
          columns = Arrays.asList(lines.get(0).split(",", -1));
          for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            try {
              if (comma > 0 && Integer.parseInt(line.substring(0, comma))
                  <= context.initialEpoch()) {
                kept.add(line);
              }
            } catch (NumberFormatException e) {
              // Not a row of ours: drop it.
            }
          }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
      } else {
        Files.write(file, new byte[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CSV log " + file, e);
    }
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    Map<String, Double> values = stats.values();
    StringBuilder text = new StringBuilder();
    if (columns == null) {
      columns = new ArrayList<>();
      columns.add("epoch");
      columns.addAll(values.keySet());
      columns.add("seconds");
      text.append(String.join(",", columns)).append('\n');
    }
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      text.append(i == 0 ? "" : ",");
      if (column.equals("epoch")) {
        text.append(stats.epoch());
      } else if (column.equals("seconds")) {
        text.append(stats.seconds());
      } else if (values.containsKey(column)) {
        text.append(values.get(column).doubleValue());
      }
    }
    text.append('\n');
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CSV log " + file, e);
    }
  }

  @Override
  public String toString() {
    return "CsvLogger(" + file + ")";
  }
}
