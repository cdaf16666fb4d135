package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API code of recurrent layers (products, vectorised cells, the state gradient over R
 * transposed) against the scalar code of the same network: outputs and gradients agree to float
 * rounding, for unit counts that take every path (whole blocks of two vectors, one vector, the
 * scalar tail) and batch sizes that leave row tails.
 */
class RecurrentVectorTest {

  private static Network load(String text, boolean vector, int batch) {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("seq.nnet", text, "gen", new NnetCompiler.Options(false, vector)));
    try {
      Class<?> type = loader.loadClass("gen.Seq");
      if (vector) {
        assertTrue(type.getField("VECTOR").getBoolean(null),
            "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
      }
      return (Network) type.getConstructor(int.class).newInstance(batch);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Layer statements, " | " between lines. */
  @ParameterizedTest(name = "{0}, batch {2}, vocabulary {3}")
  @CsvSource(delimiter = ';', value = {
      "lstm 32 units; h = lstm(x, units: 32); 9; 0",
      "lstm 20 units, sequence; s = lstm(x, units: 20, return_sequences: true) | h = flatten(s); 5; 0",
      "lstm 3 units; h = lstm(x, units: 3); 1; 0",
      "gru 17 units, sequence; s = gru(x, units: 17, return_sequences: true) | h = flatten(s); 9; 0",
      "gru 40 units; h = gru(x, units: 40); 4; 0",
      "rnn 33 units; h = rnn(x, units: 33); 6; 0",
      "relu rnn (scalar cell); h = rnn(x, units: 18, activation: relu); 5; 0",
      "bidirectional stacked; s = bidirectional(x, lstm(units: 16, return_sequences: true)) | h = gru(s, units: 16); 7; 0",
      "time_distributed dense; d = time_distributed(x, dense(units: 33, activation: relu)) | h = lstm(d, units: 16); 6; 0",
      "recurrent dropout; s = lstm(x, units: 20, return_sequences: true, recurrent_dropout: 0.3) | h = gru(s, units: 17, recurrent_dropout: 0.5); 7; 0",
      "masked embedding; e = embedding(x, input_dim: 9, output_dim: 5, mask_zero: true) | h = lstm(e, units: 24); 9; 9",
      "attention, 4 heads of 9; a = multi_head_attention(x, heads: 4, key_dim: 9) | h = globalavgpool1d(a); 7; 0",
      "masked causal attention; e = embedding(x, input_dim: 9, output_dim: 20, mask_zero: true) | p = positional_embedding(e) | a = multi_head_attention(p, heads: 2, causal: true) | h = globalavgpool1d(a); 9; 9",
  })
  void vectorCodeMatchesScalarCode(String name, String layers, int batch, int vocabulary) {
    String input = vocabulary > 0 ? "input x: float[6]" : "input x: float[6, 3]";
    String text = """
        network Seq {
          %s
        %s  output y = dense(h, units: 2)
          train { loss: mean_squared_error  batch: %d }
        }
        """.formatted(input, layers.replace(" | ", "\n").indent(2), batch);
    Network scalar = load(text, false, batch);
    Network vector = load(text, true, batch);
    scalar.initialize(3);
    vector.initialize(3);
    SplittableRandom random = new SplittableRandom(17);
    int width = scalar.inputSize();
    float[] x = new float[batch * width];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < width; i++) {
        x[b * width + i] = vocabulary > 0 ? (i < b % 4 ? 0 : 1 + random.nextInt(vocabulary - 1))
            : (float) random.nextDouble(-1, 1);
      }
    }
    float[] t = new float[batch * 2];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) random.nextDouble(-1, 1);
    }
    float[] ys = new float[batch * 2];
    float[] yv = new float[batch * 2];
    scalar.predictBatch(x, 0, ys, 0, batch);
    vector.predictBatch(x, 0, yv, 0, batch);
    for (int k = 0; k < ys.length; k++) {
      assertEquals(ys[k], yv[k], 1e-5f + 1e-4f * Math.abs(ys[k]), "output " + k);
    }
    // Garbage in the vector network's gradients: every kernel must write, not add.
    java.util.Arrays.fill(vector.gradients(), 1e6f);
    float ls = scalar.computeGradients(x, 0, t, 0, batch);
    float lv = vector.computeGradients(x, 0, t, 0, batch);
    assertEquals(ls, lv, 1e-5f + 1e-4f * Math.abs(ls), "loss");
    double scale = 0;
    for (float g : scalar.gradients()) {
      scale = Math.max(scale, Math.abs(g));
    }
    assertTrue(scale > 1e-4, "all gradients are (near) zero: the comparison would prove nothing");
    for (int k = 0; k < scalar.parameterCount(); k++) {
      assertEquals(scalar.gradients()[k], vector.gradients()[k], 1e-4 * scale + 1e-6, "gradient " + k);
    }
  }

  /** Recurrent dropout acts in training only: a new mask per batch, none in prediction. */
  @org.junit.jupiter.api.Test
  void recurrentDropoutChangesTrainingStepsAndLeavesPredictionAlone() {
    String text = """
        network Seq {
          input x: float[6, 3]
          h = lstm(x, units: 8, recurrent_dropout: 0.5)
          output y = dense(h, units: 2)
          train { loss: mean_squared_error  batch: 4 }
        }
        """;
    Network net = load(text, true, 4);
    net.initialize(1);
    float[] x = new float[4 * 18];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f - 0.4f;
    }
    float[] t = new float[8];
    net.seedTraining(1);
    float first = net.computeGradients(x, 0, t, 0, 4);
    net.seedTraining(1);
    float again = net.computeGradients(x, 0, t, 0, 4);
    net.seedTraining(2);
    float other = net.computeGradients(x, 0, t, 0, 4);
    assertEquals(first, again, "the same seed draws the same masks");
    assertTrue(first != other, "another seed draws other masks, so the loss changes: " + first);
    float[] y1 = new float[8];
    float[] y2 = new float[8];
    net.predictBatch(x, 0, y1, 0, 4);
    net.seedTraining(7);
    net.predictBatch(x, 0, y2, 0, 4);
    assertTrue(java.util.Arrays.equals(y1, y2), "prediction must not drop anything");
  }
}
