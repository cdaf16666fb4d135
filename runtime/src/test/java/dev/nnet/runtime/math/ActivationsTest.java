package dev.nnet.runtime.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationsTest {

  @Test
  void erfMatchesTabulatedValues() {
    // Abramowitz & Stegun table 7.1 and high-precision references.
    assertEquals(0, Activations.erf(0), 0);
    assertEquals(0.1124629160182849, Activations.erf(0.1), 1e-15);
    assertEquals(0.5204998778130465, Activations.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, Activations.erf(1), 1e-15);
    assertEquals(0.9953222650189527, Activations.erf(2), 1e-15);
    assertEquals(0.9995930479825550, Activations.erf(2.5), 1e-15);
    assertEquals(0.9999779095030014, Activations.erf(3), 1e-15);
    assertEquals(-0.8427007929497149, Activations.erf(-1), 1e-15);
    assertEquals(1, Activations.erf(7), 0);
  }

  @Test
  void derivativesMatchFiniteDifferences() {
    double h = 1e-6;
    for (double x = -6; x <= 6; x += 0.37) {
      assertEquals((Activations.gelu(x + h) - Activations.gelu(x - h)) / (2 * h), Activations.geluDerivative(x), 1e-8, "gelu at " + x);
      assertEquals((Activations.geluTanh(x + h) - Activations.geluTanh(x - h)) / (2 * h),
          Activations.geluTanhDerivative(x), 1e-8, "gelu tanh at " + x);
      assertEquals((Activations.swish(x + h) - Activations.swish(x - h)) / (2 * h), Activations.swishDerivative(x), 1e-8,
          "swish at " + x);
    }
  }

  @Test
  void geluKnownValues() {
    assertEquals(0.8413447460685429, Activations.gelu(1), 1e-15);
    assertEquals(-0.15865525393145707, Activations.gelu(-1), 1e-15);
    assertEquals(0.8411919906082768, Activations.geluTanh(1), 1e-12);
  }
}
