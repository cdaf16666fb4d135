package dev.nnet.runtime.io;

import dev.nnet.runtime.Network;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The safetensors reading and writing {@link Checkpoint} needs: the same byte layout, atomic
 * replacement and distrustful checks as {@link ModelFile}, for any list of named float tensors.
 */
final class CheckpointFiles {

  private static final int CHUNK_BYTES = 1 << 16;

  private CheckpointFiles() {}

  /** A tensor to write: {@code size} floats of {@code values} from {@code offset}. */
  record Entry(String name, List<Integer> shape, float[] values, int offset, int size) {}

  /** A parsed header: its entries and where the data starts. */
  record Header(Map<?, ?> entries, long dataStart, long dataLength) {}

  /** A tensor to read: bytes [begin, end) of the data go to {@code target} from {@code offset}. */
  record Slot(String name, long begin, long end, float[] target, int offset) {}

  /**
   * The network's parameter and state tensors, checked as {@link ModelFile} checks them, with the
   * checkpoint's own names ({@code optimizer/…}, {@code extra/…}) reserved as well.
   */
  static List<ModelFile.Part> checkedParts(Network net) {
    return ModelFile.checkedParts(net, name -> name.equals(Checkpoint.METADATA)
        || name.startsWith(Checkpoint.OPTIMIZER_PREFIX)
        || name.startsWith(Checkpoint.EXTRA_PREFIX));
  }

  /** Writes the header and the tensors to {@code file} atomically, as {@link ModelFile#save}. */
  static void write(Path file, Map<String, String> metadata, List<Entry> entries)
      throws IOException {
    DataChecksum checksum = new DataChecksum();
    for (Entry entry : entries) {
      checksum.add(entry.values(), entry.offset(), entry.size());
    }
    Map<String, String> withChecksum = new LinkedHashMap<>(metadata);
    withChecksum.put(DataChecksum.KEY, checksum.value());
    byte[] header = header(withChecksum, entries);
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temp = FileChannels.createTemp(directory, target.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length);
        int written = 0;
        while (written < header.length) {
          int n = Math.min(buffer.remaining(), header.length - written);
          buffer.put(header, written, n);
          written += n;
          if (!buffer.hasRemaining()) {
            FileChannels.drain(channel, buffer);
          }
        }
        for (Entry entry : entries) {
          int end = entry.offset() + entry.size();
          for (int i = entry.offset(); i < end; i++) {
            if (buffer.remaining() < Float.BYTES) {
              FileChannels.drain(channel, buffer);
            }
            // Raw bits: NaN payloads survive the round trip too.
            buffer.putInt(Float.floatToRawIntBits(entry.values()[i]));
          }
        }
        FileChannels.drain(channel, buffer);
        // On disk before the rename makes it visible.
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      FileChannels.syncDirectory(directory);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The JSON header, UTF-8, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(Map<String, String> metadata, List<Entry> entries) {
    StringBuilder json = new StringBuilder();
    json.append('{').append(Json.quote(Checkpoint.METADATA)).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      json.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':')
          .append(Json.quote(entry.getValue()));
      first = false;
    }
    json.append('}');
    long offset = 0;
    for (Entry entry : entries) {
      long end = offset + (long) entry.size() * Float.BYTES;
      json.append(',').append(Json.quote(entry.name())).append(":{\"dtype\":\"")
          .append(Checkpoint.DTYPE).append("\",\"shape\":[");
      for (int i = 0; i < entry.shape().size(); i++) {
        json.append(i == 0 ? "" : ",").append(entry.shape().get(i));
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
    json.append(" ".repeat((8 - length % 8) % 8));
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads and parses the header, checking its length against the file and the size cap. */
  static Header readHeader(Path file, FileChannel channel) throws IOException {
    final long fileSize = channel.size();
    if (fileSize < 8) {
      throw new ModelFileException(file, "truncated: the file is " + fileSize
          + " bytes long, too short for the 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    FileChannels.readFully(file, channel, lengthBytes, 0);
    final long headerLength = lengthBytes.flip().getLong();
    if (headerLength < 0 || headerLength > ModelFile.MAX_HEADER_BYTES) {
      throw new ModelFileException(file, "header length " + Long.toUnsignedString(headerLength)
          + " exceeds the limit of " + format(ModelFile.MAX_HEADER_BYTES)
          + " bytes: not a checkpoint, or corrupt");
    }
    if (headerLength > fileSize - 8) {
      throw new ModelFileException(file, "truncated: the header length says "
          + format(headerLength) + " bytes of header but the file holds " + format(fileSize - 8)
          + " after the 8-byte length");
    }
    if (headerLength < 2) {
      throw new ModelFileException(file, "header length " + headerLength
          + " is too short for a JSON object");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    FileChannels.readFully(file, channel, headerBytes, 8);
    String headerText;
    try {
      headerText = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(headerBytes.flip())
          .toString();
    } catch (CharacterCodingException e) {
      throw new ModelFileException(file, "the header is not valid UTF-8", e);
    }
    Object header;
    try {
      header = Json.parse(headerText);
    } catch (Json.JsonException e) {
      throw new ModelFileException(file, "the header is not valid JSON: " + e.getMessage(), e);
    }
    if (!(header instanceof Map<?, ?> entries)) {
      throw new ModelFileException(file,
          "the header is " + Json.typeName(header) + ", expected a JSON object");
    }
    return new Header(entries, 8 + headerLength, fileSize - 8 - headerLength);
  }

  /** The length of a 1-D tensor entry, from its shape. */
  static int vectorLength(Path file, String name, Object entry) throws ModelFileException {
    String what = "tensor '" + name + "'";
    Map<?, ?> fields = fields(file, what, entry);
    long[] shape = whole(file, what, "shape", fields.get("shape"), -1);
    if (shape.length != 1 || shape[0] > Integer.MAX_VALUE - 8) {
      throw new ModelFileException(file, what + " has shape " + toList(shape)
          + " but extra tensors are 1-D, of at most " + (Integer.MAX_VALUE - 8) + " values");
    }
    return (int) shape[0];
  }

  /**
   * Checks a tensor entry (dtype F32, the expected shape, data offsets that fit the shape) and
   * says where its bytes go.
   */
  static Slot slot(
      Path file, String name, List<Integer> expectedShape, Object entry, float[] target,
      int offset) throws ModelFileException {
    String what = "tensor '" + name + "'";
    Map<?, ?> fields = fields(file, what, entry);
    Object dtype = fields.get("dtype");
    if (!(dtype instanceof String)) {
      throw new ModelFileException(file, what + (dtype == null ? " has no dtype"
          : " has a dtype that is " + Json.typeName(dtype)) + "; expected \"" + Checkpoint.DTYPE
          + "\"");
    }
    if (!dtype.equals(Checkpoint.DTYPE)) {
      throw new ModelFileException(file,
          what + " has dtype " + dtype + " but the checkpoint expects " + Checkpoint.DTYPE);
    }
    long[] shape = whole(file, what, "shape", fields.get("shape"), -1);
    List<Long> expected = new ArrayList<>();
    long size = 1;
    for (int dimension : expectedShape) {
      expected.add((long) dimension);
      size *= dimension;
    }
    if (!toList(shape).equals(expected)) {
      throw new ModelFileException(file,
          what + " has shape " + toList(shape) + " but the network expects " + expectedShape);
    }
    long[] offsets = whole(file, what, "data_offsets", fields.get("data_offsets"), 2);
    long bytes = size * Float.BYTES;
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
      throw new ModelFileException(file, what + " has data_offsets [" + offsets[0] + ", "
          + offsets[1] + "] but its shape " + expectedShape + " of " + Checkpoint.DTYPE
          + " needs " + format(bytes) + " bytes");
    }
    return new Slot(name, offsets[0], offsets[1], target, offset);
  }

  private static Map<?, ?> fields(Path file, String what, Object entry)
      throws ModelFileException {
    if (!(entry instanceof Map<?, ?> fields)) {
      throw new ModelFileException(file, what + " is described by " + Json.typeName(entry)
          + ", expected an object with dtype, shape and data_offsets");
    }
    for (Object key : fields.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw new ModelFileException(file, what + " has an unexpected field '" + key
            + "' (expected only dtype, shape and data_offsets)");
      }
    }
    return fields;
  }

  /**
   * Checks that the slots (sorted by offset) tile the data exactly, then reads every slot into its
   * target.
   */
  static void readData(
      Path file, FileChannel channel, Header header, List<Slot> slots, String checksum)
      throws IOException {
    if (checksum == null || !DataChecksum.wellFormed(checksum)) {
      throw new ModelFileException(file, 8, checksum == null
          ? "the metadata has no " + DataChecksum.KEY + " checksum of the tensor data; the file "
              + "was not saved by this version of nnet, or its header is corrupt"
          : "the metadata's " + DataChecksum.KEY + " is '" + checksum
              + "', expected 8 lower-case hex digits", null);
    }
    long expectedEnd = 0;
    String previous = null;
    for (Slot slot : slots) {
      if (slot.begin() != expectedEnd) {
        throw new ModelFileException(file, previous == null
            ? "the first tensor, '" + slot.name() + "', begins at byte "
                + format(slot.begin()) + " of the data, expected 0"
            : "tensor '" + previous + "' ends at byte " + format(expectedEnd)
                + " of the data but the next one, '" + slot.name() + "', begins at "
                + format(slot.begin()) + ": tensors must be contiguous and must not overlap");
      }
      expectedEnd = slot.end();
      previous = slot.name();
    }
    if (header.dataLength() < expectedEnd) {
      throw new ModelFileException(file, "truncated: header says " + format(expectedEnd)
          + " bytes of tensor data but the file holds " + format(header.dataLength()));
    }
    if (header.dataLength() > expectedEnd) {
      throw new ModelFileException(file, "the file holds " + format(header.dataLength())
          + " bytes of tensor data but the header accounts for " + format(expectedEnd)
          + " (" + format(header.dataLength() - expectedEnd) + " unexpected trailing bytes)");
    }
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    DataChecksum crc = new DataChecksum();
    for (Slot slot : slots) {
      float[] target = slot.target();
      int index = slot.offset();
      long position = header.dataStart() + slot.begin();
      long remaining = slot.end() - slot.begin();
      while (remaining > 0) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
        FileChannels.readFully(file, channel, buffer, position);
        buffer.flip();
        crc.add(buffer.array(), 0, buffer.limit());
        position += buffer.limit();
        remaining -= buffer.limit();
        while (buffer.hasRemaining()) {
          target[index++] = Float.intBitsToFloat(buffer.getInt());
        }
      }
    }
    if (!crc.value().equals(checksum)) {
      throw new ModelFileException(file, header.dataStart(), "the tensor data (bytes "
          + format(header.dataStart()) + " to " + format(header.dataStart() + header.dataLength())
          + ") does not match its CRC32C checksum (file says " + checksum + ", data gives "
          + crc.value() + "): the file is corrupt", null);
    }
  }

  /** A JSON array of non-negative integers below 2^53, of {@code length} elements (or any if -1). */
  private static long[] whole(Path file, String what, String field, Object value, int length)
      throws ModelFileException {
    String expectation = length < 0 ? "an array of non-negative integers"
        : "an array of " + length + " non-negative integers";
    if (!(value instanceof List<?> list)) {
      throw new ModelFileException(file, what + (value == null ? " has no " + field
          : "'s " + field + " is " + Json.typeName(value)) + "; expected " + expectation);
    }
    if (length >= 0 && list.size() != length) {
      throw new ModelFileException(file, what + "'s " + field + " has " + list.size()
          + " elements; expected " + expectation);
    }
    long[] result = new long[list.size()];
    for (int i = 0; i < result.length; i++) {
      OptionalLong number = list.get(i) instanceof Json.Number n
          ? n.longValue() : OptionalLong.empty();
      if (number.isEmpty() || number.getAsLong() < 0 || number.getAsLong() > (1L << 53)) {
        throw new ModelFileException(file, what + "'s " + field + " element " + i + " is "
            + list.get(i) + "; expected " + expectation);
      }
      result[i] = number.getAsLong();
    }
    return result;
  }

  private static List<Long> toList(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long value : values) {
      list.add(value);
    }
    return list;
  }





  /** Short forms of two fingerprints, long enough to tell them apart: "file…, network…". */
  static String abbreviate(String file, String network) {
    for (int length = 12; length < Math.max(file.length(), network.length()); length += 12) {
      String a = file.length() > length ? file.substring(0, length) + "…" : file;
      String b = network.length() > length ? network.substring(0, length) + "…" : network;
      if (!a.equals(b)) {
        return a + ", network " + b;
      }
    }
    return file + ", network " + network;
  }

  static String format(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
