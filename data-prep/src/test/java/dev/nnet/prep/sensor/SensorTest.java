package dev.nnet.prep.sensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SensorTest {
  private static final double[] SPIKY = {10, 11, 9, 10, 50, 10, 11, 9, 10, 10};

  @Test
  void zScoreIqrAndHampelFlagTheSpike() {
    boolean[] z = Outliers.zScore(SPIKY, 2.5);
    // Mean 14, population std 12.0: the spike is 3.0 deviations out, 11 is 0.25.
    assertTrue(z[4]);
    for (int i = 0; i < SPIKY.length; i++) {
      assertEquals(i == 4, z[i], "z-score at " + i);
    }
    boolean[] iqr = Outliers.iqr(SPIKY, 1.5);
    // Sorted: 9, 9, 10, 10, 10, 10, 10, 11, 11, 50: Q1 = 10, Q3 = 10.75, fences 8.875 and 11.875.
    for (int i = 0; i < SPIKY.length; i++) {
      assertEquals(i == 4, iqr[i], "IQR at " + i);
    }
    boolean[] hampel = Outliers.hampel(SPIKY, 2, 3);
    assertTrue(hampel[4]);
    assertFalse(hampel[3]);
    // Window 10, 9, 10, 50, 10 around the spike: median 10.
    assertEquals(10, Outliers.hampelFilter(SPIKY, 2, 3)[4]);
    assertTrue(Double.isNaN(Outliers.remove(SPIKY, iqr)[4]));
  }

  @Test
  void resamplingToAFixedRate() {
    double[] times = {0, 1, 3};
    double[] values = {0, 10, 30};
    assertArrayEquals(new double[] {0, 5, 10, 15, 20, 25, 30}, Resampling.toRate(times, values, 2, 10), 1e-12);
    double[] gappy = Resampling.toRate(times, values, 2, 1.5);
    assertEquals(10, gappy[2]);
    assertTrue(Double.isNaN(gappy[3]) && Double.isNaN(gappy[5]), "no values invented inside a long gap");
    assertEquals(30, gappy[6]);
    assertThrows(IllegalArgumentException.class, () -> Resampling.toRate(new double[] {0, 0}, new double[] {1, 2}, 1, 1));
  }

  @Test
  void movingStatisticsAreTrailing() {
    double[] values = {1, 2, 3, 4};
    double[] mean = SensorFeatures.movingMean(values, 2);
    assertTrue(Double.isNaN(mean[0]));
    assertArrayEquals(new double[] {1.5, 2.5, 3.5}, java.util.Arrays.copyOfRange(mean, 1, 4), 1e-12);
    assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3}, java.util.Arrays.copyOfRange(
        SensorFeatures.movingVariance(values, 3), 2, 4), 1e-12);
  }

  @Test
  void bandEnergiesFollowParseval() {
    int n = 1000;
    double rate = 100;
    float[] signal = new float[n];
    double energy = 0;
    for (int i = 0; i < n; i++) {
      signal[i] = (float) (2 * Math.sin(2 * Math.PI * 5 * i / rate) + 0.5 * Math.sin(2 * Math.PI * 30 * i / rate));
      energy += signal[i] * signal[i];
    }
    double[] bands = SensorFeatures.bandEnergies(signal, rate, 0, 10, 20, 40, 50.01);
    // Energies n · A² / 2: 2000 for the 5 Hz sine, 125 for the 30 Hz one.
    assertEquals(2000, bands[0], 0.5);
    assertEquals(0, bands[1], 0.5);
    assertEquals(125, bands[2], 0.5);
    assertEquals(energy, bands[0] + bands[1] + bands[2] + bands[3], 1e-3, "all bands: the total energy");
  }

  @Test
  void augmentationIsSeededAndMeasured() {
    double[] flat = new double[20000];
    double[] noisy = SensorAugment.noise(flat, 0.5, new SplittableRandom(2));
    double variance = 0;
    for (double v : noisy) {
      variance += v * v / noisy.length;
    }
    assertEquals(0.25, variance, 0.01);
    assertArrayEquals(noisy, SensorAugment.noise(flat, 0.5, new SplittableRandom(2)));
    double[] ramp = {0, 1, 2, 3, 4};
    assertArrayEquals(ramp, SensorAugment.jitter(ramp, 0, new SplittableRandom(1)), 1e-12);
    double[] jittered = SensorAugment.jitter(ramp, 0.3, new SplittableRandom(1));
    for (int i = 0; i < ramp.length; i++) {
      assertTrue(Math.abs(jittered[i] - ramp[i]) <= 1, "a ramp read at most one sample off");
    }
    double[] scaled = SensorAugment.scale(ramp, 0.2, new SplittableRandom(7));
    double factor = scaled[1];
    for (int i = 0; i < ramp.length; i++) {
      assertEquals(ramp[i] * factor, scaled[i], 1e-12, "one factor for the whole signal");
    }
  }
}
