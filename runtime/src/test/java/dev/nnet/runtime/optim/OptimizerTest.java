package dev.nnet.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  private static final float[][] GRADIENTS = {
    {0.5f, -1.0f, 2.0f, 0.0f},
    {0.25f, 0.5f, -3.0f, 1e-3f},
    {-0.75f, 0.0f, 1.0f, -2.0f},
  };
  private static final float[] START = {1.0f, -2.0f, 0.5f, 3.0f};

  @Test
  void plainSgdSubtractsLearningRateTimesGradient() {
    Sgd sgd = new Sgd(0.1);
    float[] w = START.clone();
    OptimizerState state = sgd.newState(w.length);
    assertEquals(List.of(), state.slotNames());
    double[] expected = toDouble(START);
    for (float[] g : GRADIENTS) {
      sgd.step(w, g.clone(), state, 0.1);
      for (int i = 0; i < w.length; i++) {
        expected[i] -= 0.1 * g[i];
      }
    }
    assertClose(expected, w);
    assertEquals(3, state.iterations());
  }

  @Test
  void sgdMomentumFollowsKerasRule() {
    double lr = 0.1;
    double mu = 0.9;
    Sgd sgd = new Sgd(lr, mu);
    float[] w = START.clone();
    OptimizerState state = sgd.newState(w.length);
    double[] expected = toDouble(START);
    double[] velocity = new double[w.length];
    for (float[] g : GRADIENTS) {
      sgd.step(w, g, state, lr);
      for (int i = 0; i < w.length; i++) {
        velocity[i] = mu * velocity[i] - lr * g[i];
        expected[i] += velocity[i];
      }
    }
    assertClose(expected, w);
    assertClose(velocity, state.slot(Sgd.VELOCITY));
    // Hand-computed first parameter: v = -0.05, -0.07, 0.012 ⇒ w = 1 - 0.05 - 0.07 + 0.012.
    assertEquals(0.892, w[0], 1e-6);
  }

  @Test
  void sgdNesterovFollowsKerasRule() {
    double lr = 0.1;
    double mu = 0.9;
    Sgd sgd = new Sgd(lr, mu, true);
    float[] w = START.clone();
    OptimizerState state = sgd.newState(w.length);
    double[] expected = toDouble(START);
    double[] velocity = new double[w.length];
    for (float[] g : GRADIENTS) {
      sgd.step(w, g, state, lr);
      for (int i = 0; i < w.length; i++) {
        velocity[i] = mu * velocity[i] - lr * g[i];
        expected[i] += mu * velocity[i] - lr * g[i];
      }
    }
    assertClose(expected, w);
    // Hand-computed first parameter, steps: -0.095, -0.088, +0.0858.
    assertEquals(1 - 0.095 - 0.088 + 0.0858, w[0], 1e-6);
  }

  @Test
  void adamMatchesAlgorithm1() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    Adam adam = new Adam(lr, b1, b2, eps);
    float[] w = START.clone();
    OptimizerState state = adam.newState(w.length);
    assertEquals(List.of("m", "v"), state.slotNames());
    double[] expected = toDouble(START);
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    for (int t = 1; t <= GRADIENTS.length; t++) {
      float[] g = GRADIENTS[t - 1];
      adam.step(w, g, state, lr);
      for (int i = 0; i < w.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        expected[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
      assertClose(expected, w);
      assertEquals(t, state.iterations());
    }
    assertClose(m, state.slot(Adam.M));
    assertClose(v, state.slot(Adam.V));
    // By hand: Adam's first step moves every parameter with a non-zero gradient by almost exactly
    // lr in the direction opposite to the gradient.
    Adam fresh = new Adam(0.01);
    float[] once = {1f};
    fresh.step(once, new float[] {123f}, fresh.newState(1), 0.01);
    assertEquals(0.99, once[0], 1e-6);
  }

  @Test
  void stepUsesTheLearningRateItIsGiven() {
    Adam adam = new Adam();
    float[] w = {0f};
    adam.step(w, new float[] {1f}, adam.newState(1), 0.5);
    assertEquals(-0.5, w[0], 1e-5);
  }

  @Test
  void defaultsAndToString() {
    assertEquals("Adam[learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7]",
        new Adam().toString());
    assertEquals("Sgd[learningRate=0.01, momentum=0.0, nesterov=false]", new Sgd().toString());
    assertEquals(new Adam(), new Adam(0.001, 0.9, 0.999, 1e-7));
    assertEquals(new Sgd(0.1, 0.9, true).hashCode(), new Sgd(0.1, 0.9, true).hashCode());
    assertFalse(new Sgd(0.1).equals(new Sgd(0.2)));
  }

  @Test
  void constructorsValidate() {
    assertEquals("learning rate must be > 0, but got -0.1",
        assertThrows(IllegalArgumentException.class, () -> new Adam(-0.1)).getMessage());
    assertEquals("learning rate must be a finite number > 0, but got NaN",
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN)).getMessage());
    assertEquals("beta1 must be in [0, 1), but got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1, 0.9, 1e-7))
            .getMessage());
    assertEquals("epsilon must be > 0, but got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.9, 0))
            .getMessage());
    assertEquals("momentum must be in [0, 1), but got -0.5",
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, -0.5)).getMessage());
  }

  @Test
  void stepRejectsMismatchedStateAndBadRate() {
    Adam adam = new Adam();
    OptimizerState state = adam.newState(3);
    assertThrows(IllegalArgumentException.class,
        () -> adam.step(new float[4], new float[4], state, 0.1));
    assertThrows(IllegalArgumentException.class,
        () -> adam.step(new float[3], new float[3], state, Double.NaN));
    OptimizerState sgdState = new Sgd(0.1, 0.9).newState(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.step(new float[3], new float[3], sgdState, 0.1));
    assertTrue(e.getMessage().contains("no slot 'm'"), e.getMessage());
  }

  @Test
  void stateCanBeRestored() {
    OptimizerState state = new Adam().newState(2);
    state.setIterations(41);
    state.slot("m")[1] = 3f;
    assertEquals(42, state.incrementIterations());
    assertTrue(state.hasSlot("v"));
    state.reset();
    assertEquals(0, state.iterations());
    assertArrayEquals(new float[2], state.slot("m"));
    assertThrows(IllegalArgumentException.class, () -> state.setIterations(-1));
    assertThrows(IllegalArgumentException.class, () -> new OptimizerState(2, "a", "a"));
  }

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }

  private static void assertClose(double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])),
          "index " + i);
    }
  }
}
