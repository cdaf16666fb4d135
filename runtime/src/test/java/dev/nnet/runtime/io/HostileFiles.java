package dev.nnet.runtime.io;

import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.IdxReader;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Child-JVM entry point of {@link ModelFileCorruptionTest#hostileSizesAreRejectedInA64MbHeap}:
 * loads every file of a directory ({@code *.safetensors} as a model, {@code *.idx} as IDX data)
 * and prints one line per file: {@code name outcome offset allocatedBytes fileBytes}, where the
 * outcome is the simple name of what was thrown ({@code loaded} if nothing was) and the allocation
 * is the thread's, measured around the load.
 */
public final class HostileFiles {
  private HostileFiles() {}

  public static void main(String[] args) throws IOException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of(args[0]))) {
      files = list.sorted().toList();
    }
    // Twice: the first pass loads the classes and warms up, the second pass is measured.
    for (int pass = 0; pass < 2; pass++) {
      for (Path file : files) {
        load(threads, thread, file, pass == 1);
      }
    }
  }

  private static void load(
      com.sun.management.ThreadMXBean threads, long thread, Path file, boolean print)
      throws IOException {
    {
      // The network is built before measuring: its arrays are sized by the declaration.
      SoftmaxRegression net = new SoftmaxRegression("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8,
          new TrainingConfig(new Sgd(), 4, 1));
      String outcome = "loaded";
      long offset = -1;
      long before = threads.getThreadAllocatedBytes(thread);
      try {
        if (file.toString().endsWith(".idx")) {
          IdxReader.read(file);
        } else {
          ModelFile.load(net, file);
        }
      } catch (ModelFileException e) {
        outcome = e.getClass().getSimpleName();
        offset = e.offset();
      } catch (Throwable t) {
        outcome = t.getClass().getSimpleName();
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      if (!print) {
        return;
      }
      System.out.println(file.getFileName() + " " + outcome + " " + offset + " " + allocated + " "
          + Files.size(file));
    }
  }
}
