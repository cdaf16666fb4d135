package dev.nnet.examples.autoencoder;

import dev.nnet.plots.ImageGrid;
import dev.nnet.runtime.compose.Subnetworks;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The variational autoencoder of {@code Vae.nnet} on the same digits: {@link Vae} is trained to
 * rebuild them through a sampled 16-number code, with the KL term of its {@code gaussian_sample}
 * layer in the loss. On the test digits it reports the reconstruction error (in prediction the
 * code is the mean, no sampling) and the KL divergence of the codes' Gaussians from N(0, 1). Then
 * the trained decoder, copied out into a stand-alone {@link VaeDecoder}, generates digits from
 * codes drawn from N(0, 1): the PNG's first two rows are test digits and their reconstructions,
 * the rest digits decoded from random codes.
 */
final class DigitsVae {
  static final int GENERATED = 60;

  private DigitsVae() {}

  /** Trains, measures and draws; prints the {@code vae ...} figures. */
  static void run(Dataset train, Dataset test, Path png, long seed) throws IOException {
    Vae vae = new Vae();
    vae.initialize(seed);
    vae.seedTraining(seed);
    System.out.println("Vae:");
    long start = System.nanoTime();
    new Trainer(vae.trainingConfig(), seed).fit(vae,
        new Dataset(train.features(), DigitsAutoencoder.PIXELS, train.features(), DigitsAutoencoder.PIXELS), null,
        TrainingListener.console(System.out));
    double seconds = (System.nanoTime() - start) / 1e9;

    float[] clean = test.features();
    float[] reconstructed = DigitsAutoencoder.predict(vae, clean, test.size());
    double kl = testKl(vae, clean, test.size());

    // The decoder alone: codes from the prior N(0, 1) become new digits.
    VaeDecoder decoder = new VaeDecoder();
    Subnetworks.copyOut(vae, "reconstruction", decoder);
    SplittableRandom random = new SplittableRandom(seed);
    float[] codes = new float[GENERATED * VaeDecoder.INPUT_SIZE];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (float) DigitsAutoencoder.gaussian(random);
    }
    float[] generated = DigitsAutoencoder.predict(decoder, codes, GENERATED);

    int shown = DigitsAutoencoder.SHOWN;
    int pixels = DigitsAutoencoder.PIXELS;
    float[] grid = new float[(2 * shown + GENERATED) * pixels];
    System.arraycopy(clean, 0, grid, 0, shown * pixels);
    System.arraycopy(reconstructed, 0, grid, shown * pixels, shown * pixels);
    System.arraycopy(generated, 0, grid, 2 * shown * pixels, GENERATED * pixels);
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageGrid.write(png, grid, 2 * shown + GENERATED, 28, 28, shown, 3);

    System.out.printf(Locale.ROOT, "vae code size: %d (mean and log-variance per value)%n", VaeDecoder.INPUT_SIZE);
    System.out.printf(Locale.ROOT, "vae test reconstruction mse: %.5f%n", DigitsAutoencoder.mse(reconstructed, clean));
    System.out.printf(Locale.ROOT, "vae kl: %.3f nats per test digit%n", kl);
    System.out.printf(Locale.ROOT, "vae generated digit mean brightness: %.4f (test digits: %.4f)%n",
        mean(generated), mean(clean));
    System.out.printf(Locale.ROOT, "vae training seconds: %.1f%n", seconds);
    System.out.println("vae images: " + png);
  }

  /**
   * The mean KL divergence per test digit: the training pass computes it (the KL term does not
   * depend on the sampled ε); nothing is updated, as no optimizer step follows.
   */
  private static double testKl(Vae vae, float[] images, int count) {
    double sum = 0;
    int rows = vae.batchCapacity();
    for (int done = 0; done < count; done += rows) {
      int n = Math.min(rows, count - done);
      int offset = done * DigitsAutoencoder.PIXELS;
      vae.computeGradients(images, offset, images, offset, n);
      sum += vae.klDivergence() * n;
    }
    return sum / count;
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
