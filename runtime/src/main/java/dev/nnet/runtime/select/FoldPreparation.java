package dev.nnet.runtime.select;

import dev.nnet.runtime.data.Dataset;
import java.util.function.UnaryOperator;

/**
 * Data preparation inside cross-validation: fit on each training fold only, then applied
 * unchanged to that fold and to its test fold, so no statistic of the test fold leaks into
 * training (scikit-learn's pipelines inside {@code cross_val_score} do the same).
 */
@FunctionalInterface
public interface FoldPreparation {

  /** A transform fit on {@code trainingFold}; it must not modify its argument. */
  UnaryOperator<Dataset> fit(Dataset trainingFold);

  /** No preparation: the folds as they are. */
  static FoldPreparation none() {
    return trainingFold -> UnaryOperator.identity();
  }
}
