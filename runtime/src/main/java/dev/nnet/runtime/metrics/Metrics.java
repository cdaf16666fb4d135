package dev.nnet.runtime.metrics;

import java.util.List;
import java.util.Objects;

/**
 * Looks metrics up by their Keras-style names:
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><th>name</th><th>metric</th></tr>
 *   <tr><td>{@code accuracy}</td><td>{@link Accuracy}</td></tr>
 *   <tr><td>{@code top_k_accuracy}</td><td>{@link TopKAccuracy} with k = 5</td></tr>
 *   <tr><td>{@code precision}</td><td>{@link Precision}</td></tr>
 *   <tr><td>{@code recall}</td><td>{@link Recall}</td></tr>
 *   <tr><td>{@code f1}</td><td>{@link F1}</td></tr>
 *   <tr><td>{@code auc}</td><td>{@link Auc}</td></tr>
 *   <tr><td>{@code mae}</td><td>{@link MeanAbsoluteError}</td></tr>
 *   <tr><td>{@code rmse}</td><td>{@link RootMeanSquaredError}</td></tr>
 *   <tr><td>{@code r2}</td><td>{@link RSquared}</td></tr>
 * </table>
 *
 * <p>For another k, construct {@link TopKAccuracy}.
 */
public final class Metrics {
  private static final List<Metric> ALL = List.of(
      Accuracy.INSTANCE,
      new TopKAccuracy(TopKAccuracy.DEFAULT_K),
      Precision.INSTANCE,
      Recall.INSTANCE,
      F1.INSTANCE,
      Auc.INSTANCE,
      MeanAbsoluteError.INSTANCE,
      RootMeanSquaredError.INSTANCE,
      RSquared.INSTANCE);

  private Metrics() {}

  /**
   * The metric called {@code name}, such as {@code accuracy}.
   *
   * @throws IllegalArgumentException naming the known metrics if there is none of that name
   */
  public static Metric byName(String name) {
    Objects.requireNonNull(name, "name");
    for (Metric metric : ALL) {
      if (metric.name().equals(name)) {
        return metric;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric '" + name + "'; known metrics are " + names());
  }

  /** The names of all metrics, sorted. */
  public static List<String> names() {
    return ALL.stream().map(Metric::name).sorted().toList();
  }
}
