package dev.nnet.plots;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/** Writes a PNG so that readers see either the old file or the complete new one, never a part. */
final class PngFiles {
  static {
    Headless.ensure();
  }

  private PngFiles() {}

  /**
   * Encodes {@code image} into a temporary file next to {@code png}, then renames it over
   * {@code png} (atomically where the file system can). Creates missing parent directories. The
   * temporary file is removed if anything fails.
   */
  static void writeAtomically(Path png, BufferedImage image) throws IOException {
    Path target = png.toAbsolutePath().normalize();
    Path fileName = target.getFileName();
    if (fileName == null) {
      throw new IllegalArgumentException("png must name a file, not a root directory: " + png);
    }
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("png names a directory, not a file: " + png);
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    // Same directory as the target, so the rename never crosses file systems. Created with
    // newOutputStream rather than createTempFile so the PNG gets the usual (umask) permissions.
    Path temp = dir.resolve("." + fileName + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
        if (!ImageIO.write(image, "png", out)) {
          throw new IOException("this JVM has no PNG encoder (javax.imageio)");
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
