package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.init.GlorotUniform;
import dev.nnet.runtime.init.Seeds;
import dev.nnet.runtime.loss.CategoricalCrossEntropy;
import dev.nnet.runtime.loss.Loss;
import dev.nnet.runtime.optim.Sgd;
import java.util.Arrays;
import java.util.List;
import dev.nnet.runtime.init.TrainingRandom;

/**
 * A hand-written network with the training-mode features the trainer must respect:
 * {@code softmax(dropout(x)·W + b)} with inverted input dropout whose masks come from a random
 * stream seeded by {@link #seedTraining} (reseeded in place, as a generated class's is), sample weights, and an L2 penalty on W reported by {@link #regularizationLoss()}.
 */
class DropoutSoftmax implements Network {
  private final int inputs;
  private final int classes;
  private final int capacity;
  private final double dropout;
  private final float l2;
  private final float[] parameters;
  private final float[] gradients;
  private final float[] dropped;
  private final float[] logits;
  private final float[] probabilities;
  private final float[] logitGradients;
  private final List<ParameterTensor> tensors;
  private final TrainingRandom random = new TrainingRandom();
  private float penalty;

  DropoutSoftmax(int inputs, int classes, int capacity, double dropout, float l2) {
    this.inputs = inputs;
    this.classes = classes;
    this.capacity = capacity;
    this.dropout = dropout;
    this.l2 = l2;
    this.parameters = new float[inputs * classes + classes];
    this.gradients = new float[parameters.length];
    this.dropped = new float[capacity * inputs];
    this.logits = new float[capacity * classes];
    this.probabilities = new float[capacity * classes];
    this.logitGradients = new float[capacity * classes];
    this.tensors = List.of(
        new ParameterTensor("dense.weight", 0, List.of(inputs, classes)),
        new ParameterTensor("dense.bias", inputs * classes, List.of(classes)));
  }

  @Override public String name() { return "DropoutSoftmax"; }
  @Override public String fingerprint() { return "dropout-softmax-" + inputs + "-" + classes; }
  @Override public int inputSize() { return inputs; }
  @Override public int outputSize() { return classes; }
  @Override public int parameterCount() { return parameters.length; }
  @Override public float[] parameters() { return parameters; }
  @Override public float[] gradients() { return gradients; }
  @Override public List<ParameterTensor> parameterTensors() { return tensors; }
  @Override public int batchCapacity() { return capacity; }
  @Override public float[] trainingOutputs() { return probabilities; }
  @Override public Loss loss() { return CategoricalCrossEntropy.INSTANCE; }
  @Override public float regularizationLoss() { return penalty; }

  @Override
  public TrainingConfig trainingConfig() {
    return new TrainingConfig(new Sgd(0.1), 8, 1);
  }

  @Override
  public void initialize(long seed) {
    GlorotUniform.INSTANCE.fill(parameters, 0, inputs * classes, inputs, classes,
        Seeds.derive(seed, "dense.weight"));
    Arrays.fill(parameters, inputs * classes, parameters.length, 0f);
  }

  @Override
  public void seedTraining(long seed) {
    random.reseed(seed);
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
    return computeGradients(inputs, inputOffset, targets, targetOffset, null, count);
  }

  @Override
  public float computeGradients(
      float[] inputs, int inputOffset, float[] targets, int targetOffset, float[] sampleWeights,
      int count) {
    if (count < 1 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " not in 1.." + capacity);
    }
    float keep = (float) (1 - dropout);
    for (int k = 0; k < count * this.inputs; k++) {
      boolean kept = dropout == 0 || random.nextDouble() >= dropout;
      dropped[k] = kept ? inputs[inputOffset + k] / keep : 0f;
    }
    for (int n = 0; n < count; n++) {
      logits(dropped, n * this.inputs, logits, n * classes);
    }
    float loss = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, targets, targetOffset, sampleWeights, probabilities, logitGradients, count,
        classes);
    Arrays.fill(gradients, 0f);
    int bias = this.inputs * classes;
    for (int n = 0; n < count; n++) {
      for (int j = 0; j < classes; j++) {
        float g = logitGradients[n * classes + j];
        gradients[bias + j] += g;
        for (int i = 0; i < this.inputs; i++) {
          gradients[i * classes + j] += dropped[n * this.inputs + i] * g;
        }
      }
    }
    double sum = 0;
    for (int i = 0; i < bias; i++) {
      sum += (double) parameters[i] * parameters[i];
      gradients[i] += 2 * l2 * parameters[i];
    }
    penalty = (float) (l2 * sum);
    return loss;
  }
}
