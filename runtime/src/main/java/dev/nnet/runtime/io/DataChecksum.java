package dev.nnet.runtime.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The CRC32C of a safetensors file's tensor data (the bytes after the header), which nnet stores
 * as the metadata string {@code "crc32c"} (8 lower-case hex digits) and checks on load. Other
 * safetensors readers see one more string in {@code __metadata__} and ignore it; nnet's loaders
 * refuse a file whose data does not match, so a flipped bit anywhere in the data is caught even
 * where it would still be a plausible float.
 */
final class DataChecksum {

  /** The metadata key. */
  static final String KEY = "crc32c";

  private final CRC32C crc = new CRC32C();
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  /** Adds {@code size} floats of {@code values} from {@code offset}, as their little-endian bits. */
  void add(float[] values, int offset, int size) {
    int end = offset + size;
    for (int i = offset; i < end; i++) {
      if (buffer.remaining() < Float.BYTES) {
        flush();
      }
      buffer.putInt(Float.floatToRawIntBits(values[i]));
    }
  }

  /** Adds raw data bytes as read from a file. */
  void add(byte[] bytes, int offset, int length) {
    flush();
    crc.update(bytes, offset, length);
  }

  /** The checksum of everything added, as stored in the metadata. */
  String value() {
    flush();
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  /** Whether {@code text} has the form of a stored checksum: 8 lower-case hex digits. */
  static boolean wellFormed(String text) {
    return text.length() == 8 && text.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
  }

  private void flush() {
    buffer.flip();
    crc.update(buffer);
    buffer.clear();
  }
}
