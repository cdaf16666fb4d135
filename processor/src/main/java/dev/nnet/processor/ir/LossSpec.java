package dev.nnet.processor.ir;

/**
 * The loss of a {@code train} block and how it meets the output layer.
 *
 * @param loss the runtime loss
 * @param fusion whether training fuses it with the output's softmax (stable, gradient p − t)
 * @param targetWidth target values per sample: the output width, or 1 for a class index
 */
public record LossSpec(RuntimeObject loss, Fusion fusion, int targetWidth) {

  /** How the loss is computed in training. */
  public enum Fusion {
    /** The loss reads the output layer's activations. */
    NONE,
    /** Softmax and categorical cross-entropy in one step, from the logits. */
    SOFTMAX_CATEGORICAL,
    /** Softmax and sparse categorical cross-entropy (class-index targets) in one step. */
    SOFTMAX_SPARSE
  }

  public boolean fusedSoftmax() {
    return fusion != Fusion.NONE;
  }
}
