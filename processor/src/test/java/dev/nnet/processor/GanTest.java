package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.compose.Gan;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Adversarial training with generated networks: who moves in which step. */
class GanTest {
  private static final String TEXT = """
      network Generator {
        input z: float[3]
        h = dense(z, units: 5, activation: tanh)
        output image = dense(h, units: 4, activation: sigmoid)
        train { loss: mse  optimizer: adam(learning_rate: 0.01)  batch: 6 }
      }

      network Discriminator {
        input image: float[4]
        h = dense(image, units: 6, activation: tanh)
        h = dropout(h, rate: 0.25)
        output real = dense(h, units: 1, activation: sigmoid)
        train { loss: binary_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 8 }
      }

      network Stacked {
        input z: float[3]
        fake = Generator(z)
        output realness = Discriminator(fake)
        train { loss: binary_crossentropy  batch: 6 }
      }
      """;

  private static Network load(String name, int batch) {
    Network net = GeneratedCode.instantiate(TEXT, name, batch, Network.class);
    net.initialize(name.hashCode());
    net.seedTraining(1);
    return net;
  }

  @Test
  void generatorStepLeavesTheDiscriminatorBitIdentical() {
    Network generator = load("Generator", 6);
    Network discriminator = load("Discriminator", 8);
    Network stacked = load("Stacked", 6);
    Gan gan = Gan.of(generator, discriminator, stacked);
    SplittableRandom random = new SplittableRandom(4);
    float[] reals = new float[4 * 4];
    for (int i = 0; i < reals.length; i++) {
      reals[i] = random.nextFloat();
    }
    gan.discriminatorStep(reals, 0, random);

    float[] discriminatorBefore = discriminator.parameters().clone();
    float[] generatorBefore = generator.parameters().clone();
    gan.generatorStep(random);

    assertArrayEquals(discriminatorBefore, discriminator.parameters(), "the discriminator moved in the generator's step");
    int g = generator.parameterCount();
    assertArrayEquals(discriminatorBefore,
        Arrays.copyOfRange(stacked.parameters(), g, stacked.parameterCount()),
        "the stack's copy of the discriminator moved");
    assertFalse(Arrays.equals(generatorBefore, generator.parameters()), "the generator did not move");
    assertArrayEquals(generator.parameters(), Arrays.copyOfRange(stacked.parameters(), 0, g),
        "the stack does not hold the updated generator");
    // The gradient reached the generator through the discriminator.
    assertTrue(Arrays.stream(toDouble(stacked.gradients(), 0, g)).anyMatch(v -> Math.abs(v) > 1e-6));
  }

  /** With batch_norm on both sides: the discriminator's running statistics are frozen too. */
  @Test
  void runningStatisticsFollowTheirOwnNetwork() {
    String text = TEXT.replace("h = dense(z, units: 5, activation: tanh)",
            "h = dense(z, units: 5, activation: tanh)\n h = batch_norm(h)")
        .replace("h = dropout(h, rate: 0.25)", "h = batch_norm(h)");
    Network generator = GeneratedCode.instantiate(text, "Generator", 6, Network.class);
    Network discriminator = GeneratedCode.instantiate(text, "Discriminator", 8, Network.class);
    Network stacked = GeneratedCode.instantiate(text, "Stacked", 6, Network.class);
    generator.initialize(1);
    discriminator.initialize(2);
    Gan gan = Gan.of(generator, discriminator, stacked);
    SplittableRandom random = new SplittableRandom(4);
    gan.discriminatorStep(new float[16], 0, random);
    float[] discriminatorState = discriminator.state().clone();
    float[] discriminatorParameters = discriminator.parameters().clone();
    float[] generatorState = generator.state().clone();
    gan.generatorStep(random);
    assertArrayEquals(discriminatorState, discriminator.state(), "the discriminator's statistics moved");
    assertArrayEquals(discriminatorParameters, discriminator.parameters());
    assertFalse(Arrays.equals(generatorState, generator.state()), "the generator's statistics did not follow");
    assertArrayEquals(generator.state(), Arrays.copyOfRange(stacked.state(), 0, generator.state().length));
    assertArrayEquals(discriminator.state(),
        Arrays.copyOfRange(stacked.state(), generator.state().length, stacked.state().length));
  }

  @Test
  void discriminatorStepLeavesTheGeneratorAlone() {
    Network generator = load("Generator", 6);
    Network discriminator = load("Discriminator", 8);
    Gan gan = Gan.of(generator, discriminator, load("Stacked", 6));
    float[] generatorBefore = generator.parameters().clone();
    float[] discriminatorBefore = discriminator.parameters().clone();
    gan.discriminatorStep(new float[16], 0, new SplittableRandom(2));
    assertArrayEquals(generatorBefore, generator.parameters());
    assertFalse(Arrays.equals(discriminatorBefore, discriminator.parameters()));
  }

  /** The stack's backward pass, generator through discriminator, against finite differences. */
  @Test
  void gradientThroughTheDiscriminatorMatchesFiniteDifferences() {
    GradientCheckTest.checkGradients(TEXT.replace("h = dropout(h, rate: 0.25)", "")
        .replace("network Stacked", "network Check"), "binary_crossentropy");
  }

  @Test
  void networksThatDoNotFitAreRejectedWithAReason() {
    Network generator = load("Generator", 6);
    Network discriminator = load("Discriminator", 8);
    IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
        () -> Gan.of(discriminator, generator, load("Stacked", 6)));
    assertTrue(swapped.getMessage().contains("must give one value per sample"), swapped.getMessage());
    IllegalArgumentException notAStack = assertThrows(IllegalArgumentException.class,
        () -> Gan.of(generator, discriminator, load("Generator", 6)));
    assertTrue(notAStack.getMessage().contains("must read the generator's noise"), notAStack.getMessage());
    IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class,
        () -> Gan.of(generator, discriminator, load("Stacked", 6)).realLabel(0.3f));
    assertTrue(badLabel.getMessage().contains("real label"), badLabel.getMessage());
  }

  private static double[] toDouble(float[] values, int from, int to) {
    double[] out = new double[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = values[i];
    }
    return out;
  }
}
