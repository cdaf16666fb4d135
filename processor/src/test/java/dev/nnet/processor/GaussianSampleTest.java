package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nnet.runtime.DoubleNetwork;
import dev.nnet.runtime.Network;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code gaussian_sample}, the reparameterisation of a variational autoencoder: the mean in
 * prediction, {@code μ + σ·ε} in training, the KL term in the loss and every gradient against
 * finite differences (ε fixed by reseeding the training stream before each evaluation).
 */
class GaussianSampleTest {
  /** An encoder to a mean and a log-variance, the sample, a decoder: a small VAE. */
  static final String VAE = """
      network Check {
        input x: float[6]
        h = dense(x, units: 5, activation: tanh)
        mean = dense(h, units: 3)
        log_variance = dense(h, units: 3)
        z = gaussian_sample(mean, log_variance, kl_weight: 0.7)
        output y = dense(z, units: 6, activation: sigmoid)
        train { loss: binary_crossentropy  batch: 3 }
      }
      """;

  @Test
  void vaeBackwardMatchesFiniteDifferencesOfLossPlusKlTerm() {
    GradientCheckTest.checkGradients(VAE, "mean_squared_error");
  }

  /** The KL term alone: a decoder-less network whose loss ignores the sample's spread. */
  @Test
  void klTermGradientMatchesFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[4]
          mean = dense(x, units: 2, activation: tanh)
          log_variance = dense(x, units: 2)
          z = gaussian_sample(mean, log_variance, kl_weight: 2.5)
          output y = dense(z, units: 2)
          train { loss: mse  batch: 3 }
        }
        """, "mean_squared_error");
  }

  /** Reading one tensor twice, with penalties beside the KL term: the gradients accumulate. */
  @Test
  void sharedInputAndPenaltiesMatchFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[4]
          h = dense(x, units: 3, l2: 0.01)
          z = gaussian_sample(h, h)
          output y = dense(z, units: 2, activation: tanh)
          train { loss: mse  batch: 3 }
        }
        """, "mean_squared_error");
  }

  /** Two sampling layers: both KL terms count, each with its own weight. */
  @Test
  void twoSampleLayersMatchFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[4]
          m1 = dense(x, units: 3)
          v1 = dense(x, units: 3)
          z1 = gaussian_sample(m1, v1, kl_weight: 0.3)
          m2 = dense(z1, units: 2)
          v2 = dense(z1, units: 2)
          z2 = gaussian_sample(m2, v2, kl_weight: 1.5)
          output y = dense(z2, units: 2)
          train { loss: mse  batch: 3 }
        }
        """, "mean_squared_error");
  }

  @Test
  void predictionGivesTheMeanTrainingSamplesAndReportsTheKlDivergence() throws Exception {
    Network net = GeneratedCode.instantiate("""
        network Pass {
          input x: float[4]
          h = dense(x, units: 4)
          output z = gaussian_sample(h, h, kl_weight: 0.5)
          train { loss: mse  batch: 2 }
        }
        """, "Pass", 2, Network.class);
    // An identity dense layer: the mean and the log-variance are both x.
    java.util.Arrays.fill(net.parameters(), 0f);
    for (int j = 0; j < 4; j++) {
      net.parameters()[j * 4 + j] = 1;
    }
    float[] x = {0.5f, -1, 0, 2, 0.25f, 1.5f, -0.5f, 0.1f};
    float[] predicted = new float[8];
    net.predictBatch(x, 0, predicted, 0, 2);
    assertArrayEquals(x, predicted, "prediction gives the mean");

    net.seedTraining(4);
    net.computeGradients(x, 0, new float[8], 0, 2);
    float[] trained = net.trainingOutputs();
    // z = μ + exp(lv / 2)·ε with μ = lv = x: recover ε, a standard normal draw, not 0.
    double expectedKl = 0;
    double squares = 0;
    for (int k = 0; k < 8; k++) {
      double epsilon = (trained[k] - x[k]) / Math.exp(x[k] / 2.0);
      squares += epsilon * epsilon;
      expectedKl += -0.5 * (1 + x[k] - (double) x[k] * x[k] - Math.exp(x[k]));
    }
    assertNotEquals(0, squares, "training must sample");
    expectedKl /= 2; // the mean over the batch
    double kl = (double) net.getClass().getMethod("klDivergence").invoke(net);
    assertEquals(expectedKl, kl, 1e-5);
    assertEquals(0.5 * expectedKl, net.regularizationLoss(), 1e-5);
    // Prediction (possibly on another thread) leaves the last training batch's figures alone.
    net.predictBatch(x, 0, predicted, 0, 2);
    assertEquals(expectedKl, (double) net.getClass().getMethod("klDivergence").invoke(net), 1e-5);
  }

  @Test
  void theSameSeedGivesTheSameSample() {
    DoubleNetwork net = GeneratedCode.instantiate(VAE, "CheckDouble", 3, DoubleNetwork.class);
    net.initialize(1);
    SplittableRandom random = new SplittableRandom(2);
    double[] x = new double[18];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble();
    }
    net.seedTraining(9);
    double first = net.computeGradients(x, 0, x, 0, 3);
    net.seedTraining(9);
    assertEquals(first, net.computeGradients(x, 0, x, 0, 3));
    net.seedTraining(10);
    assertNotEquals(first, net.computeGradients(x, 0, x, 0, 3));
  }
}
