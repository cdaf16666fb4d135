package dev.nnet.processor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a class's {@code main} in a fresh JVM on this test's class path (plus extra entries). */
final class ChildJvm {
  private ChildJvm() {}

  /** What a finished child printed (stdout and stderr) and how it exited. */
  record Result(int exitCode, String out) {
    /** The value of the last line {@code key value}; fails if there is none. */
    String value(String key) {
      String found = null;
      for (String line : out.split("\n")) {
        if (line.startsWith(key + " ")) {
          found = line.substring(key.length() + 1).trim();
        }
      }
      if (found == null) {
        throw new AssertionError("the child printed no '" + key + "' (exit " + exitCode + "):\n" + out);
      }
      return found;
    }
  }

  static Result run(List<String> jvmOptions, List<Path> extraClassPath, Class<?> main, int timeoutSeconds,
      String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
    for (Path entry : extraClassPath) {
      classPath.append(java.io.File.pathSeparator).append(entry);
    }
    command.add("-cp");
    command.add(classPath.toString());
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(main.getSimpleName() + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
