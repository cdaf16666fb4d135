package dev.nnet.examples.cancer;

import dev.nnet.prep.tabular.ColumnType;
import dev.nnet.prep.tabular.CsvReader;
import dev.nnet.prep.tabular.CsvTable;
import dev.nnet.prep.tabular.OrdinalEncoder;
import dev.nnet.prep.tabular.StratifiedSplit;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.train.ProgressBar;
import dev.nnet.runtime.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the Wisconsin breast cancer data with 5 % of its measurements blanked (see
 * {@code make-data.py}) with the CSV loader, splits it stratified and seeded into 70 % training,
 * 10 % validation and 20 % test rows, and trains {@code CancerNet}, whose {@code impute} and
 * {@code normalize} stages fit their medians, means and variances on the training rows only. The
 * saved model is reloaded and given the raw test rows, missing values and all.
 *
 * <p>Arguments: {@code [data directory] [output directory]}; defaults {@code examples/data} and
 * {@code examples/breast-cancer/target}.
 */
public final class BreastCancer {
  static final long SEED = 5;

  private BreastCancer() {}

  record Result(int rows, int missingCells, int train, int validation, int test, double validationAccuracy,
      double testAccuracy, double reloadedAccuracy, float[] medians) {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path out = Path.of(args.length > 1 ? args[1] : "examples/breast-cancer/target");
    Result r = run(data, out, true);
    System.out.println("rows: " + r.rows());
    System.out.println("missing cells: " + r.missingCells());
    System.out.println("train / validation / test rows: " + r.train() + " / " + r.validation() + " / " + r.test());
    System.out.printf(Locale.ROOT, "fitted median of mean_radius: %.4f%n", r.medians()[0]);
    System.out.printf(Locale.ROOT, "validation accuracy: %.4f%n", r.validationAccuracy());
    System.out.printf(Locale.ROOT, "reloaded model accuracy: %.4f%n", r.reloadedAccuracy());
    System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", r.testAccuracy());
  }

  static Result run(Path dataDir, Path out, boolean verbose) throws IOException {
    CsvTable table = new CsvReader().type("diagnosis", ColumnType.CATEGORY)
        .read(dataDir.resolve("breast_cancer_missing.csv"));
    List<String> columns = table.numberColumns("diagnosis");
    int missing = columns.stream().mapToInt(table::missing).sum();
    float[] x = table.matrix(columns);
    int[] labels = OrdinalEncoder.of(List.of("malignant", "benign")).indices(table.categories("diagnosis"));
    StratifiedSplit split = StratifiedSplit.of(labels, 0.1, 0.2, SEED);
    Dataset train = rows(x, labels, columns.size(), split.train());
    Dataset validation = rows(x, labels, columns.size(), split.validation());
    Dataset test = rows(x, labels, columns.size(), split.test());

    CancerNet net = new CancerNet();
    net.initialize(SEED);
    PrintStream progress = verbose ? System.out : new PrintStream(OutputStream.nullOutputStream());
    // No scaling or imputation here: fit adapts the network's own stages on the training rows.
    new Trainer(net.trainingConfig(), SEED).fit(net, train, validation, new ProgressBar(progress, false));
    float[] medians = java.util.Arrays.copyOfRange(net.state(), CancerNet.FILLED_FILL_OFFSET,
        CancerNet.FILLED_FILL_OFFSET + columns.size());

    Files.createDirectories(out);
    Path model = out.resolve("cancer.safetensors");
    ModelFile.save(net, model);
    CancerNet reloaded = new CancerNet();
    ModelFile.load(reloaded, model);
    return new Result(table.rows(), missing, train.size(), validation.size(), test.size(), accuracy(net, validation),
        accuracy(net, test), accuracy(reloaded, test), medians);
  }

  static double accuracy(dev.nnet.runtime.Network net, Dataset data) {
    return Trainer.evaluate(net, data, List.of(Metrics.byName("accuracy"))).get("accuracy");
  }

  private static Dataset rows(float[] x, int[] labels, int width, int[] selected) {
    float[] targets = new float[selected.length];
    for (int i = 0; i < selected.length; i++) {
      targets[i] = labels[selected[i]];
    }
    return Dataset.of(StratifiedSplit.rows(x, width, selected), width, targets, 1);
  }
}
