package dev.nnet.processor.codegen;

import dev.nnet.processor.ir.Layer;
import java.util.Optional;

/**
 * The names generated code uses for one dense layer's sizes and offsets.
 *
 * @param layer the layer
 * @param inputs the constant holding its input width ({@code HIDDEN_INPUTS})
 * @param units the constant holding its unit count ({@code HIDDEN_UNITS})
 * @param weights the weight offset constant ({@code HIDDEN_WEIGHTS_OFFSET})
 * @param bias the bias offset constant, if the layer has a bias
 */
record DenseNames(Layer.Dense layer, String inputs, String units, String weights, Optional<String> bias) {}
