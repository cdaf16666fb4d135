package dev.nnet.runtime.io;

import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Child-JVM entry point of {@link CheckpointCrashTest}: saves checkpoints of {@link #network()}
 * over and over, round-robin into three files of a directory, until it is killed. In save number
 * {@code i} every parameter is {@code i} and the epoch count is {@code i}, so a reader can tell a
 * whole checkpoint from a torn one. Mode {@code atomic} uses {@link Checkpoint#save}; mode
 * {@code naive} writes checkpoint bytes straight over the old file, as a careless writer would
 * (the bytes of the first three saves, again and again).
 * Prints {@code ready} once the first round of files exists. It also stops on its own once the
 * JVM that started it is gone, so an interrupted test run leaves no writer behind.
 */
public final class CheckpointWriter {
  static final int FILES = 3;

  private CheckpointWriter() {}

  static SoftmaxRegression network() {
    return new SoftmaxRegression("Crash", "fp-crash", 500, 100, 1, new TrainingConfig(new Sgd(), 1, 1));
  }

  static Path file(Path dir, int i) {
    return dir.resolve("ckpt-" + (i % FILES) + ".safetensors");
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    boolean atomic = args[1].equals("atomic");
    // Captured now: once the parent dies, parent() would name whichever process adopted us.
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    SoftmaxRegression net = network();
    OptimizerState state = new Sgd().newState(net.parameterCount());
    // The naive writer's bytes: checkpoints 1 to FILES, made once, then rewritten in place
    // round-robin, so nearly all of its time is spent with a file half written.
    byte[][] naive = new byte[FILES][];
    if (!atomic) {
      Path scratch = dir.resolve("scratch").resolve("naive.safetensors");
      Files.createDirectories(scratch.getParent());
      for (int i = 1; i <= FILES; i++) {
        Arrays.fill(net.parameters(), i);
        Checkpoint.save(scratch, net, state, i, i);
        naive[i % FILES] = Files.readAllBytes(scratch);
      }
    }
    for (int i = 1; ; i++) {
      if (atomic) {
        Arrays.fill(net.parameters(), i);
        Checkpoint.save(file(dir, i), net, state, i, i);
      } else {
        byte[] bytes = naive[i % FILES];
        try (FileChannel out = FileChannel.open(file(dir, i), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          for (int at = 0; at < bytes.length; at += 4096) {
            out.write(ByteBuffer.wrap(bytes, at, Math.min(4096, bytes.length - at)));
          }
        }
      }
      if (i == FILES) {
        System.out.println("ready");
        System.out.flush();
      }
      if (i % 64 == 0 && (parent == null || !parent.isAlive())) {
        return;
      }
    }
  }
}
