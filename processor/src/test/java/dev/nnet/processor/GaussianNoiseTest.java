package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnet.runtime.Network;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code gaussian_noise}: noise in training only, of the declared spread, and its gradient. */
class GaussianNoiseTest {
  private static final String NOISY = """
      network Noisy {
        input x: float[8]
        h = dense(x, units: 500)
        output y = gaussian_noise(h, stddev: 0.5)
        train { loss: mse  batch: 4 }
      }
      """;

  @Test
  void predictionIsACopyAndTrainingAddsNoiseOfTheDeclaredSpread() {
    Network net = GeneratedCode.instantiate(NOISY, "Noisy", 4, Network.class);
    net.initialize(1);
    net.seedTraining(2);
    SplittableRandom random = new SplittableRandom(3);
    float[] inputs = new float[4 * 8];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) random.nextDouble(-1, 1);
    }
    // Prediction is the dense layer alone: a copy through the noise layer, twice the same.
    float[] predicted = new float[4 * 500];
    float[] again = new float[4 * 500];
    net.predictBatch(inputs, 0, predicted, 0, 4);
    net.predictBatch(inputs, 0, again, 0, 4);
    assertArrayEquals(predicted, again, "prediction must not add noise");

    net.computeGradients(inputs, 0, new float[4 * 500], 0, 4);
    float[] trained = net.trainingOutputs();
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < predicted.length; i++) {
      double noise = trained[i] - predicted[i];
      sum += noise;
      squares += noise * noise;
    }
    double mean = sum / predicted.length;
    double std = Math.sqrt(squares / predicted.length - mean * mean);
    // 2,000 draws: the sample mean is within 4 standard errors (0.045) of 0, the spread within 5 %.
    assertEquals(0, mean, 0.045, "noise mean");
    assertEquals(0.5, std, 0.025, "noise standard deviation");
  }

  /** With the training stream reseeded, the noise is fixed and the gradient checkable. */
  @Test
  void backwardMatchesFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[5]
          h = gaussian_noise(x, stddev: 0.3)
          h = dense(h, units: 4, activation: tanh)
          h = gaussian_noise(h, stddev: 0.2)
          output y = dense(h, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """, "categorical_crossentropy");
  }
}
