package dev.nnet.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Every schedule against values worked out by hand from Keras' formulas. */
class ScheduleTest {
  private static final double EPS = 1e-12;

  @Test
  void constantIsTheBaseRate() {
    assertEquals(0.01, LearningRateSchedule.constant().rate(0.01, 7, 12_345), 0.0);
  }

  @Test
  void stepDecayMultipliesEveryNEpochs() {
    StepDecay decay = new StepDecay(0.5, 10);
    assertEquals(0.1, decay.rate(0.1, 0, 999), EPS);
    assertEquals(0.1, decay.rate(0.1, 9, 0), EPS);
    assertEquals(0.05, decay.rate(0.1, 10, 0), EPS);
    assertEquals(0.025, decay.rate(0.1, 25, 0), EPS);
    assertEquals("factor must be in (0, 1], but got 1.5",
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1.5, 1)).getMessage());
    assertEquals("everyEpochs must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.5, 0)).getMessage());
  }

  @Test
  void exponentialDecayIsSmoothOrStaircase() {
    // initial 0.1, decay_rate 0.96, decay_steps 100: 0.1 · 0.96^(step/100)
    ExponentialDecay smooth = new ExponentialDecay(0.96, 100, false);
    assertEquals(0.1, smooth.rate(0.1, 0, 0), EPS);
    assertEquals(0.09797958971132712, smooth.rate(0.1, 0, 50), EPS); // 0.1 · √0.96
    assertEquals(0.096, smooth.rate(0.1, 3, 100), EPS);
    assertEquals(0.1 * 0.9216 * Math.sqrt(0.96), smooth.rate(0.1, 0, 250), EPS); // 0.96^2.5
    ExponentialDecay stairs = new ExponentialDecay(0.96, 100, true);
    assertEquals(0.1, stairs.rate(0.1, 0, 99), EPS);
    assertEquals(0.096, stairs.rate(0.1, 0, 100), EPS);
    assertEquals(0.09216, stairs.rate(0.1, 0, 299), EPS);
    assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0, 10, false));
    assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.5, 0, false));
  }

  @Test
  void cosineDecayFollowsHalfACosineToAlpha() {
    CosineDecay cosine = new CosineDecay(1000, 0.1);
    assertEquals(1.0, cosine.rate(1.0, 0, 0), EPS);
    // step 500: cos(π/2) = 0 → (1 − 0.1)·0.5 + 0.1 = 0.55
    assertEquals(0.55, cosine.rate(1.0, 0, 500), EPS);
    // step 250: 0.9 · 0.5 · (1 + cos(π/4)) + 0.1
    assertEquals(0.9 * 0.5 * (1 + Math.sqrt(0.5)) + 0.1, cosine.rate(1.0, 0, 250), EPS);
    assertEquals(0.1, cosine.rate(1.0, 0, 1000), EPS);
    assertEquals(0.1, cosine.rate(1.0, 0, 5000), EPS);
    assertEquals(0.0, new CosineDecay(10).rate(2.0, 0, 10), EPS);
    assertThrows(IllegalArgumentException.class, () -> new CosineDecay(10, 1.5));
  }

  @Test
  void cosineDecayRestartsLengthensAndLowersEachPeriod() {
    // first period 100 steps, each next period twice as long, restarting at half the rate.
    CosineDecayRestarts sgdr = new CosineDecayRestarts(100, 2.0, 0.5, 0.0);
    assertEquals(1.0, sgdr.rate(1.0, 0, 0), EPS);
    assertEquals(0.5, sgdr.rate(1.0, 0, 50), EPS);
    // step 100 starts period 2 (steps 100..299) at 0.5.
    assertEquals(0.5, sgdr.rate(1.0, 0, 100), EPS);
    // step 200 is half way through period 2: 0.5 · 0.5 · (1 + cos(π/2)) = 0.25
    assertEquals(0.25, sgdr.rate(1.0, 0, 200), EPS);
    // step 150: a quarter through: 0.25 · (1 + cos(π/4))
    assertEquals(0.25 * (1 + Math.sqrt(0.5)), sgdr.rate(1.0, 0, 150), EPS);
    // t_mul = 1: every period 100 steps; alpha 0.1 floors the cosine.
    CosineDecayRestarts even = new CosineDecayRestarts(100, 1.0, 1.0, 0.1);
    assertEquals(0.55, even.rate(1.0, 0, 150), EPS);
    assertEquals(1.0, even.rate(1.0, 0, 300), EPS);
    // Keras' defaults: the second period (steps 100..299) starts again at the full rate.
    assertEquals(1.0, new CosineDecayRestarts(100).rate(1.0, 0, 100), EPS);
    assertThrows(IllegalArgumentException.class, () -> new CosineDecayRestarts(100, 0.5, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CosineDecayRestarts(100, 2, 0, 0));
  }

  @Test
  void linearWarmupRisesFromZeroThenHandsOver() {
    LinearWarmup warmup = new LinearWarmup(10);
    assertEquals(0.0, warmup.rate(0.4, 0, 0), EPS);
    assertEquals(0.2, warmup.rate(0.4, 0, 5), EPS);
    assertEquals(0.36, warmup.rate(0.4, 0, 9), EPS);
    assertEquals(0.4, warmup.rate(0.4, 0, 10), EPS);
    assertEquals(0.4, warmup.rate(0.4, 7, 1000), EPS);
    // The wrapped schedule's clock starts after the warm-up.
    LinearWarmup cosine = new LinearWarmup(10, new CosineDecay(100));
    assertEquals(1.0, cosine.rate(1.0, 0, 10), EPS);
    assertEquals(0.5, cosine.rate(1.0, 0, 60), EPS);
    assertEquals(0.5, cosine.rate(1.0, 0, 5), EPS);
    // An epoch-based schedule keeps its epochs.
    assertEquals(0.25, new LinearWarmup(2, new StepDecay(0.5, 1)).rate(1.0, 2, 50), EPS);
    assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(0));
    assertThrows(NullPointerException.class, () -> new LinearWarmup(5, null));
  }

  @Test
  void schedulesAreValuesWithReadableNames() {
    assertEquals(new ExponentialDecay(0.9, 10, true), new ExponentialDecay(0.9, 10, true));
    assertEquals("LinearWarmup(warmupSteps=5, then=CosineDecay(decaySteps=100, alpha=0.0))",
        new LinearWarmup(5, new CosineDecay(100)).toString());
    assertEquals("Constant", LearningRateSchedule.constant().toString());
  }
}
