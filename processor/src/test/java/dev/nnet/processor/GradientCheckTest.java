package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnet.runtime.DoubleNetwork;
import dev.nnet.runtime.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated backward pass against central finite differences of the generated forward pass,
 * in double precision, for every activation with each loss.
 */
class GradientCheckTest {
  private static final int BATCH = 3;
  private static final double STEP = 1e-5;

  static Stream<Arguments> networks() {
    List<Arguments> cases = new ArrayList<>();
    for (String hidden : List.of("linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu(alpha: 0.1)", "elu",
        "elu(alpha: 0.5)", "swish", "silu", "gelu", "gelu(approximate: true)")) {
      cases.add(Arguments.of(hidden, "softmax", "categorical_crossentropy", true));
      cases.add(Arguments.of(hidden, "softmax", "categorical_crossentropy", false));
    }
    for (String output : List.of("linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "swish", "gelu")) {
      cases.add(Arguments.of("tanh", output, "mean_squared_error", true));
      cases.add(Arguments.of("relu", output, "mean_squared_error", false));
    }
    return cases.stream();
  }

  static Stream<Arguments> standaloneActivations() {
    return Stream.of("relu", "sigmoid", "tanh", "softmax", "leaky_relu(alpha: 0.3)", "elu", "swish", "gelu",
        "gelu(approximate: true)", "linear").map(a -> Arguments.of(a));
  }

  /** The same check with the activation as a layer of its own, between two dense layers. */
  @ParameterizedTest(name = "standalone {0}")
  @MethodSource("standaloneActivations")
  void standaloneActivationLayersMatchFiniteDifferences(String activation) {
    String call = activation.contains("(") ? activation.replace("(", "(h, ") : activation + "(h)";
    String text = """
        network Check {
          input x: float[2, 3]
          f = flatten(x)
          h = dense(f, units: 5)
          a = %s
          output y = dense(a, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """.formatted(call);
    checkGradients(text, "categorical_crossentropy");
  }

  static String network(String hidden, String output, String loss, boolean bias) {
    return """
        network Check {
          input x: float[2, 3]
          f = flatten(x)
          h = dense(f, units: 5, activation: %s, use_bias: %s)
          d = dropout(h, rate: 0.3)
          g = dense(d, units: 4, activation: tanh, kernel_regularizer: l1_l2(l1: 0.01, l2: 0.05))
          output y = dense(g, units: 3, activation: %s, bias_regularizer: l2(0.03))
          train { loss: %s  batch: 3 }
        }
        """.formatted(hidden, bias, output, loss);
  }

  @ParameterizedTest(name = "hidden {0}, output {1}, {2}, bias {3}")
  @MethodSource("networks")
  void backwardMatchesFiniteDifferences(String hidden, String output, String loss, boolean bias) {
    checkGradients(network(hidden, output, loss, bias), loss);
  }

  static void checkGradients(String text, String loss) {
    DoubleNetwork net = GeneratedCode.instantiate(text, "CheckDouble", BATCH, DoubleNetwork.class);
    net.initialize(11);
    SplittableRandom random = new SplittableRandom(5);
    double[] inputs = new double[BATCH * net.inputSize()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = random.nextDouble(-1, 1);
    }
    double[] targets = new double[BATCH * net.outputSize()];
    for (int b = 0; b < BATCH; b++) {
      if (loss.equals("categorical_crossentropy")) {
        targets[b * net.outputSize() + random.nextInt(net.outputSize())] = 1;
      } else {
        for (int j = 0; j < net.outputSize(); j++) {
          targets[b * net.outputSize() + j] = random.nextDouble(-0.5, 1);
        }
      }
    }

    // The same dropout mask in every evaluation: reseed before each.
    net.seedTraining(3);
    net.computeGradients(inputs, 0, targets, 0, BATCH);
    double[] analytic = net.gradients().clone();
    double[] parameters = net.parameters();
    int checked = 0;
    for (int k = 0; k < parameters.length; k++) {
      double saved = parameters[k];
      parameters[k] = saved + STEP;
      net.seedTraining(3);
      // The penalties are part of what the gradient differentiates.
      double plus = net.computeGradients(inputs, 0, targets, 0, BATCH) + net.regularizationLoss();
      parameters[k] = saved - STEP;
      net.seedTraining(3);
      double minus = net.computeGradients(inputs, 0, targets, 0, BATCH) + net.regularizationLoss();
      parameters[k] = saved;
      double numeric = (plus - minus) / (2 * STEP);
      double error = Math.abs(analytic[k] - numeric);
      double scale = Math.max(Math.abs(analytic[k]), Math.abs(numeric));
      if (error > 1e-8 && error > 1e-6 * scale) {
        fail("parameter " + k + ": backward gives " + analytic[k] + ", finite differences " + numeric);
      }
      checked++;
    }
    assertEquals(net.parameterCount(), checked);
    assertTrue(java.util.Arrays.stream(analytic).anyMatch(g -> Math.abs(g) > 1e-4),
        "all gradients are (near) zero: the check would prove nothing");
  }

  @ParameterizedTest(name = "hidden {0}, output {1}, {2}, bias {3}")
  @MethodSource("networks")
  void floatClassAgreesWithDoubleClass(String hidden, String output, String loss, boolean bias) {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("check.nnet", network(hidden, output, loss, bias), "gen", true));
    try {
      Network single = (Network) loader.loadClass("gen.Check").getConstructor(int.class).newInstance(BATCH);
      DoubleNetwork twice = (DoubleNetwork) loader.loadClass("gen.CheckDouble").getConstructor(int.class).newInstance(BATCH);
      single.initialize(9);
      twice.initialize(9);
      for (int k = 0; k < single.parameterCount(); k++) {
        assertEquals(single.parameters()[k], (float) twice.parameters()[k], "initial parameter " + k);
      }
      float[] x = {0.5f, -0.25f, 1f, 0.75f, -1f, 0.125f};
      double[] xd = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        xd[i] = x[i];
      }
      float[] y = new float[single.outputSize()];
      double[] yd = new double[twice.outputSize()];
      single.predict(x, 0, y, 0);
      twice.predict(xd, 0, yd, 0);
      for (int j = 0; j < y.length; j++) {
        assertEquals(yd[j], y[j], 1e-5, "output " + j);
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
