package dev.nnet.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file handling model files and checkpoints share: atomic writing (a temporary file beside the
 * target, then a rename made durable) and reading that fails clearly when a file ends early.
 */
final class FileChannels {
  private FileChannels() {}

  /** A new empty file next to the target, created with the default permissions. */
  static Path createTemp(Path directory, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = directory.resolve("." + name + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            .close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Makes the rename itself durable; not possible on every platform, so best effort. */
  static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Windows cannot open a directory as a channel; the rename is still atomic there.
    }
  }

  /** Writes out what {@code buffer} holds and empties it for more. */
  static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  /** Fills {@code buffer} from {@code position}, or fails if the file ends first. */
  static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new ModelFileException(file,
            "truncated while reading at byte " + format(position) + " (did the file change?)");
      }
      position += n;
    }
  }

  /** {@code 401,448}: byte counts as messages show them. */
  static String format(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
