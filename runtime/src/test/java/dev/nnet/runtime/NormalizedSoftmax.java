package dev.nnet.runtime;

import dev.nnet.runtime.train.TrainingConfig;
import java.util.Arrays;
import java.util.List;

/**
 * A hand-written {@link Network} with non-trainable state, for tests: {@link SoftmaxRegression}
 * after a parameterless batch normalisation of its inputs, {@code softmax(x̂·W + b)} with
 * {@code x̂ = (x − μ) / √(σ² + 1)}. Training normalises with the batch's mean and variance and
 * updates the running mean and variance (momentum {@value #MOMENTUM}, as Keras' moving averages)
 * held in {@link #state()}; inference normalises with the running ones. So the state is what a
 * generated class with a batch-normalisation layer would have: two tensors,
 * {@code <prefix>.running_mean} and {@code <prefix>.running_var} of shape [inputs], after one
 * another in one flat array, changed by {@link #computeGradients} and read by {@link #predict}.
 */
public class NormalizedSoftmax extends SoftmaxRegression {
  public static final float MOMENTUM = 0.9f;

  private final int inputs;
  private final int capacity;
  private final float[] state;
  private final float[] normalized;
  private final float[] batchMean;
  private final float[] batchVariance;
  private final List<ParameterTensor> stateTensors;
  private final ThreadLocal<float[]> sample;

  public NormalizedSoftmax(
      String name, String fingerprint, int inputs, int classes, int capacity,
      TrainingConfig config, String prefix) {
    super(name, fingerprint, inputs, classes, capacity, config);
    this.inputs = inputs;
    this.capacity = capacity;
    this.state = new float[2 * inputs];
    this.normalized = new float[capacity * inputs];
    this.batchMean = new float[inputs];
    this.batchVariance = new float[inputs];
    this.stateTensors = List.of(
        new ParameterTensor(prefix + ".running_mean", 0, List.of(inputs)),
        new ParameterTensor(prefix + ".running_var", inputs, List.of(inputs)));
    this.sample = ThreadLocal.withInitial(() -> new float[inputs]);
    resetState();
  }

  /** A 2-input, 2-class network named {@code NormSoftmax}, state under {@code norm.}. */
  public static NormalizedSoftmax small(TrainingConfig config) {
    return new NormalizedSoftmax("NormSoftmax", "fp-norm-2-2", 2, 2, 16, config, "norm");
  }

  private void resetState() {
    Arrays.fill(state, 0, inputs, 0f);
    Arrays.fill(state, inputs, 2 * inputs, 1f);
  }

  @Override public float[] state() { return state; }
  @Override public List<ParameterTensor> stateTensors() { return stateTensors; }

  /** The running mean of input {@code i}. */
  public float runningMean(int i) {
    return state[i];
  }

  /** The running variance of input {@code i}. */
  public float runningVariance(int i) {
    return state[inputs + i];
  }

  @Override
  public void initialize(long seed) {
    super.initialize(seed);
    resetState();
  }

  @Override
  public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
    float[] x = sample.get();
    for (int i = 0; i < inputs; i++) {
      x[i] = (input[inputOffset + i] - state[i]) / (float) Math.sqrt(state[inputs + i] + 1f);
    }
    super.predict(x, 0, output, outputOffset);
  }

  @Override
  public float computeGradients(
      float[] inputs, int inputOffset, float[] targets, int targetOffset, int count) {
    if (count < 1 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " not in 1.." + capacity);
    }
    int width = this.inputs;
    for (int i = 0; i < width; i++) {
      double sum = 0;
      for (int n = 0; n < count; n++) {
        sum += inputs[inputOffset + n * width + i];
      }
      float mean = (float) (sum / count);
      double squares = 0;
      for (int n = 0; n < count; n++) {
        float d = inputs[inputOffset + n * width + i] - mean;
        squares += d * d;
      }
      batchMean[i] = mean;
      batchVariance[i] = (float) (squares / count);
      float scale = 1f / (float) Math.sqrt(batchVariance[i] + 1f);
      for (int n = 0; n < count; n++) {
        normalized[n * width + i] = (inputs[inputOffset + n * width + i] - mean) * scale;
      }
    }
    float loss = super.computeGradients(normalized, 0, targets, targetOffset, count);
    for (int i = 0; i < width; i++) {
      state[i] = MOMENTUM * state[i] + (1 - MOMENTUM) * batchMean[i];
      state[width + i] = MOMENTUM * state[width + i] + (1 - MOMENTUM) * batchVariance[i];
    }
    return loss;
  }
}
