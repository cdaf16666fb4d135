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

  @Test
  void gaussianValuesHaveMeanZeroVarianceOneAndRestartWithTheSeed() {
    TrainingRandom random = new TrainingRandom(11);
    int n = 200_000;
    double sum = 0;
    double squares = 0;
    int beyondThree = 0;
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian();
      sum += z;
      squares += z * z;
      if (Math.abs(z) > 3) {
        beyondThree++;
      }
    }
    double mean = sum / n;
    double variance = squares / n - mean * mean;
    assertEquals(0, mean, 0.01, "mean");
    assertEquals(1, variance, 0.02, "variance");
    // P(|z| > 3) = 0.0027 for a normal distribution: 540 of 200,000.
    assertEquals(540, beyondThree, 120, "values beyond 3 standard deviations");
    random.reseed(11);
    double first = random.nextGaussian();
    random.reseed(11);
    assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(random.nextGaussian()));
  }
}
