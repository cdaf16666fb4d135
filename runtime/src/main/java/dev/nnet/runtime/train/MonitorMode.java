package dev.nnet.runtime.train;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether a monitored value improves by going down or up, as Keras' {@code mode} argument of
 * {@link EarlyStopping}, {@link ReduceLrOnPlateau} and {@link ModelCheckpoint}.
 */
public enum MonitorMode {
  /** Lower is better (losses, errors). */
  MIN,
  /** Higher is better (accuracy, F1, AUC). */
  MAX,
  /**
   * Decided from the name: higher is better for names (after any {@code val_} prefix) that
   * contain {@code acc}, {@code auc}, {@code precision}, {@code recall}, {@code f1} or that are
   * {@code r2}; lower is better for everything else, losses and errors included.
   */
  AUTO;

  /** Whether higher values of {@code name} are better under this mode. */
  public boolean maximizes(String name) {
    Objects.requireNonNull(name, "name");
    switch (this) {
      case MIN:
        return false;
      case MAX:
        return true;
      default:
        String base = name.toLowerCase(Locale.ROOT);
        if (base.startsWith("val_")) {
          base = base.substring(4);
        }
        return base.contains("acc") || base.contains("auc") || base.contains("precision")
            || base.contains("recall") || base.contains("f1") || base.equals("r2");
    }
  }
}
