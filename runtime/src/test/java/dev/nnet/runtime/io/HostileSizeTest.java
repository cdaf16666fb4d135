package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Size fields from hostile files (header lengths, shapes, data offsets, IDX dimensions of 0, −1,
 * 2³¹−1, 2⁶³−1 and the like) are refused in a child JVM with a 64 MB heap: no
 * {@code OutOfMemoryError}, and the bytes each load allocates stay within a bound set by the file's
 * size, because sizes come from the compiled network, never from the file.
 */
class HostileSizeTest {
  @TempDir Path dir;

  /**
   * Allocation allowed per load: 1 MiB (the reader's 64 KiB chunk, the network's scratch copies,
   * messages) plus 64 bytes per byte of file (a parsed JSON value costs a few dozen bytes per
   * character at worst).
   */
  static long bound(long fileBytes) {
    return (1 << 20) + 64 * fileBytes;
  }

  private void model(String name, long headerLength, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(headerLength).put(json);
    Files.write(dir.resolve(name + ".safetensors"), buffer.array());
  }

  private void model(String name, String header, int dataBytes) throws IOException {
    model(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  private void idx(String name, int magic, long[] dimensions, int dataBytes, boolean gzip)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + dataBytes);
    buffer.putInt(magic);
    for (long d : dimensions) {
      buffer.putInt((int) d);
    }
    byte[] bytes = buffer.array();
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream zip = new GZIPOutputStream(out)) {
        zip.write(bytes);
      }
      bytes = out.toByteArray();
    }
    Files.write(dir.resolve(name + ".idx"), bytes);
  }

  @Test
  void hostileSizesAreRefusedInA64MbHeap() throws Exception {
    String meta = "\"__metadata__\":{\"format\":\"nnet\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"crc32c\":\"00000000\"}";
    String bias = "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}";
    String header = "{" + meta + ",WEIGHT," + bias + "}";
    String weight = "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":SHAPE,\"data_offsets\":OFFSETS}";
    long[] lengths = {0, 1, 7, (1L << 31) - 1, 1L << 31, (1L << 32) - 1, Long.MAX_VALUE, -1,
        Long.MIN_VALUE, ModelFile.MAX_HEADER_BYTES, ModelFile.MAX_HEADER_BYTES + 1};
    for (int i = 0; i < lengths.length; i++) {
      model("header-length-" + i, lengths[i], "{}", 64);
    }
    String[] sizes = {"0", "-1", "2147483647", "2147483648", "4294967295", "9007199254740993",
        "9223372036854775807", "18446744073709551615", "1e30", "-9223372036854775808"};
    for (int i = 0; i < sizes.length; i++) {
      String s = sizes[i];
      model("shape-" + i, header.replace("WEIGHT",
          weight.replace("SHAPE", "[" + s + ",3]").replace("OFFSETS", "[0,48]")), 60);
      model("shape-rank-" + i, header.replace("WEIGHT",
          weight.replace("SHAPE", "[4,3," + s + "]").replace("OFFSETS", "[0,48]")), 60);
      model("offset-end-" + i, header.replace("WEIGHT",
          weight.replace("SHAPE", "[4,3]").replace("OFFSETS", "[0," + s + "]")), 60);
      model("offset-begin-" + i, header.replace("WEIGHT",
          weight.replace("SHAPE", "[4,3]").replace("OFFSETS", "[" + s + ",48]")), 60);
    }
    // A shape array of a million elements: large, but only as large as the file.
    model("shape-long", header.replace("WEIGHT", weight.replace("SHAPE",
        "[" + "1,".repeat(1_000_000) + "1]").replace("OFFSETS", "[0,48]")), 60);
    long[] dimensions = {0, 0xFFFFFFFFL, Integer.MAX_VALUE, 1L << 31, 60_000};
    for (int i = 0; i < dimensions.length; i++) {
      long d = dimensions[i];
      idx("idx-images-" + i, 0x803, new long[] {d, d, d}, 100, false);
      idx("idx-images-gz-" + i, 0x803, new long[] {d, d, d}, 100, true);
      idx("idx-labels-" + i, 0x801, new long[] {d}, 100, false);
      idx("idx-labels-gz-" + i, 0x801, new long[] {d}, 100, true);
    }
    // A gzip bomb: 1000 × 1000 × 1000 declared, 200 MB of zeros that compress to a few hundred KB.
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (OutputStream zip = new GZIPOutputStream(bomb)) {
      zip.write(ByteBuffer.allocate(16).putInt(0x803).putInt(1000).putInt(1000).putInt(1000).array());
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        zip.write(zeros);
      }
    }
    Files.write(dir.resolve("idx-gzip-bomb.idx"), bomb.toByteArray());

    ChildJvm.Result result = ChildJvm.run(List.of("-Xmx64m"), HostileFiles.class, 300, dir.toString());
    assertEquals(0, result.exitCode(), result.out());
    Map<String, String[]> lines = new TreeMap<>();
    for (String line : result.out().split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length == 5) {
        lines.put(fields[0], fields);
      }
    }
    long files;
    try (var list = Files.list(dir)) {
      files = list.count();
    }
    assertEquals(files, lines.size(), result.out());
    List<String> problems = new ArrayList<>();
    for (String[] f : lines.values()) {
      boolean model = f[0].endsWith(".safetensors");
      String expected = model ? "ModelFileException" : "IOException";
      long allocated = Long.parseLong(f[3]);
      long size = Long.parseLong(f[4]);
      if (!f[1].equals(expected)) {
        problems.add(f[0] + ": " + f[1] + ", expected " + expected);
      }
      if (model && Long.parseLong(f[2]) < 0) {
        problems.add(f[0] + ": no byte offset");
      }
      if (allocated > bound(size)) {
        problems.add(f[0] + ": allocated " + allocated + " bytes for a " + size + "-byte file");
      }
    }
    assertTrue(problems.isEmpty(), problems + "\n" + result.out());
    System.out.println("[reliability] hostile size files refused under -Xmx64m: " + lines.size());
  }
}
