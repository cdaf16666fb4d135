package dev.nnet.runtime.schedule;

/**
 * How the learning rate changes during training: {@link dev.nnet.runtime.train.Trainer} asks for
 * the rate of every optimizer step, as {@code rate(optimizer.learningRate(), epoch, step)}, and
 * passes the answer to {@link dev.nnet.runtime.optim.Optimizer#step}.
 *
 * <p>The schedules follow Keras' {@code keras.optimizers.schedules} formulas, with the Keras
 * conventions for the clock: {@code epoch} is 0-based (0 during the first epoch) and {@code step}
 * is the number of optimizer steps taken before this one over the whole run (0 for the first
 * step; Keras' {@code optimizer.iterations}). Epoch-based schedules ignore the step and
 * step-based ones ignore the epoch.
 *
 * <p>Implementations are immutable and compute the rate from their arguments alone, with no
 * hidden state, so a run resumed from a checkpoint gets exactly the rates of an uninterrupted
 * one. They must not allocate: the trainer calls {@link #rate} once per step.
 */
public interface LearningRateSchedule {

  /**
   * The learning rate of one optimizer step.
   *
   * @param baseRate the optimizer's declared learning rate ({@code initial_learning_rate} in Keras)
   * @param epoch the 0-based epoch the step belongs to
   * @param step the number of optimizer steps taken before this one, from the start of training
   * @return the rate, finite and &gt;= 0
   */
  double rate(double baseRate, int epoch, long step);

  /** The schedule that always returns the base rate; the default of a training configuration. */
  static LearningRateSchedule constant() {
    return Constant.INSTANCE;
  }
}
