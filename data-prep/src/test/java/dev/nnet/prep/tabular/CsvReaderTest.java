package dev.nnet.prep.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path file = dir.resolve("data.csv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsTypedColumnsWithMissingValues() throws IOException {
    CsvTable table = new CsvReader().read(write("""
        age,colour,"score, %"
        31,red,1.5
        ,blue,NA
        45,,2.5
        """));
    assertEquals(List.of("age", "colour", "score, %"), table.names());
    assertEquals(3, table.rows());
    assertEquals(ColumnType.NUMBER, table.type("age"));
    assertEquals(ColumnType.CATEGORY, table.type("colour"));
    assertArrayEquals(new double[] {31, Double.NaN, 45}, table.numbers("age"));
    assertArrayEquals(new double[] {1.5, Double.NaN, 2.5}, table.numbers("score, %"));
    assertNull(table.categories("colour")[2]);
    assertEquals(1, table.missing("colour"));
    assertEquals(1, table.dropMissing().rows(), "only the first row is complete");
    assertArrayEquals(new float[] {31, 1.5f, Float.NaN, Float.NaN, 45, 2.5f}, table.matrix(List.of("age", "score, %")));
  }

  @Test
  void aBadCellIsReportedWithFileLineColumnAndName() throws IOException {
    Path file = write("""
        a,b,c
        1,2,3
        "multi
        line",5,6
        7,oops,9
        """);
    CsvException e = assertThrows(CsvException.class, () -> new CsvReader().type("b", ColumnType.NUMBER).read(file));
    assertEquals(file + ":5:2: column 'b' holds numbers, but found \"oops\"", e.getMessage());
    assertEquals(5, e.line());
    assertEquals(2, e.column());
  }

  @Test
  void truncatedAndMalformedFilesGetClearErrors() throws IOException {
    CsvException truncated = assertThrows(CsvException.class, () -> new CsvReader().read(write("a,b,c\n1,2,3\n4,5")));
    assertEquals(dir.resolve("data.csv") + ":3: expected 3 fields as in the header, but found 2; is the file truncated?",
        truncated.getMessage());
    CsvException quote = assertThrows(CsvException.class, () -> new CsvReader().read(write("a,b\n1,\"open\n")));
    assertTrue(quote.getMessage().contains(":2: the CSV text is malformed"), quote.getMessage());
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().read(write("")))
        .getMessage().endsWith("the file is empty; expected a header line naming the columns"));
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().read(write("a,b,a\n1,2,3\n")))
        .getMessage().endsWith(":1:3: column 'a' is named twice (first as column 1)"));
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().type("z", ColumnType.NUMBER).read(write("a\n1\n")))
        .getMessage().contains("no such column"));
  }

  @Test
  void hostileSizesAreRefusedBeforeReading() throws IOException {
    Path file = write("a,b\n1,2\n3,4\n5,6\n");
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().limits(10, 100, 100).read(file))
        .getMessage().contains("at most 10 are read"));
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().limits(1000, 2, 100).read(file))
        .getMessage().contains(":4: more than 2 rows"));
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().limits(1000, 100, 1).read(file))
        .getMessage().contains("the header has 2 columns; at most 1"));
    Files.write(file, new byte[] {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
    assertTrue(assertThrows(CsvException.class, () -> new CsvReader().read(file)).getMessage().contains("not UTF-8"));
  }

  /** Every prefix of a file reads as a table or fails with a CsvException: no other exception type. */
  @Test
  void everyTruncationIsATableOrACsvException() throws IOException {
    String text = "name,\"x, y\",z\n\"a \"\"quoted\"\" one\",1.5,NA\nb,2,\"multi\nline\"\nc,3e2,?\n";
    for (int length = 0; length <= text.length(); length++) {
      Path file = write(text.substring(0, length));
      try {
        CsvTable table = new CsvReader().read(file);
        assertTrue(table.rows() <= 3);
      } catch (CsvException expected) {
        assertTrue(expected.getMessage().startsWith(file.toString() + ":"), expected.getMessage());
      } catch (RuntimeException | IOException other) {
        fail("prefix of length " + length + " threw " + other);
      }
    }
  }
}
