package dev.nnet.examples.autoencoder;

import dev.nnet.plots.ImageGrid;
import dev.nnet.runtime.compose.Subnetworks;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The convolutional configuration of the example, from {@code ConvAutoencoders.nnet}:
 * {@link ConvAutoencoder} (conv and pool down to a 7×7×8 code, {@code conv2d_transpose} and
 * {@code upsampling2d} back up) and {@link ConvDenoiser} (the same behind {@code gaussian_noise}),
 * trained on the same digits as the dense pair and tested on the same noisy test digits; then the
 * trained {@link ConvEncoder}, copied out, gives features to a logistic regression
 * ({@link ConvCodeProbe}).
 */
final class ConvolutionalAutoencoders {
  /** The figures, printed after the dense configuration's. */
  record Result(double reconstructionMse, double denoisingMse, double featureAccuracy, double trainingSeconds,
      Path png) {
    void print(PrintStream out) {
      out.printf(Locale.ROOT, "conv code size: %d (7×7×8)%n", ConvEncoder.OUTPUT_SIZE);
      out.printf(Locale.ROOT, "conv test reconstruction mse: %.5f%n", reconstructionMse);
      out.printf(Locale.ROOT, "conv denoising test mse: %.5f%n", denoisingMse);
      out.printf(Locale.ROOT, "conv encoder features test accuracy: %.4f%n", featureAccuracy);
      out.printf(Locale.ROOT, "conv training seconds (both autoencoders): %.1f%n", trainingSeconds);
      out.println("conv images: " + png);
    }
  }

  private ConvolutionalAutoencoders() {}

  /**
   * Trains both, measures them on {@code test} ({@code noisyTest}: the same digits with the
   * noise the denoisers were trained with) and writes {@code png}: test digits, their
   * reconstructions, the noisy digits, the ConvDenoiser's output.
   */
  static Result run(Dataset train, Dataset test, float[] noisyTest, long seed, Path png) throws IOException {
    Dataset identity = new Dataset(train.features(), DigitsAutoencoder.PIXELS, train.features(),
        DigitsAutoencoder.PIXELS);
    long start = System.nanoTime();
    ConvAutoencoder autoencoder = new ConvAutoencoder();
    autoencoder.initialize(seed);
    System.out.println("ConvAutoencoder:");
    new Trainer(autoencoder.trainingConfig(), seed).fit(autoencoder, identity, null,
        TrainingListener.console(System.out));
    ConvDenoiser denoiser = new ConvDenoiser();
    denoiser.initialize(seed);
    denoiser.seedTraining(seed);
    System.out.println("ConvDenoiser:");
    new Trainer(denoiser.trainingConfig(), seed).fit(denoiser, identity, null, TrainingListener.console(System.out));
    double seconds = (System.nanoTime() - start) / 1e9;

    float[] clean = test.features();
    float[] reconstructed = DigitsAutoencoder.predict(autoencoder, clean, test.size());
    float[] denoised = DigitsAutoencoder.predict(denoiser, noisyTest, test.size());

    ConvEncoder encoder = new ConvEncoder();
    Subnetworks.copyOut(autoencoder, "code", encoder);
    Dataset trainCodes = new Dataset(DigitsAutoencoder.predict(encoder, train.features(), train.size()),
        ConvEncoder.OUTPUT_SIZE, train.targets(), Mnist.CLASSES);
    Dataset testCodes = new Dataset(DigitsAutoencoder.predict(encoder, clean, test.size()), ConvEncoder.OUTPUT_SIZE,
        test.targets(), Mnist.CLASSES);
    ConvCodeProbe probe = new ConvCodeProbe();
    probe.initialize(seed);
    new Trainer(probe.trainingConfig(), seed).fit(probe, trainCodes, null, TrainingListener.silent());

    int shown = DigitsAutoencoder.SHOWN;
    int pixels = DigitsAutoencoder.PIXELS;
    float[] grid = new float[4 * shown * pixels];
    for (int row = 0; row < 4; row++) {
      float[] source = row == 0 ? clean : row == 1 ? reconstructed : row == 2 ? noisyTest : denoised;
      System.arraycopy(source, 0, grid, row * shown * pixels, shown * pixels);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageGrid.write(png, grid, 4 * shown, 28, 28, shown, 3);
    return new Result(DigitsAutoencoder.mse(reconstructed, clean), DigitsAutoencoder.mse(denoised, clean),
        Evaluation.accuracy(probe, testCodes), seconds, png);
  }
}
