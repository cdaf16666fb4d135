package dev.nnet.processor;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.train.Callback;
import dev.nnet.runtime.train.ModelCheckpoint;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * A seeded training run of a generated network, in this JVM or (through {@link #main}) in a child
 * JVM, for {@link CrossJvmTest}. Prints {@code hash} followed by the CRC32 of the raw bits of the
 * final parameters and state. Modes: {@code full} trains every epoch; {@code crash} trains and
 * halts the JVM (no shutdown hooks, like a crash) when epoch {@code after + 1} begins, leaving the
 * checkpoints written so far; {@code steps} trains every epoch and also writes a checkpoint after
 * every step ({@code step-<n>.safetensors}); {@code resume} continues from a checkpoint in a new
 * JVM. An optional last argument trains on that many threads.
 */
final class TrainingRun {
  static final long TRAINER_SEED = 5;
  static final int EPOCHS = 3;
  static final int SAMPLES = 64;

  private TrainingRun() {}

  /** Seeded synthetic data: 6 features, 3 one-hot classes. */
  static Dataset data() {
    SplittableRandom random = new SplittableRandom(17);
    float[] x = new float[SAMPLES * 6];
    float[] y = new float[SAMPLES * 3];
    for (int n = 0; n < SAMPLES; n++) {
      double sum = 0;
      for (int j = 0; j < 6; j++) {
        x[n * 6 + j] = (float) random.nextGaussian();
        sum += x[n * 6 + j] * (j + 1);
      }
      y[n * 3 + (sum < -1 ? 0 : sum < 1 ? 1 : 2)] = 1;
    }
    return Dataset.of(x, 6, y, 3);
  }

  /**
   * The data for {@code net}: {@link #data()} for 6 features and 3 classes; otherwise seeded
   * Gaussian features (token ids from 0 to 7, a quarter of them padding 0, for a network whose
   * class name starts with {@code Token}) and, when the target is as wide as the input, the input
   * itself (an autoencoder), else one-hot classes.
   */
  static Dataset data(Network net) {
    int features = net.inputSize();
    int classes = net.targetSize();
    boolean tokens = net.getClass().getSimpleName().startsWith("Token");
    if (features == 6 && classes == 3 && !tokens) {
      return data();
    }
    SplittableRandom random = new SplittableRandom(17);
    float[] x = new float[SAMPLES * features];
    float[] y = new float[SAMPLES * classes];
    for (int n = 0; n < SAMPLES; n++) {
      double sum = 0;
      for (int j = 0; j < features; j++) {
        float v = tokens ? (random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(7)) : (float) random.nextGaussian();
        x[n * features + j] = v;
        sum += v * (j % 7 + 1);
      }
      if (classes == features) {
        System.arraycopy(x, n * features, y, n * classes, features);
      } else {
        y[n * classes + (int) Math.floorMod((long) Math.floor(sum), (long) classes)] = 1;
      }
    }
    return Dataset.of(x, features, y, classes);
  }

  static String hash(Network net) {
    CRC32 crc = new CRC32();
    for (float[] values : List.of(net.parameters(), net.state())) {
      for (float v : values) {
        int bits = Float.floatToRawIntBits(v);
        crc.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
      }
    }
    return String.format("%08x", crc.getValue());
  }

  /** Runs {@code mode} on {@code net} (already constructed); returns the hash of the result. */
  static String run(Network net, String mode, Path checkpoints, int after, Path resumeFrom) throws IOException {
    return run(net, mode, checkpoints, after, resumeFrom, 1);
  }

  /** As {@link #run(Network, String, Path, int, Path)}, training on {@code threads} threads. */
  static String run(Network net, String mode, Path checkpoints, int after, Path resumeFrom, int threads)
      throws IOException {
    Trainer trainer = new Trainer(net.trainingConfig().withEpochs(EPOCHS).withThreads(threads), TRAINER_SEED);
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new ModelCheckpoint(checkpoints.resolve("ckpt-{epoch}.safetensors"), 1));
    switch (mode) {
      case "steps" -> {
        net.initialize(11);
        callbacks.add(ModelCheckpoint.everySteps(checkpoints.resolve("step-{step}.safetensors"), 1));
        trainer.fit(net, data(net), null, callbacks);
      }
      case "full" -> {
        net.initialize(11);
        trainer.fit(net, data(net), null, callbacks);
      }
      case "crash" -> {
        net.initialize(11);
        callbacks.add(new Callback() {
          @Override
          public void onEpochBegin(TrainingContext context) {
            if (context.epoch() == after + 1) {
              Runtime.getRuntime().halt(3);
            }
          }
        });
        trainer.fit(net, data(net), null, callbacks);
      }
      case "resume" -> {
        net.initialize(99); // other weights: the checkpoint's must win
        trainer.resume(net, resumeFrom, data(net), null, callbacks);
      }
      default -> throw new IllegalArgumentException(mode);
    }
    return hash(net);
  }

  /** {@code MODE CLASS CHECKPOINT_DIR [AFTER | RESUME_FILE] [THREADS]}. */
  public static void main(String[] args) throws Exception {
    Network net = (Network) Class.forName(args[1]).getConstructor(int.class).newInstance(8);
    String mode = args[0];
    int after = mode.equals("crash") ? Integer.parseInt(args[3]) : 0;
    Path resumeFrom = mode.equals("resume") ? Path.of(args[3]) : null;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    System.out.println("hash " + run(net, mode, Path.of(args[2]), after, resumeFrom, threads));
    try {
      // Classes with Vector API kernels say whether they ran them.
      System.out.println("vector " + net.getClass().getField("VECTOR").getBoolean(null));
    } catch (NoSuchFieldException e) {
      System.out.println("vector none");
    }
  }
}
