package dev.nnet.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * The generator's own two forms of a convolution, per shape: its im2col methods (patch copy, then
 * {@code Simd.<name>Forward}; {@code Simd.<name>Backward} over the patch matrix) against its direct
 * ones ({@code Simd.<name>ForwardDirect}, {@code Simd.<name>BackwardDirect}), called through
 * method handles on the generated classes, interleaved in one JVM, batch 32, medians over rounds.
 * A generated class carries both forms (the im2col one serves other vector widths), so this
 * measures exactly what the rule in {@code DirectConvolutionKernel.form} chooses between.
 *
 * <p>Shapes: W4's two convolutions ({@link MnistCnn}) and those of the wider mnist-cnn
 * configuration ({@link MnistCnnWide}: 28×28×1 → 26×26×32 and 13×13×32 → 11×11×64). Each pair is
 * first checked to give the same outputs and kernel gradients. Needs 16-float vectors (AVX-512).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/classes:... dev.nnet.bench.GeneratedConvolutionProbe [rounds]}
 */
public final class GeneratedConvolutionProbe {
  private static final int BATCH = 32;

  /** One convolution of a generated class, with buffers for a batch. */
  private static final class Conv {
    final String label;
    final MethodHandle patchesCopy;
    final MethodHandle forward;
    final MethodHandle forwardDirect;
    final MethodHandle backward;
    final MethodHandle backwardDirect;
    final int positions;
    final int filters;
    final float[] p;
    final float[] g;
    final float[] x;
    final float[] patches;
    final float[] y;
    final float[] dy;
    final float[] dyCopy;
    final float[] pairs;

    Conv(Class<?> type, String name, String label, int parameters) throws ReflectiveOperationException {
      this.label = label;
      String prefix = name.toUpperCase(java.util.Locale.ROOT);
      Class<?> simd = Class.forName(type.getName() + "$Simd");
      patchesCopy = handle(type, name + "Patches");
      forward = handle(simd, name + "Forward");
      forwardDirect = handle(simd, name + "ForwardDirect");
      backward = handle(simd, name + "Backward");
      backwardDirect = handle(simd, name + "BackwardDirect");
      positions = type.getField(prefix + "_POSITIONS").getInt(null);
      filters = type.getField(prefix + "_FILTERS").getInt(null);
      int patch = type.getField(prefix + "_PATCH").getInt(null);
      int inputSize = type.getField(prefix + "_INPUT_SIZE").getInt(null);
      p = new float[parameters];
      g = new float[parameters];
      x = new float[BATCH * inputSize];
      patches = new float[BATCH * positions * patch];
      y = new float[BATCH * positions * filters];
      dy = new float[y.length];
      dyCopy = new float[y.length];
      pairs = new float[(patch + 1) * 2 * filters];
      SplittableRandom random = new SplittableRandom(name.hashCode() + parameters);
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) (random.nextDouble() - 0.5) * 0.5f;
      }
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.max(0, random.nextDouble() - 0.3);
      }
      for (int i = 0; i < dy.length; i++) {
        dyCopy[i] = (float) (random.nextDouble() - 0.5);
      }
    }

    void im2colForward() throws Throwable {
      patchesCopy.invokeExact(x, 0, patches, BATCH);
      forward.invokeExact(p, patches, 0, y, BATCH * positions, pairs);
    }

    void directForward() throws Throwable {
      forwardDirect.invokeExact(p, x, 0, y, BATCH, pairs);
    }

    /** The kernel gradient over the patch matrix the forward wrote (dy is masked in place: a fresh copy). */
    void im2colKernelGradient() throws Throwable {
      System.arraycopy(dyCopy, 0, dy, 0, dy.length);
      backward.invokeExact(p, g, patches, 0, y, dy, BATCH * positions, pairs);
    }

    void directKernelGradient() throws Throwable {
      System.arraycopy(dyCopy, 0, dy, 0, dy.length);
      backwardDirect.invokeExact(p, g, x, 0, y, dy, BATCH, pairs);
    }

    /** Both forms give the same outputs and kernel and bias gradients (to float rounding). */
    void check() throws Throwable {
      im2colForward();
      float[] yReference = y.clone();
      Arrays.fill(y, 0);
      directForward();
      report(label + " forward", difference(yReference, y));
      im2colForward();
      im2colKernelGradient();
      float[] gReference = g.clone();
      Arrays.fill(g, 0);
      directKernelGradient();
      report(label + " kernel+bias gradient", difference(gReference, g));
    }
  }

  private GeneratedConvolutionProbe() {}

  private static MethodHandle handle(Class<?> type, String name) throws IllegalAccessException {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        m.setAccessible(true);
        return MethodHandles.lookup().unreflect(m);
      }
    }
    throw new IllegalStateException("no method " + type.getName() + "." + name);
  }

  private static double difference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
    }
    return worst;
  }

  private static void report(String what, double difference) {
    System.out.printf("check %-52s largest relative difference %.2e%n", what, difference);
    if (!(difference < 1e-4)) {
      throw new AssertionError(what + ": the direct and im2col methods disagree");
    }
  }

  private interface Task {
    void run() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    if (FloatVector.SPECIES_PREFERRED.length() != 16) {
      System.out.println("the direct methods are used with 16-float vectors only; this JVM has "
          + FloatVector.SPECIES_PREFERRED.length());
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<Conv> convs = List.of(
        new Conv(MnistCnn.class, "c1", "W4 28×28×1 → 26×26×8", MnistCnn.PARAMETER_COUNT),
        new Conv(MnistCnn.class, "c2", "W4 13×13×8 → 11×11×16", MnistCnn.PARAMETER_COUNT),
        new Conv(MnistCnnWide.class, "c1", "wide 28×28×1 → 26×26×32", MnistCnnWide.PARAMETER_COUNT),
        new Conv(MnistCnnWide.class, "c2", "wide 13×13×32 → 11×11×64", MnistCnnWide.PARAMETER_COUNT));
    for (Conv conv : convs) {
      conv.check();
    }
    List<String> names = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    for (Conv conv : convs) {
      names.add(conv.label + "  forward  im2col");
      tasks.add(conv::im2colForward);
      names.add(conv.label + "  forward  direct");
      tasks.add(conv::directForward);
      names.add(conv.label + "  kernel gradient  im2col");
      tasks.add(conv::im2colKernelGradient);
      names.add(conv.label + "  kernel gradient  direct");
      tasks.add(conv::directKernelGradient);
    }
    // Warm-up: every method until C2 has compiled it.
    for (int i = 0; i < 1500; i++) {
      for (Task task : tasks) {
        task.run();
      }
    }
    int calls = 40;
    double[][] micros = new double[tasks.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int t = 0; t < tasks.size(); t++) {
        int which = (t + r) % tasks.size(); // rotate the order, so drift hits every variant
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          tasks.get(which).run();
        }
        micros[which][r] = (System.nanoTime() - start) / 1e3 / calls;
      }
    }
    System.out.println("µs per batch of 32 (median of " + rounds + " rounds of " + calls + " calls; min, max);"
        + " the im2col forward includes the patch copy:");
    for (int t = 0; t < tasks.size(); t++) {
      double[] sorted = micros[t].clone();
      Arrays.sort(sorted);
      System.out.printf("%-52s %9.1f   (%.1f, %.1f)%n", names.get(t), sorted[rounds / 2], sorted[0],
          sorted[rounds - 1]);
    }
  }
}
