package dev.nnet.examples.iris;

import static dev.nnet.runtime.annotation.Activation.RELU;
import static dev.nnet.runtime.annotation.Activation.SOFTMAX;

import dev.nnet.runtime.annotation.Dense;
import dev.nnet.runtime.annotation.Dropout;
import dev.nnet.runtime.annotation.Input;
import dev.nnet.runtime.annotation.Layer;
import dev.nnet.runtime.annotation.Network;
import dev.nnet.runtime.annotation.Output;
import dev.nnet.runtime.annotation.Train;

/**
 * The iris classifier, declared in Java: four measurements in, three species out. javac (through
 * the nnet processor) generates {@code IrisNetModel} from it, exactly as from the {@code .nnet}
 * form in the comment below.
 *
 * <pre>
 * network IrisNetModel {
 *     input features: float[4]
 *     hidden = dense(features, units: 16, activation: relu, kernel_initializer: he_normal)
 *     drop = dropout(hidden, rate: 0.1)
 *     output species = dense(drop, units: 3, activation: softmax)
 *     train { loss: sparse_categorical_crossentropy  optimizer: adam(learning_rate: 0.01)  batch: 16  epochs: 150 }
 * }
 * </pre>
 */
@Network
@Train(loss = "sparse_categorical_crossentropy", optimizer = "adam(learning_rate: 0.01)", batch = 16, epochs = 150,
    metrics = "accuracy")
interface IrisNet {
  @Input(4) Layer features();

  @Dense(units = 16, activation = RELU, kernelInitializer = "he_normal") Layer hidden();

  @Dropout(rate = 0.1) Layer drop();

  @Output @Dense(units = 3, activation = SOFTMAX) Layer species();
}
