package dev.nnet.runtime.io;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Saves and loads a network's trained parameters and its {@linkplain Network#state() state}
 * (batch normalisation's running statistics) as a
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> file:
 *
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  UTF-8 JSON header, padded with spaces to a multiple of 8:
 *              {"__metadata__":{"format":"nnet","network":"MnistMlp","fingerprint":"…"},
 *               "hidden.weight":{"dtype":"F32","shape":[784,128],"data_offsets":[0,401408]}, …
 *               "bn.running_mean":{"dtype":"F32","shape":[128],"data_offsets":[…]}, …}
 *   [rest]     the tensors' values, little-endian float32, contiguous: the parameter tensors in
 *              {@link Network#parameterTensors()} order, then the state tensors in
 *              {@link Network#stateTensors()} order; offsets are relative to the byte after the
 *              header
 * </pre>
 *
 * <p>so the files open in any safetensors reader (Python's {@code safetensors}, PyTorch, …). A
 * network without state writes no state tensors, so its files are exactly those of a format that
 * knew only parameters.
 *
 * <p>{@link #save} is atomic: it writes a temporary file in the target's directory, forces it to
 * disk, and renames it over the target, so a crash leaves either the old file or the new one,
 * never half a model. {@link #load} trusts nothing in the file: it checks the header length
 * against the file size, a {@value #MAX_HEADER_BYTES}-byte cap and what the network's tensors
 * need before allocating, parses the
 * header with a strict JSON parser, checks that the file was saved from this very network
 * (name and architecture fingerprint), that every parameter and state tensor is present with
 * dtype F32 and the network's shape, that there is no other tensor, and that the tensors tile the
 * data exactly; only then does it read the values, into scratch copies of the parameters and the
 * state, so a failed load leaves the network unchanged. Every failure is a
 * {@link ModelFileException} saying what was expected and what was found.
 */
public final class ModelFile {

  /** The value of {@code __metadata__.format} in files nnet writes. */
  public static final String FORMAT = "nnet";

  /** The largest header {@link #load} accepts; real headers are a few hundred bytes per tensor. */
  public static final long MAX_HEADER_BYTES = 100_000_000;

  private static final String METADATA = "__metadata__";
  private static final String DTYPE = "F32";
  private static final int CHUNK_BYTES = 1 << 16;

  private ModelFile() {}

  /**
   * Writes the network's parameters and state to {@code file}, atomically replacing any existing
   * file.
   *
   * @throws IllegalArgumentException if the network reports duplicate or reserved tensor names
   *     (a parameter and a state tensor sharing a name included) or a tensor outside its array
   * @throws IOException if the file cannot be written; {@code file} is then left as it was
   */
  public static void save(Network net, Path file) throws IOException {
    List<Part> parts = checkedTensors(net);
    byte[] header = header(net, parts);

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
        for (Part part : parts) {
          float[] values = part.values();
          for (ParameterTensor tensor : part.tensors()) {
            int end = tensor.offset() + tensor.size();
            for (int i = tensor.offset(); i < end; i++) {
              if (buffer.remaining() < Float.BYTES) {
                FileChannels.drain(channel, buffer);
              }
              // Raw bits: NaN payloads survive the round trip too.
              buffer.putInt(Float.floatToRawIntBits(values[i]));
            }
          }
        }
        FileChannels.drain(channel, buffer);
        // On disk before the rename makes it visible: otherwise a crash could expose the new
        // name with unwritten contents.
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

  /**
   * Reads parameters and state saved by {@link #save} from the same network declaration into
   * {@code net.parameters()} and {@code net.state()}. On failure the network is unchanged.
   *
   * @throws ModelFileException if the file cannot be read, is malformed or truncated, was saved
   *     from a different network or architecture, lacks a parameter or state tensor, or holds a
   *     tensor the network does not have
   * @throws IllegalArgumentException if the network reports duplicate or reserved tensor names
   *     (a parameter and a state tensor sharing a name included) or a tensor outside its array
   */
  public static void load(Network net, Path file) throws ModelFileException {
    List<Part> parts = checkedTensors(net);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<float[]> scratch = read(net, parts, file, channel);
      // Everything checked and read: only now change the network.
      for (int i = 0; i < parts.size(); i++) {
        float[] live = parts.get(i).values();
        System.arraycopy(scratch.get(i), 0, live, 0, live.length);
      }
      net.stateChanged();
    } catch (ModelFileException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new ModelFileException(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ModelFileException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot read the file: " + e, e);
    }
  }

  /**
   * Reads and checks the whole file; returns copies of the parameters and the state (in the order
   * of {@code parts}) with the file's values.
   */
  private static List<float[]> read(
      Network net, List<Part> parts, Path file, FileChannel channel) throws IOException {
    final long fileSize = channel.size();
    if (fileSize < 8) {
      throw new ModelFileException(file, fileSize, "truncated: the file is " + fileSize
          + " bytes long, too short for the 8-byte header length", null);
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    FileChannels.readFully(file, channel, lengthBytes, 0);
    final long headerLength = lengthBytes.flip().getLong();
    // Unsigned in the format: a negative long is a length of 2^63 bytes or more.
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new ModelFileException(file, 0, "header length " + Long.toUnsignedString(headerLength)
          + " exceeds the limit of " + format(MAX_HEADER_BYTES)
          + " bytes: not a model file, or corrupt", null);
    }
    // The network says how many tensors the header describes; a longer header is not its file.
    long allowed = headerLimit(net, parts);
    if (headerLength > allowed && headerLength <= fileSize - 8) {
      throw new ModelFileException(file, 0, "header length " + format(headerLength)
          + " is more than a file for network '" + net.name() + "' needs (at most "
          + format(allowed) + " bytes for its tensors): not its model file, or corrupt", null);
    }
    if (headerLength > fileSize - 8) {
      throw new ModelFileException(file, fileSize, "truncated: the header length says "
          + format(headerLength) + " bytes of header but the file holds " + format(fileSize - 8)
          + " after the 8-byte length", null);
    }
    if (headerLength < 2) {
      throw new ModelFileException(file, 0, "header length " + headerLength
          + " is too short for a JSON object", null);
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
      throw new ModelFileException(file, 8, "the header is not valid UTF-8", e);
    }
    Object header;
    try {
      header = Json.parse(headerText);
    } catch (Json.JsonException e) {
      long at = 8 + headerText.substring(0, Math.min(e.position(), headerText.length()))
          .getBytes(StandardCharsets.UTF_8).length;
      throw new ModelFileException(file, at, "the header is not valid JSON: " + e.getMessage(), e);
    }
    if (!(header instanceof Map<?, ?> entries)) {
      throw new ModelFileException(file, 8,
          "the header is " + Json.typeName(header) + ", expected a JSON object", null);
    }

    String checksum;
    List<float[]> scratch = new ArrayList<>(parts.size());
    List<Slot> slots;
    try {
      checksum = checkMetadata(net, file, entries.get(METADATA));
      for (Part part : parts) {
        scratch.add(part.values().clone());
      }
      slots = slots(net, parts, scratch, file, entries, headerText);
    } catch (ModelFileException e) {
      throw e.at(entryOffset(headerText, METADATA));
    }

    // The tensors must tile [0, dataLength) exactly: sorted by offset, each begins where the
    // previous ended. Zero-sized tensors sort before the tensor that starts at the same byte.
    slots.sort(Comparator.<Slot>comparingLong(s -> s.begin).thenComparingLong(s -> s.end));
    long expectedEnd = 0;
    String previous = null;
    final long dataStart = 8 + headerLength;
    for (Slot slot : slots) {
      if (slot.begin != expectedEnd) {
        throw new ModelFileException(file, entryOffset(headerText, slot.tensor.name()), previous == null
            ? "the first tensor, '" + slot.tensor.name() + "', begins at byte "
                + format(slot.begin) + " of the data, expected 0"
            : "tensor '" + previous + "' ends at byte " + format(expectedEnd)
                + " of the data but the next one, '" + slot.tensor.name() + "', begins at "
                + format(slot.begin) + ": tensors must be contiguous and must not overlap",
            null);
      }
      expectedEnd = slot.end;
      previous = slot.tensor.name();
    }
    final long dataLength = fileSize - dataStart;
    if (dataLength < expectedEnd) {
      throw new ModelFileException(file, fileSize, "truncated: header says "
          + format(expectedEnd) + " bytes of tensor data but the file holds "
          + format(dataLength), null);
    }
    if (dataLength > expectedEnd) {
      throw new ModelFileException(file, dataStart + expectedEnd, "the file holds "
          + format(dataLength) + " bytes of tensor data but the header accounts for "
          + format(expectedEnd) + " (" + format(dataLength - expectedEnd)
          + " unexpected trailing bytes)", null);
    }

    if (checksum == null || !DataChecksum.wellFormed(checksum)) {
      throw new ModelFileException(file, entryOffset(headerText, METADATA), checksum == null
          ? "the metadata has no " + DataChecksum.KEY + " checksum of the tensor data; the file "
              + "was not saved by this version of nnet, or its header is corrupt"
          : "the metadata's " + DataChecksum.KEY + " is '" + checksum
              + "', expected 8 lower-case hex digits", null);
    }
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    DataChecksum crc = new DataChecksum();
    for (Slot slot : slots) {
      float[] target = slot.target;
      int index = slot.tensor.offset();
      long position = dataStart + slot.begin;
      long remaining = slot.end - slot.begin;
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
    // Before any value is looked at: a flipped bit is corruption, whatever value it makes.
    if (!crc.value().equals(checksum)) {
      throw new ModelFileException(file, dataStart, "the tensor data (bytes "
          + format(dataStart) + " to " + format(fileSize) + ") does not match its CRC32C "
          + "checksum (file says " + checksum + ", data gives " + crc.value()
          + "): the file is corrupt", null);
    }
    for (Slot slot : slots) {
      int end = slot.tensor.offset() + slot.tensor.size();
      for (int i = slot.tensor.offset(); i < end; i++) {
        if (!Float.isFinite(slot.target[i])) {
          int element = i - slot.tensor.offset();
          throw new ModelFileException(file, dataStart + slot.begin + (long) element * Float.BYTES,
              "tensor '" + slot.tensor.name() + "' element " + element + " is "
              + slot.target[i] + ": a network with non-finite weights cannot predict", null);
        }
      }
    }
    checkState(net, parts, scratch, slots, dataStart, file);
    return scratch;
  }

  /**
   * Lets the network refuse state values no fitting could have produced (a text stage's
   * vocabulary); the error names the byte of the first wrong value.
   */
  private static void checkState(Network net, List<Part> parts, List<float[]> scratch, List<Slot> slots,
      long dataStart, Path file) throws ModelFileException {
    float[] state = null;
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).kind().equals("state tensor")) {
        state = scratch.get(i);
      }
    }
    if (state == null || state.length == 0) {
      return;
    }
    try {
      net.checkState(state);
    } catch (dev.nnet.runtime.InvalidStateException e) {
      for (Slot slot : slots) {
        int first = slot.tensor.offset();
        if (slot.target == state && e.index() >= first && e.index() < first + slot.tensor.size()) {
          throw new ModelFileException(file, dataStart + slot.begin + (long) (e.index() - first) * Float.BYTES,
              e.getMessage(), e);
        }
      }
      throw new ModelFileException(file, dataStart, e.getMessage(), e);
    }
  }

  /** Checks the metadata and returns the data checksum it holds (checked later), or null. */
  private static String checkMetadata(Network net, Path file, Object metadata)
      throws ModelFileException {
    if (metadata == null) {
      throw new ModelFileException(file, "the header has no " + METADATA
          + " entry: expected format '" + FORMAT + "'; the file was not saved by nnet");
    }
    if (!(metadata instanceof Map<?, ?> map)) {
      throw new ModelFileException(file, METADATA + " is " + Json.typeName(metadata)
          + ", expected an object of strings");
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String)) {
        throw new ModelFileException(file, METADATA + " entry '" + entry.getKey() + "' is "
            + Json.typeName(entry.getValue()) + ", but metadata values must be strings");
      }
    }
    Object format = map.get("format");
    if (!FORMAT.equals(format)) {
      throw new ModelFileException(file, format == null
          ? "the metadata has no format: expected '" + FORMAT + "'; the file was not saved by nnet"
          : "the metadata says format '" + format + "' but expected '" + FORMAT + "'");
    }
    Object network = map.get("network");
    if (network == null) {
      throw new ModelFileException(file,
          "the metadata names no network; expected '" + net.name() + "'");
    }
    if (!net.name().equals(network)) {
      throw new ModelFileException(file,
          "file is for network '" + network + "' but this is '" + net.name() + "'");
    }
    Object fingerprint = map.get("fingerprint");
    if (fingerprint == null) {
      throw new ModelFileException(file, "the metadata has no fingerprint; expected "
          + net.fingerprint());
    }
    if (!net.fingerprint().equals(fingerprint)) {
      String[] shown = abbreviate((String) fingerprint, net.fingerprint());
      throw new ModelFileException(file, "architecture fingerprint differs (file " + shown[0]
          + ", network " + shown[1] + "): the file was saved from a different declaration of '"
          + net.name() + "'");
    }
    return (String) map.get(DataChecksum.KEY);
  }

  /**
   * Where each tensor's bytes are and which scratch array they go to, after checking each entry
   * against the network.
   */
  private static List<Slot> slots(
      Network net, List<Part> parts, List<float[]> scratch, Path file, Map<?, ?> entries,
      String headerText) throws ModelFileException {
    Map<String, ParameterTensor> byName = new HashMap<>();
    Map<String, float[]> targets = new HashMap<>();
    int count = 0;
    for (int i = 0; i < parts.size(); i++) {
      for (ParameterTensor tensor : parts.get(i).tensors()) {
        byName.put(tensor.name(), tensor);
        targets.put(tensor.name(), scratch.get(i));
        count++;
      }
    }
    List<Slot> slots = new ArrayList<>(count);
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      String name = (String) entry.getKey();
      if (name.equals(METADATA)) {
        continue;
      }
      ParameterTensor tensor = byName.get(name);
      if (tensor == null) {
        throw new ModelFileException(file, entryOffset(headerText, name), "the file has a tensor '"
            + name + "' that network '" + net.name() + "' does not have", null);
      }
      try {
        slots.add(slot(tensor, targets.get(name), file, entry.getValue()));
      } catch (ModelFileException e) {
        throw e.at(entryOffset(headerText, name));
      }
    }
    if (slots.size() < count) {
      for (Part part : parts) {
        for (ParameterTensor tensor : part.tensors()) {
          if (!entries.containsKey(tensor.name())) {
            throw new ModelFileException(file, "the file has no " + part.kind() + " '"
                + tensor.name() + "' (expected dtype " + DTYPE + ", shape " + tensor.shape()
                + ")");
          }
        }
      }
    }
    return slots;
  }

  private static Slot slot(ParameterTensor tensor, float[] target, Path file, Object entry)
      throws ModelFileException {
    String what = "tensor '" + tensor.name() + "'";
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
    Object dtype = fields.get("dtype");
    if (!(dtype instanceof String)) {
      throw new ModelFileException(file, what + (dtype == null ? " has no dtype"
          : " has a dtype that is " + Json.typeName(dtype)) + "; expected \"" + DTYPE + "\"");
    }
    if (!dtype.equals(DTYPE)) {
      throw new ModelFileException(file,
          what + " has dtype " + dtype + " but the network expects " + DTYPE);
    }
    long[] shape = whole(file, what, "shape", fields.get("shape"), -1);
    List<Long> expected = new ArrayList<>();
    for (int dimension : tensor.shape()) {
      expected.add((long) dimension);
    }
    List<Long> found = new ArrayList<>();
    for (long dimension : shape) {
      found.add(dimension);
    }
    if (!found.equals(expected)) {
      throw new ModelFileException(file,
          what + " has shape " + found + " but the network expects " + tensor.shape());
    }
    long[] offsets = whole(file, what, "data_offsets", fields.get("data_offsets"), 2);
    long bytes = (long) tensor.size() * Float.BYTES;
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
      throw new ModelFileException(file, what + " has data_offsets [" + offsets[0] + ", "
          + offsets[1] + "] but its shape " + tensor.shape() + " of " + DTYPE + " needs "
          + format(bytes) + " bytes");
    }
    return new Slot(tensor, target, offsets[0], offsets[1]);
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
      // 2^53 bounds every sane size and keeps the sums of offsets far from overflow.
      if (number.isEmpty() || number.getAsLong() < 0 || number.getAsLong() > (1L << 53)) {
        throw new ModelFileException(file, what + "'s " + field + " element " + i + " is "
            + list.get(i) + "; expected " + expectation);
      }
      result[i] = number.getAsLong();
    }
    return result;
  }

  /** A tensor's bytes [begin, end) of the data, to be read into {@code target}. */
  private record Slot(ParameterTensor tensor, float[] target, long begin, long end) {}

  /**
   * The network's parameter tensors over its live parameter array, then its state tensors over
   * its live state array. The lists are the network's own, iterated afresh by every pass.
   */
  record Part(String kind, List<ParameterTensor> tensors, float[] values) {}

  /**
   * The network's parameter and state tensors, checked: every name distinct across both lists and
   * not {@code reserved}, every tensor inside its array.
   *
   * @throws IllegalArgumentException if the network breaks one of these rules, a programming
   *     error in the network class
   */
  static List<Part> checkedParts(Network net, Predicate<String> reserved) {
    List<Part> parts = List.of(
        new Part("tensor", net.parameterTensors(), net.parameters()),
        new Part("state tensor", net.stateTensors(), net.state()));
    Map<String, String> kinds = new HashMap<>();
    for (Part part : parts) {
      String array = part.kind().equals("tensor") ? "parameters" : "state values";
      for (ParameterTensor tensor : part.tensors()) {
        String earlier = kinds.putIfAbsent(tensor.name(), part.kind());
        if (earlier != null && !earlier.equals(part.kind())) {
          throw new IllegalArgumentException("network '" + net.name() + "' uses the name '"
              + tensor.name() + "' for both a parameter tensor and a state tensor");
        }
        if (earlier != null || reserved.test(tensor.name())) {
          throw new IllegalArgumentException("network '" + net.name()
              + "' has a duplicate or reserved " + part.kind() + " name '" + tensor.name() + "'");
        }
        if ((long) tensor.offset() + tensor.size() > part.values().length) {
          throw new IllegalArgumentException(part.kind() + " '" + tensor.name()
              + "' of network '" + net.name() + "' lies outside its " + part.values().length
              + " " + array);
        }
      }
    }
    return parts;
  }

  private static List<Part> checkedTensors(Network net) {
    return checkedParts(net, METADATA::equals);
  }

  /** The JSON header, UTF-8, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(Network net, List<Part> parts) {
    StringBuilder json = new StringBuilder();
    json.append("{\"").append(METADATA).append("\":{\"format\":").append(Json.quote(FORMAT))
        .append(",\"network\":").append(Json.quote(net.name()))
        .append(",\"fingerprint\":").append(Json.quote(net.fingerprint()))
        .append(",\"").append(DataChecksum.KEY).append("\":").append(Json.quote(checksum(parts)))
        .append('}');
    long offset = 0;
    for (Part part : parts) {
      for (ParameterTensor tensor : part.tensors()) {
        long end = offset + (long) tensor.size() * Float.BYTES;
        json.append(',').append(Json.quote(tensor.name())).append(":{\"dtype\":\"")
            .append(DTYPE).append("\",\"shape\":[");
        for (int i = 0; i < tensor.shape().size(); i++) {
          json.append(i == 0 ? "" : ",").append(tensor.shape().get(i));
        }
        json.append("],\"data_offsets\":[").append(offset).append(',').append(end)
            .append("]}");
        offset = end;
      }
    }
    json.append('}');
    // Padding keeps the tensor data 8-byte aligned, as the safetensors format recommends.
    int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
    json.append(" ".repeat((8 - length % 8) % 8));
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }





  /**
   * The longest header a file for this network can have: what {@link #save} writes is a few dozen
   * bytes of metadata and about a hundred per tensor; this allows 64 KiB plus 1 KiB per tensor
   * and the names, so parsing a hostile header allocates an amount bounded by the network.
   */
  private static long headerLimit(Network net, List<Part> parts) {
    long limit = 65_536 + 4L * (net.name().length() + net.fingerprint().length());
    for (Part part : parts) {
      for (ParameterTensor tensor : part.tensors()) {
        limit += 1_024 + 4L * tensor.name().length();
      }
    }
    return limit;
  }

  /** The CRC32C of the tensor data {@link #save} writes. */
  private static String checksum(List<Part> parts) {
    DataChecksum checksum = new DataChecksum();
    for (Part part : parts) {
      for (ParameterTensor tensor : part.tensors()) {
        checksum.add(part.values(), tensor.offset(), tensor.size());
      }
    }
    return checksum.value();
  }

  /** Where a problem with tensor {@code name}'s entry lies: the byte of its key in the header. */
  private static long entryOffset(String headerText, String name) {
    int at = headerText.indexOf(Json.quote(name) + ":");
    return 8 + (at < 0 ? 0 : headerText.substring(0, at).getBytes(StandardCharsets.UTF_8).length);
  }

  /** Short forms of two fingerprints for a message, long enough to tell them apart. */
  private static String[] abbreviate(String file, String network) {
    for (int length = 12; length < Math.max(file.length(), network.length()); length += 12) {
      String a = file.length() > length ? file.substring(0, length) + "…" : file;
      String b = network.length() > length ? network.substring(0, length) + "…" : network;
      if (!a.equals(b)) {
        return new String[] {a, b};
      }
    }
    return new String[] {file, network};
  }

  private static String format(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
