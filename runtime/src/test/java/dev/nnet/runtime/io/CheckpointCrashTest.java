package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.ChildJvm;
import dev.nnet.runtime.SoftmaxRegression;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during checkpoint saves: a child JVM saves checkpoints in a loop and is killed
 * with SIGKILL at a random moment, 20 times; after every kill each checkpoint on disk loads and is
 * whole (every parameter equals its epoch count). The control run, with a writer that overwrites
 * the file in place, leaves a torn checkpoint, so the test could catch one.
 */
class CheckpointCrashTest {
  static final int KILLS = Integer.getInteger("nnet.reliability.kills", 20);

  @TempDir Path dir;

  /** Starts a writer, kills it with SIGKILL after a random delay; returns the files' verdicts. */
  private List<String> killOnce(Path directory, String mode, SplittableRandom random)
      throws IOException, InterruptedException {
    Process child = new ProcessBuilder(ChildJvm.command(
        List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"), CheckpointWriter.class,
        directory.toString(), mode)).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertEquals("ready", line, "the writer did not start");
      Thread.sleep(random.nextInt(200));
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    List<String> verdicts = new ArrayList<>();
    for (int i = 0; i < CheckpointWriter.FILES; i++) {
      Path file = CheckpointWriter.file(directory, i);
      SoftmaxRegression net = CheckpointWriter.network();
      try {
        Checkpoint checkpoint = Checkpoint.load(file, net, null);
        float expected = checkpoint.epochsDone();
        String verdict = "ok";
        for (float p : net.parameters()) {
          if (p != expected) {
            verdict = file.getFileName() + ": torn (epoch " + expected + ", parameter " + p + ")";
            break;
          }
        }
        verdicts.add(verdict);
      } catch (ModelFileException e) {
        verdicts.add(e.getMessage());
      }
    }
    return verdicts;
  }

  @Test
  void everyCheckpointSurvivesKillDashNine() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    Path atomic = Files.createDirectories(dir.resolve("atomic"));
    int loaded = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      for (String verdict : killOnce(atomic, "atomic", random)) {
        assertEquals("ok", verdict, "after kill " + (kill + 1));
        loaded++;
      }
    }
    assertEquals(KILLS * CheckpointWriter.FILES, loaded);

    // The control: the same kills against an in-place writer do tear a checkpoint.
    Path naive = Files.createDirectories(dir.resolve("naive"));
    int kills = 0;
    List<String> damage = new ArrayList<>();
    while (damage.isEmpty() && kills < KILLS) {
      kills++;
      for (String verdict : killOnce(naive, "naive", random)) {
        if (!verdict.equals("ok")) {
          damage.add(verdict);
        }
      }
    }
    assertTrue(!damage.isEmpty(), "the naive writer survived " + kills + " kills: the test cannot "
        + "tell a safe writer from an unsafe one");
    System.out.println("[reliability] " + KILLS + " kills, " + loaded + " checkpoints loaded; naive"
        + " writer torn after " + kills + " kills: " + damage.get(0));
  }
}
