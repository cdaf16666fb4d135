package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.autodiff.BackwardPlan;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The code of one sequence layer (recurrent or embedding): its constants, its workspace and
 * gradient buffers, its methods, and the calls the forward and backward passes make.
 * {@link NetworkClassWriter} asks each sequence layer for these at the matching places.
 */
interface SequenceLayerCode {
  /** Shape constants and parameter offsets ({@code declared} holds offsets written already). */
  void addConstants(TypeSpec.Builder type, Set<String> declared);

  /** Buffers every forward pass writes, sized for {@code rows} samples: fields and allocations. */
  default void addWorkspace(TypeSpec.Builder workspace, MethodSpec.Builder constructor) {}

  /** Gradient scratch of the training pass, sized for {@code batchCapacity}: fields and allocations. */
  default void addTrainingBuffers(TypeSpec.Builder type, MethodSpec.Builder constructor) {}

  /** Statements run after the parameters are initialized (the LSTM forget bias). */
  default CodeBlock afterInitialize() {
    return CodeBlock.of("");
  }

  /**
   * The forward pass's statements: reads {@code in}, token ids from {@code ids} (when masked),
   * writes {@code out}.
   */
  CodeBlock forward(Value in, Optional<Value> ids, List<InitialState> initial, String out);

  /**
   * The backward pass's statements, from {@code dy}, the gradient of the output {@code out} (the
   * forward value, in the training workspace); {@code dx} is the input's gradient buffer.
   */
  CodeBlock backward(BackwardPlan.Step step, Value in, Optional<Value> ids, List<InitialState> initial, String out,
      String dy, String dx);

  /** The layer's methods in the outer class; {@code step} is empty when nothing runs backward. */
  List<MethodSpec> methods(Optional<BackwardPlan.Step> step);

  /** The Vector API methods for the nested {@code Simd} class. */
  List<MethodSpec> vectorMethods(Optional<BackwardPlan.Step> step);

  /** The output width constant ({@code ENCODER_SIZE}). */
  String width();

  /** An array and the offset of the first sample in it. */
  record Value(String array, String offset) {}

  /**
   * A tensor a recurrent layer's state starts from: its value and, when the backward pass must
   * give it a gradient, that gradient's buffer (null otherwise) and whether to add to it.
   */
  record InitialState(Value value, String gradient, boolean accumulate) {}
}
