package dev.nnet.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a fresh JVM on this test's class path, for what one JVM cannot
 * show: a small heap, another JIT mode, a process killed with SIGKILL, determinism across JVMs.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The java launcher of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The command line that runs {@code main} with {@code jvmOptions} and {@code args}. */
  public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** What a finished child printed and how it exited. */
  public record Result(int exitCode, String out) {}

  /** Runs the child to completion (at most {@code timeoutSeconds}); stderr goes to stdout. */
  public static Result run(List<String> jvmOptions, Class<?> main, int timeoutSeconds,
      String... args) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command(jvmOptions, main, args))
        .redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child " + main.getSimpleName() + " did not finish in "
          + timeoutSeconds + " s:\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
