package dev.nnet.runtime.schedule;

/**
 * No schedule: every step uses the optimizer's own learning rate. The default of
 * {@link dev.nnet.runtime.train.TrainingConfig}. Use {@link #INSTANCE} or
 * {@link LearningRateSchedule#constant()}.
 */
public final class Constant implements LearningRateSchedule {

  public static final Constant INSTANCE = new Constant();

  private Constant() {}

  @Override
  public double rate(double baseRate, int epoch, long step) {
    return baseRate;
  }

  @Override
  public String toString() {
    return "Constant";
  }
}
