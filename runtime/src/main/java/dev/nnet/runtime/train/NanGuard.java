package dev.nnet.runtime.train;

import dev.nnet.runtime.ParameterTensor;

/**
 * Stops training as soon as a mini-batch's loss or any element of its gradient is NaN or
 * infinite, before the optimizer applies it, so the network keeps the last finite parameters
 * (and the state, such as running statistics, from before the batch)
 * (Keras' {@code TerminateOnNaN}, which checks only the loss, after the update). The stop reason
 * names the epoch and batch (both 1-based) and the learning rate:
 *
 * <pre>
 * loss became NaN at epoch 3, batch 17 (learning rate 0.5): lower the learning rate or clip gradients
 * gradient of 'dense.weight' became infinite at epoch 3, batch 17 (learning rate 0.5): lower the learning rate or clip gradients
 * </pre>
 *
 * <p>and is in {@link History#stopReason()}; {@link ProgressBar} prints it. The check is one pass
 * over the gradient per batch, without branches or allocation.
 */
public final class NanGuard implements Callback {

  private String reason;

  @Override
  public void onTrainBegin(TrainingContext context) {
    reason = null;
  }

  @Override
  public void onGradients(TrainingContext context, float[] gradients) {
    float loss = context.batchLoss();
    if (!Float.isFinite(loss)) {
      stop(context, "loss became " + describe(loss));
      return;
    }
    // g − g is 0 for a finite g and NaN for NaN or ±∞: the sum is NaN iff any element is not
    // finite.
    float probe = 0;
    for (float g : gradients) {
      probe += g - g;
    }
    if (probe == 0) {
      return;
    }
    for (int i = 0; i < gradients.length; i++) {
      if (!Float.isFinite(gradients[i])) {
        stop(context, "gradient of " + tensorOf(context, i) + " became "
            + describe(gradients[i]));
        return;
      }
    }
  }

  private void stop(TrainingContext context, String what) {
    reason = what + " at epoch " + context.epoch() + ", batch " + context.batch()
        + " (learning rate " + Lines.rate(context.learningRate())
        + "): lower the learning rate or clip gradients";
    context.requestStop(reason);
  }

  private static String describe(float value) {
    return Float.isNaN(value) ? "NaN" : "infinite";
  }

  private static String tensorOf(TrainingContext context, int index) {
    for (ParameterTensor tensor : context.network().parameterTensors()) {
      if (index >= tensor.offset() && index < tensor.offset() + tensor.size()) {
        return "'" + tensor.name() + "'";
      }
    }
    return "parameter " + index;
  }

  /** Why this guard stopped the last run, or {@code null} if it did not. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "NanGuard";
  }
}
