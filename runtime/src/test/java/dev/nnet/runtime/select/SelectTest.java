package dev.nnet.runtime.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SelectTest {

  /** {@code counts[c]} samples of class c, one-hot, features marking the class and the index. */
  static Dataset classes(int... counts) {
    int size = Arrays.stream(counts).sum();
    int width = counts.length;
    float[] features = new float[size * 2];
    float[] targets = new float[size * width];
    int n = 0;
    for (int c = 0; c < counts.length; c++) {
      for (int i = 0; i < counts[c]; i++, n++) {
        features[2 * n] = c;
        features[2 * n + 1] = n;
        targets[n * width + c] = 1;
      }
    }
    return Dataset.of(features, 2, targets, width);
  }

  /** Two separable classes with noise. */
  static Dataset blobs(long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] features = new float[size * 2];
    float[] targets = new float[size * 2];
    for (int n = 0; n < size; n++) {
      int c = n % 2;
      features[2 * n] = (float) (random.nextGaussian() * 0.7 + (c == 0 ? -1 : 1));
      features[2 * n + 1] = (float) random.nextGaussian();
      targets[2 * n + c] = 1;
    }
    return Dataset.of(features, 2, targets, 2);
  }

  @Test
  void kFoldPartitionsTheSamplesLikeScikitLearn() {
    List<Fold> folds = new KFold(3, 0, false).split(10);
    assertEquals(3, folds.size());
    assertArrayEquals(new int[] {0, 1, 2, 3}, folds.get(0).testIndices());
    assertArrayEquals(new int[] {4, 5, 6}, folds.get(1).testIndices());
    assertArrayEquals(new int[] {7, 8, 9}, folds.get(2).testIndices());
    assertArrayEquals(new int[] {0, 1, 2, 3, 7, 8, 9}, folds.get(1).trainIndices());

    for (boolean stratified : new boolean[] {false, true}) {
      Dataset data = classes(13, 7, 3);
      KFold kFold = stratified ? KFold.stratified(4, 11, true) : new KFold(4, 11, true);
      List<Fold> shuffled = kFold.split(data);
      int[] testCount = new int[data.size()];
      for (Fold fold : shuffled) {
        assertEquals(data.size(), fold.trainSize() + fold.testSize());
        assertTrue(fold.testSize() == 5 || fold.testSize() == 6, "size " + fold.testSize());
        for (int sample : fold.testIndices()) {
          testCount[sample]++;
          assertTrue(Arrays.binarySearch(fold.trainIndices(), sample) < 0);
        }
        Dataset test = fold.test(data);
        assertEquals(fold.testSize(), test.size());
        int first = fold.testIndices()[0];
        assertEquals(data.features()[2 * first + 1], test.features()[1]);
      }
      for (int count : testCount) {
        assertEquals(1, count, "every sample is tested exactly once");
      }
      assertEquals(shuffled, kFold.split(data), "the same seed gives the same folds");
      assertNotEquals(shuffled, (stratified ? KFold.stratified(4, 12, true)
          : new KFold(4, 12, true)).split(data));
    }
    assertEquals("cannot split 3 samples into 4 folds: each needs a test sample",
        assertThrows(IllegalArgumentException.class, () -> new KFold(4, 0, true).split(3))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KFold(1, 0, true));
    assertThrows(IllegalStateException.class, () -> KFold.stratified(2, 0, true).split(10));
  }

  @Test
  void stratifiedFoldsKeepTheClassRatios() {
    Dataset data = classes(30, 20, 10);
    for (Fold fold : KFold.stratified(5, 3, true).split(data)) {
      int[] counts = new int[3];
      for (int sample : fold.testIndices()) {
        counts[(int) data.features()[2 * sample]]++;
      }
      assertArrayEquals(new int[] {6, 4, 2}, counts, "fold " + fold.index());
    }
    // Uneven: 7 / 3 over 3 folds → each fold has 2 or 3 of class 0 and 1 of class 1.
    float[] labels = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    Dataset sparse = Dataset.of(new float[10], 1, labels, 1);
    for (Fold fold : KFold.stratified(3, 5, false).split(sparse)) {
      int ones = 0;
      for (int sample : fold.testIndices()) {
        ones += (int) labels[sample];
      }
      assertEquals(1, ones);
    }
  }

  @Test
  void crossValidationScoresEveryFoldAndAveragesThem() {
    Dataset data = blobs(1, 60);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 8, 5);
    Supplier<Network> factory = SoftmaxRegression::small;
    CrossValidationResult result = CrossValidation.run(factory, data, 4, config, 7,
        Metrics.byName("accuracy"));
    assertEquals(4, result.folds());
    assertEquals(List.of("accuracy", "loss"), result.names());
    // Recompute by hand: same folds, fresh network initialized with the seed, same trainer seed.
    double[] expected = new double[4];
    for (Fold fold : KFold.stratified(4, 7, true).split(data)) {
      Network net = factory.get();
      net.initialize(7);
      new Trainer(config, 7).fit(net, fold.train(data));
      expected[fold.index()] = Evaluation.accuracy(net, fold.test(data));
    }
    assertArrayEquals(expected, result.scores(), 1e-12);
    double mean = Arrays.stream(expected).average().orElseThrow();
    double variance = Arrays.stream(expected).map(s -> (s - mean) * (s - mean)).sum() / 4;
    assertEquals(mean, result.mean(), 1e-12);
    assertEquals(Math.sqrt(variance), result.std(), 1e-12);
    assertTrue(result.mean() > 0.8, result.toString());

    CrossValidationResult known = new CrossValidationResult(List.of("accuracy", "loss"),
        new double[][] {{0.8, 0.3}, {0.9, 0.2}, {1.0, 0.1}});
    assertEquals(0.9, known.mean(), 1e-15);
    assertEquals(Math.sqrt(0.02 / 3), known.std(), 1e-15);
    assertEquals(0.2, known.mean("loss"), 1e-15);
    assertEquals("accuracy: 0.9000 ± 0.0816 (3 folds: 0.8000 0.9000 1.0000); loss: 0.2000 ±"
        + " 0.0816 (3 folds: 0.3000 0.2000 0.1000)", known.toString());
  }

  @Test
  void gridSearchRanksCandidatesAndMarksTheBest() {
    Dataset data = blobs(2, 48);
    Map<String, Supplier<Network>> candidates = new LinkedHashMap<>();
    candidates.put("frozen", () -> new SoftmaxRegression(2, 2, 16,
        new TrainingConfig(new Sgd(), 8, 1)) {
      @Override
      public void initialize(long seed) {
        // all-zero weights that barely move with the tiny rate below: a poor candidate
      }
    });
    candidates.put("trained", SoftmaxRegression::small);
    List<GridSearch.Candidate> list = new ArrayList<>();
    list.add(new GridSearch.Candidate("tiny rate", candidates.get("frozen"),
        new TrainingConfig(new Sgd(1e-6), 8, 2)));
    list.add(new GridSearch.Candidate("good rate", candidates.get("trained"),
        new TrainingConfig(new Sgd(0.5), 8, 4)));
    GridSearchResult result = GridSearch.run(list, data, 3, 5,
        List.of(Metrics.byName("accuracy")));
    assertEquals("good rate", result.best().candidate());
    assertEquals("accuracy", result.rankedBy());
    String[] lines = result.toString().split("\n");
    assertEquals(4, lines.length, result.toString());
    assertEquals("candidate    accuracy         loss", lines[0]);
    assertTrue(lines[1].matches("tiny rate    \\d\\.\\d{4} ± \\d\\.\\d{4}  \\d\\.\\d{4} ±"
        + " \\d\\.\\d{4}"), lines[1]);
    assertTrue(lines[2].startsWith("good rate *  "), lines[2]);
    assertEquals("* best mean accuracy over 3 folds", lines[3]);

    // By loss (no metrics): lowest wins; the map keeps its insertion order.
    GridSearchResult byLoss = GridSearch.run(candidates, data, 3,
        new TrainingConfig(new Sgd(0.5), 8, 3), 5, List.of());
    assertEquals(List.of("frozen", "trained"),
        byLoss.rows().stream().map(GridSearchResult.Row::candidate).toList());
    assertEquals("loss", byLoss.rankedBy());
    assertEquals(byLoss.rows().get(0).result().mean() < byLoss.rows().get(1).result().mean()
        ? "frozen" : "trained", byLoss.best().candidate());
    assertThrows(IllegalArgumentException.class,
        () -> GridSearch.run(List.of(), data, 3, 5, List.of()));
  }
}
