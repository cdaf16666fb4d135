package dev.nnet.examples.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.compose.Subnetworks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The VAE's decoder can be taken out and generates, and the KL term is part of the loss. */
class DigitsVaeTest {

  @Test
  void theDecoderCopiedOutDecodesLikeTheVae() {
    Vae vae = new Vae();
    vae.initialize(1);
    VaeDecoder decoder = new VaeDecoder();
    Subnetworks.copyOut(vae, "reconstruction", decoder);
    // In prediction the code is the mean: the decoder on the VAE's mean gives the VAE's output.
    float[] images = new float[2 * 784];
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    float[] means = new float[2 * 16];
    float[] p = vae.parameters();
    for (int b = 0; b < 2; b++) {
      float[] hidden = new float[256];
      for (int j = 0; j < 256; j++) {
        double sum = p[Vae.H_BIAS_OFFSET + j];
        for (int i = 0; i < 784; i++) {
          sum += images[b * 784 + i] * p[Vae.H_WEIGHTS_OFFSET + i * 256 + j];
        }
        hidden[j] = (float) Math.max(0, sum);
      }
      for (int j = 0; j < 16; j++) {
        double sum = p[Vae.MEAN_BIAS_OFFSET + j];
        for (int i = 0; i < 256; i++) {
          sum += hidden[i] * p[Vae.MEAN_WEIGHTS_OFFSET + i * 16 + j];
        }
        means[b * 16 + j] = (float) sum;
      }
    }
    float[] whole = DigitsAutoencoder.predict(vae, images, 2);
    float[] parts = DigitsAutoencoder.predict(decoder, means, 2);
    assertArrayEquals(whole, parts, 1e-4f);
  }

  @Test
  void trainingReportsTheWeightedKlTermBesideTheLoss() {
    Vae vae = new Vae();
    vae.initialize(1);
    vae.seedTraining(1);
    float[] images = new float[4 * 784];
    java.util.Arrays.fill(images, 0.25f);
    vae.computeGradients(images, 0, images, 0, 4);
    assertTrue(vae.klDivergence() > 0, "an untrained encoder's Gaussians are not N(0, 1)");
    assertEquals(Vae.Z_KL_WEIGHT * vae.klDivergence(), vae.regularizationLoss(), 1e-6);
  }
}
