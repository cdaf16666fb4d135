package dev.nnet.processor.autodiff;

import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode differentiation for a sequential network: which gradients the backward pass must
 * compute, in which order. Each op's backward rule (the arithmetic) sits beside its forward
 * rule in {@code codegen}; this plan decides where gradients flow.
 *
 * <p>A layer needs the gradient of its input only if some layer before it has parameters:
 * the first dense layer never computes the gradient with respect to the network input.
 */
public final class BackwardPlan {
  private final List<Step> steps;

  /**
   * One backward step.
   *
   * @param layerIndex the layer, as an index into {@link NetworkModel#layers()}
   * @param propagatesToInput whether it must write the gradient of its input
   */
  public record Step(int layerIndex, boolean propagatesToInput) {}

  private BackwardPlan(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static BackwardPlan of(NetworkModel model) {
    List<Layer> layers = model.layers();
    boolean[] parametersBefore = new boolean[layers.size()];
    boolean seen = false;
    for (int i = 0; i < layers.size(); i++) {
      parametersBefore[i] = seen;
      seen |= !layers.get(i).parameters().isEmpty();
    }
    List<Step> steps = new ArrayList<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      boolean hasParameters = !layers.get(i).parameters().isEmpty();
      if (!hasParameters && !parametersBefore[i]) {
        break; // nothing at or before this layer learns: the pass can stop
      }
      steps.add(new Step(i, parametersBefore[i]));
    }
    return new BackwardPlan(steps);
  }

  /** The steps, from the output layer back towards the input. */
  public List<Step> steps() {
    return steps;
  }

  /** Whether the gradient of layer {@code index}'s output is ever needed. */
  public boolean needsOutputGradient(int index) {
    return steps.stream().anyMatch(step -> step.layerIndex() == index);
  }
}
