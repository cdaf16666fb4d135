package dev.nnet.runtime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InitializerTest {

  @Test
  void glorotStaysWithinLimitAndFillsIt() {
    int fanIn = 784;
    int fanOut = 128;
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    assertEquals(limit, GlorotUniform.limit(fanIn, fanOut), 0);
    float[] values = new float[fanIn * fanOut];
    GlorotUniform.INSTANCE.fill(values, 0, values.length, fanIn, fanOut, 42);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    double sumSquares = 0;
    for (float v : values) {
      assertTrue(Math.abs(v) <= (float) limit, "value " + v + " beyond limit " + limit);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sumSquares += (double) v * v;
    }
    // Uniform on [−a, a): uses (nearly) the whole range, mean 0, variance a²/3.
    assertTrue(min < -0.99 * limit && max > 0.99 * limit);
    assertEquals(0, sum / values.length, 0.01 * limit);
    assertEquals(limit * limit / 3, sumSquares / values.length, 0.02 * limit * limit);
  }

  @Test
  void glorotIsSeededAndFloatMatchesDouble() {
    float[] a = new float[100];
    float[] b = new float[100];
    double[] d = new double[100];
    GlorotUniform.INSTANCE.fill(a, 0, 100, 10, 10, 7);
    GlorotUniform.INSTANCE.fill(b, 0, 100, 10, 10, 7);
    GlorotUniform.INSTANCE.fill(d, 0, 100, 10, 10, 7);
    assertArrayEquals(a, b);
    for (int i = 0; i < 100; i++) {
      assertEquals((float) d[i], a[i]);
    }
    float[] other = new float[100];
    GlorotUniform.INSTANCE.fill(other, 0, 100, 10, 10, 8);
    assertFalse(Arrays.equals(a, other));
  }

  @Test
  void fillRespectsOffsetAndCount() {
    float[] values = new float[10];
    Arrays.fill(values, 9f);
    GlorotUniform.INSTANCE.fill(values, 2, 5, 3, 3, 1);
    assertEquals(9f, values[1]);
    assertEquals(9f, values[7]);
    assertNotEquals(9f, values[2]);
    Zeros.INSTANCE.fill(values, 2, 5, 3, 3, 1);
    assertArrayEquals(new float[] {9, 9, 0, 0, 0, 0, 0, 9, 9, 9}, values);
    double[] doubles = {1, 1, 1};
    Zeros.INSTANCE.fill(doubles, 1, 2, 1, 1, 0);
    assertArrayEquals(new double[] {1, 0, 0}, doubles);
    assertThrows(IllegalArgumentException.class,
        () -> GlorotUniform.INSTANCE.fill(new float[4], 2, 3, 1, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> GlorotUniform.INSTANCE.fill(new float[4], 0, 4, 0, 1, 0));
  }

  @Test
  void seedsDifferPerTensorAndAreStable() {
    long seed = 42;
    Set<Long> seen = new HashSet<>();
    for (String name : new String[] {"hidden.weight", "hidden.bias", "output.weight",
        "output.bias", "a", "b", ""}) {
      assertTrue(seen.add(Seeds.derive(seed, name)), name);
    }
    assertEquals(Seeds.derive(seed, "hidden.weight"), Seeds.derive(seed, "hidden.weight"));
    assertNotEquals(Seeds.derive(1, "x"), Seeds.derive(2, "x"));
    // Pinned value: the derivation must not change between versions or JVMs, or saved seeds
    // would initialise different networks.
    assertEquals(-6748026213041993951L, Seeds.derive(42, "hidden.weight"));
    assertEquals(-703113005537348801L, Seeds.derive(42, 3L));
    float[] first = new float[16];
    float[] second = new float[16];
    GlorotUniform.INSTANCE.fill(first, 0, 16, 4, 4, Seeds.derive(seed, "hidden.weight"));
    GlorotUniform.INSTANCE.fill(second, 0, 16, 4, 4, Seeds.derive(seed, "output.weight"));
    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void seedBitsAreWellMixed() {
    // Flipping one input bit should flip about half the output bits.
    long base = Seeds.derive(0, "w");
    int total = 0;
    for (int bit = 0; bit < 64; bit++) {
      total += Long.bitCount(base ^ Seeds.derive(1L << bit, "w"));
    }
    assertEquals(32, total / 64.0, 4);
  }

  @Test
  void lookupByName() {
    assertSame(GlorotUniform.INSTANCE, Initializers.byName("glorot_uniform"));
    assertSame(Zeros.INSTANCE, Initializers.byName("zeros"));
    assertSame(Ones.INSTANCE, Initializers.byName("ones"));
    assertSame(GlorotUniform.INSTANCE, Initializers.byName("xavier_uniform"));
    assertSame(GlorotNormal.INSTANCE, Initializers.byName("xavier_normal"));
    assertEquals(List.of("glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
        "lecun_normal", "lecun_uniform", "ones", "orthogonal", "xavier_normal", "xavier_uniform",
        "zeros"), Initializers.names());
    for (String name : Initializers.names()) {
      Initializer initializer = Initializers.byName(name);
      // Aliases return the glorot instance, whose name is the Keras name.
      assertEquals(name.replace("xavier", "glorot"), initializer.name());
      assertEquals(initializer.name(), initializer.toString());
    }
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Initializers.byName("uniform"));
    assertEquals("unknown initializer 'uniform'; known initializers are " + Initializers.names(),
        unknown.getMessage());
    IllegalArgumentException constant =
        assertThrows(IllegalArgumentException.class, () -> Initializers.byName("constant"));
    assertTrue(constant.getMessage().contains("needs a value"), constant.getMessage());
    assertTrue(constant.getMessage().contains("new Constant(value)"), constant.getMessage());
  }
}
