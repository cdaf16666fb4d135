package dev.nnet.runtime.compose;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.optim.OptimizerState;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Adversarial training of a generator and a discriminator, declared as two networks plus the
 * network that stacks them:
 *
 * <pre>{@code
 * network DigitsGan {
 *     input noise: float[64]
 *     fake = Generator(noise)
 *     output realness = Discriminator(fake)
 *     train { loss: binary_crossentropy }
 * }
 * }</pre>
 *
 * The compiler checks the stack: the generator's output must have the discriminator's input
 * shape. {@link #of} checks the rest: the stack holds the generator's parameters (and running
 * statistics), then the discriminator's, with the same shapes; the discriminator gives one value; the stack and the
 * discriminator use the same loss.
 *
 * <p>A step alternates two updates, each with the optimizer of its own network's train block:
 *
 * <ul>
 *   <li>{@link #discriminatorStep}: the discriminator learns to tell a batch of real samples
 *       (target {@link #realLabel}, 0.9 by default: one-sided label smoothing) from as many
 *       generated ones (target 0).
 *   <li>{@link #generatorStep}: the stack, holding the discriminator's current parameters, runs
 *       noise through both and back with target 1 (for {@code binary_crossentropy}, the
 *       non-saturating generator loss; for {@code mse}, the least-squares GAN). The gradient
 *       flows through the discriminator into the generator, and only the generator's parameters
 *       are updated: the discriminator is frozen, its parameters not even written.
 * </ul>
 *
 * <p>Not thread-safe. Allocates its buffers once, in {@link #of}.
 */
public final class Gan {
  private final Network generator;
  private final Network discriminator;
  private final Network stack;
  private final int generatorCount;
  private final Optimizer generatorOptimizer;
  private final Optimizer discriminatorOptimizer;
  private final OptimizerState generatorState;
  private final OptimizerState discriminatorState;
  private final int discriminatorBatch;
  private final int generatorBatch;
  private final float[] noise;
  private final float[] samples;
  private final float[] mixed;
  private final float[] mixedTargets;
  private final float[] ones;
  private float realLabel = 0.9f;

  private Gan(Network generator, Network discriminator, Network stack) {
    this.generator = generator;
    this.discriminator = discriminator;
    this.stack = stack;
    this.generatorCount = generator.parameterCount();
    this.generatorOptimizer = generator.trainingConfig().optimizer();
    this.discriminatorOptimizer = discriminator.trainingConfig().optimizer();
    this.generatorState = generatorOptimizer.newState(generator.parameterCount());
    this.discriminatorState = discriminatorOptimizer.newState(discriminator.parameterCount());
    // Half of each discriminator batch is real, half generated.
    this.discriminatorBatch = Math.max(1, Math.min(discriminator.batchCapacity(), discriminator.trainingConfig().batchSize()) / 2);
    this.generatorBatch = Math.min(stack.batchCapacity(), stack.trainingConfig().batchSize());
    int most = Math.max(discriminatorBatch, generatorBatch);
    this.noise = new float[most * generator.inputSize()];
    this.samples = new float[most * generator.outputSize()];
    this.mixed = new float[2 * discriminatorBatch * discriminator.inputSize()];
    this.mixedTargets = new float[2 * discriminatorBatch];
    this.ones = new float[generatorBatch];
    java.util.Arrays.fill(ones, 1f);
  }

  /**
   * Wires a generator, a discriminator and the network that stacks them ({@code fake =
   * Generator(noise)}, then {@code output realness = Discriminator(fake)}). Copies the
   * generator's and discriminator's parameters into the stack.
   *
   * @throws IllegalArgumentException if the three do not fit together; the message says how
   */
  public static Gan of(Network generator, Network discriminator, Network stack) {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(discriminator, "discriminator");
    Objects.requireNonNull(stack, "stack");
    if (discriminator.outputSize() != 1) {
      throw new IllegalArgumentException("the discriminator " + discriminator.name()
          + " must give one value per sample (a probability or a logit), but gives " + discriminator.outputSize());
    }
    if (generator.outputSize() != discriminator.inputSize()) {
      throw new IllegalArgumentException("the generator " + generator.name() + " gives " + generator.outputSize()
          + " values per sample, but the discriminator " + discriminator.name() + " reads " + discriminator.inputSize());
    }
    if (stack.inputSize() != generator.inputSize() || stack.outputSize() != 1) {
      throw new IllegalArgumentException(stack.name() + " must read the generator's noise (" + generator.inputSize()
          + " values) and give the discriminator's one value, but reads " + stack.inputSize() + " and gives "
          + stack.outputSize() + "; declare it as 'fake = " + generator.name() + "(noise)' then 'output realness = "
          + discriminator.name() + "(fake)'");
    }
    checkLayout(stack, generator, 0, "generator");
    checkLayout(stack, discriminator, generator.parameterTensors().size(), "discriminator");
    checkStateLayout(stack, generator, 0, "generator");
    checkStateLayout(stack, discriminator, generator.stateTensors().size(), "discriminator");
    if (stack.parameterTensors().size() != generator.parameterTensors().size() + discriminator.parameterTensors().size()) {
      throw new IllegalArgumentException(stack.name() + " has parameters besides the generator's and the discriminator's");
    }
    if (stack.loss().getClass() != discriminator.loss().getClass()) {
      throw new IllegalArgumentException(stack.name() + "'s loss (" + stack.loss() + ") differs from the discriminator "
          + discriminator.name() + "'s (" + discriminator.loss() + "): the two steps must train against one loss");
    }
    Gan gan = new Gan(generator, discriminator, stack);
    gan.copyIntoStack(generator, 0);
    gan.copyIntoStack(discriminator, gan.generatorCount);
    System.arraycopy(generator.state(), 0, stack.state(), 0, generator.state().length);
    System.arraycopy(discriminator.state(), 0, stack.state(), generator.state().length, discriminator.state().length);
    return gan;
  }

  /** The stack's tensors from {@code first} on are {@code part}'s, in order, with their shapes. */
  private static void checkLayout(Network stack, Network part, int first, String role) {
    List<ParameterTensor> whole = stack.parameterTensors();
    List<ParameterTensor> own = part.parameterTensors();
    int base = first < whole.size() ? whole.get(first).offset() : stack.parameterCount();
    for (int k = 0; k < own.size(); k++) {
      ParameterTensor mine = own.get(k);
      ParameterTensor theirs = first + k < whole.size() ? whole.get(first + k) : null;
      if (theirs == null || !theirs.shape().equals(mine.shape()) || !theirs.name().endsWith("_" + mine.name())
          || theirs.offset() - base != mine.offset()) {
        throw new IllegalArgumentException(stack.name() + " does not hold the " + role + " " + part.name()
            + "'s tensor '" + mine.name() + "' " + mine.shape() + " where expected (found "
            + (theirs == null ? "nothing" : "'" + theirs.name() + "' " + theirs.shape()) + "); declare it as"
            + " 'fake = Generator(noise)' then 'output realness = Discriminator(fake)', with no other layers");
      }
    }
  }

  /** As {@link #checkLayout}, for the running statistics of batch_norm layers. */
  private static void checkStateLayout(Network stack, Network part, int first, String role) {
    List<ParameterTensor> whole = stack.stateTensors();
    List<ParameterTensor> own = part.stateTensors();
    int base = first < whole.size() ? whole.get(first).offset() : stack.state().length;
    for (int k = 0; k < own.size(); k++) {
      ParameterTensor mine = own.get(k);
      ParameterTensor theirs = first + k < whole.size() ? whole.get(first + k) : null;
      if (theirs == null || !theirs.shape().equals(mine.shape()) || !theirs.name().endsWith("_" + mine.name())
          || theirs.offset() - base != mine.offset()) {
        throw new IllegalArgumentException(stack.name() + " does not hold the " + role + " " + part.name()
            + "'s running statistics '" + mine.name() + "' where expected");
      }
    }
  }

  /** The target for real samples in the discriminator's step; 1 for no smoothing. */
  public Gan realLabel(float label) {
    if (!(label > 0.5f && label <= 1f)) {
      throw new IllegalArgumentException("the real label must be above 0.5 and at most 1, but got " + label);
    }
    this.realLabel = label;
    return this;
  }

  public float realLabel() {
    return realLabel;
  }

  /** Samples per step: real and generated ones each in the discriminator's step, and in the generator's. */
  public int discriminatorBatch() {
    return discriminatorBatch;
  }

  public int generatorBatch() {
    return generatorBatch;
  }

  /**
   * One update of the discriminator on {@link #discriminatorBatch()} real samples read from
   * {@code reals} at {@code offset} and as many generated from fresh noise.
   *
   * @return the discriminator's mean loss on the batch, before the update
   */
  public float discriminatorStep(float[] reals, int offset, SplittableRandom random) {
    int n = discriminatorBatch;
    int width = discriminator.inputSize();
    if (offset < 0 || offset + (long) n * width > reals.length) {
      throw new IllegalArgumentException("a discriminator step reads " + n + " real samples of " + width
          + " values at " + offset + ", but reals holds " + reals.length + " values");
    }
    generate(n, random);
    System.arraycopy(reals, offset, mixed, 0, n * width);
    System.arraycopy(samples, 0, mixed, n * width, n * width);
    for (int i = 0; i < n; i++) {
      mixedTargets[i] = realLabel;
      mixedTargets[n + i] = 0f;
    }
    float loss = discriminator.computeGradients(mixed, 0, mixedTargets, 0, 2 * n);
    discriminatorOptimizer.step(discriminator.parameters(), discriminator.gradients(), discriminatorState,
        discriminatorOptimizer.learningRate());
    discriminator.applyConstraints();
    copyIntoStack(discriminator, generatorCount);
    // The discriminator's running statistics moved with this batch: the stack uses them too.
    System.arraycopy(discriminator.state(), 0, stack.state(), generator.state().length, discriminator.state().length);
    return loss;
  }

  /**
   * One update of the generator through the frozen discriminator, on {@link #generatorBatch()}
   * fresh noise vectors with target 1.
   *
   * @return the generator's mean loss on the batch, before the update
   */
  public float generatorStep(SplittableRandom random) {
    fillNoise(generatorBatch, random);
    float loss = stack.computeGradients(noise, 0, ones, 0, generatorBatch);
    System.arraycopy(stack.gradients(), 0, generator.gradients(), 0, generatorCount);
    generatorOptimizer.step(generator.parameters(), generator.gradients(), generatorState,
        generatorOptimizer.learningRate());
    generator.applyConstraints();
    copyIntoStack(generator, 0);
    // The generator's running statistics moved in the stack's training pass; the discriminator's
    // moved there too, but only in the stack: they are restored from the discriminator.
    System.arraycopy(stack.state(), 0, generator.state(), 0, generator.state().length);
    System.arraycopy(discriminator.state(), 0, stack.state(), generator.state().length, discriminator.state().length);
    return loss;
  }

  /**
   * Generates {@code count} samples from fresh standard normal noise into {@code out}.
   */
  public void generate(int count, SplittableRandom random, float[] out) {
    float[] z = new float[count * generator.inputSize()];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) gaussian(random);
    }
    generator.predictBatch(z, 0, out, 0, count);
  }

  private void generate(int count, SplittableRandom random) {
    fillNoise(count, random);
    generator.predictBatch(noise, 0, samples, 0, count);
  }

  private void fillNoise(int count, SplittableRandom random) {
    for (int i = 0; i < count * generator.inputSize(); i++) {
      noise[i] = (float) gaussian(random);
    }
  }

  private void copyIntoStack(Network part, int at) {
    System.arraycopy(part.parameters(), 0, stack.parameters(), at, part.parameterCount());
  }

  /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
