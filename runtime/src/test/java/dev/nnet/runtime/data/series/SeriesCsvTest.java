package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesCsvTest {

  static final Path DATA = Path.of("..", "examples", "data");

  @TempDir Path dir;

  @Test
  void readsTheRealCo2FileWithItsFiftyNineGapsAsNaN() throws IOException {
    Series co2 = SeriesCsv.read(DATA.resolve("co2.csv"));
    assertEquals("co2", co2.name());
    assertEquals("date", co2.timeName());
    assertEquals(2284, co2.size());
    assertEquals(59, co2.missingCount());
    assertEquals("19580329", co2.time(0));
    assertEquals(316.1, co2.value(0));
    assertEquals("20011229", co2.time(2283));
    assertEquals(371.5, co2.value(2283));
    // 19580510 is the first empty field in the file.
    assertEquals(6, co2.firstMissing());
    assertEquals("19580510", co2.time(6));
    assertTrue(Double.isNaN(co2.value(6)));
  }

  @Test
  void readsTheRealSunspotsFileWithItsQuotedHeader() throws IOException {
    Series sunspots = SeriesCsv.read(DATA.resolve("sunspots.csv"));
    assertEquals("SUNACTIVITY", sunspots.name());
    assertEquals("YEAR", sunspots.timeName());
    assertEquals(309, sunspots.size());
    assertEquals(0, sunspots.missingCount());
    assertEquals("1700", sunspots.time(0));
    assertEquals(5, sunspots.value(0));
    assertEquals("2008", sunspots.time(308));
    assertEquals(2.9, sunspots.value(308));
  }

  @Test
  void acceptsEmptyNaAndNanAsMissingCrlfAndTrailingEmptyLines() throws IOException {
    Path file = write("t,v\r\n1,1.5\r\n2,\r\n3,NA\r\n4,nan\r\n5,-2e1\r\n\"6\",\"7\"\r\n\r\n\n");
    Series series = SeriesCsv.read(file);
    assertArrayEquals(new double[] {1.5, Double.NaN, Double.NaN, Double.NaN, -20, 7},
        series.values());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), series.times());
  }

  @Test
  void rejectsMalformedLinesWithFileAndLine() throws IOException {
    assertMessage("date,co2\n19580329,316.1\n19580405,317.3,x\n",
        ":3: expected 2 comma-separated fields, 'time,value' such as '19580329,316.1', but found"
            + " 3: '19580405,317.3,x'");
    assertMessage("date,co2\n19580329,316.1\n19580405,abc\n",
        ":3: expected a number or an empty field for a missing value, but found 'abc' in"
            + " '19580405,abc'");
    assertMessage("date,co2\n19580329,316.1\n19580329,317\n",
        ":3: time 19580329 does not come after the previous time 19580329; the rows must be in"
            + " strictly increasing time order");
    assertMessage("date,co2\n1,1\n\n2,2\n",
        ":3: empty line; expected 'time,value' (empty lines are allowed only at the end)");
    assertMessage("date,co2\n1,Infinity\n", ":2: expected a number");
    assertMessage("date,co2\n,5\n", ":2: the time is empty: ',5'");
    assertMessage("date;co2\n", ":1: expected 2 comma-separated fields, a header line");
    assertMessage("", ": the file is empty");
  }

  @Test
  void timesCompareAsNumbersWhenTheyAreNumbers() throws IOException {
    // As text "10" < "9"; as numbers the order is right.
    Series series = SeriesCsv.read(write("year,v\n9,1\n10,2\n"));
    assertEquals(2, series.size());
    assertMessage("day,v\n1958-03-29,1\n1958-03-22,2\n",
        ":3: time 1958-03-22 does not come after the previous time 1958-03-29");
  }

  private void assertMessage(String content, String expected) throws IOException {
    Path file = write(content);
    String message = assertThrows(IOException.class, () -> SeriesCsv.read(file)).getMessage();
    assertTrue(message.startsWith(file + expected), message);
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(dir, "series", ".csv");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
