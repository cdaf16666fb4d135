package dev.nnet.processor.ir;

/**
 * What a preprocessing stage does to each value of a sample. Stages sit at the start of a network,
 * so their statistics are fitted once on training data ({@code adapt}) and never trained.
 */
public sealed interface Stage {
  /** The keyword of the stage in {@code .nnet} files. */
  String keyword();

  /** Whether the stage has statistics to fit on training data. */
  boolean fitted();

  /** {@code normalize(x)}: {@code (x − mean) / √max(variance, ε)} per feature of the last axis. */
  record Normalize(double epsilon) implements Stage {
    @Override
    public String keyword() {
      return "normalize";
    }

    @Override
    public boolean fitted() {
      return true;
    }
  }

  /** {@code rescale(x, scale: 1/255, offset: 0)}: {@code x · scale + offset}; nothing to fit. */
  record Rescale(double scale, double offset) implements Stage {
    @Override
    public String keyword() {
      return "rescale";
    }

    @Override
    public boolean fitted() {
      return false;
    }
  }

  /**
   * {@code impute(x, strategy: mean)}: a missing value (NaN) becomes the feature's fitted mean,
   * median or most frequent value, or a constant.
   */
  record Impute(String strategy, double value) implements Stage {
    /** The strategies, as written in {@code .nnet} files. */
    public static final java.util.List<String> STRATEGIES = java.util.List.of("mean", "median", "most_frequent",
        "constant");

    @Override
    public String keyword() {
      return "impute";
    }

    @Override
    public boolean fitted() {
      return !strategy.equals("constant");
    }
  }

  /** {@code resize(image, height: 14, width: 14)}: bilinear resizing of [h, w, c] images. */
  record Resize(int height, int width) implements Stage {
    @Override
    public String keyword() {
      return "resize";
    }

    @Override
    public boolean fitted() {
      return false;
    }
  }
}
