package dev.nnet.runtime.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The statistics of every epoch of one training run, in order, and why the run stopped early if
 * it did. Immutable. {@link #asMap()} is Keras' {@code History.history}.
 */
public final class History {
  private final List<EpochStats> epochs;
  private final String stopReason;

  /** A history of a run that trained all its epochs. */
  public History(List<EpochStats> epochs) {
    this(epochs, null);
  }

  /**
   * @param stopReason why the run stopped before its last epoch (as a callback gave it to
   *     {@link TrainingContext#requestStop}), or {@code null} if it did not
   */
  public History(List<EpochStats> epochs, String stopReason) {
    this.epochs = List.copyOf(epochs);
    this.stopReason = stopReason;
  }

  /** One entry per epoch, first epoch first. */
  public List<EpochStats> epochs() {
    return epochs;
  }

  /** The number of epochs trained. */
  public int size() {
    return epochs.size();
  }

  /**
   * The last epoch's statistics.
   *
   * @throws IllegalStateException if no epoch was trained
   */
  public EpochStats last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epochs were trained");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** Why training stopped early (a callback's reason), or empty if it ran all its epochs. */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /** Whether a callback stopped training before its last epoch. */
  public boolean stoppedEarly() {
    return stopReason != null;
  }

  /** The training loss of every epoch. */
  public double[] losses() {
    return epochs.stream().mapToDouble(EpochStats::loss).toArray();
  }

  /** The validation loss of every epoch (NaN where there was none). */
  public double[] validationLosses() {
    return epochs.stream().mapToDouble(EpochStats::validationLoss).toArray();
  }

  /** The training accuracy of every epoch (NaN where it was not measured). */
  public double[] accuracies() {
    return epochs.stream().mapToDouble(EpochStats::accuracy).toArray();
  }

  /** The validation accuracy of every epoch (NaN where it was not measured). */
  public double[] validationAccuracies() {
    return epochs.stream().mapToDouble(EpochStats::validationAccuracy).toArray();
  }

  /** The learning rate of every epoch's last step. */
  public double[] learningRates() {
    return epochs.stream().mapToDouble(EpochStats::learningRate).toArray();
  }

  /** The regularization penalty of every epoch, reported apart from the loss. */
  public double[] regularizationLosses() {
    return epochs.stream().mapToDouble(EpochStats::regularizationLoss).toArray();
  }

  /**
   * The names of all values any epoch measured, in the order of {@link EpochStats#values()}:
   * {@code loss}, the metrics, the {@code val_} values, {@code learning_rate},
   * {@code regularization_loss}.
   */
  public List<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (EpochStats stats : epochs) {
      names.addAll(stats.values().keySet());
    }
    return List.copyOf(names);
  }

  /**
   * The value called {@code name} (such as {@code val_accuracy}) of every epoch, NaN where it was
   * not measured.
   *
   * @throws IllegalArgumentException if no epoch measured a value of that name
   */
  public double[] values(String name) {
    Objects.requireNonNull(name, "name");
    if (!epochs.isEmpty() && !names().contains(name)) {
      throw new IllegalArgumentException(
          "no epoch measured '" + name + "'; the history has " + names());
    }
    return epochs.stream().mapToDouble(stats -> stats.value(name)).toArray();
  }

  /** Every value by name, one entry per epoch: Keras' {@code History.history}. Unmodifiable. */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> map = new LinkedHashMap<>();
    for (String name : names()) {
      List<Double> values = new ArrayList<>(epochs.size());
      for (EpochStats stats : epochs) {
        values.add(stats.value(name));
      }
      map.put(name, Collections.unmodifiableList(values));
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History other && epochs.equals(other.epochs)
        && Objects.equals(stopReason, other.stopReason);
  }

  @Override
  public int hashCode() {
    return epochs.hashCode() * 31 + Objects.hashCode(stopReason);
  }

  @Override
  public String toString() {
    return "History" + epochs + (stopReason == null ? "" : " stopped: " + stopReason);
  }
}
