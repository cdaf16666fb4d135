package dev.nnet.runtime.compose;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves the parameters of a network used as a layer between the class that uses it and the
 * class of its own. In {@code code = Encoder(image)} the encoder's tensors {@code h.weight} are
 * the user's {@code code_h.weight}; copying them out gives a stand-alone {@code Encoder} that
 * computes exactly what the trained part computes, for example to use its features on their own.
 */
public final class Subnetworks {
  private Subnetworks() {}

  /**
   * Copies into every parameter tensor {@code N} of {@code part} the tensor {@code use_N} of
   * {@code whole}, where {@code use} is the target of the statement that called the part.
   *
   * @throws IllegalArgumentException if {@code whole} lacks one of the tensors, or its shape differs
   */
  public static void copyOut(Network whole, String use, Network part) {
    transfer(whole, use, part, true);
  }

  /** The reverse of {@link #copyOut}: writes {@code part}'s parameters into {@code whole}'s {@code use_N} tensors. */
  public static void copyIn(Network part, Network whole, String use) {
    transfer(whole, use, part, false);
  }

  private static void transfer(Network whole, String use, Network part, boolean out) {
    transfer(whole, use, part, out, whole.parameterTensors(), part.parameterTensors(), whole.parameters(), part.parameters());
    // Running statistics (batch_norm) belong to the part too.
    transfer(whole, use, part, out, whole.stateTensors(), part.stateTensors(), whole.state(), part.state());
  }

  private static void transfer(Network whole, String use, Network part, boolean out,
      java.util.List<ParameterTensor> wholeTensors, java.util.List<ParameterTensor> partTensors,
      float[] wholeValues, float[] partValues) {
    Map<String, ParameterTensor> byName = new HashMap<>();
    for (ParameterTensor tensor : wholeTensors) {
      byName.put(tensor.name(), tensor);
    }
    for (ParameterTensor tensor : partTensors) {
      String name = use + "_" + tensor.name();
      ParameterTensor inWhole = byName.get(name);
      if (inWhole == null) {
        throw new IllegalArgumentException(whole.name() + " has no tensor '" + name + "' for " + part.name()
            + "'s '" + tensor.name() + "': is " + part.name() + " used as '" + use + " = " + part.name() + "(...)'?");
      }
      if (!inWhole.shape().equals(tensor.shape())) {
        throw new IllegalArgumentException(whole.name() + "'s '" + name + "' has shape " + inWhole.shape() + ", but "
            + part.name() + "'s '" + tensor.name() + "' has shape " + tensor.shape());
      }
      if (out) {
        System.arraycopy(wholeValues, inWhole.offset(), partValues, tensor.offset(), tensor.size());
      } else {
        System.arraycopy(partValues, tensor.offset(), wholeValues, inWhole.offset(), tensor.size());
      }
    }
  }
}
