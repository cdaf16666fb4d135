package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.loss.MeanSquaredError;
import org.junit.jupiter.api.Test;

/**
 * An output that depends on no parameter, beside one that does: its loss is part of the total,
 * but nothing flows back from it (it once threw a NullPointerException for the missing gradient
 * buffer).
 */
class ParameterFreeOutputTest {

  private static final String TEXT = """
      network Two {
          input x: float[4]
          output y = relu(x)
          output z = dense(x, units: 2)
          train { loss: mean_squared_error }
      }
      """;

  @Test
  void itsLossCountsAndTheOtherOutputStillTrains() throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("Two.nnet", TEXT, "gen", false));
    Network net = (Network) loader.loadClass("gen.Two").getConstructor(int.class).newInstance(3);
    net.initialize(1);
    float[] x = {1, -2, 3, 0.5f, -1, 2, -3, 4, 0, 1, 1, -1};
    // Per sample: y's 4 targets, then z's 2.
    float[] t = new float[3 * 6];
    for (int i = 0; i < t.length; i++) {
      t[i] = 0.25f * i - 1;
    }
    float loss = net.computeGradients(x, 0, t, 0, 3);

    float[] outputs = new float[6];
    float[] y = new float[3 * 4];
    float[] yTargets = new float[3 * 4];
    float[] z = new float[3 * 2];
    float[] zTargets = new float[3 * 2];
    for (int b = 0; b < 3; b++) {
      net.predict(x, b * 4, outputs, 0);
      System.arraycopy(outputs, 0, y, b * 4, 4);
      System.arraycopy(outputs, 4, z, b * 2, 2);
      System.arraycopy(t, b * 6, yTargets, b * 4, 4);
      System.arraycopy(t, b * 6 + 4, zTargets, b * 2, 2);
    }
    float expected = MeanSquaredError.INSTANCE.value(y, yTargets, 0, null, 3, 4)
        + MeanSquaredError.INSTANCE.value(z, zTargets, 0, null, 3, 2);
    assertEquals(expected, loss, 1e-5f * Math.abs(expected), "the sum of both outputs' losses");
    boolean anyGradient = false;
    for (float g : net.gradients()) {
      anyGradient |= g != 0;
    }
    assertTrue(anyGradient, "the dense output still gets gradients");
  }
}
