package dev.nnet.runtime.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged IDX files, in bulk: every truncation of a plain and of a gzipped file, and every bit
 * flip in the header, are refused with an {@link IOException} naming the file, or (for a flip that
 * still describes the same bytes) read back unchanged; nothing else is ever thrown. Hostile sizes
 * under a small heap are in {@code HostileSizeTest}.
 */
class IdxCorruptionTest {
  @TempDir Path dir;

  private static byte[] images() throws IOException {
    byte[] data = new byte[3 * 5 * 4];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37);
    }
    return IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 5, 4}, data);
  }

  private IOException assertRefused(byte[] bytes, String what) throws IOException {
    Path file = IdxFiles.write(dir, "damaged.idx", bytes);
    try {
      IdxReader.read(file);
    } catch (IOException e) {
      assertTrue(e.getMessage().startsWith(file + ": "), what + ": " + e.getMessage());
      return e;
    } catch (Throwable t) {
      throw new AssertionError(what + ": expected an IOException, got " + t, t);
    }
    return fail(what + ": the damaged file was read");
  }

  @Test
  void everyTruncationIsRefused() throws IOException {
    int refused = 0;
    for (byte[] bytes : new byte[][] {images(), IdxFiles.gzip(images()),
        IdxFiles.idx(IdxReader.VECTOR_MAGIC, new int[] {9}, new byte[9])}) {
      for (int length = 0; length < bytes.length; length++) {
        assertRefused(Arrays.copyOf(bytes, length), "cut at " + length);
        refused++;
      }
      byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
      if (bytes[0] != 0x1f) {
        assertRefused(longer, "one byte too many");
      }
    }
    assertTrue(refused > 100, refused + " truncations");
    System.out.println("[reliability] IDX truncations refused: " + refused);
  }

  @Test
  void everyHeaderBitFlipIsRefused() throws IOException {
    byte[] bytes = images();
    for (int position = 0; position < 16; position++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = bytes.clone();
        copy[position] ^= (byte) (1 << bit);
        assertRefused(copy, "byte " + position + " bit " + bit);
      }
    }
    // The data itself has no checksum in the IDX format: a flip there reads as a different pixel.
    byte[] copy = bytes.clone();
    copy[20] ^= 1;
    IdxData read = IdxReader.read(IdxFiles.write(dir, "pixel.idx", copy));
    assertTrue(read.shape().equals(java.util.List.of(3, 5, 4)) && read.unsignedByte(4) == ((4 * 37) & 0xFF ^ 1), read.toString());
  }
}
