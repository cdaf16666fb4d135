package dev.nnet.processor.annotation;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.nnet.runtime.Network;
import org.junit.jupiter.api.Test;

/** The second front door: {@code upsampling2d} and {@code conv2d_transpose} from an {@code @Network} type. */
class AnnotatedUpsamplingTest {

  @Test
  void opReachesUpsamplingAndTransposedConvolution() throws Exception {
    String java = AnnotatedNetworkTest.IMPORTS + """
        @Network
        @Train(loss = "binary_crossentropy", batch = 4)
        interface Grow {
          @Input({7, 7, 2}) Layer code();
          @Op(value = "upsampling2d", args = "size: 2") Layer up();
          @Op(value = "conv2d_transpose", args = {"filters: 1", "kernel_size: 3", "strides: 2", "padding: same",
              "activation: sigmoid"}) Layer pixels();
        }
        """;
    Compilation compilation = AnnotatedNetworkTest.compile(java);
    assertThat(compilation).succeededWithoutWarnings();
    String source = AnnotatedNetworkTest.generated(compilation, "demo.GrowModel");
    assertTrue(source.contains("up = upsampling2d(code, size: 2)"), source);
    assertTrue(source.contains("pixels = conv2d_transpose(up, filters: 1, kernel_size: 3, strides: 2, padding: same,"),
        source);
    Network net = AnnotatedNetworkTest.instantiate(compilation, "demo.GrowModel");
    assertEquals(98, net.inputSize());
    assertEquals(28 * 28, net.outputSize());
    assertEquals(3 * 3 * 1 * 2 + 1, net.parameterCount());
  }

  @Test
  void aShapeErrorPointsAtTheMember() {
    String java = AnnotatedNetworkTest.IMPORTS + """
        @Network
        @Train(loss = "mse")
        interface Flat {
          @Input(49) Layer code();
          @Op(value = "conv2d_transpose", args = {"filters: 1", "kernel_size: 3"}) Layer pixels();
        }
        """;
    Compilation compilation = AnnotatedNetworkTest.compile(java);
    AnnotatedNetworkTest.assertNoInternalError(compilation);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(
        "conv2d_transpose expects a rank-3 input [height, width, channels], but 'code' has shape [49]");
  }
}
