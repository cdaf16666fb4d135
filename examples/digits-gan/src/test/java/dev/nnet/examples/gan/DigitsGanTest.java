package dev.nnet.examples.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnet.runtime.compose.Gan;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The example's three networks fit together, and the generator's step never moves the discriminator. */
class DigitsGanTest {

  @Test
  void generatorStepsLeaveTheDiscriminatorAsItsOwnStepLeftIt() {
    Generator generator = new Generator();
    Discriminator discriminator = new Discriminator();
    DigitsGan stack = new DigitsGan();
    generator.initialize(1);
    discriminator.initialize(2);
    Gan gan = Gan.of(generator, discriminator, stack);
    SplittableRandom random = new SplittableRandom(3);
    float[] reals = new float[gan.discriminatorBatch() * 784];
    for (int i = 0; i < reals.length; i++) {
      reals[i] = random.nextFloat();
    }
    for (int step = 0; step < 3; step++) {
      gan.discriminatorStep(reals, 0, random);
      float[] parameters = discriminator.parameters().clone();
      float[] state = discriminator.state().clone();
      float[] generatorBefore = generator.parameters().clone();
      gan.generatorStep(random);
      assertArrayEquals(parameters, discriminator.parameters());
      assertArrayEquals(state, discriminator.state());
      assertFalse(Arrays.equals(generatorBefore, generator.parameters()));
    }
  }
}
