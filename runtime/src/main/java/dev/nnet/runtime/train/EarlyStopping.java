package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' {@code EarlyStopping}: stops training when the monitored value (such as
 * {@code val_loss}) has not improved by more than {@code minDelta} for {@code patience} epochs,
 * and optionally puts back the weights of the best epoch when training ends.
 *
 * <p>After each epoch: if the value beats the best so far by more than {@code minDelta}, it
 * becomes the best and the wait starts again; otherwise the wait grows by one, and once it
 * reaches {@code patience} (from the second epoch on) training stops. A NaN value never improves.
 * With {@code restoreBestWeights}, the parameters of the best epoch (those of the first epoch if
 * none improved) are copied back into the network when training ends, whether it stopped early
 * or not, as Keras 3 does, together with the network's {@linkplain Network#state() state} as it
 * was at the end of that epoch (batch normalisation's running statistics), so the restored model
 * is the one that scored best. The stop reason reads
 *
 * <pre>
 * early stopping: val_loss did not improve for 3 epochs (best 0.2934 at epoch 4)
 * </pre>
 *
 * <p>Its own state (best value and epoch, wait, best weights and best network state) is saved in
 * checkpoints, so a resumed run stops and restores exactly as an uninterrupted one.
 */
public final class EarlyStopping implements Callback {

  private final Monitor monitor;
  private final int patience;
  private final boolean restoreBestWeights;

  private double best;
  private int bestEpoch;
  private int wait;
  private int stoppedEpoch;
  private float[] bestWeights;
  private float[] bestState;

  /**
   * Early stopping with the direction taken from the name ({@link MonitorMode#AUTO}).
   *
   * @param monitor the value to watch, as {@link EpochStats#values()} names it: {@code val_loss},
   *     {@code val_accuracy}, {@code loss}, …
   * @param patience the number of epochs without improvement after which training stops, &gt;= 0
   * @param minDelta the smallest change that counts as an improvement, &gt;= 0
   * @param restoreBestWeights whether to put back the best epoch's weights at the end
   */
  public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
    this(monitor, MonitorMode.AUTO, patience, minDelta, restoreBestWeights);
  }

  /**
   * @throws IllegalArgumentException if {@code patience} is negative or {@code minDelta} is not
   *     finite and &gt;= 0
   */
  public EarlyStopping(
      String monitor, MonitorMode mode, int patience, double minDelta,
      boolean restoreBestWeights) {
    this.monitor = new Monitor(monitor, mode, minDelta);
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, but got " + patience);
    }
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    reset();
  }

  private void reset() {
    best = monitor.worst();
    bestEpoch = 0;
    wait = 0;
    stoppedEpoch = 0;
    bestWeights = null;
    bestState = null;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    reset();
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    double value = monitor.value("EarlyStopping", stats);
    Network net = context.network();
    float[] parameters = net.parameters();
    float[] state = net.state();
    if (restoreBestWeights) {
      if (bestWeights == null) {
        bestWeights = parameters.clone();
        bestState = state.clone();
      } else {
        checkSnapshot(net);
      }
    }
    wait++;
    if (monitor.improves(value, best)) {
      best = value;
      bestEpoch = stats.epoch();
      if (restoreBestWeights) {
        System.arraycopy(parameters, 0, bestWeights, 0, parameters.length);
        System.arraycopy(state, 0, bestState, 0, state.length);
      }
      wait = 0;
      return;
    }
    if (wait >= patience && stats.epoch() > 1) {
      stoppedEpoch = stats.epoch();
      context.requestStop("early stopping: " + monitor.name + " did not improve"
          + (monitor.minDelta > 0 ? " by more than " + monitor.minDelta : "")
          + " for " + wait + (wait == 1 ? " epoch" : " epochs")
          + (bestEpoch == 0 ? "" : String.format(Locale.ROOT, " (best %.4f at epoch %d)", best,
              bestEpoch)));
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context, History history) {
    if (restoreBestWeights && bestWeights != null) {
      Network net = context.network();
      checkSnapshot(net);
      float[] parameters = net.parameters();
      System.arraycopy(bestWeights, 0, parameters, 0, parameters.length);
      float[] state = net.state();
      System.arraycopy(bestState, 0, state, 0, state.length);
    }
  }

  /**
   * The snapshot restored from a checkpoint must fit the network: best weights for every
   * parameter, and best state for every state value (a checkpoint of a network without state
   * holds none).
   */
  private void checkSnapshot(Network net) {
    int stateLength = net.state().length;
    if (bestState == null && stateLength == 0) {
      bestState = new float[0];
    }
    if (bestWeights.length != net.parameters().length || bestState == null
        || bestState.length != stateLength) {
      throw new IllegalStateException("EarlyStopping's best weights hold "
          + bestWeights.length + " parameters and "
          + (bestState == null ? "no" : Integer.toString(bestState.length))
          + " state values, but network '" + net.name() + "' has " + net.parameters().length
          + " and " + stateLength + ": the checkpoint's callback state is not for this network");
    }
  }

  /** The best epoch so far (1-based), or 0 if none improved yet. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best monitored value so far; ±∞ before the first epoch. */
  public double best() {
    return best;
  }

  /** The epoch after which this callback stopped training, or 0 if it did not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("best", Double.toString(best));
    state.put("best_epoch", Integer.toString(bestEpoch));
    state.put("wait", Integer.toString(wait));
    state.put("stopped_epoch", Integer.toString(stoppedEpoch));
    if (bestWeights != null) {
      state.put("best_weights", bestWeights.clone());
      // Only for a network with state, so checkpoints of other networks are as before.
      if (bestState != null && bestState.length > 0) {
        state.put("best_state", bestState.clone());
      }
    }
    return state;
  }

  @Override
  public void restoreCheckpointState(Map<String, Object> state) {
    best = Double.parseDouble((String) state.get("best"));
    bestEpoch = Integer.parseInt((String) state.get("best_epoch"));
    wait = Integer.parseInt((String) state.get("wait"));
    stoppedEpoch = Integer.parseInt((String) state.get("stopped_epoch"));
    bestWeights = (float[]) state.get("best_weights");
    bestState = bestWeights == null ? null : (float[]) state.get("best_state");
  }

  @Override
  public String toString() {
    return "EarlyStopping(monitor=" + monitor.name + ", patience=" + patience + ", minDelta="
        + monitor.minDelta + ", restoreBestWeights=" + restoreBestWeights + ")";
  }
}
