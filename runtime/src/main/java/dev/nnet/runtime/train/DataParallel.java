package dev.nnet.runtime.train;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.optim.OptimizerState;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Data-parallel training steps on several threads, deterministic for a given thread count.
 *
 * <p>A batch of {@code count} samples is cut into contiguous slices, one per thread (slice k is
 * samples {@code [k·count/n, (k+1)·count/n)} with n = min(threads, count)). Thread k computes the
 * gradient of its slice's mean loss on replica k ({@link Network#replica()}: the same parameter
 * array, its own gradients and workspaces); thread 0 is the caller, working on the network
 * itself. The slice gradients are then combined into the network's gradient array as
 * Σ<sub>k</sub> (size<sub>k</sub>/count)·g<sub>k</sub>, summed in the fixed order k = 0, 1, … for
 * every element, so the result does not depend on which thread finishes first; each thread
 * combines its own range of elements. Finally the optimizer updates disjoint parameter ranges on
 * all threads ({@link Optimizer#update}), which gives exactly one {@link Optimizer#step}.
 *
 * <p>What differs from one thread: the sums inside each slice's kernels and the combination round
 * differently (a few ulps); dropout draws from one random stream per replica; batch normalisation
 * computes its batch statistics per slice (as PyTorch's {@code DataParallel} without synchronised
 * batch norm), and the running statistics become the size-weighted mean of the replicas' updates.
 *
 * <p>The worker threads spin briefly between phases (a step's phases follow each other within
 * microseconds), then park; nothing is allocated per step. Not thread-safe: one training loop
 * drives it. {@link #close()} stops the workers.
 */
final class DataParallel implements AutoCloseable {

  /** Spin iterations before a waiting worker parks (roughly 50–100 µs). */
  private static final int SPINS_BEFORE_PARKING = 20_000;

  /** Parameter ranges start at multiples of this many floats (a 64-byte cache line). */
  private static final int ALIGNMENT = 16;

  private static final int IDLE = 0;
  private static final int COMPUTE = 1;
  private static final int COMBINE = 2;
  private static final int UPDATE = 3;

  private final Network[] replicas;
  private final float[][] gradients;
  private final float[][] states;
  private final float[] stateBefore;
  private final float[] parameters;
  private final int threads;
  private final int outputWidth;
  private final int inputWidth;
  private final int targetWidth;
  private final float[] outputs;
  private final float[] losses;
  private final float[] sliceWeights;
  private final int[] sliceStart;
  private final int[] sliceCount;
  private final int[] rangeStart;
  private final Worker[] workers;
  /** Bits of {@link #cursor} that count claimed units; the bits above hold the generation. */
  private static final int UNIT_BITS = 20;
  private static final long UNIT_MASK = (1L << UNIT_BITS) - 1;

  /** The current phase's generation (high bits) and how many of its units are claimed. */
  private final AtomicLong cursor = new AtomicLong();
  /** How many units of the current phase are done. */
  private final AtomicInteger completed = new AtomicInteger();
  private final float[][] sliceWeightBuffers;

  // The current phase's inputs, written by the caller before it starts the workers (the volatile
  // generation counter publishes them).
  private float[] batchInputs;
  private float[] batchTargets;
  private float[] batchWeights;
  private int active;
  private Optimizer optimizer;
  private OptimizerState optimizerState;
  private double learningRate;
  private long iteration;

  private volatile int task = IDLE;
  private volatile boolean stopping;
  private volatile Throwable failure;

  /**
   * Replicates {@code net} for {@code threads} threads (the caller and {@code threads − 1}
   * workers, started here).
   *
   * @throws IllegalArgumentException if threads &lt; 2 or the network cannot be replicated
   */
  DataParallel(Network net, int threads) {
    if (threads < 2) {
      throw new IllegalArgumentException("data-parallel training needs 2 or more threads, but got "
          + threads);
    }
    if (!net.replicable()) {
      throw new IllegalArgumentException(net.name() + " cannot be replicated, so it cannot train"
          + " on " + threads + " threads; train it on one thread");
    }
    this.threads = threads;
    this.replicas = new Network[threads];
    this.gradients = new float[threads][];
    this.replicas[0] = net;
    for (int k = 1; k < threads; k++) {
      replicas[k] = net.replica();
      if (replicas[k].parameters() != net.parameters()) {
        throw new IllegalStateException(net.name() + ".replica() must share the parameter array");
      }
    }
    this.states = new float[threads][];
    this.stateBefore = new float[net.state().length];
    for (int k = 0; k < threads; k++) {
      gradients[k] = replicas[k].gradients();
      states[k] = replicas[k].state(); // the default state() makes a new empty array per call
    }
    this.parameters = net.parameters();
    this.outputWidth = net.outputSize();
    this.inputWidth = net.inputSize();
    this.targetWidth = net.targetSize();
    this.outputs = new float[net.batchCapacity() * outputWidth];
    this.losses = new float[threads];
    this.sliceWeights = new float[threads];
    this.sliceStart = new int[threads];
    this.sliceCount = new int[threads];
    this.rangeStart = new int[threads + 1];
    int n = parameters.length;
    for (int k = 0; k <= threads; k++) {
      int start = (int) ((long) n * k / threads);
      rangeStart[k] = k == threads ? n : Math.min(n, start / ALIGNMENT * ALIGNMENT);
    }
    this.sliceWeightBuffers = new float[threads][net.batchCapacity()];
    this.workers = new Worker[threads - 1];
    for (int k = 1; k < threads; k++) {
      workers[k - 1] = new Worker(k, net.name());
      workers[k - 1].start();
    }
  }

  int threads() {
    return threads;
  }

  /** Seeds the dropout streams: the network with {@code seed}, replica k with a seed derived from it. */
  void seedTraining(long seed) {
    replicas[0].seedTraining(seed);
    for (int k = 1; k < threads; k++) {
      replicas[k].seedTraining(dev.nnet.runtime.init.Seeds.derive(seed, k));
    }
  }

  /**
   * The gradient of the mean loss of {@code count} samples (from index 0 of the arrays) into the
   * network's {@link Network#gradients()}, computed slice by slice on all threads.
   *
   * @return the mean loss over the batch
   */
  float computeGradients(float[] inputs, float[] targets, float[] weights, int count) {
    this.batchInputs = inputs;
    this.batchTargets = targets;
    this.batchWeights = weights;
    int n = Math.min(threads, count);
    this.active = n;
    for (int k = 0; k < threads; k++) {
      int start = k < n ? (int) ((long) count * k / n) : count;
      int end = k < n ? (int) ((long) count * (k + 1) / n) : count;
      sliceStart[k] = start;
      sliceCount[k] = end - start;
      sliceWeights[k] = (float) (end - start) / count;
    }
    float[] state = states[0];
    if (state.length > 0) {
      System.arraycopy(state, 0, stateBefore, 0, state.length);
      for (int k = 1; k < n; k++) {
        System.arraycopy(state, 0, states[k], 0, state.length);
      }
    }
    run(COMPUTE);
    if (state.length > 0) {
      combineState(state, n);
    }
    run(COMBINE);
    double loss = 0;
    for (int k = 0; k < n; k++) {
      loss += (double) sliceWeights[k] * losses[k];
    }
    return (float) loss;
  }

  /**
   * The running statistics after a step: the value before it plus the size-weighted mean of every
   * replica's change. A value no replica changed (fitted preprocessing statistics, say) stays
   * exactly as it was.
   */
  private void combineState(float[] state, int n) {
    for (int i = 0; i < state.length; i++) {
      float before = stateBefore[i];
      float change = sliceWeights[0] * (state[i] - before);
      for (int k = 1; k < n; k++) {
        change += sliceWeights[k] * (states[k][i] - before);
      }
      state[i] = before + change;
    }
  }

  /**
   * The training outputs of the last {@link #computeGradients} call, gathered from the slices:
   * {@code count × outputSize()} floats from index 0.
   */
  float[] trainingOutputs() {
    return outputs;
  }

  /**
   * One optimizer step over the network's parameters from its gradients: split into parameter
   * ranges over all threads when the optimizer {@linkplain Optimizer#updatesElementwise() allows
   * it}, else on the calling thread.
   */
  void step(Optimizer optimizer, OptimizerState state, double learningRate) {
    if (!optimizer.updatesElementwise()) {
      optimizer.step(parameters, gradients[0], state, learningRate);
      return;
    }
    state.checkStep(parameters, gradients[0], learningRate);
    this.optimizer = optimizer;
    this.optimizerState = state;
    this.learningRate = learningRate;
    this.iteration = state.incrementIterations();
    run(UPDATE);
  }

  /**
   * Runs the {@code threads} units of {@code phase} (unit k: slice k or parameter range k) and
   * returns when all are done. Every thread, the caller included, claims units until none is
   * left, so a worker that the operating system has not scheduled yet delays nothing: the caller
   * does its unit too. Unit k always does the same work on the same replica, whoever runs it, so
   * the result does not depend on the claiming.
   */
  private void run(int phase) {
    completed.set(0);
    task = phase;
    long generation = (cursor.get() >>> UNIT_BITS) + 1;
    cursor.set(generation << UNIT_BITS); // publishes the phase's inputs to the workers
    for (Worker worker : workers) {
      if (worker.parked) {
        LockSupport.unpark(worker);
      }
    }
    claimUnits(generation, phase);
    int spins = 0;
    while (completed.get() < threads) {
      if (++spins < SPINS_BEFORE_PARKING) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    Throwable failed = failure;
    if (failed != null) {
      failure = null;
      if (failed instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failed instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a training thread failed: " + failed, failed);
    }
  }

  /** Claims and runs units of {@code generation}'s phase until none is left. */
  private void claimUnits(long generation, int phase) {
    while (true) {
      long current = cursor.get();
      if ((current >>> UNIT_BITS) != generation) {
        return; // a later phase has begun: this one is complete
      }
      int unit = (int) (current & UNIT_MASK);
      if (unit >= threads) {
        return;
      }
      if (cursor.compareAndSet(current, current + 1)) {
        try {
          work(unit, phase);
        } catch (Throwable t) {
          failure = t;
        }
        completed.incrementAndGet();
      }
    }
  }

  /** Thread {@code k}'s share of {@code phase}. */
  private void work(int k, int phase) {
    switch (phase) {
      case COMPUTE -> {
        if (k < active) {
          int start = sliceStart[k];
          int count = sliceCount[k];
          Network replica = replicas[k];
          losses[k] = batchWeights == null
              ? replica.computeGradients(batchInputs, start * inputWidth, batchTargets,
                  start * targetWidth, count)
              : replica.computeGradients(batchInputs, start * inputWidth, batchTargets,
                  start * targetWidth, slice(k), count);
          System.arraycopy(replica.trainingOutputs(), 0, outputs, start * outputWidth,
              count * outputWidth);
        }
      }
      case COMBINE -> combine(rangeStart[k], rangeStart[k + 1]);
      case UPDATE -> optimizer.update(parameters, gradients[0], optimizerState, learningRate,
          iteration, rangeStart[k], rangeStart[k + 1]);
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
  }

  /** Sample weights of slice k, moved to the front of a per-replica buffer. */
  private float[] slice(int k) {
    if (k == 0) {
      return batchWeights;
    }
    float[] buffer = sliceWeightBuffers[k];
    System.arraycopy(batchWeights, sliceStart[k], buffer, 0, sliceCount[k]);
    return buffer;
  }

  /** gradient[i] = Σ_k weight_k · g_k[i] for i in [from, to), summed in the order k = 0, 1, …. */
  private void combine(int from, int to) {
    final float[] total = gradients[0];
    final float w0 = sliceWeights[0];
    if (active == 2) {
      final float[] g1 = gradients[1];
      final float w1 = sliceWeights[1];
      for (int i = from; i < to; i++) {
        total[i] = w0 * total[i] + w1 * g1[i];
      }
      return;
    }
    for (int i = from; i < to; i++) {
      total[i] *= w0;
    }
    for (int k = 1; k < active; k++) {
      final float[] g = gradients[k];
      final float w = sliceWeights[k];
      for (int i = from; i < to; i++) {
        total[i] += w * g[i];
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    for (Worker worker : workers) {
      LockSupport.unpark(worker);
    }
    for (Worker worker : workers) {
      boolean interrupted = false;
      while (worker.isAlive()) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A worker: waits for a phase, then claims and runs its units like the caller does. */
  private final class Worker extends Thread {
    private volatile boolean parked;

    Worker(int index, String network) {
      super("nnet-train-" + network + "-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (true) {
        int spins = 0;
        long generation;
        while ((generation = cursor.get() >>> UNIT_BITS) == seen && !stopping) {
          if (++spins < SPINS_BEFORE_PARKING) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if ((cursor.get() >>> UNIT_BITS) == seen && !stopping) {
              LockSupport.park(this);
            }
            parked = false;
          }
        }
        if (stopping) {
          return;
        }
        seen = generation;
        // The task field was written before the cursor published this generation.
        claimUnits(generation, task);
      }
    }
  }
}
