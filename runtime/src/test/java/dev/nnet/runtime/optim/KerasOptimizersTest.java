package dev.nnet.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimizers added for the training toolkit: hand-computed steps on a two-parameter problem,
 * convergence on a convex quadratic, Keras' defaults and documented examples, lookup by name.
 */
class KerasOptimizersTest {

  // The tiny problem: f(w) = ½·(w0² + 4·w1²), so g = (w0, 4·w1), from w = (1, −0.5), where the
  // first gradient is (1, −2).
  private static final float[] CURVATURE = {1f, 4f};
  private static final float[] START = {1f, -0.5f};

  @Test
  void gradientDescentStepsByHand() {
    // w ← w − 0.1·g: (1, −0.5) → (0.9, −0.3) → (0.81, −0.18) → (0.729, −0.108).
    assertSteps(new GradientDescent(0.1), 0.1, List.of(), new double[][] {
        {0.9, -0.3}, {0.81, -0.18}, {0.729, -0.108}});
  }

  @Test
  void adamWStepsByHand() {
    // Step 1: m = 0.1·g, v = 0.001·g², so m̂ = g, v̂ = g² and the Adam part moves each weight by
    // lr·g/(|g| + ε) ≈ 0.1; the decay moves it by lr·λ·w = 0.01·w.
    // w0 = 1 − 0.01·1 − 0.1·1/(1 + 1e-7) = 0.89000001; w1 = −0.5 + 0.005 + 0.1·2/(2 + 1e-7).
    assertSteps(new AdamW(0.1, 0.1, 0.9, 0.999, 1e-7), 0.1, List.of("m", "v"), new double[][] {
        {0.890000009999999, -0.39500000499999977},
        {0.781571875271971, -0.2923387125140474},
        {0.675101251073556, -0.19341561690130377}});
  }

  @Test
  void nadamStepsByHand() {
    // Step 1: μ1 = 0.9·(1 − ½·0.96^0.004), μ2 = 0.9·(1 − ½·0.96^0.008), m = 0.1·g, v̂ = g², so
    // w0 = 1 − 0.1·(μ2·0.1/(1 − μ1·μ2) + (1 − μ1)/(1 − μ1)) / (1 + 1e-7) = 0.894354833.
    assertSteps(new Nadam(0.1), 0.1, List.of("m", "v"), new double[][] {
        {0.8943548327289779, -0.3943548274467198},
        {0.819973087707379, -0.3246706575540543},
        {0.7527292898449991, -0.26472705272513114}});
  }

  @Test
  void rmsPropStepsByHand() {
    // Step 1: s = 0.1·g², so w0 = 1 − 0.1·1/√(0.1 + 1e-7) = 0.683772392.
    assertSteps(new RmsProp(0.1), 0.1, List.of("mean_square"), new double[][] {
        {0.6837723920969265, -0.18377227351162534},
        {0.4988708044756769, -0.06953151289434227},
        {0.36918076036188563, -0.024435313511805244}});
  }

  @Test
  void centeredRmsPropWithMomentumStepsByHand() {
    // Step 1: s = 0.1·g², a = 0.1·g, d = s − a² + ε = 0.09·g² + ε, Δ = 0.1·g/√d ≈ g/(3|g|),
    // p = Δ: w0 = 1 − 1/3 = 0.66666685 (ε shifts the 8th digit).
    assertSteps(new RmsProp(0.1, 0.9, 0.5, 1e-7, true), 0.1,
        List.of("mean_square", "momentum", "mean_gradient"), new double[][] {
            {0.6666668518516974, -0.16666671296295327},
            {0.2989013382213644, 0.11373180867908222},
            {0.02084121402086242, 0.1774204117259854}});
  }

  @Test
  void adagradStepsByHand() {
    // Step 1: A = 0.1 + g², so w0 = 1 − 0.1·1/√1.1000001 = 0.904653745 and
    // w1 = −0.5 + 0.1·2/√4.1000001 = −0.401227042.
    assertSteps(new Adagrad(0.1), 0.1, List.of("squared_gradient_sum"), new double[][] {
        {0.9046537454093613, -0.4012270415395893},
        {0.8393387391820096, -0.33911142578948394},
        {0.7875127746375502, -0.2926285629295135}});
  }

  @Test
  void adadeltaStepsByHand() {
    // Step 1: E[g²] = 0.05·g², Δ = −√ε/√(0.05·g² + ε)·g ≈ −√(1e-7/0.05) = −0.00141421 per unit
    // sign, times lr = 1: w0 = 0.998585788.
    assertSteps(new Adadelta(1.0), 1.0,
        List.of("accumulated_gradient", "accumulated_update"), new double[][] {
            {0.9985857878518384, -0.49858578679118015},
            {0.9971545473993738, -0.4971555352488681},
            {0.9957124679717688, -0.49571579591564946}});
  }

  @Test
  void epsilonGoesWhereEachRuleSaysItGoes() {
    // With ε = 1 its place shows in the first step from w = 0 with g = 1.
    // AdamW and Nadam, as Adam: after the bias correction, w = −lr·m̂/(√v̂ + ε) with v̂ = 1.
    assertEquals(-0.1 / 2, firstStep(new AdamW(0.1, 0, 0.9, 0.999, 1)), 1e-7);
    Nadam nadam = new Nadam(0.1, 0.9, 0.999, 1);
    double mu1 = nadam.momentumAt(1);
    double mu2 = nadam.momentumAt(2);
    double mHat = mu2 * 0.1 / (1 - mu1 * mu2) + (1 - mu1) / (1 - mu1);
    assertEquals(-0.1 * mHat / 2, firstStep(nadam), 1e-7);
    // RMSprop (Keras 3): inside the root, s = 0.1 and for centered s − a² = 0.09.
    assertEquals(-0.1 / Math.sqrt(1.1), firstStep(new RmsProp(0.1, 0.9, 0, 1, false)), 1e-7);
    assertEquals(-0.1 / Math.sqrt(1.09), firstStep(new RmsProp(0.1, 0.9, 0, 1, true)), 1e-7);
    // Adagrad: inside the root with the initial accumulator, A = 0.1 + 1.
    assertEquals(-0.1 / Math.sqrt(2.1), firstStep(new Adagrad(0.1, 0.1, 1)), 1e-7);
    // Adadelta: inside both roots, E[g²] = 0.05 and E[Δ²] = 0.
    assertEquals(-1 / Math.sqrt(1.05), firstStep(new Adadelta(1, 0.95, 1)), 1e-7);
  }

  @Test
  void adadeltaAccumulatesTheUpdateBeforeTheLearningRate() {
    // Keras scales the step by lr but keeps the unscaled Δ in E[Δ²]. With lr 0.5, ε = 1, g = 1:
    // Δ1 = −1/√1.05, E[Δ²] = 0.05·Δ1²; E[g²] = 0.95·0.05 + 0.05 = 0.0975,
    // Δ2 = −√(E[Δ²] + 1)/√1.0975.
    Adadelta adadelta = new Adadelta(0.5, 0.95, 1);
    float[] w = {0f};
    OptimizerState state = adadelta.newState(1);
    adadelta.step(w, new float[] {1f}, state, 0.5);
    adadelta.step(w, new float[] {1f}, state, 0.5);
    double delta1 = -1 / Math.sqrt(1.05);
    double delta2 = -Math.sqrt(0.05 * delta1 * delta1 + 1) / Math.sqrt(1.0975);
    assertEquals(0.5 * (delta1 + delta2), w[0], 1e-6);
    assertEquals(0.95 * 0.05 * delta1 * delta1 + 0.05 * delta2 * delta2,
        state.slot(Adadelta.ACCUMULATED_UPDATE)[0], 1e-7);
  }

  private static double firstStep(Optimizer optimizer) {
    float[] w = {0f};
    optimizer.step(w, new float[] {1f}, optimizer.newState(1), optimizer.learningRate());
    return w[0];
  }

  @Test
  void everyOptimizerReachesTheMinimumOfAConvexQuadratic() {
    // f(w) = ½ Σ a_i (w_i − c_i)², minimum at c, condition number 16, from w = 0.
    assertConverges(new GradientDescent(0.2), 500, 1e-5);
    assertConverges(new Sgd(0.05, 0.9, true), 1000, 1e-5);
    assertConverges(new Adam(0.05), 2000, 1e-4);
    // The decay moves the fixed point slightly towards 0 (by 8e-4 here).
    assertConverges(new AdamW(0.05, 0.004), 2000, 2e-3);
    assertConverges(new AdamW(0.05, 0), 2000, 1e-4);
    assertConverges(new Nadam(0.05), 2000, 1e-4);
    assertConverges(new RmsProp(0.01), 2000, 1e-4);
    assertConverges(new RmsProp(0.01, 0.9, 0, 1e-7, true), 2000, 1e-4);
    // With momentum, RMSprop's nearly sign-sized steps end in a small cycle around the minimum,
    // of the order of the learning rate.
    assertConverges(new RmsProp(0.002, 0.9, 0.9, 1e-7, true), 2000, 2e-3);
    assertConverges(new Adagrad(0.5), 2000, 1e-5);
    assertConverges(new Adadelta(1.0), 2000, 1e-5);
  }

  @Test
  void adamWWithoutDecayTakesExactlyAdamsSteps() {
    SplittableRandom random = new SplittableRandom(7);
    Adam adam = new Adam(0.01, 0.8, 0.99, 1e-6);
    AdamW adamW = new AdamW(0.01, 0, 0.8, 0.99, 1e-6);
    float[] w1 = randoms(random, 5);
    float[] w2 = w1.clone();
    OptimizerState s1 = adam.newState(5);
    OptimizerState s2 = adamW.newState(5);
    for (int step = 0; step < 10; step++) {
      float[] g = randoms(random, 5);
      adam.step(w1, g, s1, 0.01);
      adamW.step(w2, g, s2, 0.01);
      assertArrayEquals(w1, w2);
    }
  }

  @Test
  void adamWDecayIsDecoupledFromTheGradientScaling() {
    // The decay is not divided by √v̂: AdamW's step is Adam's step minus lr·λ·w, whatever the
    // gradient's size.
    float[] w = {2f, -3f};
    float[] g = {1e-3f, 1e3f};
    float[] adamW = w.clone();
    float[] adam = w.clone();
    new AdamW(0.1, 0.5).step(adamW, g, new AdamW(0.1, 0.5).newState(2), 0.1);
    new Adam(0.1).step(adam, g, new Adam(0.1).newState(2), 0.1);
    assertEquals(adam[0] - 0.1 * 0.5 * 2, adamW[0], 1e-6);
    assertEquals(adam[1] + 0.1 * 0.5 * 3, adamW[1], 1e-6);
    // Without gradients the weights shrink geometrically by (1 − lr·λ) per step.
    AdamW decay = new AdamW(0.01, 0.004);
    float[] weights = {1f, -8f};
    OptimizerState state = decay.newState(2);
    for (int step = 0; step < 100; step++) {
      decay.step(weights, new float[2], state, 0.01);
    }
    double factor = Math.pow(1 - 0.01 * 0.004, 100);
    assertEquals(factor, weights[0], 1e-6);
    assertEquals(-8 * factor, weights[1], 1e-5);
  }

  @Test
  void nadamMomentumScheduleAndItsProduct() {
    Nadam nadam = new Nadam();
    assertEquals(0.9 * (1 - 0.5 * Math.pow(0.96, 0.004)), nadam.momentumAt(1), 1e-15);
    assertEquals(0.9 * (1 - 0.5 * Math.pow(0.96, 4)), nadam.momentumAt(1000), 1e-15);
    double exact = 1;
    for (int t = 1; t <= 20; t++) {
      exact *= nadam.momentumAt(t);
      assertEquals(exact, nadam.momentumProduct(t), 1e-15 * exact, "t = " + t);
    }
    // Long runs do not make a step slower: the product stops once 1 − Π is exactly 1.
    double late = nadam.momentumProduct(1_000_000_000L);
    assertTrue(late < 0x1p-60, "product " + late);
    assertEquals(1.0, 1 - late);
    // Checkpointing slots and iterations restores Nadam exactly: resuming a copied state takes
    // the same step as the original.
    float[] w = {1f, 2f};
    OptimizerState state = nadam.newState(2);
    for (int step = 0; step < 5; step++) {
      nadam.step(w, new float[] {0.5f, -1f}, state, 0.01);
    }
    OptimizerState restored = nadam.newState(2);
    restored.setIterations(state.iterations());
    System.arraycopy(state.slot("m"), 0, restored.slot("m"), 0, 2);
    System.arraycopy(state.slot("v"), 0, restored.slot("v"), 0, 2);
    float[] w2 = w.clone();
    nadam.step(w, new float[] {0.25f, 1f}, state, 0.01);
    nadam.step(w2, new float[] {0.25f, 1f}, restored, 0.01);
    assertArrayEquals(w, w2);
  }

  @Test
  void kerasDocumentedExamples() {
    // keras.optimizers.RMSprop docstring: lr 0.1, var 10, loss var²/2, one step → 9.683772.
    float[] var = {10f};
    RmsProp rmsProp = new RmsProp(0.1);
    rmsProp.step(var, new float[] {10f}, rmsProp.newState(1), 0.1);
    assertEquals(9.683772f, var[0], 1e-6f);
    // tf.keras.optimizers.Nadam docstring: lr 0.2, var 10, loss var²/2, one step → "9.8".
    var[0] = 10f;
    Nadam nadam = new Nadam(0.2);
    nadam.step(var, new float[] {10f}, nadam.newState(1), 0.2);
    assertEquals("9.8", String.format(java.util.Locale.ROOT, "%.1f", var[0]));
  }

  @Test
  void adagradSlotHoldsTheSumOfSquaresWithoutTheInitialValue() {
    Adagrad adagrad = new Adagrad(0.1, 0.5, 1e-7);
    float[] w = {0f, 0f};
    OptimizerState state = adagrad.newState(2);
    adagrad.step(w, new float[] {3f, -1f}, state, 0.1);
    adagrad.step(w, new float[] {1f, 2f}, state, 0.1);
    assertArrayEquals(new float[] {10f, 5f}, state.slot(Adagrad.SQUARED_GRADIENT_SUM));
    // w0 = −0.1·3/√9.5 − 0.1·1/√10.5, with the initial value 0.5 under each root.
    assertEquals(-0.3 / Math.sqrt(9.5000001) - 0.1 / Math.sqrt(10.5000001), w[0], 1e-6);
    // A reset state is a fresh one, initial value included.
    state.reset();
    float[] fresh = {0f, 0f};
    adagrad.step(fresh, new float[] {3f, -1f}, state, 0.1);
    assertEquals(-0.3 / Math.sqrt(9.5000001), fresh[0], 1e-6);
  }

  @Test
  void stepsAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    float[] w = new float[64];
    float[] g = randoms(new SplittableRandom(3), 64);
    for (Optimizer optimizer : List.of(new GradientDescent(), new AdamW(), new Nadam(),
        new RmsProp(), new RmsProp(0.001, 0.9, 0.5, 1e-7, true), new Adagrad(), new Adadelta())) {
      OptimizerState state = optimizer.newState(64);
      for (int i = 0; i < 2_000; i++) {
        optimizer.step(w, g, state, 1e-3);
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 1_000; i++) {
        optimizer.step(w, g, state, 1e-3);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      // A step that allocated anything would allocate at least 16 bytes, 16,000 in all; the
      // allocation counter itself may cost a few bytes.
      assertTrue(allocated < 1_000,
          optimizer + " allocated " + allocated + " bytes in 1,000 steps");
    }
  }

  @Test
  void defaultsAreKeras() {
    assertEquals(new AdamW(0.001, 0.004, 0.9, 0.999, 1e-7), new AdamW());
    assertEquals(new Nadam(0.001, 0.9, 0.999, 1e-7), new Nadam());
    assertEquals(new RmsProp(0.001, 0.9, 0.0, 1e-7, false), new RmsProp());
    assertEquals(new Adagrad(0.001, 0.1, 1e-7), new Adagrad());
    assertEquals(new Adadelta(0.001, 0.95, 1e-7), new Adadelta());
    assertEquals(new GradientDescent(0.01), new GradientDescent());
    assertEquals(List.of("mean_square"), new RmsProp().newState(1).slotNames());
    assertEquals(List.of(), new GradientDescent().newState(1).slotNames());
  }

  @Test
  void toStringEqualsAndHashCode() {
    assertEquals("GradientDescent[learningRate=0.01]", new GradientDescent().toString());
    assertEquals("AdamW[learningRate=0.001, weightDecay=0.004, beta1=0.9, beta2=0.999, "
        + "epsilon=1.0E-7]", new AdamW().toString());
    assertEquals("Nadam[learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7]",
        new Nadam().toString());
    assertEquals("RmsProp[learningRate=0.001, rho=0.9, momentum=0.0, epsilon=1.0E-7, "
        + "centered=false]", new RmsProp().toString());
    assertEquals("Adagrad[learningRate=0.001, initialAccumulatorValue=0.1, epsilon=1.0E-7]",
        new Adagrad().toString());
    assertEquals("Adadelta[learningRate=0.001, rho=0.95, epsilon=1.0E-7]",
        new Adadelta().toString());
    assertEquals(new AdamW(0.1, 0.2).hashCode(), new AdamW(0.1, 0.2).hashCode());
    assertNotEquals(new AdamW(0.1, 0.2), new AdamW(0.1, 0.3));
    assertNotEquals(new RmsProp(0.1, 0.9, 0, 1e-7, true), new RmsProp(0.1, 0.9, 0, 1e-7, false));
    assertNotEquals(new Adagrad(0.1, 0.1, 1e-7), new Adagrad(0.1, 0.2, 1e-7));
    assertNotEquals(new Adadelta(0.1, 0.9, 1e-7), new Adadelta(0.1, 0.95, 1e-7));
    assertNotEquals(new Nadam(0.1), new Nadam(0.2));
    assertFalse(new GradientDescent(0.1).equals(new Sgd(0.1)));
    assertEquals(new GradientDescent(0.1).hashCode(), new GradientDescent(0.1).hashCode());
  }

  @Test
  void constructorsValidate() {
    assertEquals("learning rate must be > 0, but got -0.1",
        message(() -> new GradientDescent(-0.1)));
    assertEquals("weight decay must be >= 0, but got -0.004",
        message(() -> new AdamW(0.001, -0.004)));
    assertEquals("weight decay must be a finite number >= 0, but got NaN",
        message(() -> new AdamW(0.001, Double.NaN)));
    assertEquals("beta2 must be in [0, 1), but got 1.0",
        message(() -> new Nadam(0.001, 0.9, 1, 1e-7)));
    assertEquals("rho must be in [0, 1), but got 1.5",
        message(() -> new RmsProp(0.001, 1.5, 0, 1e-7, false)));
    assertEquals("momentum must be in [0, 1), but got -0.1",
        message(() -> new RmsProp(0.001, 0.9, -0.1, 1e-7, false)));
    assertEquals("epsilon must be > 0, but got 0.0",
        message(() -> new RmsProp(0.001, 0.9, 0, 0, false)));
    assertEquals("initial accumulator value must be >= 0, but got -0.1",
        message(() -> new Adagrad(0.001, -0.1, 1e-7)));
    assertEquals("rho must be in [0, 1), but got 1.0",
        message(() -> new Adadelta(0.001, 1, 1e-7)));
    assertEquals("learning rate must be a finite number > 0, but got Infinity",
        message(() -> new Adadelta(Double.POSITIVE_INFINITY)));
    // A step checks its state and rate like Adam's.
    OptimizerState adamState = new Adam().newState(2);
    assertTrue(message(() -> new RmsProp().step(new float[2], new float[2], adamState, 0.1))
        .contains("no slot 'mean_square'"));
    assertThrows(IllegalArgumentException.class,
        () -> new Adagrad().step(new float[2], new float[2], new Adagrad().newState(2), -1));
  }

  @Test
  void byNameReturnsKerasDefaults() {
    assertEquals(List.of("adadelta", "adagrad", "adam", "adamw", "gradient_descent", "nadam",
        "rmsprop", "sgd"), Optimizers.names());
    assertEquals(new Adadelta(), Optimizers.byName("adadelta"));
    assertEquals(new Adagrad(), Optimizers.byName("adagrad"));
    assertEquals(new Adam(), Optimizers.byName("adam"));
    assertEquals(new AdamW(), Optimizers.byName("adamw"));
    assertEquals(new GradientDescent(), Optimizers.byName("gradient_descent"));
    assertEquals(new Nadam(), Optimizers.byName("nadam"));
    assertEquals(new RmsProp(), Optimizers.byName("rmsprop"));
    assertEquals(new Sgd(), Optimizers.byName("sgd"));
    for (String name : Optimizers.names()) {
      assertEquals(Optimizers.byName(name), Optimizers.byName(name), name);
    }
    assertEquals("unknown optimizer 'Adam'; known optimizers are [adadelta, adagrad, adam, adamw,"
        + " gradient_descent, nadam, rmsprop, sgd]", message(() -> Optimizers.byName("Adam")));
    assertThrows(NullPointerException.class, () -> Optimizers.byName(null));
  }

  /** Runs three steps on the tiny problem and compares every step with the expected weights. */
  private static void assertSteps(
      Optimizer optimizer, double learningRate, List<String> slots, double[][] expected) {
    float[] w = START.clone();
    float[] g = new float[2];
    OptimizerState state = optimizer.newState(2);
    assertEquals(slots, state.slotNames());
    for (int step = 0; step < expected.length; step++) {
      for (int i = 0; i < 2; i++) {
        g[i] = CURVATURE[i] * w[i];
      }
      optimizer.step(w, g, state, learningRate);
      for (int i = 0; i < 2; i++) {
        assertEquals(expected[step][i], w[i], 1e-6,
            optimizer + ": step " + (step + 1) + ", parameter " + i);
      }
    }
    assertEquals(expected.length, state.iterations());
  }

  private static void assertConverges(Optimizer optimizer, int steps, double tolerance) {
    double[] a = {1, 4, 0.25};
    double[] c = {1, -2, 0.5};
    float[] w = new float[3];
    float[] g = new float[3];
    OptimizerState state = optimizer.newState(3);
    for (int step = 0; step < steps; step++) {
      for (int i = 0; i < 3; i++) {
        g[i] = (float) (a[i] * (w[i] - c[i]));
      }
      optimizer.step(w, g, state, optimizer.learningRate());
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(c[i], w[i], tolerance, optimizer + " after " + steps + " steps, parameter " + i);
    }
  }

  private static float[] randoms(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  private static String message(org.junit.jupiter.api.function.Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }
}
