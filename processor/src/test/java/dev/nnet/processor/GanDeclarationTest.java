package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.compose.Gan;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code gan Name(generator: G, discriminator: D)}: the one-line declaration gives the same
 * stacking network as the one written out by hand, and trains the same way.
 */
class GanDeclarationTest {
  private static final String PARTS = """
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
      """;

  private static final String ONE_LINE = PARTS + """

      gan Stacked(generator: Generator, discriminator: Discriminator)
      """;

  private static final String BY_HAND = PARTS + """

      network Stacked {
        input z: float[3]
        fake = Generator(z)
        output realness = Discriminator(fake)
        train { loss: binary_crossentropy  batch: 6 }
      }
      """;

  @Test
  void oneLineGivesTheStackWrittenByHand() {
    Network oneLine = GeneratedCode.instantiate(ONE_LINE, "Stacked", 6, Network.class);
    Network byHand = GeneratedCode.instantiate(BY_HAND, "Stacked", 6, Network.class);
    assertEquals(byHand.fingerprint(), oneLine.fingerprint(), "the architectures differ");
    assertEquals(byHand.parameterTensors().stream().map(ParameterTensor::name).toList(),
        oneLine.parameterTensors().stream().map(ParameterTensor::name).toList());
    assertEquals(byHand.trainingConfig().batchSize(), oneLine.trainingConfig().batchSize(), "the generator's batch");
    assertEquals(byHand.loss().getClass(), oneLine.loss().getClass(), "the discriminator's loss");
    oneLine.initialize(3);
    byHand.initialize(3);
    float[] noise = {0.1f, -0.4f, 0.9f};
    float[] a = new float[1];
    float[] b = new float[1];
    oneLine.predict(noise, 0, a, 0);
    byHand.predict(noise, 0, b, 0);
    assertArrayEquals(b, a);
  }

  @Test
  void batchOnTheGanLineSetsTheGeneratorStepsBatch() {
    Network stack = GeneratedCode.instantiate(
        PARTS + "gan Stacked(generator: Generator, discriminator: Discriminator, batch: 5)", "Stacked", 5,
        Network.class);
    assertEquals(5, stack.trainingConfig().batchSize());
  }

  @Test
  void generatorStepOfTheOneLineGanLeavesTheDiscriminatorBitIdentical() {
    Network generator = GeneratedCode.instantiate(ONE_LINE, "Generator", 6, Network.class);
    Network discriminator = GeneratedCode.instantiate(ONE_LINE, "Discriminator", 8, Network.class);
    Network stack = GeneratedCode.instantiate(ONE_LINE, "Stacked", 6, Network.class);
    generator.initialize(1);
    discriminator.initialize(2);
    Gan gan = Gan.of(generator, discriminator, stack);
    SplittableRandom random = new SplittableRandom(4);
    float[] reals = new float[4 * 4];
    for (int i = 0; i < reals.length; i++) {
      reals[i] = random.nextFloat();
    }
    gan.discriminatorStep(reals, 0, random);
    float[] discriminatorBefore = discriminator.parameters().clone();
    float[] generatorBefore = generator.parameters().clone();
    gan.generatorStep(random);
    assertArrayEquals(discriminatorBefore, discriminator.parameters(), "the discriminator moved");
    assertFalse(Arrays.equals(generatorBefore, generator.parameters()), "the generator did not move");
  }

  @Test
  void oneLineStackGradientMatchesFiniteDifferences() {
    GradientCheckTest.checkGradients(PARTS.replace("h = dropout(h, rate: 0.25)", "")
        + "gan Check(generator: Generator, discriminator: Discriminator)", "binary_crossentropy");
  }
}
