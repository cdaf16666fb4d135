package dev.nnet.runtime.data.series;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a time series from a two-column CSV file, the format of {@code co2.csv} and
 * {@code sunspots.csv}:
 *
 * <pre>
 * date,co2                 "YEAR","SUNACTIVITY"
 * 19580329,316.1           1700,5
 * 19580510,                1701,11
 * </pre>
 *
 * <ul>
 *   <li>UTF-8 (a leading byte-order mark is skipped), lines ending in {@code \n} or
 *       {@code \r\n};
 *   <li>a header line naming the time column and the value column, each name optionally in double
 *       quotes;
 *   <li>then one line per observation: a time, a comma, a value, each optionally in double
 *       quotes. The time is any non-empty text without commas or quotes. The value is a decimal
 *       number ({@code 316.1}, {@code -2}, {@code 1e3}); an <b>empty</b> value, {@code NA} or
 *       {@code NaN} (any case) marks a <b>missing</b> value, which the series holds as
 *       {@link Double#NaN};
 *   <li>times strictly increasing: compared as numbers when both are numbers ({@code 1700 <
 *       1701}, {@code 19580329 < 19580405}), as text otherwise (ISO dates such as
 *       {@code 1958-03-29} compare correctly as text);
 *   <li>empty lines are allowed only at the end of the file.
 * </ul>
 *
 * <p>Anything else is rejected with an {@link IOException} whose message starts with
 * {@code file:line:} and says what was expected and what was found.
 */
public final class SeriesCsv {

  private SeriesCsv() {}

  /**
   * Reads the file into a series named after its header, NaN for missing values.
   *
   * @throws IOException if the file cannot be read or is malformed (see the class comment)
   */
  public static Series read(Path file) throws IOException {
    String text = decode(file, Files.readAllBytes(file));
    String[] lines = text.split("\n", -1);
    int count = lines.length;
    while (count > 0 && strip(lines[count - 1]).isEmpty()) {
      count--;
    }
    if (count == 0) {
      throw new IOException(file + ": the file is empty; expected a header line such as 'date,co2'");
    }
    String[] header = fields(file, 1, strip(lines[0]), "a header line 'time,value' such as 'date,co2'");
    String timeName = unquote(file, 1, header[0], "the time column name");
    String name = unquote(file, 1, header[1], "the value column name");
    if (timeName.isEmpty() || name.isEmpty()) {
      throw new IOException(file + ":1: expected a header line naming the time and value columns"
          + " such as 'date,co2', but a name is empty: '" + strip(lines[0]) + "'");
    }
    List<String> times = new ArrayList<>(count);
    double[] values = new double[count - 1];
    String previous = null;
    for (int i = 1; i < count; i++) {
      int lineNumber = i + 1;
      String line = strip(lines[i]);
      if (line.isEmpty()) {
        throw new IOException(file + ":" + lineNumber
            + ": empty line; expected 'time,value' (empty lines are allowed only at the end)");
      }
      String[] parts = fields(file, lineNumber, line, "'time,value' such as '19580329,316.1'");
      String time = unquote(file, lineNumber, parts[0], "the time");
      if (time.isEmpty()) {
        throw new IOException(file + ":" + lineNumber + ": the time is empty: '" + line + "'");
      }
      if (previous != null && !increases(previous, time)) {
        throw new IOException(file + ":" + lineNumber + ": time " + time
            + " does not come after the previous time " + previous
            + "; the rows must be in strictly increasing time order");
      }
      values[i - 1] = value(file, lineNumber, unquote(file, lineNumber, parts[1], "the value"),
          line);
      times.add(time);
      previous = time;
    }
    return Series.of(timeName, name, times, values);
  }

  private static String decode(Path file, byte[] bytes) throws IOException {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text", e);
    }
  }

  /** Removes the {@code \r} of a {@code \r\n} line ending. */
  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String[] fields(Path file, int lineNumber, String line, String expected)
      throws IOException {
    String[] parts = line.split(",", -1);
    if (parts.length != 2) {
      throw new IOException(file + ":" + lineNumber + ": expected 2 comma-separated fields, "
          + expected + ", but found " + parts.length + ": '" + line + "'");
    }
    return parts;
  }

  private static String unquote(Path file, int lineNumber, String field, String what)
      throws IOException {
    String text = field.strip();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.indexOf('"') >= 0) {
      throw new IOException(file + ":" + lineNumber + ": " + what
          + " has a stray double quote: " + field.strip());
    }
    return text;
  }

  private static double value(Path file, int lineNumber, String field, String line)
      throws IOException {
    if (field.isEmpty() || field.equalsIgnoreCase("NA") || field.equalsIgnoreCase("NaN")) {
      return Double.NaN;
    }
    double value;
    try {
      // BigDecimal's grammar: decimal numbers only, no "Infinity", hex floats or "1d" suffixes.
      value = new BigDecimal(field).doubleValue();
    } catch (NumberFormatException e) {
      throw new IOException(file + ":" + lineNumber + ": expected a number or an empty field"
          + " for a missing value, but found '" + field + "' in '" + line + "'");
    }
    if (Double.isInfinite(value)) {
      throw new IOException(file + ":" + lineNumber + ": the value " + field
          + " is out of the range of a double");
    }
    return value;
  }

  private static boolean increases(String previous, String time) {
    try {
      return new BigDecimal(previous).compareTo(new BigDecimal(time)) < 0;
    } catch (NumberFormatException e) {
      return previous.compareTo(time) < 0;
    }
  }
}
