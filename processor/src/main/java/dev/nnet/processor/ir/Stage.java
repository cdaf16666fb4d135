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

  /**
   * {@code text_vectorize(text, max_tokens: 10000, sequence_length: 60)}: a string input becomes
   * token ids ({@code output_mode: int}) or one value per vocabulary id ({@code multi_hot},
   * {@code count}, {@code tf_idf}), with a vocabulary fitted on the training texts.
   *
   * @param maxTokens the vocabulary size, padding (0) and out-of-vocabulary (1) included
   * @param sequenceLength ids per text for {@code output_mode: int}; 0 for the other modes
   * @param outputMode {@code int}, {@code multi_hot}, {@code count} or {@code tf_idf}
   * @param standardize {@code lower_and_strip_punctuation}, {@code lower}, {@code strip_punctuation}
   *     or {@code none}
   */
  record TextVectorize(int maxTokens, int sequenceLength, String outputMode, String standardize) implements Stage {
    /** The output modes, as written in {@code .nnet} files. */
    public static final java.util.List<String> OUTPUT_MODES = java.util.List.of("int", "multi_hot", "count", "tf_idf");

    /** The standardizations, as written in {@code .nnet} files. */
    public static final java.util.List<String> STANDARDIZE = java.util.List.of("lower_and_strip_punctuation", "lower",
        "strip_punctuation", "none");

    /** Characters per vocabulary row in the state (the runtime's {@code TextVectorization.TOKEN_CHARS}). */
    public static final int TOKEN_CHARS = 32;

    @Override
    public String keyword() {
      return "text_vectorize";
    }

    @Override
    public boolean fitted() {
      return true;
    }

    /** Values per text: the ids, or one per vocabulary id. */
    public int outputSize() {
      return outputMode.equals("int") ? sequenceLength : maxTokens;
    }
  }
}
