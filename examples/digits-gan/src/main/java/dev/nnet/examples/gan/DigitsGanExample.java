package dev.nnet.examples.gan;

import dev.nnet.plots.ImageGrid;
import dev.nnet.runtime.compose.Gan;
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
 * A dense GAN on MNIST, from {@code DigitsGan.nnet}: {@link Generator} and {@link Discriminator}
 * trained adversarially by {@link Gan} through their stack {@link DigitsGan}, each step with the
 * optimizer of its own network's train block, real labels smoothed to 0.9. After training it
 * writes a grid of generated digits and lets {@link Judge}, a classifier trained on the real
 * digits, rate {@value #SAMPLES} generated ones: how confident it is, and how many of the ten
 * classes they cover (a generator that collapses to a few modes covers few).
 *
 * <p>Arguments: {@code [data directory] [png] [steps]}; defaults {@code examples/data}, {@code
 * examples/digits-gan/target/generated-digits.png} and {@value #STEPS}.
 */
public final class DigitsGanExample {
  static final int TRAIN = 8_000;
  static final long SEED = 11;
  static final int STEPS = 6_000;
  static final int SAMPLES = 1_000;

  private DigitsGanExample() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
    Path png = Path.of(args.length > 1 ? args[1] : "examples/digits-gan/target/generated-digits.png");
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : STEPS;
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, TRAIN);
    Dataset test = all.slice(TRAIN, all.size());

    Judge judge = new Judge();
    judge.initialize(SEED);
    new Trainer(judge.trainingConfig(), SEED).fit(judge, train, null, TrainingListener.silent());
    double judgeAccuracy = Evaluation.accuracy(judge, test);

    Generator generator = new Generator();
    Discriminator discriminator = new Discriminator();
    DigitsGan stack = new DigitsGan();
    generator.initialize(SEED);
    discriminator.initialize(SEED + 1);
    discriminator.seedTraining(SEED + 2);
    stack.seedTraining(SEED + 3);
    Gan gan = Gan.of(generator, discriminator, stack).realLabel(0.9f);

    SplittableRandom random = new SplittableRandom(SEED);
    float[] reals = train.features();
    int width = Discriminator.INPUT_SIZE;
    int batch = gan.discriminatorBatch();
    int batches = train.size() / batch;
    int[] order = new int[batches];
    for (int i = 0; i < batches; i++) {
      order[i] = i;
    }
    long start = System.nanoTime();
    double dLoss = 0;
    double gLoss = 0;
    for (int step = 1; step <= steps; step++) {
      int slot = (step - 1) % batches;
      if (slot == 0) {
        shuffle(order, random);
      }
      dLoss += gan.discriminatorStep(reals, order[slot] * batch * width, random);
      gLoss += gan.generatorStep(random);
      if (step % 1000 == 0) {
        System.out.printf(Locale.ROOT, "step %d  discriminator loss %.4f  generator loss %.4f  (%.0f s)%n",
            step, dLoss / 1000, gLoss / 1000, (System.nanoTime() - start) / 1e9);
        dLoss = 0;
        gLoss = 0;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    float[] generated = new float[SAMPLES * width];
    gan.generate(SAMPLES, new SplittableRandom(SEED + 4), generated);
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageGrid.write(png, generated, 100, 28, 28, 10, 3);

    float[] probs = new float[SAMPLES * 10];
    judge.predictBatch(generated, 0, probs, 0, SAMPLES);
    int[] histogram = new int[10];
    double confidence = 0;
    for (int n = 0; n < SAMPLES; n++) {
      int best = 0;
      for (int c = 1; c < 10; c++) {
        if (probs[n * 10 + c] > probs[n * 10 + best]) {
          best = c;
        }
      }
      histogram[best]++;
      confidence += probs[n * 10 + best];
    }
    int classes = 0;
    double entropy = 0;
    for (int count : histogram) {
      if (count > 0) {
        classes++;
        double p = (double) count / SAMPLES;
        entropy -= p * Math.log(p) / Math.log(2);
      }
    }

    System.out.printf(Locale.ROOT, "judge test accuracy on real digits: %.4f%n", judgeAccuracy);
    System.out.printf(Locale.ROOT, "steps: %d (batches of %d real + %d generated, then %d for the generator)%n",
        steps, batch, batch, gan.generatorBatch());
    System.out.printf(Locale.ROOT, "mean classifier confidence: %.4f%n", confidence / SAMPLES);
    System.out.printf(Locale.ROOT, "class spread: %d of 10 classes among %d samples%n", classes, SAMPLES);
    System.out.printf(Locale.ROOT, "class entropy: %.3f bits (uniform: %.3f)%n", entropy, Math.log(10) / Math.log(2));
    System.out.println("class histogram: " + java.util.Arrays.toString(histogram));
    System.out.printf(Locale.ROOT, "training seconds: %.1f%n", seconds);
    System.out.println("images: " + png);
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
