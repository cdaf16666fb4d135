package dev.nnet.runtime.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Optimizer} remembers between steps: the number of steps taken so far and a few
 * named {@code float[]} slots of one value per parameter, such as Adam's {@code "m"} and
 * {@code "v"} or SGD's {@code "velocity"}.
 *
 * <p>The slots are allocated once, by {@link Optimizer#newState}, and updated in place by every
 * {@link Optimizer#step}; {@link #slot(String)} returns the live array so a checkpoint can save it
 * and later copy saved values back in (together with {@link #setIterations(long)}).
 *
 * <p>Not thread-safe: one state belongs to one training run.
 */
public final class OptimizerState {

  private final int parameterCount;
  // Parallel arrays rather than a map: an optimizer looks up at most a few slots once per step.
  private final String[] slotNames;
  private final float[][] slots;
  private long iterations;

  /**
   * A state with zero iterations and one zero-filled slot of {@code parameterCount} floats for each
   * name.
   *
   * @throws IllegalArgumentException if {@code parameterCount} is negative or a name is repeated
   */
  public OptimizerState(int parameterCount, String... slotNames) {
    if (parameterCount < 0) {
      throw new IllegalArgumentException(
          "parameter count must be >= 0, but got " + parameterCount);
    }
    this.parameterCount = parameterCount;
    this.slotNames = slotNames.clone();
    this.slots = new float[slotNames.length][];
    for (int i = 0; i < slotNames.length; i++) {
      Objects.requireNonNull(slotNames[i], "slot name");
      for (int j = 0; j < i; j++) {
        if (slotNames[j].equals(slotNames[i])) {
          throw new IllegalArgumentException("slot '" + slotNames[i] + "' is named twice");
        }
      }
      slots[i] = new float[parameterCount];
    }
  }

  /** The number of parameters each slot covers. */
  public int parameterCount() {
    return parameterCount;
  }

  /** The number of optimizer steps taken so far (Adam's t - 1 before a step). */
  public long iterations() {
    return iterations;
  }

  /** Restores the step count, for example from a checkpoint. */
  public void setIterations(long iterations) {
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, but got " + iterations);
    }
    this.iterations = iterations;
  }

  /** Increments the step count and returns the new value (the 1-based number of this step). */
  public long incrementIterations() {
    return ++iterations;
  }

  /** The slot names, in the order the optimizer declared them. */
  public List<String> slotNames() {
    return List.of(slotNames);
  }

  /** Whether a slot of this name exists. */
  public boolean hasSlot(String name) {
    return indexOf(name) >= 0;
  }

  /**
   * The live array of the named slot (not a copy): optimizers update it in place, checkpoints read
   * it or copy saved values into it.
   *
   * @throws IllegalArgumentException if there is no such slot, typically because this state was
   *     created by a different optimizer
   */
  public float[] slot(String name) {
    int index = indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          "optimizer state has no slot '" + name + "' (it has " + Arrays.toString(slotNames)
              + "); was it created by a different optimizer?");
    }
    return slots[index];
  }

  /** Zeroes every slot and the step count, as if freshly created. */
  public void reset() {
    iterations = 0;
    for (float[] slot : slots) {
      Arrays.fill(slot, 0f);
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < slotNames.length; i++) {
      if (slotNames[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Checks that a step's arrays match this state; shared by the optimizers. */
  public void checkStep(float[] parameters, float[] gradients, double learningRate) {
    // A NaN or negative rate from a schedule would silently wreck every parameter.
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a finite number >= 0, but got " + learningRate);
    }
    if (parameters.length != parameterCount || gradients.length != parameterCount) {
      throw new IllegalArgumentException(
          "optimizer state is for " + parameterCount + " parameters, but got "
              + parameters.length + " parameters and " + gradients.length + " gradients");
    }
  }

  @Override
  public String toString() {
    return "OptimizerState(parameters=" + parameterCount + ", iterations=" + iterations
        + ", slots=" + Arrays.toString(slotNames) + ")";
  }
}
