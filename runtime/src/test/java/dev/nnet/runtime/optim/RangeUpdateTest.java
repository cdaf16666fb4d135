package dev.nnet.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training splits an optimizer step into parameter ranges ({@link
 * Optimizer#update}); the pieces together must be exactly one {@link Optimizer#step}, bit for bit,
 * in every configuration of every optimizer.
 */
class RangeUpdateTest {

  static Stream<Optimizer> optimizers() {
    return Stream.of(
        new GradientDescent(0.1),
        new Sgd(0.1), new Sgd(0.1, 0.9), new Sgd(0.1, 0.9, true),
        new Adam(0.01), new AdamW(0.01, 0.004), new Nadam(0.01),
        new RmsProp(0.01), new RmsProp(0.01, 0.9, 0.5, 1e-7, true),
        new Adagrad(0.1), new Adadelta(1.0));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void rangesTogetherAreOneStep(Optimizer optimizer) {
    assertTrue(optimizer.updatesElementwise(), optimizer + " is elementwise");
    int n = 1_003; // not a multiple of any vector width
    SplittableRandom random = new SplittableRandom(7);
    float[] whole = new float[n];
    for (int i = 0; i < n; i++) {
      whole[i] = (float) random.nextGaussian();
    }
    float[] pieces = whole.clone();
    OptimizerState wholeState = optimizer.newState(n);
    OptimizerState piecesState = optimizer.newState(n);
    float[] gradients = new float[n];
    for (int step = 1; step <= 5; step++) {
      for (int i = 0; i < n; i++) {
        gradients[i] = (float) random.nextGaussian();
      }
      optimizer.step(whole, gradients, wholeState, 0.05);
      long t = piecesState.incrementIterations();
      assertEquals(step, t);
      // Uneven ranges, in reverse order, as threads may run them.
      List<int[]> ranges = List.of(new int[] {640, n}, new int[] {16, 640}, new int[] {0, 16});
      for (int[] range : ranges) {
        optimizer.update(pieces, gradients, piecesState, 0.05, t, range[0], range[1]);
      }
      assertArrayEquals(whole, pieces, optimizer + " after step " + step);
      for (String slot : wholeState.slotNames()) {
        assertArrayEquals(wholeState.slot(slot), piecesState.slot(slot), slot);
      }
    }
  }

  @Test
  void anOptimizerOfItsOwnIsNotSplitUnlessItSaysSo() {
    Optimizer own = new Optimizer() {
      @Override
      public double learningRate() {
        return 0.1;
      }

      @Override
      public OptimizerState newState(int parameterCount) {
        return new OptimizerState(parameterCount);
      }

      @Override
      public void step(float[] p, float[] g, OptimizerState state, double rate) {}
    };
    assertFalse(own.updatesElementwise());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> own.update(new float[1], new float[1], own.newState(1), 0.1, 1, 0, 1));
    assertTrue(e.getMessage().contains("call step"), e.getMessage());
  }
}
