package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A generated network trained with the same seeds ends bit-identical in this JVM, in a fresh
 * JVM, and in a fresh JVM running only the interpreter ({@code -Xint}); a run killed after an
 * epoch and resumed from its checkpoint in another JVM ends bit-identical to the uninterrupted
 * one, whether it stopped after the first epoch, a middle one or the last; and a run checkpointed
 * after step 1, after a step in the middle of an epoch, after an epoch's last step and after the
 * run's last step, resumed in a new JVM, ends bit-identical too, on one thread and on two. LSTM,
 * GRU and RNN layers, convolutions on the direct kernels, a transformer encoder and a VAE running
 * their Vector API code train bit-identically in this JVM, a fresh JVM and a fresh {@code -Xint}
 * JVM.
 */
class CrossJvmTest {
  /** Every activation, dropout, batch and layer normalisation, add, multiply and concat. */
  static final String NETWORK = """
      network Det {
        input x: float[6]
        a = dense(x, units: 8, activation: tanh)
        b = dense(a, units: 8, activation: gelu)
        c = elu(b, alpha: 0.5)
        d = dense(c, units: 8, activation: swish)
        e = batch_norm(d)
        f = dropout(e, rate: 0.2)
        g = dense(x, units: 8, activation: sigmoid)
        m = multiply(f, g)
        s = add(m, a)
        h = leaky_relu(s, alpha: 0.2)
        r = relu(b)
        k = concat(h, r)
        l = layer_norm(k)
        p = gelu(l, approximate: true)
        output y = dense(p, units: 3, activation: softmax)
        train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
      }
      """;

  @TempDir Path dir;

  @Test
  void sameSeedsGiveBitIdenticalWeightsAcrossJvmsJitModesAndResumes() throws Exception {
    List<JavaFile> files = GeneratedCode.generate("det.nnet", NETWORK, "gen", false);
    Map<String, byte[]> classes = GeneratedCode.classFiles(files);
    Path classDir = dir.resolve("classes");
    for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
      Path file = classDir.resolve(entry.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    ClassLoader loader = GeneratedCode.compileAndLoad(files);
    Network here = (Network) loader.loadClass("gen.Det").getConstructor(int.class).newInstance(8);
    String expected = TrainingRun.run(here, "full", Files.createDirectories(dir.resolve("here")), 0, null);
    assertNotEquals(TrainingRun.hash((Network) loader.loadClass("gen.Det").getConstructor(int.class).newInstance(8)),
        expected, "training changed nothing");

    List<Path> cp = List.of(classDir);
    for (List<String> options : List.of(List.<String>of(), List.of("-Xint"))) {
      Path out = Files.createDirectories(dir.resolve("full" + options));
      ChildJvm.Result full = ChildJvm.run(options, cp, TrainingRun.class, 300, "full", "gen.Det", out.toString());
      assertEquals(expected, full.value("hash"), "a fresh JVM " + options + " trained to other weights");
    }

    for (int after = 1; after <= TrainingRun.EPOCHS; after++) {
      Path out = Files.createDirectories(dir.resolve("crash" + after));
      ChildJvm.Result crash = ChildJvm.run(List.of(), cp, TrainingRun.class, 300,
          "crash", "gen.Det", out.toString(), Integer.toString(after));
      assertEquals(after < TrainingRun.EPOCHS ? 3 : 0, crash.exitCode(), crash.out());
      Path checkpoint = out.resolve("ckpt-" + after + ".safetensors");
      ChildJvm.Result resumed = ChildJvm.run(List.of(), cp, TrainingRun.class, 300,
          "resume", "gen.Det", Files.createDirectories(dir.resolve("resumed" + after)).toString(),
          checkpoint.toString());
      assertEquals(expected, resumed.value("hash"), "resumed in a new JVM after epoch " + after);
    }
  }

  /**
   * Networks on the Vector API path. Recurrent cells: 20 units take whole vectors and the scalar
   * tail with 8 or 16 lanes; sigmoid and tanh from {@code Simd.sigmoid}/{@code Simd.tanh}, not
   * {@code lanewise(EXP)}, whose C2 code differs from the interpreter's in the last bit. Then the
   * direct convolution kernels, a transformer encoder, and a VAE.
   */
  static final Map<String, String> VECTOR_NETWORKS = Map.of(
      "Lstm", """
          network Lstm {
            input x: float[3, 2]
            s = lstm(x, units: 20, return_sequences: true)
            h = lstm(s, units: 20)
            output y = dense(h, units: 3, activation: softmax)
            train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
          }
          """,
      "Gru", """
          network Gru {
            input x: float[3, 2]
            s = gru(x, units: 20, return_sequences: true)
            h = rnn(s, units: 20)
            output y = dense(h, units: 3, activation: softmax)
            train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
          }
          """,
      // W4's shapes, smaller: 8 filters 3×3 with an even output width (the PAIRS form of the
      // direct kernels), then 16 filters over 8 channels (the VECTORS form, and the direct input
      // gradient: 3 · 8 + 8 = 32 floats, two vectors).
      "Conv", """
          network Conv {
            input image: float[10, 10, 1]
            c1 = conv2d(image, filters: 8, kernel_size: 3, activation: relu)
            p1 = maxpool2d(c1, pool_size: 2)
            c2 = conv2d(p1, filters: 16, kernel_size: 3, activation: relu)
            f = flatten(c2)
            output y = dense(f, units: 3, activation: softmax)
            train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
          }
          """,
      // A transformer encoder over token ids with padding: attention's softmax and its dropout.
      "TokenTransformer", """
          network TokenTransformer {
            input ids: float[6]
            e = embedding(ids, input_dim: 8, output_dim: 16, mask_zero: true)
            p = positional_embedding(e)
            a = multi_head_attention(p, heads: 2, dropout: 0.1)
            s = add(p, a)
            n = layer_norm(s)
            h = time_distributed(n, dense(units: 16, activation: relu))
            g = globalavgpool1d(h)
            output y = dense(g, units: 3, activation: softmax)
            train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
          }
          """,
      // A VAE: gaussian_sample's exp and its normal numbers, and the KL term.
      "Vae", """
          network Vae {
            input x: float[6]
            h = dense(x, units: 16, activation: relu)
            mean = dense(h, units: 4)
            log_variance = dense(h, units: 4)
            z = gaussian_sample(mean, log_variance, kl_weight: 0.1)
            d = dense(z, units: 16, activation: relu)
            output y = dense(d, units: 6)
            train { loss: mse  optimizer: adam(learning_rate: 0.01)  batch: 8  epochs: 3 }
          }
          """);

  /** Runs of each network in this JVM: enough for C2 to compile the cells and kernels (24 steps each). */
  static final int WARM_RUNS = 50;

  @ParameterizedTest
  @ValueSource(strings = {"Lstm", "Gru", "Conv", "TokenTransformer", "Vae"})
  void networksOnTheVectorPathGiveBitIdenticalWeightsAcrossJvmsAndXint(String name) throws Exception {
    List<JavaFile> files = GeneratedCode.generate(name + ".nnet", VECTOR_NETWORKS.get(name), "gen",
        new NnetCompiler.Options(false, true));
    Path classDir = dir.resolve("classes");
    for (Map.Entry<String, byte[]> entry : GeneratedCode.classFiles(files).entrySet()) {
      Path file = classDir.resolve(entry.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    if (name.equals("Conv")) {
      assertTrue(files.get(0).toString().contains("see DirectConvolutionKernel"), "Conv must take the direct kernels");
    }
    Class<?> type = GeneratedCode.compileAndLoad(files).loadClass("gen." + name);
    assertTrue(type.getField("VECTOR").getBoolean(null),
        "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
    // The same run again and again in this JVM, while the JIT moves the cells from the interpreter
    // through C1 to C2 (where lanewise(EXP) would turn into the vector math library): every run
    // must end with the same weights, the last one with C2's code.
    String expected = null;
    for (int run = 0; run < WARM_RUNS; run++) {
      Network here = (Network) type.getConstructor(int.class).newInstance(8);
      String hash = TrainingRun.run(here, "full", Files.createDirectories(dir.resolve("here")), 0, null);
      if (expected == null) {
        expected = hash;
      }
      assertEquals(expected, hash, name + ": run " + (run + 1) + " in this JVM ended with other weights than run 1");
    }
    assertNotEquals(TrainingRun.hash((Network) type.getConstructor(int.class).newInstance(8)), expected,
        "training changed nothing");
    for (List<String> options : List.of(List.of("--add-modules", "jdk.incubator.vector"),
        List.of("--add-modules", "jdk.incubator.vector", "-Xint"))) {
      Path out = Files.createDirectories(dir.resolve("full" + options.size()));
      ChildJvm.Result full = ChildJvm.run(options, List.of(classDir), TrainingRun.class, 600, "full", "gen." + name,
          out.toString());
      assertEquals("true", full.value("vector"), "the child JVM " + options + " ran the scalar code");
      assertEquals(expected, full.value("hash"), "a fresh JVM " + options + " trained " + name + " to other weights");
    }
    java.lang.reflect.Field lanes = type.getClassLoader().loadClass("gen." + name + "$Simd").getDeclaredField("LANES");
    lanes.setAccessible(true);
    System.out.println("[reliability] " + name + " on the Vector API path (" + lanes.getInt(null) + " lanes): weights "
        + expected + " after " + WARM_RUNS + " runs in this JVM, in a fresh JVM and in a fresh -Xint JVM");
  }

  /** 64 samples in batches of 8: 8 steps per epoch, 24 in all. */
  static final int[] RESUME_STEPS = {1, 12, 16, 24};

  @Test
  void runsResumedAfterAnyStepInANewJvmEndBitIdentical() throws Exception {
    List<JavaFile> files = GeneratedCode.generate("det.nnet", NETWORK, "gen", false);
    Path classDir = dir.resolve("classes");
    for (Map.Entry<String, byte[]> entry : GeneratedCode.classFiles(files).entrySet()) {
      Path file = classDir.resolve(entry.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    ClassLoader loader = GeneratedCode.compileAndLoad(files);
    List<Path> cp = List.of(classDir);
    for (int threads : new int[] {1, 2}) {
      Network here = (Network) loader.loadClass("gen.Det").getConstructor(int.class).newInstance(8);
      String expected = TrainingRun.run(here, "full",
          Files.createDirectories(dir.resolve("here" + threads)), 0, null, threads);
      // The uninterrupted run in a child JVM checkpoints after every step; saving changes nothing.
      Path steps = Files.createDirectories(dir.resolve("steps" + threads));
      ChildJvm.Result full = ChildJvm.run(List.of(), cp, TrainingRun.class, 300,
          "steps", "gen.Det", steps.toString(), "0", Integer.toString(threads));
      assertEquals(expected, full.value("hash"), "checkpointing every step changed the run");
      // Two threads: resumed after step 1 and mid-epoch (one thread covers all four positions).
      int[] at = threads == 1 ? RESUME_STEPS : new int[] {1, 12};
      for (int step : at) {
        Path checkpoint = steps.resolve("step-" + step + ".safetensors");
        ChildJvm.Result resumed = ChildJvm.run(List.of(), cp, TrainingRun.class, 300,
            "resume", "gen.Det",
            Files.createDirectories(dir.resolve("resumed-" + threads + "-" + step)).toString(),
            checkpoint.toString(), Integer.toString(threads));
        assertEquals(expected, resumed.value("hash"),
            "resumed in a new JVM after step " + step + " on " + threads + " thread(s)");
      }
    }
  }
}
