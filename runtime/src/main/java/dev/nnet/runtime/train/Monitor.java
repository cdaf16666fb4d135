package dev.nnet.runtime.train;

import java.util.Objects;

/**
 * The shared logic of the callbacks that watch one value per epoch: look it up, and decide
 * whether it improved on the best so far by more than {@code minDelta}, as Keras does.
 */
final class Monitor {
  final String name;
  final boolean maximize;
  final double minDelta;

  Monitor(String name, MonitorMode mode, double minDelta) {
    this.name = Objects.requireNonNull(name, "monitor");
    Objects.requireNonNull(mode, "mode");
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "min delta must be a finite number >= 0, but got " + minDelta);
    }
    this.maximize = mode.maximizes(name);
    this.minDelta = minDelta;
  }

  /** The value worse than any: where the best starts. */
  double worst() {
    return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** Whether {@code value} beats {@code best} by more than {@code minDelta}. NaN never does. */
  boolean improves(double value, double best) {
    return maximize ? value - minDelta > best : value + minDelta < best;
  }

  /**
   * The monitored value of the epoch.
   *
   * @throws IllegalStateException naming what the epoch did measure, if it did not measure this
   */
  double value(String who, EpochStats stats) {
    Double value = stats.values().get(name);
    if (value == null) {
      throw new IllegalStateException(who + " monitors '" + name + "', but the epoch measured "
          + stats.values().keySet()
          + (name.startsWith("val_") ? ": pass validation data or set a validation split" : ""));
    }
    return value;
  }
}
