package dev.nnet.examples.topics;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.text.Fortunes;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.train.EpochStats;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Text classification end to end, from raw strings: the 2,639 quotations of
 * {@code fortunes-text-classes.tsv}, shuffled once, 2,000 to train and 639 to test.
 * {@link TextTopics} (generated from {@code TextTopics.nnet}) begins with a {@code text_vectorize}
 * stage: its vocabulary (at most 5,000 ids) is fitted on the training texts by
 * {@code adapt(List<String>)}, then each text becomes 48 word ids → embedding with padding masked
 * → LSTM → dense softmax over the four topics. The model file holds the vocabulary too: the
 * reloaded model takes the raw test texts and must predict exactly what the trained one does.
 *
 * <p>Arguments: {@code [data directory] [model file]}; defaults {@code examples/data} and
 * {@code examples/text-topics/target/text-topics.safetensors}.
 */
public final class TextTopicsExample {
  static final int TRAIN = 2_000;
  static final long SEED = 42;

  private TextTopicsExample() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path modelFile = Path.of(args.length > 1 ? args[1] : "examples/text-topics/target/text-topics.safetensors");
    Result result = run(data, modelFile, true);
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", result.testAccuracy());
    System.out.printf(Locale.ROOT, "majority accuracy: %.4f%n", result.majorityAccuracy());
    System.out.printf(Locale.ROOT, "vocabulary: %d%n", result.vocabulary());
    System.out.printf(Locale.ROOT, "train texts/s: %.0f%n", result.textsPerSecond());
    System.out.printf(Locale.ROOT, "parameters: %d%n", TextTopics.PARAMETER_COUNT);
    System.out.println("model file: " + modelFile);
    System.out.println("reloaded model predicts identically: " + result.reloadIdentical());
    if (!result.reloadIdentical()) {
      System.exit(1);
    }
  }

  /** What one run measured. */
  record Result(double testAccuracy, double majorityAccuracy, int vocabulary, double textsPerSecond,
      boolean reloadIdentical) {}

  static Result run(Path data, Path modelFile, boolean verbose) throws IOException {
    Fortunes all = Fortunes.load(data.resolve("fortunes-text-classes.tsv")).shuffled(SEED);
    Fortunes train = all.slice(0, TRAIN);
    Fortunes test = all.slice(TRAIN, all.size());
    if (verbose) {
      System.out.printf(Locale.ROOT, "TextTopics: %,d parameters; %,d training and %,d test texts; classes %s%n",
          TextTopics.PARAMETER_COUNT, train.size(), test.size(), all.classes());
    }

    TextTopics network = new TextTopics();
    network.initialize(SEED);
    network.adapt(train.texts());                 // the vocabulary: training texts only
    Dataset trainSet = network.dataset(train.texts(), train.sparseTargets(), 1);
    Dataset testSet = network.dataset(test.texts(), test.sparseTargets(), 1);
    History history = new Trainer(network.trainingConfig(), SEED).fit(network, trainSet, null,
        verbose ? TrainingListener.console(System.out) : TrainingListener.silent());
    double accuracy = Evaluation.accuracy(network, testSet);

    Files.createDirectories(modelFile.toAbsolutePath().getParent());
    ModelFile.save(network, modelFile);           // parameters and vocabulary in one file
    TextTopics reloaded = new TextTopics();
    ModelFile.load(reloaded, modelFile);
    boolean identical = samePredictions(network, reloaded, test.texts());
    if (verbose) {
      String text = "The program crashed again, didn't it?";
      float[] p = new float[TextTopics.OUTPUT_SIZE];
      reloaded.predict(text, p, 0);
      System.out.printf(Locale.ROOT, "\"%s\" → %s (%.2f)%n", text, all.classes().get(argmax(p)), p[argmax(p)]);
    }
    double[] speeds = history.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
    return new Result(accuracy, majority(train, test), network.vocabulary().size(),
        speeds.length == 0 ? history.epochs().get(0).samplesPerSecond() : speeds[speeds.length / 2], identical);
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      best = p[i] > p[best] ? i : best;
    }
    return best;
  }

  /** Always the topic most frequent among the training texts. */
  static double majority(Fortunes train, Fortunes test) {
    int[] counts = new int[train.classes().size()];
    for (int c : train.classIndices()) {
      counts[c]++;
    }
    int most = 0;
    for (int c = 1; c < counts.length; c++) {
      most = counts[c] > counts[most] ? c : most;
    }
    int hits = 0;
    for (int c : test.classIndices()) {
      hits += c == most ? 1 : 0;
    }
    return (double) hits / test.size();
  }

  /** The trained and the reloaded model, given the same raw texts, predict exactly the same. */
  static boolean samePredictions(TextTopics a, TextTopics b, List<String> texts) {
    float[] first = new float[TextTopics.OUTPUT_SIZE];
    float[] second = new float[TextTopics.OUTPUT_SIZE];
    for (String text : texts) {
      a.predict(text, first, 0);
      b.predict(text, second, 0);
      if (!Arrays.equals(first, second)) {
        return false;
      }
    }
    return true;
  }
}
