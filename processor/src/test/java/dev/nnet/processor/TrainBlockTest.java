package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, loss, metric and schedule a train block can name compiles to code that builds
 * the runtime object and trains: the catalogue and the runtime agree.
 */
class TrainBlockTest {

  private static Network load(String text) {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("train.nnet", text, "gen", false));
    try {
      return (Network) loader.loadClass("gen.T").getConstructor(int.class).newInstance(4);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("sgd(learning_rate: 0.1, momentum: 0.9, nesterov: true)"),
        Arguments.of("gradient_descent(learning_rate: 0.1)"),
        Arguments.of("adam(learning_rate: 0.01, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6)"),
        Arguments.of("adamw(learning_rate: 0.01, weight_decay: 0.01)"),
        Arguments.of("nadam"),
        Arguments.of("rmsprop(rho: 0.8, momentum: 0.5, centered: true)"),
        Arguments.of("adagrad(initial_accumulator_value: 0.2)"),
        Arguments.of("adadelta(learning_rate: 1.0)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void everyOptimizerBuildsAndLowersTheLoss(String optimizer) {
    Network net = load("""
        network T {
          input x: float[2]
          output y = dense(x, units: 1)
          train { loss: mse  optimizer: %s  batch: 4  epochs: 1 }
        }
        """.formatted(optimizer));
    TrainingConfig config = net.trainingConfig();
    var state = config.optimizer().newState(net.parameterCount());
    float[] x = {1, 0, 0, 1, 1, 1, -1, 0.5f};
    float[] t = {1, -1, 0, -1.5f};
    float first = net.computeGradients(x, 0, t, 0, 4);
    float last = first;
    for (int step = 0; step < 200; step++) {
      config.optimizer().step(net.parameters(), net.gradients(), state, config.optimizer().learningRate());
      last = net.computeGradients(x, 0, t, 0, 4);
    }
    assertTrue(last < first, optimizer + ": loss went from " + first + " to " + last);
  }

  static Stream<Arguments> losses() {
    return Stream.of(
        Arguments.of("categorical_crossentropy", "softmax", 3, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}),
        Arguments.of("sparse_categorical_crossentropy", "softmax", 3, new float[] {0, 1, 2, 0}),
        Arguments.of("binary_crossentropy", "sigmoid", 1, new float[] {1, 0, 1, 0}),
        Arguments.of("binary_crossentropy(from_logits: true)", "linear", 1, new float[] {1, 0, 1, 0}),
        Arguments.of("kl_divergence", "softmax", 2, new float[] {0.2f, 0.8f, 1, 0, 0.5f, 0.5f, 0, 1}),
        Arguments.of("mean_squared_error", "linear", 1, new float[] {1, 2, 3, 4}),
        Arguments.of("mae", "linear", 1, new float[] {1, 2, 3, 4}),
        Arguments.of("huber(delta: 0.5)", "linear", 1, new float[] {1, 2, 3, 4}),
        Arguments.of("log_cosh", "tanh", 1, new float[] {0.5f, -0.5f, 0.1f, 0}),
        Arguments.of("hinge", "tanh", 1, new float[] {1, -1, 1, -1}),
        Arguments.of("squared_hinge", "linear", 1, new float[] {1, 0, 1, 0}),
        Arguments.of("poisson", "relu", 1, new float[] {1, 2, 0, 3}),
        Arguments.of("cosine_similarity", "linear", 2, new float[] {1, 0, 0, 1, 1, 1, -1, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void everyLossTrains(String loss, String activation, int units, float[] targets) {
    Network net = load("""
        network T {
          input x: float[2]
          h = dense(x, units: 4, activation: tanh)
          output y = dense(h, units: %d, activation: %s)
          train { loss: %s  optimizer: adam(learning_rate: 0.05)  batch: 4 }
        }
        """.formatted(units, activation, loss));
    assertEquals(targets.length / 4, net.targetSize(), "targets per sample");
    float[] x = {1, 0, 0, 1, 1, 1, -1, 0.5f};
    var config = net.trainingConfig();
    var state = config.optimizer().newState(net.parameterCount());
    float first = net.computeGradients(x, 0, targets, 0, 4);
    float last = first;
    for (int step = 0; step < 300; step++) {
      config.optimizer().step(net.parameters(), net.gradients(), state, 0.05);
      last = net.computeGradients(x, 0, targets, 0, 4);
    }
    assertTrue(Float.isFinite(first) && Float.isFinite(last), loss + ": " + first + " → " + last);
    assertTrue(last < first, loss + ": loss went from " + first + " to " + last);
    // Sample weights: weighting every sample by 2 doubles the loss.
    float plain = net.computeGradients(x, 0, targets, 0, null, 4);
    float doubled = net.computeGradients(x, 0, targets, 0, new float[] {2, 2, 2, 2}, 4);
    assertEquals(2 * plain, doubled, 1e-5f * Math.max(1, Math.abs(plain)), loss + " with weights 2");
  }

  @Test
  void metricsScheduleClippingAndSplitReachTheTrainingConfig() {
    Network net = load("""
        network T {
          input x: float[2]
          output y = dense(x, units: 3, activation: softmax)
          train {
            loss: categorical_crossentropy
            batch_size: 4
            epochs: 3
            metrics: [accuracy, top_k_accuracy(k: 2), precision, recall, f1]
            schedule: cosine_decay(decay_steps: 100, alpha: 0.1)
            clipnorm: 1.5
            validation_split: 0.25
            shuffle: false
            class_weight: [1, 2.5, 0.5]
          }
        }
        """);
    TrainingConfig config = net.trainingConfig();
    assertEquals(List.of("accuracy", "top_k_accuracy", "precision", "recall", "f1"),
        config.metrics().stream().map(m -> m.name()).toList());
    assertTrue(config.schedule().isPresent(), "schedule");
    assertEquals(1.5, config.clipNorm().orElseThrow());
    assertEquals(0.25, config.validationSplit().orElseThrow());
    assertEquals(false, config.shuffle());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2.5f, 0.5f}, config.classWeights().orElseThrow());
    assertEquals(4, config.batchSize());
    assertEquals(3, config.epochs());
  }

  /** Two outputs side by side: each trains with its own loss, and predictions come back in order. */
  @Test
  void severalOutputsTrainAndPredictSideBySide() {
    Network net = load("""
        network T {
          input x: float[2]
          h = dense(x, units: 8, activation: tanh)
          output kind = dense(h, units: 2, activation: softmax)
          output size = dense(h, units: 1)
          train { loss: [sparse_categorical_crossentropy, mse]  optimizer: adam(learning_rate: 0.05)  batch: 4 }
        }
        """);
    assertEquals(2, net.outputCount());
    assertEquals(3, net.outputSize());
    assertEquals(2, net.targetSize(), "one class index, then one value");
    float[] x = {1, 0, 0, 1, 1, 1, -1, 0.5f};
    float[] t = {0, 0.5f, 1, -0.5f, 1, 1, 0, 0};
    var config = net.trainingConfig();
    var state = config.optimizer().newState(net.parameterCount());
    float first = net.computeGradients(x, 0, t, 0, 4);
    float last = first;
    for (int step = 0; step < 300; step++) {
      config.optimizer().step(net.parameters(), net.gradients(), state, 0.05);
      last = net.computeGradients(x, 0, t, 0, 4);
    }
    assertTrue(last < 0.1f * first, "loss went from " + first + " to " + last);
    float[] predicted = new float[12];
    net.predictBatch(x, 0, predicted, 0, 4);
    for (int b = 0; b < 4; b++) {
      assertEquals(1f, predicted[b * 3] + predicted[b * 3 + 1], 1e-5f, "the softmax head sums to 1");
      assertEquals(t[b * 2 + 1], predicted[b * 3 + 2], 0.15f, "the regression head fits its target");
    }
    float[] single = new float[3];
    net.predict(x, 2, single, 0);
    assertEquals(predicted[3], single[0], 1e-6f);
    assertEquals(predicted[5], single[2], 1e-6f);
    // The summed loss on predictions agrees with training's (no dropout, same parameters).
    float evaluated = net.loss().value(predicted, t, 0, null, 4, 3);
    assertEquals(net.computeGradients(x, 0, t, 0, 4), evaluated, 1e-4f);
  }
}
