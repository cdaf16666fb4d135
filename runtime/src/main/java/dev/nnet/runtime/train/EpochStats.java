package dev.nnet.runtime.train;

/**
 * What one epoch of {@link Trainer#fit} measured. Values that were not measured are
 * {@link Double#NaN}: accuracies when the network has a single output, validation values when
 * there was no validation set.
 *
 * @param epoch the 1-based epoch number
 * @param loss the mean training loss over the epoch's mini-batches, weighted by batch size
 *     (measured in training mode, before each batch's update, as Keras reports it)
 * @param accuracy the fraction of training samples whose output argmax matched the target argmax
 * @param validationLoss the loss on the validation set after the epoch, in inference mode
 * @param validationAccuracy the accuracy on the validation set after the epoch
 * @param seconds the epoch's wall-clock time, validation included
 * @param samplesPerSecond training samples per second of the training phase alone
 */
public record EpochStats(
    int epoch,
    double loss,
    double accuracy,
    double validationLoss,
    double validationAccuracy,
    double seconds,
    double samplesPerSecond) {

  /** Whether a training accuracy was measured. */
  public boolean hasAccuracy() {
    return !Double.isNaN(accuracy);
  }

  /** Whether validation values were measured. */
  public boolean hasValidation() {
    return !Double.isNaN(validationLoss);
  }
}
