package dev.nnet.examples.autoencoder;

import dev.nnet.plots.ImageGrid;
import dev.nnet.runtime.Network;
import dev.nnet.runtime.compose.Subnetworks;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Autoencoders on MNIST, from {@code Autoencoders.nnet}: {@link Autoencoder} learns to rebuild
 * the first 8,000 digits through a 32-number code; {@link Denoiser}, the same composition behind a
 * {@code gaussian_noise} layer, learns to rebuild clean digits from noisy ones (standard deviation
 * {@value #NOISE}, fresh noise in every training batch, none in prediction). Both are tested on the last
 * 2,000 digits. The trained encoder is then copied out of Autoencoder into a stand-alone {@link
 * Encoder}, whose 32 features feed a logistic regression ({@link CodeProbe}), compared with one
 * on the 784 raw pixels ({@link PixelProbe}). Last, {@link DigitsVae} trains the variational
 * autoencoder of {@code Vae.nnet} and generates digits with its decoder alone.
 *
 * <p>Arguments: {@code [data directory] [png]}; defaults {@code examples/data} and {@code
 * examples/digits-autoencoder/target/reconstructions.png}. The PNG's rows: test digits, their
 * reconstructions, the digits with noise, the Denoiser's output.
 */
public final class DigitsAutoencoder {
  static final int TRAIN = 8_000;
  static final long SEED = 3;
  static final float NOISE = 0.4f;
  static final int PIXELS = 28 * 28;
  static final int SHOWN = 12;

  private DigitsAutoencoder() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path png = Path.of(args.length > 1 ? args[1] : "examples/digits-autoencoder/target/reconstructions.png");
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, TRAIN);
    Dataset test = all.slice(TRAIN, all.size());
    SplittableRandom random = new SplittableRandom(SEED);

    // Reconstruction: the targets are the inputs.
    long start = System.nanoTime();
    Autoencoder autoencoder = new Autoencoder();
    autoencoder.initialize(SEED);
    System.out.println("Autoencoder:");
    new Trainer(autoencoder.trainingConfig(), SEED).fit(autoencoder, identity(train.features()), null,
        TrainingListener.console(System.out));

    // Denoising: the network's gaussian_noise layer corrupts the inputs in training only.
    Denoiser denoiser = new Denoiser();
    denoiser.initialize(SEED);
    denoiser.seedTraining(SEED);
    System.out.println("Denoiser:");
    new Trainer(denoiser.trainingConfig(), SEED).fit(denoiser, identity(train.features()), null,
        TrainingListener.console(System.out));
    double trainingSeconds = (System.nanoTime() - start) / 1e9;

    float[] clean = test.features();
    float[] noisyTest = noisy(clean, random);
    float[] reconstructed = predict(autoencoder, clean, test.size());
    float[] autoencodedNoisy = predict(autoencoder, noisyTest, test.size());
    float[] denoised = predict(denoiser, noisyTest, test.size());
    ConvolutionalAutoencoders.Result conv = ConvolutionalAutoencoders.run(train, test, noisyTest, SEED,
        png.resolveSibling("conv-reconstructions.png"));

    // The encoder on its own: copy the trained part out, then classify its features.
    Encoder encoder = new Encoder();
    Subnetworks.copyOut(autoencoder, "code", encoder);
    double partsDifference = partsDifference(autoencoder, encoder, clean, test.size());
    boolean sameCode = partsDifference < 1e-6;
    Dataset trainCodes = new Dataset(predict(encoder, train.features(), train.size()), Encoder.OUTPUT_SIZE,
        train.targets(), Mnist.CLASSES);
    Dataset testCodes = new Dataset(predict(encoder, clean, test.size()), Encoder.OUTPUT_SIZE,
        test.targets(), Mnist.CLASSES);
    CodeProbe codeProbe = new CodeProbe();
    codeProbe.initialize(SEED);
    new Trainer(codeProbe.trainingConfig(), SEED).fit(codeProbe, trainCodes, null, TrainingListener.silent());
    PixelProbe pixelProbe = new PixelProbe();
    pixelProbe.initialize(SEED);
    new Trainer(pixelProbe.trainingConfig(), SEED).fit(pixelProbe, train, null, TrainingListener.silent());

    float[] grid = new float[4 * SHOWN * PIXELS];
    for (int row = 0; row < 4; row++) {
      float[] source = row == 0 ? clean : row == 1 ? reconstructed : row == 2 ? noisyTest : denoised;
      System.arraycopy(source, 0, grid, row * SHOWN * PIXELS, SHOWN * PIXELS);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageGrid.write(png, grid, 4 * SHOWN, 28, 28, SHOWN, 3);

    System.out.printf(Locale.ROOT, "code size: %d (from %d pixels)%n", Encoder.OUTPUT_SIZE, PIXELS);
    System.out.printf(Locale.ROOT, "test reconstruction mse: %.5f%n", mse(reconstructed, clean));
    System.out.printf(Locale.ROOT, "noisy input mse (noise stddev %.1f): %.5f%n", NOISE, mse(noisyTest, clean));
    System.out.printf(Locale.ROOT, "autoencoder on noisy test mse: %.5f%n", mse(autoencodedNoisy, clean));
    System.out.printf(Locale.ROOT, "denoising test mse: %.5f%n", mse(denoised, clean));
    System.out.printf(Locale.ROOT, "stand-alone Decoder(Encoder(x)) vs Autoencoder(x), largest difference: %.2e%n",
        partsDifference);
    System.out.printf(Locale.ROOT, "logistic regression on the 32 encoder features, test accuracy: %.4f%n",
        Evaluation.accuracy(codeProbe, testCodes));
    System.out.printf(Locale.ROOT, "logistic regression on the 784 pixels, test accuracy: %.4f%n",
        Evaluation.accuracy(pixelProbe, test));
    System.out.printf(Locale.ROOT, "training seconds (both autoencoders): %.1f%n", trainingSeconds);
    conv.print(System.out);
    System.out.println("images: " + png);
    // The variational autoencoder (Vae.nnet), on the same digits.
    DigitsVae.run(train, test, png.resolveSibling("vae-digits.png"), SEED);
    if (!sameCode) {
      System.exit(1);
    }
  }

  private static Dataset identity(float[] images) {
    return new Dataset(images, PIXELS, images, PIXELS);
  }

  /** The test images with the noise the Denoiser was trained with (its gaussian_noise layer). */
  static float[] noisy(float[] images, SplittableRandom random) {
    float[] out = new float[images.length];
    for (int i = 0; i < images.length; i++) {
      out[i] = (float) (images[i] + NOISE * gaussian(random));
    }
    return out;
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  static float[] predict(Network network, float[] inputs, int count) {
    float[] out = new float[count * network.outputSize()];
    network.predictBatch(inputs, 0, out, 0, count);
    return out;
  }

  static double mse(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum / a.length;
  }

  /**
   * The parts copied out, run one after the other, compute what the composed network computes:
   * the largest difference from the autoencoder's reconstructions.
   */
  private static double partsDifference(Autoencoder autoencoder, Encoder encoder, float[] images, int count) {
    Decoder decoder = new Decoder();
    Subnetworks.copyOut(autoencoder, "pixels", decoder);
    float[] whole = predict(autoencoder, images, count);
    float[] parts = predict(decoder, predict(encoder, images, count), count);
    double largest = 0;
    for (int i = 0; i < whole.length; i++) {
      largest = Math.max(largest, Math.abs(whole[i] - parts[i]));
    }
    return largest;
  }
}
