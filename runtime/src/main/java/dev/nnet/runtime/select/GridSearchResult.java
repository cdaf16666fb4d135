package dev.nnet.runtime.select;

import dev.nnet.runtime.train.MonitorMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of a {@link GridSearch}: one row per candidate, in order, and the best by the mean
 * of the primary score (the first metric, or the loss): highest for accuracy-like scores, lowest
 * for losses and errors ({@link MonitorMode#AUTO}). {@link #toString()} is the table:
 *
 * <pre>
 * candidate    accuracy         loss
 * 64 units     0.9120 ± 0.0150  0.2500 ± 0.0200
 * 128 units *  0.9410 ± 0.0100  0.1800 ± 0.0100
 * * best mean accuracy over 5 folds
 * </pre>
 *
 * <p>Immutable.
 */
public final class GridSearchResult {

  /**
   * One candidate's cross-validation.
   *
   * @param candidate the candidate's name
   * @param result its scores
   */
  public record Row(String candidate, CrossValidationResult result) {
    public Row {
      Objects.requireNonNull(candidate, "candidate");
      Objects.requireNonNull(result, "result");
    }
  }

  private final List<Row> rows;
  private final int best;

  GridSearchResult(List<Row> rows) {
    this.rows = List.copyOf(rows);
    String primary = this.rows.get(0).result().primary();
    boolean maximize = MonitorMode.AUTO.maximizes(primary);
    int bestIndex = 0;
    for (int i = 1; i < this.rows.size(); i++) {
      double mean = this.rows.get(i).result().mean();
      double bestMean = this.rows.get(bestIndex).result().mean();
      if (Double.isNaN(bestMean) && !Double.isNaN(mean)
          || (maximize ? mean > bestMean : mean < bestMean)) {
        bestIndex = i;
      }
    }
    this.best = bestIndex;
  }

  /** Every candidate's row, in the order searched. */
  public List<Row> rows() {
    return rows;
  }

  /** The best row (the first of equals). */
  public Row best() {
    return rows.get(best);
  }

  /** The score the candidates are ranked by. */
  public String rankedBy() {
    return rows.get(0).result().primary();
  }

  /** The table: candidate, then mean ± std per score, the best marked with {@code *}. */
  @Override
  public String toString() {
    List<String> names = rows.get(0).result().names();
    List<List<String>> cells = new ArrayList<>();
    List<String> header = new ArrayList<>();
    header.add("candidate");
    header.addAll(names);
    cells.add(header);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      List<String> line = new ArrayList<>();
      line.add(row.candidate() + (i == best ? " *" : ""));
      for (String name : names) {
        line.add(String.format(Locale.ROOT, "%.4f ± %.4f", row.result().mean(name),
            row.result().std(name)));
      }
      cells.add(line);
    }
    int[] widths = new int[header.size()];
    for (List<String> line : cells) {
      for (int c = 0; c < line.size(); c++) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    StringBuilder table = new StringBuilder();
    for (List<String> line : cells) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < line.size(); c++) {
        text.append(c == 0 ? "" : "  ").append(line.get(c));
        if (c < line.size() - 1) {
          text.append(" ".repeat(widths[c] - line.get(c).length()));
        }
      }
      table.append(text).append('\n');
    }
    table.append("* best mean ").append(rankedBy()).append(" over ")
        .append(rows.get(0).result().folds()).append(" folds");
    return table.toString();
  }
}
