package dev.nnet.processor.ir;

/** The losses a {@code train} block can name. */
public enum LossKind {
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "dev.nnet.runtime.loss", "CategoricalCrossEntropy"),
  MEAN_SQUARED_ERROR("mean_squared_error", "dev.nnet.runtime.loss", "MeanSquaredError");

  private final String keyword;
  private final String runtimePackage;
  private final String runtimeClass;

  LossKind(String keyword, String runtimePackage, String runtimeClass) {
    this.keyword = keyword;
    this.runtimePackage = runtimePackage;
    this.runtimeClass = runtimeClass;
  }

  public String keyword() {
    return keyword;
  }

  public String runtimePackage() {
    return runtimePackage;
  }

  public String runtimeClass() {
    return runtimeClass;
  }
}
