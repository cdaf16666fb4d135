package dev.nnet.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun &amp; Cortes, the MNIST database format) of unsigned bytes: a big-endian
 * header of the magic number {@code 0x00000801} (a vector, such as labels) or {@code 0x00000803}
 * (a rank-3 array, such as images), one big-endian 32-bit size per dimension, then the values
 * row-major. Files starting with the gzip magic {@code 1f 8b} (as MNIST is distributed) are
 * decompressed on the fly.
 *
 * <p>Every malformed file is rejected with an {@link IOException} naming the file, what was
 * expected and what was found: a bad magic, a truncated header or body, or extra bytes after the
 * body. Sizes declared by the header are checked before they are allocated: for a plain file
 * against the file size, and for a gzipped one the buffer grows only as data actually arrives,
 * so a hostile header cannot make the reader allocate gigabytes. Data larger than a quarter of
 * the JVM's maximum heap is refused before it is read, so a gzip bomb cannot exhaust the heap.
 */
public final class IdxReader {

  /** The magic number of an IDX vector of unsigned bytes (MNIST labels). */
  public static final int VECTOR_MAGIC = 0x00000801;
  /** The magic number of a rank-3 IDX array of unsigned bytes (MNIST images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  // The largest array the JVM reliably allocates.
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int FIRST_GZIP_CHUNK = 1 << 20;

  private IdxReader() {}

  /** Reads a whole IDX file, plain or gzipped. */
  public static IdxData read(Path file) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = Files.newInputStream(file);
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
      buffered.mark(2);
      boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
      buffered.reset();
      if (!gzip) {
        return read(file, buffered, fileSize);
      }
      try (InputStream in = new GZIPInputStream(buffered, 1 << 16)) {
        return read(file, in, -1);
      } catch (ZipException | EOFException e) {
        // The JDK's messages ("Unexpected end of ZLIB input stream") do not say which file.
        throw new IOException(file + ": corrupt or truncated gzip data: " + e.getMessage(), e);
      }
    }
  }

  /** Reads from {@code in}; {@code fileSize} is the plain file's size, or -1 for a gzip stream. */
  private static IdxData read(Path file, InputStream in, long fileSize) throws IOException {
    String where = fileSize < 0 ? "the decompressed data" : "the file";
    byte[] magicBytes = new byte[4];
    int got = readFully(in, magicBytes, 0, 4);
    if (got < 4) {
      throw new IOException(
          file + ": truncated: " + where + " holds " + got + " bytes, too short for the 4-byte "
              + "IDX magic number");
    }
    int magic = bigEndianInt(magicBytes, 0);
    if (magic != VECTOR_MAGIC && magic != IMAGES_MAGIC) {
      throw new IOException(
          file + ": not an IDX file of unsigned bytes: expected the magic number 0x00000801 "
              + "(labels) or 0x00000803 (images), but found " + hex(magic)
              + describeMagic(magic));
    }
    int rank = magic & 0xFF;
    int headerSize = 4 + 4 * rank;
    byte[] dimensionBytes = new byte[4 * rank];
    got = readFully(in, dimensionBytes, 0, dimensionBytes.length);
    if (got < dimensionBytes.length) {
      throw new IOException(
          file + ": truncated: the header of a rank-" + rank + " IDX file is " + headerSize
              + " bytes, but " + where + " ends after " + (4 + got));
    }
    int[] dimensions = new int[rank];
    long declared = 1;
    StringBuilder shape = new StringBuilder();
    for (int i = 0; i < rank; i++) {
      long dimension = bigEndianInt(dimensionBytes, 4 * i) & 0xFFFFFFFFL;
      if (dimension > Integer.MAX_VALUE) {
        throw new IOException(
            file + ": dimension " + i + " is " + format(dimension)
                + ", more than any IDX file this reader can hold");
      }
      dimensions[i] = (int) dimension;
      // Saturate instead of overflowing: three 31-bit sizes can exceed a long.
      declared = declared != 0 && dimension > Long.MAX_VALUE / declared
          ? Long.MAX_VALUE : declared * dimension;
      shape.append(i == 0 ? "" : " × ").append(dimension);
    }
    String declaration = rank == 1
        ? format(declared) + " bytes of data"
        : shape + " = " + format(declared) + " bytes of data";

    if (fileSize >= 0) {
      long present = fileSize - headerSize;
      if (present < declared) {
        throw new IOException(
            file + ": truncated: the header declares " + declaration + " but the file holds "
                + format(present) + " after the " + headerSize + "-byte header");
      }
      if (present > declared) {
        throw new IOException(
            file + ": the header declares " + declaration + " but the file holds "
                + format(present) + " after the " + headerSize + "-byte header ("
                + format(present - declared) + " unexpected extra bytes)");
      }
    }
    if (declared > MAX_ARRAY) {
      throw new IOException(
          file + ": the header declares " + declaration + ", more than one array can hold");
    }
    // A gzip stream can inflate to any size, and a plain file can be larger than the heap: refuse
    // what could not fit rather than die of an OutOfMemoryError halfway.
    long heapShare = Runtime.getRuntime().maxMemory() / 4;
    if (declared > heapShare) {
      throw new IOException(
          file + ": the header declares " + declaration + ", more than a quarter of this JVM's "
              + "maximum heap (" + format(Runtime.getRuntime().maxMemory()) + " bytes); run "
              + "java with a larger -Xmx if the file is genuine");
    }

    byte[] data;
    if (fileSize >= 0) {
      // Checked against the file size above, so this allocation is backed by real bytes.
      data = new byte[(int) declared];
      got = readFully(in, data, 0, data.length);
      if (got < data.length) {
        throw new IOException(
            file + ": truncated while reading: expected " + format(declared) + " bytes of data, "
                + "found " + format(got) + " (did the file change?)");
      }
    } else {
      data = readGrowing(file, in, (int) declared, declaration);
    }
    if (in.read() != -1) {
      throw new IOException(
          file + ": " + where + " continues after the " + declaration + " the header declares");
    }
    return new IdxData(dimensions, data);
  }

  /** Reads exactly {@code expected} bytes, growing the buffer only as data arrives. */
  private static byte[] readGrowing(Path file, InputStream in, int expected, String declaration)
      throws IOException {
    byte[] buffer = new byte[Math.min(expected, FIRST_GZIP_CHUNK)];
    int filled = 0;
    while (true) {
      filled += readFully(in, buffer, filled, buffer.length - filled);
      if (filled < buffer.length) {
        throw new IOException(
            file + ": truncated: the header declares " + declaration
                + " but the decompressed data holds " + format(filled));
      }
      if (filled == expected) {
        return buffer;
      }
      byte[] larger = new byte[(int) Math.min(expected, 2L * buffer.length)];
      System.arraycopy(buffer, 0, larger, 0, filled);
      buffer = larger;
    }
  }

  /** Reads up to {@code length} bytes, stopping early only at the end of the stream. */
  private static int readFully(InputStream in, byte[] buffer, int offset, int length)
      throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(buffer, offset + total, length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static int bigEndianInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) << 24
        | (bytes[offset + 1] & 0xFF) << 16
        | (bytes[offset + 2] & 0xFF) << 8
        | (bytes[offset + 3] & 0xFF);
  }

  private static String describeMagic(int magic) {
    if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xFF) != 0x08) {
      return String.format(Locale.ROOT,
          " (data type 0x%02X; only unsigned bytes, 0x08, are supported)", (magic >>> 8) & 0xFF);
    }
    if ((magic >>> 16) == 0) {
      return " (" + (magic & 0xFF) + " dimensions; only 1 and 3 are supported)";
    }
    return "";
  }

  private static String hex(int value) {
    return String.format(Locale.ROOT, "0x%08X", value);
  }

  private static String format(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
