package dev.nnet.examples.transformer;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.text.Fortunes;
import dev.nnet.runtime.data.text.StopWords;
import dev.nnet.runtime.data.text.TextPipeline;
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
import java.util.Locale;

/**
 * The text task of {@code examples/text-topics} with a transformer encoder: the same 2,639
 * quotations of {@code fortunes-text-classes.tsv}, shuffled with the same seed, the same 2,000
 * to train and 639 to test, and the same text pipeline (English stop words, at most 5,000 ids
 * fit on the training texts, 48 ids per text padded in front). {@link TextTransformer}
 * (generated from {@code TextTransformer.nnet}) reads them: embedding with the padding masked,
 * learned positions, one encoder block (4-head self-attention, feed-forward with GELU, residual
 * connections, layer normalisation), the mean over the words that are not padding, softmax over
 * the four topics. The model is saved with its pipeline, reloaded, and must predict the same.
 *
 * <p>Arguments: {@code [data directory] [model file]}; defaults {@code examples/data} and
 * {@code examples/text-transformer/target/text-transformer.safetensors}.
 */
public final class TextTransformerExample {
  static final int TRAIN = 2_000;
  static final long SEED = 42;

  private TextTransformerExample() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path modelFile = Path.of(args.length > 1 ? args[1] : "examples/text-transformer/target/text-transformer.safetensors");
    Result result = run(data, modelFile, true);
    double lstm = lstmTestAccuracy(data);
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", result.testAccuracy());
    System.out.printf(Locale.ROOT, "lstm test accuracy: %.4f%n", lstm);
    System.out.printf(Locale.ROOT, "majority baseline: %.4f%n", result.majorityAccuracy());
    System.out.printf(Locale.ROOT, "training seconds: %.1f%n", result.trainingSeconds());
    System.out.printf(Locale.ROOT, "train texts/s: %.0f%n", result.textsPerSecond());
    System.out.printf(Locale.ROOT, "parameters: %d%n", TextTransformer.PARAMETER_COUNT);
    System.out.println("model file: " + modelFile);
    System.out.println("reloaded model predicts identically: " + result.reloadIdentical());
    if (!result.reloadIdentical()) {
      System.exit(1);
    }
  }

  /** What one run measured. */
  record Result(double testAccuracy, double majorityAccuracy, double trainingSeconds, double textsPerSecond,
      boolean reloadIdentical) {}

  static Result run(Path data, Path modelFile, boolean verbose) throws IOException {
    Fortunes all = Fortunes.load(data.resolve("fortunes-text-classes.tsv")).shuffled(SEED);
    Fortunes train = all.slice(0, TRAIN);
    Fortunes test = all.slice(TRAIN, all.size());
    TextPipeline text = pipeline(train);
    Dataset trainSet = text.dataset(train.texts(), train.sparseTargets(), 1);
    Dataset testSet = text.dataset(test.texts(), test.sparseTargets(), 1);
    if (verbose) {
      System.out.printf(Locale.ROOT, "TextTransformer: %,d parameters; %,d training and %,d test texts; classes %s%n",
          TextTransformer.PARAMETER_COUNT, train.size(), test.size(), all.classes());
    }

    TextTransformer network = new TextTransformer();
    network.initialize(SEED);
    long start = System.nanoTime();
    History history = new Trainer(network.trainingConfig(), SEED).fit(network, trainSet, null,
        verbose ? TrainingListener.console(System.out) : TrainingListener.silent());
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy = Evaluation.accuracy(network, testSet);

    Files.createDirectories(modelFile.toAbsolutePath().getParent());
    ModelFile.save(network, modelFile);
    text.save(TextPipeline.fileBeside(modelFile));
    TextTransformer reloaded = new TextTransformer();
    ModelFile.load(reloaded, modelFile);
    TextPipeline reloadedText = TextPipeline.load(TextPipeline.fileBeside(modelFile));
    boolean identical = samePredictions(network, text, reloaded, reloadedText, test);
    double[] speeds = history.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
    return new Result(accuracy, majority(train, test), seconds,
        speeds.length == 0 ? history.epochs().get(0).samplesPerSecond() : speeds[speeds.length / 2], identical);
  }

  /** English stop words out, at most 5,000 ids fit on the training texts, 48 ids padded in front. */
  static TextPipeline pipeline(Fortunes train) {
    return TextPipeline.builder()
        .stopWords(StopWords.english())
        .maxVocabulary(TextTransformer.VECTORS_VOCABULARY)  // the embedding's input_dim
        .minFrequency(2)
        .length(TextTransformer.INPUT_SIZE)
        .fit(train.texts());
  }

  /**
   * The comparison: {@link TextLstm} (the LSTM of {@code examples/text-topics}) trained and tested
   * in this run on exactly the inputs the transformer reads.
   */
  static double lstmTestAccuracy(Path data) throws IOException {
    Fortunes all = Fortunes.load(data.resolve("fortunes-text-classes.tsv")).shuffled(SEED);
    Fortunes train = all.slice(0, TRAIN);
    Fortunes test = all.slice(TRAIN, all.size());
    TextPipeline text = pipeline(train);
    TextLstm lstm = new TextLstm();
    lstm.initialize(SEED);
    new Trainer(lstm.trainingConfig(), SEED).fit(lstm, text.dataset(train.texts(), train.sparseTargets(), 1), null,
        TrainingListener.silent());
    return Evaluation.accuracy(lstm, text.dataset(test.texts(), test.sparseTargets(), 1));
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

  /** The reloaded model and pipeline, from the raw texts, predict exactly what the trained ones do. */
  static boolean samePredictions(TextTransformer a, TextPipeline textA, TextTransformer b, TextPipeline textB,
      Fortunes test) {
    float[] first = new float[test.size() * TextTransformer.OUTPUT_SIZE];
    float[] second = new float[first.length];
    a.predictBatch(textA.encodeAll(test.texts()), 0, first, 0, test.size());
    b.predictBatch(textB.encodeAll(test.texts()), 0, second, 0, test.size());
    return Arrays.equals(first, second);
  }
}
