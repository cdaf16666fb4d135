package dev.nnet.runtime.train;

import java.util.Map;

/**
 * Told about the progress of a training run, as Keras' callbacks are, and able to steer it through
 * the {@link TrainingContext}: stop it ({@link TrainingContext#requestStop}), change the learning
 * rate ({@link TrainingContext#setLearningRateScale}) or save a checkpoint ({@link
 * TrainingContext#saveCheckpoint}). Every method does nothing by default.
 *
 * <p>For one epoch of {@code B} mini-batches the trainer calls, in this order:
 *
 * <pre>
 *   onEpochBegin
 *   B × (compute gradients, onGradients, clip, optimizer step, onBatchEnd)
 *   evaluate the validation data, onEpochEnd
 * </pre>
 *
 * <p>with {@link #onTrainBegin} before the first epoch and {@link #onTrainEnd} after the last.
 * Callbacks are called in the order they were given to {@link Trainer#fit}. Epoch and batch
 * numbers ({@link TrainingContext#epoch()}, {@link TrainingContext#batch()}) are 1-based.
 *
 * <p>{@link #onGradients} and {@link #onBatchEnd} run once per mini-batch: they should not
 * allocate, and should do little unless something happens (the {@link ProgressBar} formats a
 * line only a few times a second).
 *
 * <p>A callback with state that matters after a resume (a patience counter, best weights) returns
 * it from {@link #checkpointState()}; {@link Trainer#resume} gives it back through {@link
 * #restoreCheckpointState} right after {@link #onTrainBegin}. A callback instance is meant for
 * one run at a time.
 */
public interface Callback {

  /** Before the first epoch. When resuming, {@link TrainingContext#initialEpoch()} is &gt; 0. */
  default void onTrainBegin(TrainingContext context) {}

  /** At the start of epoch {@link TrainingContext#epoch()}, before its shuffle. */
  default void onEpochBegin(TrainingContext context) {}

  /**
   * After {@link dev.nnet.runtime.Network#computeGradients} of a mini-batch, before gradient
   * clipping and the optimizer step: {@code gradients} is the network's live gradient array, and
   * {@link TrainingContext#batchLoss()} the batch's loss. A stop requested here skips this batch's
   * optimizer step and puts back the network's {@linkplain dev.nnet.runtime.Network#state()
   * state} as it was before the batch, so the parameters and the state stay those before the
   * batch ({@link NanGuard} relies on it).
   */
  default void onGradients(TrainingContext context, float[] gradients) {}

  /** After the optimizer step of mini-batch {@link TrainingContext#batch()}. */
  default void onBatchEnd(TrainingContext context) {}

  /**
   * After epoch {@code stats.epoch()}, its validation included. A stop requested here ends
   * training after this epoch.
   */
  default void onEpochEnd(TrainingContext context, EpochStats stats) {}

  /** After the last epoch, or after training stopped early; {@code history} is the whole run. */
  default void onTrainEnd(TrainingContext context, History history) {}

  /**
   * The state to store in a checkpoint, by key: {@code String} values (numbers as
   * {@link Double#toString(double)} writes them, which parses back exactly) or {@code float[]}
   * values. Empty (the default) for a callback without state worth resuming.
   */
  default Map<String, Object> checkpointState() {
    return Map.of();
  }

  /**
   * Restores what {@link #checkpointState()} returned when the checkpoint was written: the same
   * keys, with {@code String} and {@code float[]} values. Called by {@link Trainer#resume} after
   * {@link #onTrainBegin}, only when the checkpoint holds state for this callback (matched by its
   * position in the callback list and its class's simple name).
   */
  default void restoreCheckpointState(Map<String, Object> state) {}
}
