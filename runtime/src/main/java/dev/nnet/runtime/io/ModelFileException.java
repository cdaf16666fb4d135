package dev.nnet.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file that cannot be loaded (or saved): malformed, truncated, or for a different network.
 * The message names the file and says what was expected and what was found, such as
 * {@code model.safetensors: file is for network 'Other' but this is 'MnistMlp'}.
 */
public class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  public ModelFileException(Path file, String problem) {
    this(file, problem, null);
  }

  public ModelFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
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
