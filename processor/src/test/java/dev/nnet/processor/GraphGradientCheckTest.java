package dev.nnet.processor;

import dev.nnet.runtime.DoubleNetwork;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graph networks against finite differences in double precision: residual connections, a value
 * read by several layers (its gradient gathers every contribution), concat, multiply, reshape.
 */
class GraphGradientCheckTest {

  static Stream<Arguments> graphs() {
    return Stream.of(
        Arguments.of("residual", """
            h = dense(f, units: 6, activation: tanh)
            r = dense(h, units: 6, activation: relu)
            s = add(h, r)
            output y = dense(s, units: 3, activation: softmax)
            """),
        Arguments.of("fan-out into two branches", """
            h = dense(f, units: 5, activation: sigmoid)
            a = dense(h, units: 4, activation: tanh)
            b = dense(h, units: 4, activation: elu)
            c = concat(a, b, h)
            output y = dense(c, units: 3, activation: softmax)
            """),
        Arguments.of("gating by multiply", """
            h = dense(f, units: 5, activation: tanh)
            g = dense(f, units: 5, activation: sigmoid)
            m = multiply(h, g)
            output y = dense(m, units: 3, activation: softmax)
            """),
        Arguments.of("a value added to itself", """
            h = dense(f, units: 4, activation: gelu)
            d = add(h, h, h)
            q = multiply(d, d)
            output y = dense(q, units: 3, activation: softmax)
            """),
        Arguments.of("reshape and concat on the last axis", """
            h = dense(f, units: 6, activation: tanh)
            r = reshape(h, shape: [2, 3])
            s = reshape(f, shape: [2, 3])
            c = concat(r, s)
            k = flatten(c)
            d = dropout(k, rate: 0.25)
            output y = dense(d, units: 3, activation: softmax)
            """),
        Arguments.of("layer normalisation", """
            h = dense(f, units: 5, activation: tanh)
            n = layer_norm(h, epsilon: 0.01)
            output y = dense(n, units: 3, activation: softmax)
            """),
        Arguments.of("batch normalisation, read twice", """
            h = dense(f, units: 5)
            n = batch_norm(h, momentum: 0.9)
            r = relu(n)
            s = add(r, n)
            output y = dense(s, units: 3, activation: softmax)
            """),
        Arguments.of("normalisation over the last axis of a rank-2 value", """
            h = dense(f, units: 6, activation: tanh)
            r = reshape(h, shape: [2, 3])
            b = batch_norm(r)
            l = layer_norm(b)
            k = flatten(l)
            output y = dense(k, units: 3, activation: softmax)
            """),
        Arguments.of("the input read twice", """
            a = dense(f, units: 4, activation: relu)
            b = dense(f, units: 4, activation: tanh)
            s = add(a, b)
            t = swish(s)
            output y = dense(t, units: 3, activation: softmax)
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void backwardMatchesFiniteDifferences(String name, String body) {
    String text = """
        network Check {
          input x: float[2, 3]
          f = flatten(x)
        %s  train { loss: categorical_crossentropy  batch: 3 }
        }
        """.formatted(body.indent(2));
    GradientCheckTest.checkGradients(text, "categorical_crossentropy");
  }

  /** Two inputs side by side in each sample, one read twice, one through a reshape. */
  @org.junit.jupiter.api.Test
  void severalInputsMatchFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input image: float[2, 2]
          input meta: float[2]
          f = flatten(image)
          a = dense(f, units: 4, activation: tanh)
          b = dense(meta, units: 4, activation: sigmoid)
          c = concat(a, b, meta)
          output y = dense(c, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """, "categorical_crossentropy");
  }

  /**
   * A network used as a layer, twice: both uses share its parameters, whose gradient must gather
   * both contributions; batch normalisation inside it shares its statistics too.
   */
  @org.junit.jupiter.api.Test
  void composedNetworksShareTheirParameters() {
    GradientCheckTest.checkGradients("""
        network Block {
          input v: float[6]
          h = dense(v, units: 6, activation: tanh)
          h = batch_norm(h)
          n = layer_norm(h)
          output out = add(n, v)
        }

        network Check {
          input x: float[2, 3]
          f = flatten(x)
          a = Block(f)
          b = Block(a)
          output y = dense(b, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """, "categorical_crossentropy");
  }

  /**
   * {@code shared: false}: each such use of a network has parameters of its own, and a network
   * nested inside it still shares within the use. Pair holds Inner twice (shared, 20 parameters);
   * p and q are Pairs of their own, r and s share one: 3 × 20 + 15 for the classifier.
   */
  @org.junit.jupiter.api.Test
  void unsharedUsesHaveTheirOwnParameters() {
    String text = """
        network Inner {
          input v: float[4]
          output o = dense(v, units: 4, activation: tanh)
        }

        network Pair {
          input v: float[4]
          a = Inner(v)
          output b = Inner(a)
        }

        network Check {
          input x: float[4]
          p = Pair(x, shared: false)
          q = Pair(p, shared: false)
          r = Pair(q)
          s = Pair(r)
          output y = dense(s, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """;
    GradientCheckTest.checkGradients(text, "categorical_crossentropy");
    DoubleNetwork net = GeneratedCode.instantiate(text, "CheckDouble", 3, DoubleNetwork.class);
    org.junit.jupiter.api.Assertions.assertEquals(3 * 20 + 15, net.parameterCount());
  }

  /** Two outputs, one upstream of the other, each with its own loss; the losses add up. */
  @org.junit.jupiter.api.Test
  void severalOutputsMatchFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[2, 3]
          f = flatten(x)
          h = dense(f, units: 5, activation: tanh)
          output first = dense(h, units: 3, activation: softmax)
          g = dense(first, units: 4, activation: relu)
          output second = dense(g, units: 2)
          train { loss: [categorical_crossentropy, mse]  batch: 3 }
        }
        """, "mixed");
  }
}
