package dev.nnet.runtime.schedule;

import java.util.Objects;

/**
 * A linear warm-up in front of another schedule, as Keras' {@code CosineDecay} does with
 * {@code warmup_steps}: for the first {@code warmupSteps} steps the rate rises linearly from 0 to
 * the rate {@code then} starts with, after which {@code then} runs with its step clock starting at
 * 0:
 *
 * <pre>
 *   step &lt; warmupSteps:   rate = then.rate(baseRate, epoch, 0) · step / warmupSteps
 *   otherwise:            rate = then.rate(baseRate, epoch, step − warmupSteps)
 * </pre>
 *
 * <p>The very first step therefore has rate 0, as in Keras. The epoch is passed through unchanged,
 * so an epoch-based schedule such as {@link StepDecay} keeps counting epochs from the start of
 * training. Immutable.
 *
 * @param warmupSteps the number of warm-up steps, &gt;= 1
 * @param then the schedule after the warm-up; {@link LearningRateSchedule#constant()} for none
 */
public record LinearWarmup(long warmupSteps, LearningRateSchedule then)
    implements LearningRateSchedule {

  /** @throws IllegalArgumentException if {@code warmupSteps} is &lt; 1 */
  public LinearWarmup {
    Checks.atLeastOne("warmup steps", warmupSteps);
    Objects.requireNonNull(then, "then");
  }

  /** A warm-up to the base rate, constant afterwards. */
  public LinearWarmup(long warmupSteps) {
    this(warmupSteps, LearningRateSchedule.constant());
  }

  @Override
  public double rate(double baseRate, int epoch, long step) {
    if (step < warmupSteps) {
      return then.rate(baseRate, epoch, 0) * ((double) step / warmupSteps);
    }
    return then.rate(baseRate, epoch, step - warmupSteps);
  }

  @Override
  public String toString() {
    return "LinearWarmup(warmupSteps=" + warmupSteps + ", then=" + then + ")";
  }
}
