package dev.nnet.examples.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnet.runtime.compose.Subnetworks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The composed parts can be taken out and run on their own, as the example does. */
class DigitsAutoencoderTest {

  @Test
  void encoderAndDecoderCopiedOutComputeTheAutoencoder() {
    Autoencoder autoencoder = new Autoencoder();
    autoencoder.initialize(1);
    Encoder encoder = new Encoder();
    Decoder decoder = new Decoder();
    Subnetworks.copyOut(autoencoder, "code", encoder);
    Subnetworks.copyOut(autoencoder, "pixels", decoder);
    assertEquals(Autoencoder.PARAMETER_COUNT, Encoder.PARAMETER_COUNT + Decoder.PARAMETER_COUNT);
    float[] images = new float[3 * 784];
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    float[] whole = DigitsAutoencoder.predict(autoencoder, images, 3);
    float[] parts = DigitsAutoencoder.predict(decoder, DigitsAutoencoder.predict(encoder, images, 3), 3);
    assertArrayEquals(whole, parts);
  }

  @Test
  void theDenoiserAddsNoNoiseInPrediction() {
    Denoiser denoiser = new Denoiser();
    denoiser.initialize(1);
    float[] images = new float[2 * 784];
    java.util.Arrays.fill(images, 0.5f);
    assertArrayEquals(DigitsAutoencoder.predict(denoiser, images, 2), DigitsAutoencoder.predict(denoiser, images, 2));
  }

  @Test
  void convolutionalEncoderAndDecoderCopiedOutComputeTheConvAutoencoder() {
    ConvAutoencoder autoencoder = new ConvAutoencoder();
    autoencoder.initialize(1);
    ConvEncoder encoder = new ConvEncoder();
    ConvDecoder decoder = new ConvDecoder();
    Subnetworks.copyOut(autoencoder, "code", encoder);
    Subnetworks.copyOut(autoencoder, "pixels", decoder);
    assertEquals(ConvAutoencoder.PARAMETER_COUNT, ConvEncoder.PARAMETER_COUNT + ConvDecoder.PARAMETER_COUNT);
    assertEquals(7 * 7 * 8, ConvEncoder.OUTPUT_SIZE);
    float[] images = new float[3 * 784];
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    float[] whole = DigitsAutoencoder.predict(autoencoder, images, 3);
    float[] parts = DigitsAutoencoder.predict(decoder, DigitsAutoencoder.predict(encoder, images, 3), 3);
    assertArrayEquals(whole, parts);
  }
}
