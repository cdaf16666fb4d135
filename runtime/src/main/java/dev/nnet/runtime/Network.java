package dev.nnet.runtime;

import dev.nnet.runtime.train.TrainingConfig;
import java.util.List;

/**
 * What every generated network class implements: a fixed architecture whose parameters live in
 * one flat {@code float[]}, with gradients in a second array of the same layout.
 *
 * <p>Inference ({@link #predict}, {@link #predictBatch}) is thread-safe over shared parameters:
 * each thread gets its own workspace. Training ({@link #computeGradients}) uses one workspace
 * per instance and is not thread-safe. None of these methods allocates once warmed up.
 */
public interface Network {

  /** The declared network name, such as {@code MnistMlp}. */
  String name();

  /**
   * A hash of the architecture (layers, shapes, parameter layout). A model file records it, and
   * loading refuses a file whose fingerprint differs.
   */
  String fingerprint();

  /** Number of floats in one input sample (the product of the input shape). */
  int inputSize();

  /** Number of floats in one output sample. */
  int outputSize();

  /** Length of {@link #parameters()} and {@link #gradients()}. */
  int parameterCount();

  /** The live parameter array; optimizers update it in place. */
  float[] parameters();

  /** The live gradient array, same layout as {@link #parameters()}. */
  float[] gradients();

  /** The named tensors inside {@link #parameters()}, in layout order. */
  List<ParameterTensor> parameterTensors();

  /**
   * Non-trainable state that belongs to the model and is saved with it — batch normalisation's
   * running mean and variance. Optimizers never touch it; inference reads it; training updates it.
   * Empty for networks without such layers.
   */
  default float[] state() {
    return new float[0];
  }

  /** The named tensors inside {@link #state()}, in layout order (empty without state). */
  default List<ParameterTensor> stateTensors() {
    return List.of();
  }

  /** Fills the parameters with their declared initializers; the same seed gives the same values. */
  /**
   * Whether the network's preprocessing stages ({@code normalize}, {@code impute}, …) have fitted
   * statistics: always true for a network without stages that need fitting. {@link
   * dev.nnet.runtime.train.Trainer#fit Trainer.fit} calls {@link #adapt} first when it is false.
   */
  default boolean adapted() {
    return true;
  }

  /**
   * Fits the preprocessing stages' statistics on {@code count} raw training samples from {@code
   * inputs} (at {@code inputOffset}, {@link #inputSize()} values each), like Keras {@code
   * Normalization.adapt}. The statistics live in {@link #state()}, so they are saved with the
   * model. Does nothing for a network without stages that need fitting.
   *
   * @throws IllegalArgumentException if there are no samples, or the data cannot be fitted (a
   *     feature missing everywhere, a non-finite value reaching {@code normalize})
   */
  default void adapt(float[] inputs, int inputOffset, int count) {}

  /**
   * Checks state values before they are loaded (by {@link dev.nnet.runtime.io.ModelFile#load}):
   * values that no fitting could have produced are refused. A network with a text stage checks
   * its vocabulary; others accept any finite values.
   *
   * @throws InvalidStateException naming the first wrong value
   */
  default void checkState(float[] candidate) throws InvalidStateException {}

  /**
   * Called after {@link #state()} was replaced from outside (a model file was loaded): a network
   * drops what it derived from the old values, such as a text stage's vocabulary lookup.
   */
  default void stateChanged() {}

  void initialize(long seed);

  /**
   * Seeds the random numbers used in training mode (dropout masks). The trainer calls it before
   * every step, so it must not allocate: a generated network reseeds a kept {@link
   * dev.nnet.runtime.init.TrainingRandom} in place.
   */
  void seedTraining(long seed);

  /**
   * Whether {@link #replica()} is supported. Generated (float) networks support it; data-parallel
   * training needs it.
   */
  default boolean replicable() {
    return false;
  }

  /**
   * A network for another training thread: it shares this network's {@link #parameters()} (the
   * same array, so one optimizer step updates both) and has its own gradients, workspaces, dropout
   * random stream and a copy of the {@link #state()}. Data-parallel training computes the
   * gradients of one slice of each batch on each replica.
   *
   * @throws UnsupportedOperationException unless {@link #replicable()}
   */
  default Network replica() {
    throw new UnsupportedOperationException(name() + " cannot be replicated for data-parallel"
        + " training");
  }

  /** The largest {@code count} {@link #computeGradients} accepts in one call. */
  int batchCapacity();

  /** Predicts one sample in inference mode: reads {@link #inputSize()} floats, writes {@link #outputSize()}. */
  void predict(float[] input, int inputOffset, float[] output, int outputOffset);

  /** Predicts {@code count} consecutive samples in inference mode; any count is accepted. */
  void predictBatch(float[] inputs, int inputOffset, float[] outputs, int outputOffset, int count);

  /**
   * Runs one mini-batch of {@code count} samples forward in training mode, evaluates the loss
   * against {@code targets}, and writes the gradient of the mean loss into {@link #gradients()}
   * (overwriting it).
   *
   * @return the mean loss over the batch
   * @throws IllegalArgumentException if {@code count} is not in {@code 1..batchCapacity()}
   */
  float computeGradients(float[] inputs, int inputOffset, float[] targets, int targetOffset, int count);

  /**
   * As {@link #computeGradients(float[], int, float[], int, int)}, with a weight per sample
   * ({@code count} values from index 0; null means all 1): the loss is the mean over the batch of
   * weight × sample loss, as Keras computes it. Generated classes implement it; the default
   * accepts only null weights.
   */
  default float computeGradients(
      float[] inputs, int inputOffset, float[] targets, int targetOffset, float[] sampleWeights, int count) {
    if (sampleWeights != null) {
      throw new UnsupportedOperationException(name() + " does not support sample weights");
    }
    return computeGradients(inputs, inputOffset, targets, targetOffset, count);
  }

  /**
   * How many outputs the network declares. Several outputs sit side by side in each output
   * sample (and their targets in each target sample), each with its own loss.
   */
  default int outputCount() {
    return 1;
  }

  /**
   * Target values per sample the loss reads: {@link #outputSize()} for one-hot or regression
   * targets, 1 for a class index (sparse categorical cross-entropy).
   */
  default int targetSize() {
    return outputSize();
  }

  /**
   * The weight-penalty part of the last {@link #computeGradients} call (L1/L2 regularizers
   * declared on layers), already added to {@link #gradients()} but not to the returned data loss,
   * so it can be reported apart. 0 for a network without regularizers.
   */
  default float regularizationLoss() {
    return 0f;
  }

  /**
   * Applies the parameter constraints declared on layers (max-norm), after each optimizer step.
   * Nothing for a network without constraints.
   */
  default void applyConstraints() {}

  /**
   * The outputs of the last {@link #computeGradients} call, {@code count × outputSize()} floats
   * from index 0; valid until the next call.
   */
  float[] trainingOutputs();

  /** The loss declared in the network's {@code train} block, applied to outputs. */
  dev.nnet.runtime.loss.Loss loss();

  /** The optimizer, batch size and epochs declared in the network's {@code train} block. */
  TrainingConfig trainingConfig();
}
