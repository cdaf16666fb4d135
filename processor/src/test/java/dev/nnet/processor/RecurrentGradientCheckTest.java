package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnet.runtime.DoubleNetwork;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation through time against central finite differences of the generated forward
 * pass, in double precision: rnn, lstm and gru over several steps, returning the last state or
 * the whole sequence, stacked, bidirectional, after an embedding (with and without masking).
 */
class RecurrentGradientCheckTest {
  private static final int BATCH = 3;
  private static final double STEP = 1e-5;

  /** Name, layers between the input {@code x: float[4, 3]} and the output, vocabulary (0: real inputs). */
  static Stream<Arguments> networks() {
    String sequenceInput = "input x: float[4, 3]";
    String tokenInput = "input x: float[5]";
    return Stream.of(
        Arguments.of("rnn, last state", sequenceInput, """
            h = rnn(x, units: 3)
            """, 0),
        Arguments.of("rnn relu, sequence", sequenceInput, """
            s = rnn(x, units: 3, activation: relu, return_sequences: true)
            h = flatten(s)
            """, 0),
        Arguments.of("lstm, last state", sequenceInput, """
            h = lstm(x, units: 3)
            """, 0),
        Arguments.of("lstm, sequence", sequenceInput, """
            s = lstm(x, units: 2, return_sequences: true)
            h = flatten(s)
            """, 0),
        Arguments.of("lstm, other activations", sequenceInput, """
            h = lstm(x, units: 3, activation: relu, recurrent_activation: tanh, unit_forget_bias: false,
                bias_initializer: constant(0.3))
            """, 0),
        Arguments.of("gru, last state", sequenceInput, """
            h = gru(x, units: 3, bias_initializer: constant(0.1))
            """, 0),
        Arguments.of("gru, sequence", sequenceInput, """
            s = gru(x, units: 2, return_sequences: true, activation: sigmoid)
            h = flatten(s)
            """, 0),
        Arguments.of("stacked lstm, gru, rnn", sequenceInput, """
            a = lstm(x, units: 3, return_sequences: true)
            d = dropout(a, rate: 0.2)
            b = gru(d, units: 2, return_sequences: true)
            h = rnn(b, units: 3)
            """, 0),
        Arguments.of("dense before, sequence read twice", "input x: float[4, 3]", """
            a = lstm(x, units: 2, return_sequences: true)
            b = lstm(a, units: 2, return_sequences: true)
            c = add(a, b)
            h = gru(c, units: 2)
            """, 0),
        Arguments.of("bidirectional lstm", sequenceInput, """
            h = bidirectional(x, lstm(units: 2))
            """, 0),
        Arguments.of("bidirectional gru sequence, then rnn", sequenceInput, """
            s = bidirectional(x, gru(units: 2, return_sequences: true))
            h = bidirectional(s, rnn(units: 2))
            """, 0),
        Arguments.of("lstm sequence, time_distributed dense", sequenceInput, """
            s = lstm(x, units: 3, return_sequences: true)
            d = time_distributed(s, dense(units: 2, activation: tanh))
            h = flatten(d)
            """, 0),
        Arguments.of("time_distributed softmax, then gru", sequenceInput, """
            d = time_distributed(x, dense(units: 4, activation: softmax, bias_initializer: constant(0.2)))
            h = gru(d, units: 2)
            """, 0),
        Arguments.of("lstm from an initial state [h, c]", sequenceInput + "\n  input z: float[2]", """
            h0 = dense(z, units: 3, activation: tanh)
            c0 = dense(z, units: 3)
            h = lstm(x, units: 3, initial_state: [h0, c0])
            """, 0),
        Arguments.of("gru from an initial state that is read twice", sequenceInput + "\n  input z: float[2]", """
            h0 = dense(z, units: 2, activation: tanh)
            s = gru(x, units: 2, return_sequences: true, initial_state: h0)
            f = flatten(s)
            h = concat(f, h0)
            """, 0),
        Arguments.of("masked rnn from an initial state", tokenInput + "\n  input z: float[2]", """
            e = embedding(x, input_dim: 6, output_dim: 2, mask_zero: true)
            h0 = dense(z, units: 3, activation: tanh)
            h = rnn(e, units: 3, initial_state: h0)
            """, 6),
        Arguments.of("recurrent dropout in lstm, gru and rnn", sequenceInput, """
            a = lstm(x, units: 3, return_sequences: true, recurrent_dropout: 0.3)
            b = gru(a, units: 3, return_sequences: true, recurrent_dropout: 0.4)
            h = rnn(b, units: 3, recurrent_dropout: 0.25)
            """, 0),
        Arguments.of("embedding, lstm", tokenInput, """
            e = embedding(x, input_dim: 6, output_dim: 3)
            h = lstm(e, units: 3)
            """, 6),
        Arguments.of("embedding mask_zero, lstm", tokenInput, """
            e = embedding(x, input_dim: 6, output_dim: 3, mask_zero: true)
            h = lstm(e, units: 3)
            """, 6),
        Arguments.of("embedding mask_zero, stacked gru sequence", tokenInput, """
            e = embedding(x, input_dim: 7, output_dim: 2, mask_zero: true)
            s = gru(e, units: 2, return_sequences: true)
            t = rnn(s, units: 2, return_sequences: true)
            h = flatten(t)
            """, 7),
        Arguments.of("embedding mask_zero, bidirectional lstm", tokenInput, """
            e = embedding(x, input_dim: 6, output_dim: 2, mask_zero: true)
            h = bidirectional(e, lstm(units: 2))
            """, 6),
        Arguments.of("embedding, flatten, dense", tokenInput, """
            e = embedding(x, input_dim: 4, output_dim: 2)
            h = flatten(e)
            """, 4));
  }

  static String network(String input, String layers) {
    return """
        network Check {
          %s
        %s  output y = dense(h, units: 2, activation: tanh)
          train { loss: mean_squared_error  batch: 3 }
        }
        """.formatted(input, layers.indent(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void backwardThroughTimeMatchesFiniteDifferences(String name, String input, String layers, int vocabulary) {
    checkGradients(network(input, layers), vocabulary);
  }

  /** A network with sequence layers used twice as a layer: both uses add to one set of gradients. */
  @org.junit.jupiter.api.Test
  void sharedRecurrentLayersGatherBothUses() {
    String text = """
        network Encoder {
          input v: float[4, 3]
          s = bidirectional(v, gru(units: 2, return_sequences: true))
          output o = time_distributed(s, dense(units: 3, activation: tanh))
        }
        network Check {
          input x: float[4, 3]
          a = Encoder(x)
          b = Encoder(a)
          h = lstm(b, units: 2)
          output y = dense(h, units: 2, activation: tanh)
          train { loss: mean_squared_error  batch: 3 }
        }
        """;
    checkGradients(text, 0);
    DoubleNetwork net = GeneratedCode.instantiate(text, "CheckDouble", BATCH, DoubleNetwork.class);
    int encoder = 2 * (3 * 6 + 2 * 6 + 6 + 6) + (4 * 3 + 3);
    assertEquals(encoder + (3 * 8 + 2 * 8 + 8) + (2 * 2 + 2), net.parameterCount(), "one Encoder's parameters, shared");
  }

  /**
   * Every parameter's gradient against central differences. With a vocabulary the inputs are
   * token ids, some of them padding (0) at the start of a sample as padded texts have.
   */
  static void checkGradients(String text, int vocabulary) {
    DoubleNetwork net = GeneratedCode.instantiate(text, "CheckDouble", BATCH, DoubleNetwork.class);
    net.initialize(11);
    SplittableRandom random = new SplittableRandom(5);
    double[] inputs = new double[BATCH * net.inputSize()];
    for (int b = 0; b < BATCH; b++) {
      for (int i = 0; i < net.inputSize(); i++) {
        inputs[b * net.inputSize() + i] = vocabulary == 0 ? random.nextDouble(-1, 1)
            : i < b ? 0 : 1 + random.nextInt(vocabulary - 1);
      }
    }
    double[] targets = new double[BATCH * net.outputSize()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = random.nextDouble(-0.5, 1);
    }
    net.seedTraining(3);
    net.computeGradients(inputs, 0, targets, 0, BATCH);
    double[] analytic = net.gradients().clone();
    double[] parameters = net.parameters();
    int checked = 0;
    for (int k = 0; k < parameters.length; k++) {
      double saved = parameters[k];
      parameters[k] = saved + STEP;
      net.seedTraining(3);
      double plus = net.computeGradients(inputs, 0, targets, 0, BATCH);
      parameters[k] = saved - STEP;
      net.seedTraining(3);
      double minus = net.computeGradients(inputs, 0, targets, 0, BATCH);
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
    assertTrue(java.util.Arrays.stream(analytic).filter(g -> Math.abs(g) > 1e-4).count() > analytic.length / 3,
        "most gradients are (near) zero: the check would prove little");
  }
}
