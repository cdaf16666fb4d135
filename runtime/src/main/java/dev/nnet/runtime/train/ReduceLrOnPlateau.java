package dev.nnet.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} when the
 * monitored value has not improved by more than {@code minDelta} for {@code patience} epochs,
 * never going below {@code minRate}.
 *
 * <p>After each epoch: during a cooldown (the {@code cooldown} epochs after a reduction) the wait
 * stays 0; a value that beats the best by more than {@code minDelta} becomes the best and resets
 * the wait; otherwise, out of cooldown, the wait grows, and when it reaches {@code patience} the
 * rate r of the epoch's last step becomes max(r · factor, minRate) (if r &gt; minRate), a cooldown
 * starts and the wait resets.
 *
 * <p>The reduction multiplies the trainer's {@link TrainingContext#learningRateScale()}, which
 * multiplies whatever the configured {@link dev.nnet.runtime.schedule.LearningRateSchedule}
 * gives; with the default constant schedule this is exactly Keras' behaviour (Keras does not allow
 * both). Its state and the scale are saved in checkpoints.
 */
public final class ReduceLrOnPlateau implements Callback {

  private final Monitor monitor;
  private final double factor;
  private final int patience;
  private final int cooldown;
  private final double minRate;

  private double best;
  private int wait;
  private int cooldownLeft;

  /**
   * Reduce-on-plateau without cooldown, the direction taken from the name.
   *
   * @param monitor the value to watch, such as {@code val_loss}
   * @param factor the multiplier of the rate, in (0, 1); Keras' default is 0.1
   * @param patience the number of epochs without improvement before a reduction, &gt;= 0
   * @param minDelta the smallest change that counts as an improvement, &gt;= 0; Keras' default
   *     is 1e-4
   * @param minRate the lowest rate, &gt;= 0
   */
  public ReduceLrOnPlateau(
      String monitor, double factor, int patience, double minDelta, double minRate) {
    this(monitor, MonitorMode.AUTO, factor, patience, minDelta, 0, minRate);
  }

  /**
   * @param cooldown the number of epochs after a reduction during which the wait does not grow
   * @throws IllegalArgumentException if {@code factor} is not in (0, 1), {@code patience} or
   *     {@code cooldown} is negative, or {@code minDelta} or {@code minRate} is not finite and
   *     &gt;= 0
   */
  public ReduceLrOnPlateau(
      String monitor, MonitorMode mode, double factor, int patience, double minDelta,
      int cooldown, double minRate) {
    this.monitor = new Monitor(monitor, mode, minDelta);
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("factor must be in (0, 1), but got " + factor);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, but got " + patience);
    }
    if (cooldown < 0) {
      throw new IllegalArgumentException("cooldown must be >= 0, but got " + cooldown);
    }
    if (!(minRate >= 0) || Double.isInfinite(minRate)) {
      throw new IllegalArgumentException(
          "min rate must be a finite number >= 0, but got " + minRate);
    }
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.minRate = minRate;
    reset();
  }

  private void reset() {
    best = monitor.worst();
    wait = 0;
    cooldownLeft = 0;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    reset();
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    double value = monitor.value("ReduceLrOnPlateau", stats);
    if (cooldownLeft > 0) {
      cooldownLeft--;
      wait = 0;
    }
    if (monitor.improves(value, best)) {
      best = value;
      wait = 0;
    } else if (cooldownLeft == 0) {
      wait++;
      if (wait >= patience) {
        double old = context.learningRate();
        if (old > minRate) {
          double reduced = Math.max(old * factor, minRate);
          context.setLearningRateScale(context.learningRateScale() * (reduced / old));
          cooldownLeft = cooldown;
          wait = 0;
        }
      }
    }
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("best", Double.toString(best));
    state.put("wait", Integer.toString(wait));
    state.put("cooldown_left", Integer.toString(cooldownLeft));
    return state;
  }

  @Override
  public void restoreCheckpointState(Map<String, Object> state) {
    best = Double.parseDouble((String) state.get("best"));
    wait = Integer.parseInt((String) state.get("wait"));
    cooldownLeft = Integer.parseInt((String) state.get("cooldown_left"));
  }

  @Override
  public String toString() {
    return "ReduceLrOnPlateau(monitor=" + monitor.name + ", factor=" + factor + ", patience="
        + patience + ", minDelta=" + monitor.minDelta + ", cooldown=" + cooldown + ", minRate="
        + minRate + ")";
  }
}
