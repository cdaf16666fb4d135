package dev.nnet.runtime.train;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;

/** The text the console callbacks print, in {@link Locale#ROOT}. */
final class Lines {
  private Lines() {}

  /** The epoch line of {@link TrainingListener#format}, with the learning rate if asked. */
  static String epoch(EpochStats stats, int epochs, boolean withLearningRate) {
    StringBuilder line = new StringBuilder();
    line.append("epoch ").append(stats.epoch()).append('/').append(epochs);
    line.append(String.format(Locale.ROOT, "  loss: %.4f", stats.loss()));
    values(line, "", stats.metrics());
    if (stats.hasValidation()) {
      line.append(String.format(Locale.ROOT, "  val_loss: %.4f", stats.validationLoss()));
    }
    values(line, "val_", stats.validationMetrics());
    if (!Double.isNaN(stats.regularizationLoss()) && stats.regularizationLoss() != 0) {
      line.append(String.format(Locale.ROOT, "  regularization_loss: %.4f",
          stats.regularizationLoss()));
    }
    if (withLearningRate && !Double.isNaN(stats.learningRate())) {
      line.append("  learning_rate: ").append(rate(stats.learningRate()));
    }
    line.append(String.format(Locale.ROOT, "  (%.1f s, %.0f samples/s)",
        stats.seconds(), stats.samplesPerSecond()));
    return line.toString();
  }

  /** Appends {@code  name: value} for every value, with {@code %.4f}. */
  static void values(StringBuilder line, String prefix, Map<String, Double> values) {
    for (Map.Entry<String, Double> entry : values.entrySet()) {
      line.append("  ").append(prefix).append(entry.getKey())
          .append(String.format(Locale.ROOT, ": %.4f", entry.getValue()));
    }
  }

  /** A learning rate to 4 significant digits, without exponent or trailing zeros: 0.0005. */
  static String rate(double rate) {
    if (!Double.isFinite(rate)) {
      return Double.toString(rate);
    }
    if (rate == 0) {
      return "0";
    }
    return new BigDecimal(rate).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A duration for an ETA: {@code 7 s}, {@code 2 min 05 s}, {@code 1 h 02 min}. */
  static String duration(double seconds) {
    long s = Math.round(Math.max(0, seconds));
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
