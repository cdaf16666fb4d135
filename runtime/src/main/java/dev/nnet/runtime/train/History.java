package dev.nnet.runtime.train;

import java.util.List;

/** The statistics of every epoch of one {@link Trainer#fit} call, in order. Immutable. */
public final class History {
  private final List<EpochStats> epochs;

  public History(List<EpochStats> epochs) {
    this.epochs = List.copyOf(epochs);
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

  /** The training loss of every epoch. */
  public double[] losses() {
    return epochs.stream().mapToDouble(EpochStats::loss).toArray();
  }

  /** The validation loss of every epoch (NaN where there was none). */
  public double[] validationLosses() {
    return epochs.stream().mapToDouble(EpochStats::validationLoss).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History other && epochs.equals(other.epochs);
  }

  @Override
  public int hashCode() {
    return epochs.hashCode();
  }

  @Override
  public String toString() {
    return "History" + epochs;
  }
}
