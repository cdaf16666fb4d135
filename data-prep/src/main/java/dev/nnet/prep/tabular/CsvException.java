package dev.nnet.prep.tabular;

import java.io.IOException;

/**
 * A CSV file that cannot be read as the table it should be: the message starts with
 * {@code file:line:column} (column = the field's number, from 1) and names the column.
 */
public final class CsvException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long line;
  private final int column;

  CsvException(String file, long line, int column, String message) {
    super(file + ":" + line + (column > 0 ? ":" + column : "") + ": " + message);
    this.line = line;
    this.column = column;
  }

  /** The line (from 1) of the record at fault. */
  public long line() {
    return line;
  }

  /** The field (from 1) at fault, or 0 when the whole record is. */
  public int column() {
    return column;
  }
}
