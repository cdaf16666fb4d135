package dev.nnet.processor.autodiff;

import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode differentiation over the network's graph: which gradients the backward pass
 * computes, in which order, and where a gradient receives several contributions. Each op's
 * backward rule (the arithmetic) sits beside its forward rule in {@code codegen}; this plan
 * decides where gradients flow.
 *
 * <p>A value needs a gradient only if it, or something it was computed from, has parameters:
 * the first dense layer never computes the gradient with respect to the network input. Steps run
 * from the output back; when a value feeds several layers, the first contribution to its gradient
 * is written and the later ones are added, so no buffer needs clearing.
 */
public final class BackwardPlan {
  private final List<Step> steps;
  private final boolean[] learns;

  /**
   * One backward step.
   *
   * @param layerIndex the layer, as an index into {@link NetworkModel#layers()}
   * @param propagates per input of the layer, whether it must produce that input's gradient
   * @param accumulates per input, whether it adds to that gradient (another contribution came first)
   * @param accumulatesParameters whether it adds to its parameters' gradients: they are shared with
   *     a layer whose step came first (a network used twice)
   */
  public record Step(int layerIndex, List<Boolean> propagates, List<Boolean> accumulates,
      boolean accumulatesParameters) {
    public Step {
      propagates = List.copyOf(propagates);
      accumulates = List.copyOf(accumulates);
    }

    /** For single-input layers: whether the input's gradient is needed. */
    public boolean propagatesToInput() {
      return propagates.get(0);
    }

    public boolean accumulatesIntoInput() {
      return accumulates.get(0);
    }
  }

  private BackwardPlan(List<Step> steps, boolean[] learns) {
    this.steps = List.copyOf(steps);
    this.learns = learns;
  }

  public static BackwardPlan of(NetworkModel model) {
    List<Layer> layers = model.layers();
    int n = layers.size();
    boolean[] learns = new boolean[n];
    for (int i = 0; i < n; i++) {
      learns[i] = !layers.get(i).parameters().isEmpty();
      for (int input : model.inputsOf(i)) {
        learns[i] |= input >= 0 && learns[input];
      }
    }
    // Gradients of flatten and reshape share their input's buffer: count writers per buffer.
    int[] buffer = new int[n];
    for (int i = 0; i < n; i++) {
      buffer[i] = isAlias(layers.get(i)) && model.inputsOf(i).get(0) >= 0 ? buffer[model.inputsOf(i).get(0)] : i;
    }
    boolean[] written = new boolean[n];
    for (int output : model.outputs()) {
      written[buffer[output]] = true; // the loss writes each output's gradient first
    }
    List<Step> steps = new ArrayList<>();
    java.util.Set<dev.nnet.processor.ir.ParameterSlot> parametersWritten = new java.util.HashSet<>();
    for (int i = n - 1; i >= 0; i--) {
      if (!learns[i]) {
        continue;
      }
      List<Boolean> propagates = new ArrayList<>();
      List<Boolean> accumulates = new ArrayList<>();
      for (int input : model.inputsOf(i)) {
        boolean needed = input >= 0 && learns[input] && !isAlias(layers.get(i));
        propagates.add(input >= 0 && learns[input]);
        accumulates.add(needed && written[buffer[input]]);
        if (needed) {
          written[buffer[input]] = true;
        }
      }
      boolean shared = false;
      for (dev.nnet.processor.ir.ParameterSlot slot : layers.get(i).parameters()) {
        shared |= !parametersWritten.add(slot);
      }
      steps.add(new Step(i, propagates, accumulates, shared));
    }
    return new BackwardPlan(steps, learns);
  }

  /** Layers whose output is their input seen in another shape: no buffer, no arithmetic. */
  public static boolean isAlias(Layer layer) {
    return layer instanceof Layer.Flatten || layer instanceof Layer.Reshape;
  }

  /** The steps, from the output layer back towards the input. */
  public List<Step> steps() {
    return steps;
  }

  /** Whether the gradient of layer {@code index}'s output is ever needed. */
  public boolean needsOutputGradient(int index) {
    return learns[index];
  }

  /** The step of layer {@code index}, if it has one. */
  public java.util.Optional<Step> stepOf(int index) {
    return steps.stream().filter(step -> step.layerIndex() == index).findFirst();
  }
}
