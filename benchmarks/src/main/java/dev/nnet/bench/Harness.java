package dev.nnet.bench;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures nnet on the workloads W1–W3 of {@code shared/bench/WORKLOADS.md}, with the network
 * {@link MnistMlp} generated from {@code src/main/nnet/dev/nnet/bench/MnistMlp.nnet}, and W5 with
 * {@link SunspotsWorkload}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.nnet.bench.Harness
 *     [--data examples/data] [--threads 1|N|all] [--runs 3] [--warmup-runs 1]
 *     [--workloads w1,w2,w3,w4,w5]
 * </pre>
 *
 * <ul>
 *   <li><b>W1</b>: a fresh network (Glorot-uniform weights, zero biases, seed 42) trains 5 epochs
 *       with {@link Trainer} (Adam 1e-3, batch 32, a new shuffle each epoch) on the first 8,000
 *       digits. The figure is epoch 2's training samples/s (epoch 1 is the warm-up); the accuracy
 *       is on the last 2,000 digits after epoch 5.
 *   <li><b>W2</b>: the trained network, one test digit per {@code predict} call: the median of
 *       10,000 individually timed calls, after 20,000 warm-up calls.
 *   <li><b>W3</b>: {@code predictBatch} on the 7 full batches of 256 among the 2,000 test digits:
 *       samples/s over at least 1 s, after 0.5 s of warm-up.
 * </ul>
 *
 * <p>A fresh JVM first runs all workloads {@code --warmup-runs} times (default 1) so that the JIT
 * has compiled the kernels (a single warm-up epoch of 250 batches is not enough for C2 to compile
 * the Vector API kernels), then {@code --runs} times. The output gives the warm-up runs
 * ({@code key (warm-up runs): …}, not used further), every measured run ({@code key (runs): …})
 * and their median ({@code key: …}), as {@code key: value} lines that {@link Report} reads. {@code benchmarks/run} starts one JVM per round, interleaved with the
 * PyTorch script, and takes the median over all rounds.
 */
public final class Harness {

  static final long SEED = 42;
  static final int TRAIN = 8_000;
  static final int EPOCHS = 5;
  static final int INFER_BATCH = 256;
  static final int WARMUP_CALLS = 20_000;
  static final int MEASURED_CALLS = 10_000;

  /**
   * What W2 and W3 report on several threads: one prediction call runs on the calling thread (the
   * generated classes are thread-safe for inference, but the workload is one call at a time).
   * Training (W1, W4, W5) is data-parallel on {@code --threads} threads.
   */
  static final String CALLING_THREAD = "n/a (a prediction call runs on its calling thread)";

  /** Keeps prediction results alive so the JIT cannot drop the calls. */
  static volatile float sink;

  private Harness() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = parse(args);
    Path data = Path.of(options.getOrDefault("data", "examples/data"));
    int threads = threads(options.getOrDefault("threads", "1"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int warmupRuns = Integer.parseInt(options.getOrDefault("warmup-runs", "1"));
    List<String> workloads = new ArrayList<>(
        Arrays.asList(options.getOrDefault("workloads", "w1,w2,w3,w4,w5").toLowerCase(Locale.ROOT)
            .split(",")));
    if (runs < 1 || warmupRuns < 0) {
      throw new IllegalArgumentException(
          "--runs must be >= 1 and --warmup-runs >= 0, but got " + runs + " and " + warmupRuns);
    }

    print("nnet threads", Integer.toString(threads));
    print("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    print("jdk.incubator.vector", ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? "present" : "absent");
    print("nnet vector kernels", vectorKernels());

    if (threads > 1) {
      List<String> training = new ArrayList<>();
      for (String w : workloads) {
        if (w.equals("w2") || w.equals("w3")) {
          print((w.equals("w2") ? Workloads.W2 : Workloads.W3).key(), CALLING_THREAD);
        } else {
          training.add(w);
        }
      }
      workloads = training;
    }

    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, TRAIN);
    Dataset test = all.slice(TRAIN, all.size());

    Map<String, List<Double>> results = new LinkedHashMap<>();
    Map<String, List<Double>> coldResults = new LinkedHashMap<>();
    MnistMlp trained = null;
    for (int run = -warmupRuns; run < runs; run++) {
      // The first runs of a fresh JVM warm the JIT up; they are printed but not in the median.
      Map<String, List<Double>> into = run < 0 ? coldResults : results;
      if (workloads.contains("w1")) {
        MnistMlp net = new MnistMlp();
        double[] w1 = w1(net, train, test, threads);
        add(into, Workloads.W1.key(), w1[0]);
        add(into, Workloads.W1_ACCURACY.key(), w1[1]);
        trained = net;
      }
      if (trained == null) {
        // W1 skipped: time inference on a freshly initialised network instead.
        trained = new MnistMlp();
        trained.initialize(SEED);
      }
      if (workloads.contains("w2")) {
        add(into, Workloads.W2.key(), w2(trained, test));
      }
      if (workloads.contains("w3")) {
        add(into, Workloads.W3.key(), w3(trained, test));
      }
      if (workloads.contains("w5")) {
        double[] w5 = SunspotsWorkload.run(data, SEED, threads);
        add(into, Workloads.W5.key(), w5[0]);
        add(into, Workloads.W5_MSE.key(), w5[1]);
      }
    }
    for (Map.Entry<String, List<Double>> e : coldResults.entrySet()) {
      print(e.getKey() + " (warm-up runs)", join(e.getValue()));
    }
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      print(e.getKey() + " (runs)", join(e.getValue()));
      double median = median(e.getValue());
      print(e.getKey(), format(median));
      Workloads.Workload w = byKey(e.getKey());
      if (w != null && w.flopsPerUnit() > 0) {
        print(e.getKey().replaceFirst(" [^ ]+$", "") + " gflop/s",
            String.format(Locale.ROOT, "%.2f", w.gflops(median)));
      }
    }
    if (workloads.contains("w4")) {
      w4(train, test, runs, warmupRuns, threads);
    }
  }

  /** W1 on {@code threads} threads: {training samples/s of epoch 2, test accuracy after epoch 5}. */
  static double[] w1(MnistMlp net, Dataset train, Dataset test, int threads) {
    net.initialize(SEED);
    TrainingConfig config = net.trainingConfig().withEpochs(EPOCHS).withThreads(threads);
    if (config.batchSize() != 32) {
      throw new IllegalStateException("W1 trains with batch 32, but MnistMlp.nnet says " + config.batchSize());
    }
    History history = new Trainer(config, SEED).fit(net, train);
    double samplesPerSecond = history.epochs().get(1).samplesPerSecond();
    return new double[] {samplesPerSecond, Evaluation.accuracy(net, test)};
  }

  /** W2: the median µs of one {@code predict} call. */
  static double w2(MnistMlp net, Dataset test) {
    final float[] features = test.features();
    final int width = MnistMlp.INPUT_SIZE;
    final int n = test.size();
    final float[] out = new float[MnistMlp.OUTPUT_SIZE];
    float keep = 0;
    for (int i = 0; i < WARMUP_CALLS; i++) {
      net.predict(features, (i % n) * width, out, 0);
      keep += out[i % out.length];
    }
    final long[] times = new long[MEASURED_CALLS];
    for (int i = 0; i < MEASURED_CALLS; i++) {
      final int offset = (i % n) * width;
      final long started = System.nanoTime();
      net.predict(features, offset, out, 0);
      times[i] = System.nanoTime() - started;
      keep += out[i % out.length];
    }
    sink = keep;
    Arrays.sort(times);
    double median = (times[(MEASURED_CALLS - 1) / 2] + times[MEASURED_CALLS / 2]) / 2.0;
    return median / 1e3;
  }

  /** W3: samples/s of {@code predictBatch} on batches of 256. */
  static double w3(MnistMlp net, Dataset test) {
    runBatches(net, test, 0.5);
    return runBatches(net, test, 1.0);
  }

  /** Passes over the full batches of 256 until at least 3 passes and {@code seconds}; samples/s. */
  private static double runBatches(MnistMlp net, Dataset test, double seconds) {
    final float[] features = test.features();
    final int batches = test.size() / INFER_BATCH;
    final float[] out = new float[INFER_BATCH * MnistMlp.OUTPUT_SIZE];
    final long started = System.nanoTime();
    long passes = 0;
    float keep = 0;
    while (true) {
      for (int b = 0; b < batches; b++) {
        net.predictBatch(features, b * INFER_BATCH * MnistMlp.INPUT_SIZE, out, 0, INFER_BATCH);
        keep += out[b];
      }
      passes++;
      double elapsed = (System.nanoTime() - started) / 1e9;
      if (passes >= 3 && elapsed >= seconds) {
        sink = keep;
        return passes * batches * INFER_BATCH / elapsed;
      }
    }
  }

  /**
   * W4 (mnist-cnn-train): {@code MnistCnn.nnet} (28×28×1 channels-last → conv 8@3×3 valid relu →
   * maxpool 2×2 → conv 16@3×3 valid relu → maxpool 2×2 → flatten 400 → dense 64 relu → dense 10
   * softmax; Adam 1e-3; batch 32), measured as {@link #w1}: a fresh network per run, epoch 2's
   * training samples/s, the test accuracy after 3 epochs.
   */
  static void w4(Dataset train, Dataset test, int runs, int warmupRuns, int threads) {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    Map<String, List<Double>> coldResults = new LinkedHashMap<>();
    for (int run = -warmupRuns; run < runs; run++) {
      Map<String, List<Double>> into = run < 0 ? coldResults : results;
      MnistCnn net = new MnistCnn();
      net.initialize(SEED);
      TrainingConfig config = net.trainingConfig();
      if (config.batchSize() != 32 || config.epochs() != 3) {
        throw new IllegalStateException("W4 trains 3 epochs with batch 32, but MnistCnn.nnet says "
            + config.epochs() + " and " + config.batchSize());
      }
      History history = new Trainer(config.withThreads(threads), SEED).fit(net, train);
      add(into, Workloads.W4.key(), history.epochs().get(1).samplesPerSecond());
      add(into, Workloads.W4_ACCURACY.key(), Evaluation.accuracy(net, test));
    }
    for (Map.Entry<String, List<Double>> e : coldResults.entrySet()) {
      print(e.getKey() + " (warm-up runs)", join(e.getValue()));
    }
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      print(e.getKey() + " (runs)", join(e.getValue()));
      double median = median(e.getValue());
      print(e.getKey(), format(median));
      if (e.getKey().equals(Workloads.W4.key())) {
        print("w4 train gflop/s", String.format(Locale.ROOT, "%.2f", Workloads.W4.gflops(median)));
      }
    }
  }

  /**
   * Whether the generated class runs its Vector API kernels: its {@code VECTOR} constant (true when
   * the JVM has {@code jdk.incubator.vector} and {@code -Dnnet.vector=false} is not set), or
   * "unknown" for a generated class without one.
   */
  static String vectorKernels() {
    try {
      return MnistMlp.class.getField("VECTOR").getBoolean(null) ? "on" : "off (scalar loops)";
    } catch (ReflectiveOperationException e) {
      return "unknown (the generated class has no VECTOR constant)";
    }
  }

  private static Workloads.Workload byKey(String key) {
    for (Workloads.Workload w : Workloads.SPEED) {
      if (w.key().equals(key)) {
        return w;
      }
    }
    return null;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  static String format(double v) {
    if (Math.abs(v) < 1) {
      return String.format(Locale.ROOT, "%.4f", v);
    }
    return Math.abs(v) < 1000
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.0f", v);
  }

  private static String join(List<Double> values) {
    StringBuilder joined = new StringBuilder();
    for (double v : values) {
      joined.append(joined.length() == 0 ? "" : " ").append(format(v));
    }
    return joined.toString();
  }

  private static void add(Map<String, List<Double>> results, String key, double value) {
    results.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  private static void print(String key, String value) {
    System.out.println(key + ": " + value);
    System.out.flush();
  }

  private static int threads(String value) {
    if (value.equals("all")) {
      return Runtime.getRuntime().availableProcessors();
    }
    int threads = Integer.parseInt(value);
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1 or 'all', but got " + value);
    }
    return threads;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: Harness [--data DIR] [--threads N|all] [--runs N] [--warmup-runs N]"
                + " [--workloads w1,w2,w3,w4,w5]"
                + "; could not read '" + arg + "'");
      }
      options.put(arg.substring(2), args[++i]);
    }
    return options;
  }
}
