package dev.nnet.runtime;

import dev.nnet.runtime.init.GlorotUniform;
import dev.nnet.runtime.init.Seeds;
import dev.nnet.runtime.init.Zeros;
import dev.nnet.runtime.loss.CategoricalCrossEntropy;
import dev.nnet.runtime.loss.Loss;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.List;

/**
 * A hand-written {@link Network} for tests: softmax regression, {@code softmax(x·W + b)}, with
 * W [inputs, classes] and b [classes], trained with the fused softmax cross-entropy. It is what a
 * generated class for a one-layer network would look like.
 */
public class SoftmaxRegression implements Network {
  private final String name;
  private final String fingerprint;
  private final int inputs;
  private final int classes;
  private final int capacity;
  private final TrainingConfig config;
  private final float[] parameters;
  private final float[] gradients;
  private final float[] logits;
  private final float[] probabilities;
  private final float[] logitGradients;
  private final List<ParameterTensor> tensors;
  public long trainingSeed;

  public SoftmaxRegression(int inputs, int classes, int capacity, TrainingConfig config) {
    this("Softmax" + inputs + "x" + classes, "fp-" + inputs + "-" + classes, inputs, classes,
        capacity, config);
  }

  public SoftmaxRegression(
      String name, String fingerprint, int inputs, int classes, int capacity,
      TrainingConfig config) {
    this(name, fingerprint, inputs, classes, capacity, config,
        new float[inputs * classes + classes]);
  }

  /** A network over {@code parameters}: its own, or shared with the original of a replica. */
  protected SoftmaxRegression(
      String name, String fingerprint, int inputs, int classes, int capacity,
      TrainingConfig config, float[] parameters) {
    this.name = name;
    this.fingerprint = fingerprint;
    this.inputs = inputs;
    this.classes = classes;
    this.capacity = capacity;
    this.config = config;
    this.parameters = parameters;
    this.gradients = new float[parameters.length];
    this.logits = new float[capacity * classes];
    this.probabilities = new float[capacity * classes];
    this.logitGradients = new float[capacity * classes];
    this.tensors = List.of(
        new ParameterTensor("dense.weight", 0, List.of(inputs, classes)),
        new ParameterTensor("dense.bias", inputs * classes, List.of(classes)));
  }

  /** Replicable only as this exact class (a subclass would be replicated as its parent). */
  @Override
  public boolean replicable() {
    return getClass() == SoftmaxRegression.class;
  }

  @Override
  public SoftmaxRegression replica() {
    if (!replicable()) {
      throw new UnsupportedOperationException(name + " cannot be replicated");
    }
    return new SoftmaxRegression(name, fingerprint, inputs, classes, capacity, config, parameters);
  }

  public static SoftmaxRegression small() {
    return new SoftmaxRegression(2, 2, 16, new TrainingConfig(new Sgd(0.5), 8, 10));
  }

  @Override public String name() { return name; }
  @Override public String fingerprint() { return fingerprint; }
  @Override public int inputSize() { return inputs; }
  @Override public int outputSize() { return classes; }
  @Override public int parameterCount() { return parameters.length; }
  @Override public float[] parameters() { return parameters; }
  @Override public float[] gradients() { return gradients; }
  @Override public List<ParameterTensor> parameterTensors() { return tensors; }
  @Override public int batchCapacity() { return capacity; }
  @Override public float[] trainingOutputs() { return probabilities; }
  @Override public Loss loss() { return CategoricalCrossEntropy.INSTANCE; }
  @Override public TrainingConfig trainingConfig() { return config; }

  @Override
  public void initialize(long seed) {
    GlorotUniform.INSTANCE.fill(parameters, 0, inputs * classes, inputs, classes,
        Seeds.derive(seed, "dense.weight"));
    Zeros.INSTANCE.fill(parameters, inputs * classes, classes, inputs, classes,
        Seeds.derive(seed, "dense.bias"));
  }

  @Override
  public void seedTraining(long seed) {
    trainingSeed = seed;
  }

  private void logits(float[] input, int inputOffset, float[] out, int outOffset) {
    int bias = inputs * classes;
    for (int j = 0; j < classes; j++) {
      float z = parameters[bias + j];
      for (int i = 0; i < inputs; i++) {
        z += input[inputOffset + i] * parameters[i * classes + j];
      }
      out[outOffset + j] = z;
    }
  }

  @Override
  public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
    logits(input, inputOffset, output, outputOffset);
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < classes; j++) {
      max = Math.max(max, output[outputOffset + j]);
    }
    float sum = 0;
    for (int j = 0; j < classes; j++) {
      output[outputOffset + j] = (float) Math.exp(output[outputOffset + j] - max);
      sum += output[outputOffset + j];
    }
    for (int j = 0; j < classes; j++) {
      output[outputOffset + j] /= sum;
    }
  }

  @Override
  public void predictBatch(
      float[] inputs, int inputOffset, float[] outputs, int outputOffset, int count) {
    for (int n = 0; n < count; n++) {
      predict(inputs, inputOffset + n * this.inputs, outputs, outputOffset + n * classes);
    }
  }

  @Override
  public float computeGradients(
      float[] inputs, int inputOffset, float[] targets, int targetOffset, int count) {
    if (count < 1 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " not in 1.." + capacity);
    }
    for (int n = 0; n < count; n++) {
      logits(inputs, inputOffset + n * this.inputs, logits, n * classes);
    }
    float loss = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, targets, targetOffset, probabilities, logitGradients, count, classes);
    java.util.Arrays.fill(gradients, 0f);
    int bias = this.inputs * classes;
    for (int n = 0; n < count; n++) {
      for (int j = 0; j < classes; j++) {
        float g = logitGradients[n * classes + j];
        gradients[bias + j] += g;
        for (int i = 0; i < this.inputs; i++) {
          gradients[i * classes + j] += inputs[inputOffset + n * this.inputs + i] * g;
        }
      }
    }
    return loss;
  }
}
