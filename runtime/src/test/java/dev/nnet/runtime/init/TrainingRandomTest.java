package dev.nnet.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reseedable mask stream draws exactly what a fresh SplittableRandom would. */
class TrainingRandomTest {

  @Test
  void drawsTheSequenceOfASplittableRandomWithTheSameSeed() {
    TrainingRandom random = new TrainingRandom();
    for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9ABCL}) {
      random.reseed(seed);
      SplittableRandom reference = new SplittableRandom(seed);
      for (int i = 0; i < 1000; i++) {
        if (i % 2 == 0) {
          assertEquals(Double.doubleToRawLongBits(reference.nextDouble()),
              Double.doubleToRawLongBits(random.nextDouble()), "seed " + seed + ", draw " + i);
        } else {
          assertEquals(reference.nextLong(), random.nextLong(), "seed " + seed + ", draw " + i);
        }
      }
    }
  }

  @Test
  void reseedingRestartsTheStream() {
    TrainingRandom random = new TrainingRandom(7);
    double first = random.nextDouble();
    random.nextDouble();
    random.reseed(7);
    assertEquals(first, random.nextDouble());
    assertEquals(new SplittableRandom(0).nextDouble(), new TrainingRandom().nextDouble());
  }
}
