package dev.nnet.runtime.data;

import static dev.nnet.runtime.data.IdxFiles.gzip;
import static dev.nnet.runtime.data.IdxFiles.idx;
import static dev.nnet.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 200, (byte) 255, 8, 9, 10, 11};

  @Test
  void readsPlainImages() throws IOException {
    Path file = write(dir, "images", idx(0x803, new int[] {2, 2, 3}, PIXELS));
    IdxData data = IdxReader.read(file);
    assertEquals(List.of(2, 2, 3), data.shape());
    assertEquals(3, data.rank());
    assertEquals(2, data.count());
    assertEquals(6, data.itemSize());
    assertArrayEquals(PIXELS, data.bytes());
    assertEquals(255, data.unsignedByte(7));
  }

  @Test
  void readsGzippedLabels() throws IOException {
    byte[] labels = {3, 1, 4, 1, 5, 9};
    Path file = write(dir, "labels.gz", gzip(idx(0x801, new int[] {6}, labels)));
    IdxData data = IdxReader.read(file);
    assertEquals(List.of(6), data.shape());
    assertArrayEquals(labels, data.bytes());
  }

  @Test
  void readsLargeGzippedFileAcrossBufferGrowth() throws IOException {
    byte[] big = new byte[3_000_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Path file = write(dir, "big.gz", gzip(idx(0x803, new int[] {3, 1000, 1000}, big)));
    assertArrayEquals(big, IdxReader.read(file).bytes());
  }

  @Test
  void rejectsBadMagic() throws IOException {
    Path file = write(dir, "bad", idx(0x12345678, new int[] {1}, new byte[1]));
    String message = assertThrows(IOException.class, () -> IdxReader.read(file)).getMessage();
    assertTrue(message.startsWith(file + ": not an IDX file"), message);
    assertTrue(message.contains("found 0x12345678"), message);
    Path floats = write(dir, "floats", idx(0x00000D01, new int[] {1}, new byte[4]));
    message = assertThrows(IOException.class, () -> IdxReader.read(floats)).getMessage();
    assertTrue(message.contains("data type 0x0D"), message);
    Path rank2 = write(dir, "rank2", idx(0x00000802, new int[] {1, 1}, new byte[1]));
    message = assertThrows(IOException.class, () -> IdxReader.read(rank2)).getMessage();
    assertTrue(message.contains("2 dimensions"), message);
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] full = idx(0x803, new int[] {2, 2, 3}, PIXELS);
    Path file = write(dir, "short", Arrays.copyOf(full, full.length - 5));
    String message = assertThrows(IOException.class, () -> IdxReader.read(file)).getMessage();
    assertEquals(file + ": truncated: the header declares 2 × 2 × 3 = 12 bytes of data but the "
        + "file holds 7 after the 16-byte header", message);
    Path gz = write(dir, "short.gz", gzip(Arrays.copyOf(full, full.length - 5)));
    message = assertThrows(IOException.class, () -> IdxReader.read(gz)).getMessage();
    assertTrue(message.startsWith(gz + ": truncated"), message);
    assertTrue(message.contains("decompressed data holds 7"), message);
    // Every truncation, including inside the header, is an IOException naming the file.
    for (int length = 0; length < full.length; length++) {
      Path cut = write(dir, "cut" + length, Arrays.copyOf(full, length));
      IOException e = assertThrows(IOException.class, () -> IdxReader.read(cut));
      assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] full = idx(0x801, new int[] {2}, new byte[] {1, 2});
    byte[] longer = Arrays.copyOf(full, full.length + 3);
    Path file = write(dir, "long", longer);
    String message = assertThrows(IOException.class, () -> IdxReader.read(file)).getMessage();
    assertTrue(message.contains("3 unexpected extra bytes"), message);
    Path gz = write(dir, "long.gz", gzip(longer));
    assertThrows(IOException.class, () -> IdxReader.read(gz));
  }

  @Test
  void rejectsHostileDimensionsWithoutAllocating() throws IOException {
    // Headers claiming ~2^31, 2^62 and 2^93 bytes, in files of a few bytes: each must fail fast
    // with a message, not an OutOfMemoryError or an overflow.
    int[][] hostile = {
      {Integer.MAX_VALUE},
      {Integer.MAX_VALUE, Integer.MAX_VALUE, 4},
      {-1, -1, -1},
      {0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF},
    };
    for (int[] dimensions : hostile) {
      int magic = dimensions.length == 1 ? 0x801 : 0x803;
      byte[] content = idx(magic, dimensions, new byte[10]);
      Path plain = write(dir, "hostile", content);
      assertThrows(IOException.class, () -> IdxReader.read(plain), Arrays.toString(dimensions));
      Path gz = write(dir, "hostile.gz", gzip(content));
      assertThrows(IOException.class, () -> IdxReader.read(gz), Arrays.toString(dimensions));
    }
  }

  @Test
  void rejectsCorruptGzip() throws IOException {
    byte[] gz = gzip(idx(0x801, new int[] {100}, new byte[100]));
    Path file = write(dir, "corrupt.gz", Arrays.copyOf(gz, gz.length / 2));
    IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }
}
