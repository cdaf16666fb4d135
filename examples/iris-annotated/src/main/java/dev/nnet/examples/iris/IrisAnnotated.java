package dev.nnet.examples.iris;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Standardizer;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the {@code @Network}-declared {@link IrisNet} on the UCI iris data: a seeded, stratified
 * 70 / 30 split, feature scaling fit on the training part only, then the test accuracy, the model
 * saved as safetensors and read back.
 *
 * <p>Arguments: {@code [data directory] [model file]}; defaults {@code examples/data} and
 * {@code examples/iris-annotated/target/iris.safetensors}.
 */
public final class IrisAnnotated {
  static final long SEED = 42;
  static final double TEST_SHARE = 0.3;

  private IrisAnnotated() {}

  /** What a run measured. */
  record Result(int trainSize, int testSize, double testAccuracy, double finalLoss, boolean reloadIdentical) {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path model = Path.of(args.length > 1 ? args[1] : "examples/iris-annotated/target/iris.safetensors");
    Result result = run(data, model, true);
    System.out.println("train samples: " + result.trainSize());
    System.out.println("test samples: " + result.testSize());
    System.out.printf(Locale.ROOT, "final training loss: %.4f%n", result.finalLoss());
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", result.testAccuracy());
    System.out.println("model: " + model);
    System.out.println("reloaded model predicts identically: " + result.reloadIdentical());
  }

  static Result run(Path dataDir, Path modelFile, boolean verbose) throws IOException {
    Dataset all = readIris(dataDir.resolve("iris.csv"));
    Dataset[] split = stratifiedSplit(all, TEST_SHARE, SEED);
    Dataset train = split[0];
    Dataset test = split[1];
    // Means and scales from the training part only: the test flowers stay unseen.
    Standardizer scaling = Standardizer.fit(train);
    Dataset scaledTrain = scaling.apply(train);
    Dataset scaledTest = scaling.apply(test);

    IrisNetModel net = new IrisNetModel();
    net.initialize(SEED);
    History history = new Trainer(net.trainingConfig(), SEED).fit(net, scaledTrain);
    Map<String, Double> scores = Trainer.evaluate(net, scaledTest, List.of(Metrics.byName("accuracy")));
    if (verbose) {
      System.out.println(history.epochs().size() + " epochs on " + train.size() + " flowers; scaling " + scaling);
    }

    if (modelFile.getParent() != null) {
      Files.createDirectories(modelFile.getParent());
    }
    ModelFile.save(net, modelFile);
    IrisNetModel reloaded = new IrisNetModel();
    ModelFile.load(reloaded, modelFile);
    float[] before = new float[scaledTest.size() * IrisNetModel.OUTPUT_SIZE];
    float[] after = new float[before.length];
    net.predictBatch(scaledTest.features(), 0, before, 0, scaledTest.size());
    reloaded.predictBatch(scaledTest.features(), 0, after, 0, scaledTest.size());

    double loss = history.epochs().get(history.epochs().size() - 1).loss();
    return new Result(train.size(), test.size(), scores.get("accuracy"), loss, Arrays.equals(before, after));
  }

  /**
   * Reads {@code iris.csv}: a first line {@code 150,4,setosa,versicolor,virginica} (rows,
   * features, class names), then one row per flower with the class index last.
   */
  static Dataset readIris(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty file");
    }
    String[] header = lines.get(0).split(",");
    int rows;
    int width;
    try {
      rows = Integer.parseInt(header[0].trim());
      width = Integer.parseInt(header[1].trim());
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException(file + ":1: expected 'rows,features,class names...', found '" + lines.get(0) + "'");
    }
    int classes = header.length - 2;
    if (lines.size() - 1 != rows) {
      throw new IOException(file + ": the header says " + rows + " rows, but the file has " + (lines.size() - 1));
    }
    float[] features = new float[rows * width];
    float[] targets = new float[rows];
    for (int row = 0; row < rows; row++) {
      String[] fields = lines.get(row + 1).split(",");
      int line = row + 2;
      if (fields.length != width + 1) {
        throw new IOException(file + ":" + line + ": expected " + (width + 1) + " fields, found " + fields.length);
      }
      try {
        for (int column = 0; column < width; column++) {
          features[row * width + column] = Float.parseFloat(fields[column].trim());
        }
        int label = Integer.parseInt(fields[width].trim());
        if (label < 0 || label >= classes) {
          throw new IOException(file + ":" + line + ": class " + label + " is not one of 0.." + (classes - 1));
        }
        targets[row] = label;
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + line + ": not a number: " + e.getMessage());
      }
    }
    return new Dataset(features, width, targets, 1);
  }

  /**
   * A seeded, stratified split: of each class, {@code testShare} of its samples (rounded) go to
   * the test part, chosen at random; the rest to the training part. Returns {train, test}.
   */
  static Dataset[] stratifiedSplit(Dataset data, double testShare, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
    for (int i = 0; i < data.size(); i++) {
      byClass.computeIfAbsent((int) data.targets()[i], c -> new ArrayList<>()).add(i);
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      for (int i = members.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Integer swap = members.get(i);
        members.set(i, members.get(j));
        members.set(j, swap);
      }
      int testCount = (int) Math.round(members.size() * testShare);
      test.addAll(members.subList(0, testCount));
      train.addAll(members.subList(testCount, members.size()));
    }
    return new Dataset[] {select(data, train), select(data, test)};
  }

  private static Dataset select(Dataset data, List<Integer> rows) {
    int width = data.featureWidth();
    float[] features = new float[rows.size() * width];
    float[] targets = new float[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      System.arraycopy(data.features(), rows.get(k) * width, features, k * width, width);
      targets[k] = data.targets()[rows.get(k)];
    }
    return new Dataset(features, width, targets, 1);
  }
}
