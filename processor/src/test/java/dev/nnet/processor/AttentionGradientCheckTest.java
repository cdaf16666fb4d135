package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnet.runtime.DoubleNetwork;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transformer layers' backward passes against central finite differences of the generated
 * forward pass, in double precision: multi-head attention with one, two and four heads, causal
 * or not, with a padding mask (from an embedding's mask_zero, or given as mask:) or without;
 * positional embedding; the mean over steps with and without a mask; an encoder block used
 * twice with parameters of its own. With token inputs, sample b starts with b padding ids.
 */
class AttentionGradientCheckTest {
  static Stream<Arguments> networks() {
    String sequence = "input x: float[4, 4]";
    String tokens = "input x: float[5]";
    return Stream.of(
        Arguments.of("one head", sequence, """
            a = multi_head_attention(x, heads: 1)
            h = flatten(a)
            """, 0),
        Arguments.of("two heads, causal", sequence, """
            a = multi_head_attention(x, heads: 2, causal: true)
            h = flatten(a)
            """, 0),
        Arguments.of("four heads of key_dim 3, input read twice", sequence, """
            a = multi_head_attention(x, heads: 4, key_dim: 3)
            r = add(x, a)
            h = globalavgpool1d(r)
            """, 0),
        Arguments.of("positional embedding, mean over steps", sequence, """
            p = positional_embedding(x)
            h = globalavgpool1d(p)
            """, 0),
        Arguments.of("masked: embedding mask_zero, positions, two heads, masked mean", tokens, """
            e = embedding(x, input_dim: 6, output_dim: 4, mask_zero: true)
            p = positional_embedding(e)
            a = multi_head_attention(p, heads: 2)
            h = globalavgpool1d(a)
            """, 6),
        Arguments.of("masked and causal, flattened", tokens, """
            e = embedding(x, input_dim: 6, output_dim: 4, mask_zero: true)
            a = multi_head_attention(e, heads: 2, causal: true)
            h = flatten(a)
            """, 6),
        Arguments.of("attention dropout, masked", tokens, """
            e = embedding(x, input_dim: 6, output_dim: 4, mask_zero: true)
            a = multi_head_attention(e, heads: 2, dropout: 0.3)
            h = globalavgpool1d(a)
            """, 6),
        Arguments.of("attention dropout, causal, three heads", sequence, """
            a = multi_head_attention(x, heads: 3, key_dim: 2, causal: true, dropout: 0.5)
            h = flatten(a)
            """, 0),
        Arguments.of("explicit mask", tokens, """
            e = embedding(x, input_dim: 6, output_dim: 4)
            a = multi_head_attention(e, heads: 4, mask: x)
            h = globalavgpool1d(a, mask: x)
            """, 6),
        Arguments.of("encoder block: attention, residuals, layer norms, feed-forward with gelu", tokens, """
            e = embedding(x, input_dim: 6, output_dim: 4, mask_zero: true)
            p = positional_embedding(e)
            a = multi_head_attention(p, heads: 2)
            r = add(p, a)
            n = layer_norm(r)
            f = time_distributed(n, dense(units: 6))
            g = gelu(f)
            o = time_distributed(g, dense(units: 4))
            s = add(n, o)
            m = layer_norm(s)
            h = globalavgpool1d(m)
            """, 6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void backwardMatchesFiniteDifferences(String name, String input, String layers, int vocabulary) {
    RecurrentGradientCheckTest.checkGradients(RecurrentGradientCheckTest.network(input, layers), vocabulary);
  }

  static final String BLOCKS = """
      network Block {
        input x: float[5, 4]
        a = multi_head_attention(x, heads: 2)
        r = add(x, a)
        n = layer_norm(r)
        f = time_distributed(n, dense(units: 6, activation: relu))
        o = time_distributed(f, dense(units: 4))
        s = add(n, o)
        output y = layer_norm(s)
      }
      network Check {
        input x: float[5]
        e = embedding(x, input_dim: 6, output_dim: 4, mask_zero: true)
        p = positional_embedding(e)
        b1 = Block(p, shared: false)
        b2 = Block(b1, shared: false)
        h = globalavgpool1d(b2)
        output y = dense(h, units: 2, activation: tanh)
        train { loss: mean_squared_error  batch: 3 }
      }
      """;

  /** Two encoder blocks declared once, each with parameters of its own, masked through both. */
  @Test
  void encoderBlocksUsedTwiceWithTheirOwnParameters() {
    RecurrentGradientCheckTest.checkGradients(BLOCKS, 6);
    DoubleNetwork net = GeneratedCode.instantiate(BLOCKS, "CheckDouble", 3, DoubleNetwork.class);
    int attention = 4 * 12 + 12 + 4 * 4 + 4;
    int block = attention + 2 * 8 + (4 * 6 + 6) + (6 * 4 + 4);
    assertEquals(6 * 4 + 5 * 4 + 2 * block + (4 * 2 + 2), net.parameterCount(), "two blocks' parameters");
  }

  /** One block used twice with its parameters shared: both uses add to one set of gradients. */
  @Test
  void sharedAttentionGathersBothUses() {
    String shared = BLOCKS.replace(", shared: false", "");
    RecurrentGradientCheckTest.checkGradients(shared, 6);
    DoubleNetwork net = GeneratedCode.instantiate(shared, "CheckDouble", 3, DoubleNetwork.class);
    int attention = 4 * 12 + 12 + 4 * 4 + 4;
    int block = attention + 2 * 8 + (4 * 6 + 6) + (6 * 4 + 4);
    assertEquals(6 * 4 + 5 * 4 + block + (4 * 2 + 2), net.parameterCount(), "one block's parameters");
  }

  /**
   * Padding never reaches the output: with the keys masked and the masked mean, changing the
   * padding id's row of the embedding table changes no prediction .
   */
  @Test
  void paddingRowOfTheTableDoesNotChangePredictions() {
    DoubleNetwork net = GeneratedCode.instantiate(BLOCKS, "CheckDouble", 3, DoubleNetwork.class);
    net.initialize(7);
    double[] inputs = {0, 0, 3, 1, 5, 0, 2, 2, 4, 1, 1, 2, 3, 4, 5};
    double[] before = predictions(net, inputs);
    for (int j = 0; j < 4; j++) {
      net.parameters()[j] += 0.5 + j; // row 0 of e.embeddings: the first parameters
    }
    assertArrayEquals(before, predictions(net, inputs), 0.0);
  }

  /**
   * A sample of padding only: no query may see a key, so attention gives zeros and the masked
   * mean has nothing to average; the prediction is the head's bias alone, never NaN.
   */
  @Test
  void aSampleOfPaddingOnlyPredictsFiniteValues() {
    DoubleNetwork net = GeneratedCode.instantiate(BLOCKS, "CheckDouble", 3, DoubleNetwork.class);
    net.initialize(7);
    net.parameters()[net.parameterCount() - 2] = 0.3; // the output layer's bias
    net.parameters()[net.parameterCount() - 1] = -0.2;
    double[] out = new double[2];
    net.predict(new double[5], 0, out, 0);
    assertArrayEquals(new double[] {Math.tanh(0.3), Math.tanh(-0.2)}, out, 0.0);
  }

  private static double[] predictions(DoubleNetwork net, double[] inputs) {
    double[] out = new double[3 * 2];
    for (int b = 0; b < 3; b++) {
      net.predict(inputs, b * 5, out, b * 2);
    }
    return out;
  }
}
