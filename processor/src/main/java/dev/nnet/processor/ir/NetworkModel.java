package dev.nnet.processor.ir;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/**
 * A checked network: static shapes, a flat parameter layout, a loss and training settings.
 * Only networks that passed every check become a {@code NetworkModel}, so code generation
 * never reports errors.
 *
 * @param name the network's name and the generated class's simple name
 * @param packageName the generated class's package
 * @param sourceFileName the declaring file's name ({@code mnist.nnet}) for comments
 * @param networkInputs the declared inputs, in order, side by side in each sample
 * @param layers the layers, in execution order
 * @param inputs per layer, the values it reads: {@link #NETWORK_INPUT} or an earlier layer's index
 * @param outputs the layers whose values are the network's outputs, in declaration order
 * @param parameterCount the length of the flat parameter array
 * @param training the {@code train} block
 * @param fingerprint a hash of the architecture, stored in model files
 * @param span the declaration
 */
public record NetworkModel(
    String name,
    String packageName,
    String sourceFileName,
    List<NetworkInput> networkInputs,
    List<Layer> layers,
    List<List<Integer>> inputs,
    List<Integer> outputs,
    int parameterCount,
    TrainingSpec training,
    String fingerprint,
    SourceSpan span) {
  /** The value id of the first network input; input k is {@code -k - 1}, layer i's output is i. */
  public static final int NETWORK_INPUT = -1;

  public NetworkModel {
    networkInputs = List.copyOf(networkInputs);
    layers = List.copyOf(layers);
    inputs = inputs.stream().map(List::copyOf).toList();
    outputs = List.copyOf(outputs);
  }

  /** Values in one sample of the flat input: every input side by side. */
  public int inputSize() {
    return networkInputs.stream().mapToInt(input -> input.shape().size()).sum();
  }

  /** The network input a negative value id names: -1 the first, -2 the second, … */
  public NetworkInput networkInput(int value) {
    return networkInputs.get(-value - 1);
  }

  /** The value id of network input {@code k}. */
  public static int inputValue(int k) {
    return -k - 1;
  }

  /**
   * How the layer tables show network input {@code k}: {@code string} for a text input (the
   * {@code text_vectorize} stage reading it turns each text into the floats its shape counts),
   * else its shape.
   */
  public String inputDescription(int k) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Layer.Preprocessing stage && stage.stage() instanceof Stage.TextVectorize
          && inputs.get(i).contains(inputValue(k))) {
        return "string";
      }
    }
    return networkInputs.get(k).shape().toString();
  }

  /** The values layer {@code index} reads, in argument order. */
  public List<Integer> inputsOf(int index) {
    return inputs.get(index);
  }

  /** The first output's layer. */
  public Layer outputLayer() {
    return layers.get(outputs.get(0));
  }

  /** Output values per sample: every output side by side. */
  public int outputSize() {
    return outputs.stream().mapToInt(i -> layers.get(i).outputShape().size()).sum();
  }

  public Shape outputShape() {
    return outputs.size() == 1 ? outputLayer().outputShape() : Shape.of(outputSize());
  }

  /** All state tensors (running statistics) in layout order, each once even when shared. */
  public List<ParameterSlot> state() {
    return layers.stream().filter(layer -> layer instanceof Layer.Normalization || layer instanceof Layer.Preprocessing)
        .flatMap(layer -> layer instanceof Layer.Preprocessing stage ? stage.state().stream()
            : ((Layer.Normalization) layer).state().stream()).distinct().toList();
  }

  /** Length of the flat state array. */
  public int stateCount() {
    return state().stream().mapToInt(ParameterSlot::size).sum();
  }

  /** All parameter tensors in layout order. */
  public List<ParameterSlot> parameters() {
    return layers.stream().flatMap(layer -> layer.parameters().stream()).distinct().toList();
  }

  public long forwardFlops() {
    return layers.stream().mapToLong(Layer::forwardFlops).sum();
  }
}
