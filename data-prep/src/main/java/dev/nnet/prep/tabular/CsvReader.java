package dev.nnet.prep.tabular;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV file with a header line into a {@link CsvTable} (parsing by Apache Commons CSV:
 * quotes, embedded line breaks, a byte-order mark). A column's type is given with {@link #type}
 * or inferred: numbers if every present cell is a number, categories otherwise. Cells equal to
 * one of the {@linkplain #missing missing markers} (by default empty, {@code NA}, {@code NaN},
 * {@code ?}) are missing.
 *
 * <p>Bad input gets a {@link CsvException} starting {@code file:line:column} naming the column:
 * a cell that is not a number in a number column, a record with too few or too many fields (a
 * truncated file), an unterminated quote, an empty or repeated header name. Hostile sizes are
 * refused before anything is allocated for them: the file size, the row count and the column
 * count have limits (see {@link #limits}), and a file that could not fit the heap is refused.
 *
 * <pre>{@code
 * CsvTable table = new CsvReader().type("diagnosis", ColumnType.CATEGORY).read(Path.of("cancer.csv"));
 * }</pre>
 */
public final class CsvReader {
  private char delimiter = ',';
  private Set<String> missing = Set.of("", "NA", "NaN", "?");
  private final Map<String, ColumnType> types = new HashMap<>();
  private long maxBytes = 256L << 20;
  private int maxRows = 10_000_000;
  private int maxColumns = 100_000;

  public CsvReader delimiter(char delimiter) {
    this.delimiter = delimiter;
    return this;
  }

  /** The cell texts (after trimming) that mean "missing". */
  public CsvReader missing(String... markers) {
    this.missing = Set.of(markers);
    return this;
  }

  /** Declares a column's type instead of inferring it. */
  public CsvReader type(String column, ColumnType type) {
    types.put(column, type);
    return this;
  }

  /** The largest file (bytes), row count and column count accepted. */
  public CsvReader limits(long maxBytes, int maxRows, int maxColumns) {
    if (maxBytes < 1 || maxRows < 1 || maxColumns < 1) {
      throw new IllegalArgumentException("limits must be positive, but got " + maxBytes + ", " + maxRows + ", "
          + maxColumns);
    }
    this.maxBytes = maxBytes;
    this.maxRows = maxRows;
    this.maxColumns = maxColumns;
    return this;
  }

  public CsvTable read(Path file) throws IOException {
    String name = file.toString();
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new CsvException(name, 1, 0, "the file holds " + String.format(Locale.ROOT, "%,d", size)
          + " bytes; at most " + String.format(Locale.ROOT, "%,d", maxBytes) + " are read (see CsvReader.limits)");
    }
    // Cells as strings take several times the file size: refuse what the heap could never hold.
    if (size * 6 > Runtime.getRuntime().maxMemory()) {
      throw new CsvException(name, 1, 0, "the file holds " + String.format(Locale.ROOT, "%,d", size)
          + " bytes, too many for this JVM's heap of " + String.format(Locale.ROOT, "%,d", Runtime.getRuntime().maxMemory())
          + " bytes; give java a larger -Xmx");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, name);
    } catch (CharacterCodingException e) {
      throw new CsvException(name, 1, 0, "the file is not UTF-8 text");
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new CsvException(name, 1, 0, "the file is not UTF-8 text");
      }
      throw e;
    }
  }

  /** Reads CSV text; {@code name} is used in messages. */
  public CsvTable read(Reader reader, String name) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setTrim(true).setIgnoreEmptyLines(false)
        .setIgnoreSurroundingSpaces(true).get();
    List<String> header = null;
    List<String[]> rows = new ArrayList<>();
    long[] lines = new long[16];
    try (CSVParser parser = CSVParser.parse(reader, format)) {
      Iterator<CSVRecord> records = parser.iterator();
      while (true) {
        long line = parser.getCurrentLineNumber() + 1;
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          if (e.getCause() instanceof CharacterCodingException) {
            throw new CsvException(name, line, 0, "the file is not UTF-8 text");
          }
          String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
          throw new CsvException(name, line, 0, "the CSV text is malformed (" + why
              + "); an unterminated quote, or a truncated file?");
        }
        if (record.size() == 1 && record.get(0).isEmpty()) {
          continue; // a blank line
        }
        if (header == null) {
          header = header(record, name, line);
          continue;
        }
        if (record.size() != header.size()) {
          throw new CsvException(name, line, 0, "expected " + header.size() + " fields as in the header, but found "
              + record.size() + (record.size() < header.size() ? "; is the file truncated?" : ""));
        }
        if (rows.size() >= maxRows) {
          throw new CsvException(name, line, 0, "more than " + String.format(Locale.ROOT, "%,d", maxRows)
              + " rows; raise the limit with CsvReader.limits if that is intended");
        }
        if (rows.size() == lines.length) {
          lines = java.util.Arrays.copyOf(lines, lines.length * 2);
        }
        lines[rows.size()] = line;
        rows.add(record.values());
      }
    }
    if (header == null) {
      throw new CsvException(name, 1, 0, "the file is empty; expected a header line naming the columns");
    }
    return table(name, header, rows, lines);
  }

  private List<String> header(CSVRecord record, String name, long line) throws CsvException {
    if (record.size() > maxColumns) {
      throw new CsvException(name, line, 0, "the header has " + record.size() + " columns; at most " + maxColumns
          + " are read (see CsvReader.limits)");
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int k = 0; k < record.size(); k++) {
      String column = record.get(k);
      if (k == 0 && column.startsWith("\uFEFF")) {
        column = column.substring(1); // a byte-order mark
      }
      if (column.isEmpty()) {
        throw new CsvException(name, line, k + 1, "column " + (k + 1) + " of the header has no name");
      }
      Integer first = seen.putIfAbsent(column, k + 1);
      if (first != null) {
        throw new CsvException(name, line, k + 1, "column '" + column + "' is named twice (first as column " + first + ")");
      }
    }
    for (String declared : types.keySet()) {
      if (!seen.containsKey(declared)) {
        throw new CsvException(name, line, 0, "a type is declared for column '" + declared
            + "', but the header has no such column; it has " + seen.keySet());
      }
    }
    return new ArrayList<>(seen.keySet());
  }

  private CsvTable table(String name, List<String> header, List<String[]> rows, long[] lines) throws CsvException {
    int n = rows.size();
    List<ColumnType> columnTypes = new ArrayList<>();
    double[][] numbers = new double[header.size()][];
    String[][] categories = new String[header.size()][];
    for (int k = 0; k < header.size(); k++) {
      String column = header.get(k);
      ColumnType type = types.get(column);
      if (type == null) {
        type = ColumnType.NUMBER;
        for (int r = 0; r < n && type == ColumnType.NUMBER; r++) {
          String cell = rows.get(r)[k];
          if (!missing.contains(cell) && parse(cell) == null) {
            type = ColumnType.CATEGORY;
          }
        }
      }
      columnTypes.add(type);
      if (type == ColumnType.NUMBER) {
        numbers[k] = new double[n];
        for (int r = 0; r < n; r++) {
          String cell = rows.get(r)[k];
          if (missing.contains(cell)) {
            numbers[k][r] = Double.NaN;
            continue;
          }
          Double value = parse(cell);
          if (value == null) {
            throw new CsvException(name, lines[r], k + 1, "column '" + column + "' holds numbers, but found \""
                + (cell.length() > 40 ? cell.substring(0, 40) + "…" : cell) + "\"");
          }
          numbers[k][r] = value;
        }
      } else {
        categories[k] = new String[n];
        for (int r = 0; r < n; r++) {
          String cell = rows.get(r)[k];
          categories[k][r] = missing.contains(cell) ? null : cell;
        }
      }
    }
    return new CsvTable(header, columnTypes, numbers, categories, n);
  }

  /** A finite number, or null. */
  private static Double parse(String cell) {
    if (cell.isEmpty() || cell.length() > 64) {
      return null;
    }
    char c = cell.charAt(cell.length() - 1);
    if (c == 'd' || c == 'D' || c == 'f' || c == 'F') {
      return null; // Java's suffixes are not numbers in CSV
    }
    try {
      double value = Double.parseDouble(cell);
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
