package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.math.FloatExp;
import java.lang.reflect.Method;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code Simd.sigmoid} and {@code Simd.tanh} of a recurrent network give, lane for
 * lane and in the scalar tail, the same bits as {@link FloatExp#sigmoid} and {@link FloatExp#tanh},
 * which the scalar classes call: over ordinary values, the ends of the exponential's range,
 * subnormals, zeros, infinities and NaN, for ranges that start and end anywhere in a vector.
 */
class VectorExpTest {
  private static final String NETWORK = """
      network Cells {
        input x: float[4, 3]
        h = lstm(x, units: 24)
        output y = dense(h, units: 1)
        train { loss: mean_squared_error  batch: 4 }
      }
      """;

  private static Method simd(String name) throws Exception {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("cells.nnet", NETWORK, "gen", new NnetCompiler.Options(false, true)));
    assertTrue(loader.loadClass("gen.Cells").getField("VECTOR").getBoolean(null),
        "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
    Method method = loader.loadClass("gen.Cells$Simd").getDeclaredMethod(name, float[].class, int.class, int.class);
    method.setAccessible(true);
    return method;
  }

  /** Values from everywhere: random in ±30 and ±120, the clamps, specials. */
  private static float[] values() {
    float[] special = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 44.36142f, 44.36141f,
        -43.668f, -51.98f, -52f, 52f, 87.33655f, -87.33655f, 88.72284f, -88.72284f, 103.97f, -103.97f, 104f, -104f,
        1e-8f, -1e-8f, 0.34657359f, -0.34657359f};
    SplittableRandom random = new SplittableRandom(7);
    float[] values = new float[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < special.length ? special[i]
          : (float) (i % 2 == 0 ? random.nextDouble(-30, 30) : random.nextDouble(-120, 120));
    }
    return values;
  }

  private static void check(String name, UnaryOperator<Float> scalar) throws Exception {
    Method method = simd(name);
    float[] values = values();
    // Whole vectors and tails; ranges starting off any vector boundary.
    for (int[] range : new int[][] {{0, values.length}, {3, 3 + 37}, {1, 2}, {5, 5}, {7, values.length - 9}}) {
      float[] a = values.clone();
      method.invoke(null, a, range[0], range[1]);
      for (int i = 0; i < a.length; i++) {
        float expected = i >= range[0] && i < range[1] ? scalar.apply(values[i]) : values[i];
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(a[i]),
            () -> name + " of " + values[0] + " over " + range[0] + ".." + range[1]);
        if (i >= range[0] && i < range[1] && Float.isNaN(values[i])) {
          assertTrue(Float.isNaN(a[i]));
        }
      }
    }
  }

  @Test
  void simdSigmoidIsFloatExpSigmoidBitForBit() throws Exception {
    check("sigmoid", FloatExp::sigmoid);
  }

  @Test
  void simdTanhIsFloatExpTanhBitForBit() throws Exception {
    check("tanh", FloatExp::tanh);
  }
}
