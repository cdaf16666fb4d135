package dev.nnet.runtime.train;

import dev.nnet.runtime.ParameterTensor;

/**
 * Stops training as soon as a mini-batch's loss or any element of its gradient is NaN or
 * infinite, before the optimizer applies it, so the network keeps the last finite parameters
 * (and the state, such as running statistics, from before the batch), and no checkpoint written
 * after that step can hold them (Keras' {@code TerminateOnNaN}, which checks only the loss, after
 * the update). The stop reason names the global step (1-based, counted over the whole run), the
 * epoch and batch (both 1-based), the learning rate, and the first non-finite value in the order
 * the computation met them: a parameter (tensor name and element index), else an output
 * activation (sample of the batch and element), else the loss, else a gradient element:
 *
 * <pre>
 * parameter 'dense.weight'[17] is NaN at step 3 (epoch 1, batch 3, learning rate 0.5): lower the learning rate or clip gradients
 * output activation [2][0] became infinite at step 40 (epoch 3, batch 4, learning rate 0.5): …
 * loss became NaN at step 40 (epoch 3, batch 4, learning rate 0.5): …
 * gradient of 'dense.bias'[1] became NaN at step 40 (epoch 3, batch 4, learning rate 0.5): …
 * </pre>
 *
 * <p>and is in {@link History#stopReason()}; {@link ProgressBar} prints it. While all is finite
 * the check is one pass over the gradient per batch, without branches or allocation; the
 * parameters and outputs are searched only once something is not finite.
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
    // g − g is 0 for a finite g and NaN for NaN or ±∞: the sum is NaN iff any element is not
    // finite.
    float probe = loss - loss;
    for (float g : gradients) {
      probe += g - g;
    }
    if (probe == 0) {
      return;
    }
    float[] parameters = context.network().parameters();
    for (int i = 0; i < parameters.length; i++) {
      if (!Float.isFinite(parameters[i])) {
        stop(context, "parameter " + elementOf(context, i) + " is " + describe(parameters[i]));
        return;
      }
    }
    int width = context.network().outputSize();
    float[] outputs = context.network().trainingOutputs();
    int samples = Math.min(batchSamples(context) * width, outputs.length);
    for (int i = 0; i < samples; i++) {
      if (!Float.isFinite(outputs[i])) {
        stop(context, "output activation [" + i / width + "][" + i % width + "] became "
            + describe(outputs[i]));
        return;
      }
    }
    if (!Float.isFinite(loss)) {
      stop(context, "loss became " + describe(loss));
      return;
    }
    for (int i = 0; i < gradients.length; i++) {
      if (!Float.isFinite(gradients[i])) {
        stop(context, "gradient of " + elementOf(context, i) + " became "
            + describe(gradients[i]));
        return;
      }
    }
  }

  private void stop(TrainingContext context, String what) {
    reason = what + " at step " + (context.step() + 1) + " (epoch " + context.epoch() + ", batch "
        + context.batch() + ", learning rate " + Lines.rate(context.learningRate())
        + "): lower the learning rate or clip gradients";
    context.requestStop(reason);
  }

  private static String describe(float value) {
    return Float.isNaN(value) ? "NaN" : "infinite";
  }

  /** The samples in the current batch: the batch size, or what is left for the last batch. */
  private static int batchSamples(TrainingContext context) {
    int size = context.config().batchSize();
    if (context.batch() < context.batchesPerEpoch()) {
      return size;
    }
    return context.trainingSamples() - (context.batchesPerEpoch() - 1) * size;
  }

  /** {@code 'tensor'[index]} for a flat parameter index. */
  private static String elementOf(TrainingContext context, int index) {
    for (ParameterTensor tensor : context.network().parameterTensors()) {
      if (index >= tensor.offset() && index < tensor.offset() + tensor.size()) {
        return "'" + tensor.name() + "'[" + (index - tensor.offset()) + "]";
      }
    }
    return "[" + index + "]";
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
