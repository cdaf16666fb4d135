package dev.nnet.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file that cannot be loaded (or saved): malformed, truncated, corrupt, or for a different
 * network. The message names the file, the byte where the problem lies when there is one, and says
 * what was expected and what was found, such as
 * {@code model.safetensors: file is for network 'Other' but this is 'MnistMlp'} or
 * {@code model.safetensors (byte 312): the tensor data does not match its CRC32C checksum …}.
 */
public class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;
  private final long offset;

  public ModelFileException(Path file, String problem) {
    this(file, problem, null);
  }

  public ModelFileException(Path file, String problem, Throwable cause) {
    this(file, -1, problem, cause);
  }

  /** A problem at byte {@code offset} of the file ({@code -1}: not at a place in the file). */
  public ModelFileException(Path file, long offset, String problem, Throwable cause) {
    super(file + (offset >= 0 ? " (byte " + offset + ")" : "") + ": " + problem, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.offset = offset;
  }

  /** This problem placed at byte {@code offset}, unless it already has a place. */
  ModelFileException at(long offset) {
    if (this.offset >= 0) {
      return this;
    }
    ModelFileException placed = new ModelFileException(file, offset, problem, getCause());
    placed.setStackTrace(getStackTrace());
    return placed;
  }

  /**
   * The byte of the file where the problem was found (the first byte of the part at fault), or
   * {@code -1} when the problem is not at a place in the file (it is missing, or unreadable).
   */
  public long offset() {
    return offset;
  }

  /** The model file concerned. */
  public Path file() {
    return file;
  }

  /** The message without the file name. */
  public String problem() {
    return problem;
  }
}
