package dev.nnet.processor;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolutions, pools, spatial dropout and batch normalisation over images: the generated
 * backward pass against central finite differences in double precision (see
 * {@link GradientCheckTest#checkGradients}). A layer with parameters sits before each layer under
 * test wherever possible, so the input gradient it propagates is checked too.
 */
class ConvolutionGradientCheckTest {

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of("conv 3x3 valid relu, max pool", "[6, 6, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 3, activation: relu)
            m = maxpool2d(c, pool_size: 2)
            k = conv2d(m, filters: 2, kernel_size: 1)
            f = flatten(k)"""),
        Arguments.of("conv 3x3 valid over 8 channels (the direct input gradient's shapes)", "[7, 7, 1]", """
            c = conv2d(x, filters: 8, kernel_size: 3, activation: relu)
            k = conv2d(c, filters: 3, kernel_size: 3, activation: tanh)
            f = flatten(k)"""),
        Arguments.of("conv strides 2 same tanh, conv after", "[7, 6, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 3, strides: 2, padding: same, activation: tanh)
            k = conv2d(c, filters: 2, kernel_size: [2, 3], padding: same)
            f = flatten(k)"""),
        Arguments.of("dilation 2 same, valid dilation", "[7, 7, 1]", """
            c = conv2d(x, filters: 2, kernel_size: 3, dilation: 2, padding: same, activation: sigmoid)
            k = conv2d(c, filters: 2, kernel_size: [2, 2], dilation: [2, 1], activation: elu)
            f = flatten(k)"""),
        Arguments.of("rectangular kernel, strides, no bias, regularized", "[6, 7, 3]", """
            c = conv2d(x, filters: 4, kernel_size: [2, 3], strides: [1, 2], use_bias: false, kernel_regularizer: l2(0.05))
            k = conv2d(c, filters: 2, kernel_size: 2, bias_regularizer: l1(0.02))
            f = flatten(k)"""),
        Arguments.of("swish conv (keeps its linear values)", "[5, 5, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 2, activation: swish)
            k = conv2d(c, filters: 2, kernel_size: 2, activation: gelu)
            f = flatten(k)"""),
        Arguments.of("average pool same, pool 3 strides 2", "[7, 6, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 2, padding: same)
            a = avgpool2d(c, pool_size: 3, strides: 2, padding: same)
            f = flatten(a)"""),
        Arguments.of("max pool same, pool [2, 3] strides 1", "[5, 6, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 2)
            a = maxpool2d(c, pool_size: [2, 3], strides: 1, padding: same)
            f = flatten(a)"""),
        Arguments.of("average pool valid, does not divide", "[7, 7, 1]", """
            c = conv2d(x, filters: 2, kernel_size: 2)
            a = avgpool2d(c, pool_size: 2)
            f = flatten(a)"""),
        Arguments.of("global average pool", "[5, 4, 2]", """
            c = conv2d(x, filters: 4, kernel_size: 2, activation: tanh)
            f = globalavgpool2d(c)"""),
        Arguments.of("global max pool", "[5, 4, 2]", """
            c = conv2d(x, filters: 4, kernel_size: 2, activation: tanh)
            f = globalmaxpool2d(c)"""),
        Arguments.of("conv1d strides, same, dilation", "[9, 2]", """
            c = conv1d(x, filters: 3, kernel_size: 3, strides: 2, padding: same, activation: relu)
            k = conv1d(c, filters: 2, kernel_size: 2, dilation: 2)
            f = flatten(k)"""),
        Arguments.of("spatial dropout (one mask per evaluation)", "[5, 5, 2]", """
            c = conv2d(x, filters: 4, kernel_size: 2, activation: tanh)
            s = spatial_dropout2d(c, rate: 0.4)
            k = conv2d(s, filters: 2, kernel_size: 2)
            f = flatten(k)"""),
        Arguments.of("batch norm over the channels of an image", "[5, 5, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 2)
            n = batch_norm(c)
            r = relu(n)
            k = conv2d(r, filters: 2, kernel_size: 2)
            f = flatten(k)"""),
        Arguments.of("the direct forward's shapes: 8 filters over an even width, then 16 and 32 filters",
            "[8, 8, 1]", """
            c = conv2d(x, filters: 8, kernel_size: 3, activation: relu)
            k = conv2d(c, filters: 16, kernel_size: 3, activation: tanh)
            j = conv2d(c, filters: 32, kernel_size: [2, 3], strides: [1, 2], use_bias: false)
            g = flatten(k)
            h = flatten(j)
            f = concat(g, h)"""),
        Arguments.of("conv1d with 8 filters (direct pairs) and 16 filters, strides 2", "[12, 1]", """
            c = conv1d(x, filters: 8, kernel_size: 3, activation: swish)
            k = conv1d(c, filters: 16, kernel_size: 3, strides: 2)
            f = flatten(k)"""),
        Arguments.of("one tensor read by two convolutions", "[5, 5, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 3, padding: same, activation: tanh)
            k = conv2d(c, filters: 3, kernel_size: 3, padding: same)
            j = conv2d(c, filters: 3, kernel_size: 1)
            s = add(c, k, j)
            m = maxpool2d(s, pool_size: 2)
            f = flatten(m)"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void backwardMatchesFiniteDifferences(String name, String shape, String body) {
    String text = """
        network Check {
          input x: float%s
        %s
          output y = dense(f, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """.formatted(shape, body.indent(2));
    GradientCheckTest.checkGradients(text, "categorical_crossentropy");
  }
}
