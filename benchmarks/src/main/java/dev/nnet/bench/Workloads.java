package dev.nnet.bench;

import java.util.List;

/**
 * The workloads of {@code shared/bench/WORKLOADS.md} as the harness, the PyTorch script and the
 * report name them: the result key each one prints, its unit, which way is better, and the FLOPs
 * one sample costs (2 FLOPs per multiply-add; a training step counts 3 × the forward FLOPs; biases,
 * activations, losses and optimizer updates are left out, as WORKLOADS.md does).
 *
 * <p>{@link Harness} prints {@code key: value} lines ({@code key (runs): v1 v2 …} for every run),
 * {@code benchmarks/pytorch/bench.py} prints the same keys, and {@link Report} turns them into the
 * table of {@code docs/performance.md}.
 */
final class Workloads {

  private Workloads() {}

  /** W1–W3: the MNIST perceptron 784 → 128 → 10. */
  static final double MLP_FORWARD_FLOPS = 2.0 * (784 * 128 + 128 * 10);

  /**
   * W4: conv 8@3×3 on 1×28×28 (26·26·8 outputs × 9 MACs), conv 16@3×3 on
   * 8×13×13 (11·11·16 × 72), dense 400 → 64, dense 64 → 10.
   */
  static final double CNN_FORWARD_FLOPS =
      2.0 * (26 * 26 * 8 * 9 + 11 * 11 * 16 * 72 + 400 * 64 + 64 * 10);

  /**
   * W5: 24 LSTM steps of 4 gates × 32 units × (1 input + 32 recurrent) MACs,
   * then dense 32 → 1.
   */
  static final double LSTM_FORWARD_FLOPS = 2.0 * (24 * 4 * 32 * (1 + 32) + 32);

  static final double TRAINING_FACTOR = 3.0;

  /** One row of the results table. */
  record Workload(
      String id,
      String name,
      String key,
      String what,
      boolean higherIsBetter,
      double flopsPerUnit,
      String missing) {

    /** GFLOP/s achieved at {@code value} of this workload's unit. */
    double gflops(double value) {
      if (flopsPerUnit <= 0) {
        return Double.NaN;
      }
      // samples/s × FLOPs/sample, or FLOPs/prediction / µs per prediction.
      return higherIsBetter ? value * flopsPerUnit / 1e9 : flopsPerUnit / (value * 1e-6) / 1e9;
    }
  }

  static final Workload W1 = new Workload("W1", "mnist-mlp-train", "w1 train samples/s",
      "training samples/s", true, TRAINING_FACTOR * MLP_FORWARD_FLOPS, null);
  static final Workload W1_ACCURACY = new Workload("W1", "mnist-mlp-train", "w1 test accuracy",
      "test accuracy after 5 epochs", true, 0, null);
  static final Workload W2 = new Workload("W2", "mnist-mlp-infer1", "w2 predict us",
      "µs per prediction (lower is better)", false, MLP_FORWARD_FLOPS, null);
  static final Workload W3 = new Workload("W3", "mnist-mlp-infer256", "w3 predict256 samples/s",
      "samples/s", true, MLP_FORWARD_FLOPS, null);

  // HOOK W4/W5: when nnet has conv2d + maxpool2d (W4) and lstm (W5) layers, the harness prints
  // these keys (see Harness#w4, Harness#w5 and bench.py) and the report fills their rows; until
  // then the rows say what is missing.
  static final Workload W4 = new Workload("W4", "mnist-cnn-train", "w4 train samples/s",
      "training samples/s", true, TRAINING_FACTOR * CNN_FORWARD_FLOPS, null);
  static final Workload W4_ACCURACY = new Workload("W4", "mnist-cnn-train", "w4 test accuracy",
      "test accuracy after 3 epochs", true, 0, null);
  static final Workload W5 = new Workload("W5", "sunspots-lstm-train", "w5 train sequences/s",
      "training sequences/s", true, TRAINING_FACTOR * LSTM_FORWARD_FLOPS, null);
  static final Workload W5_MSE = new Workload("W5", "sunspots-lstm-train", "w5 test mse",
      "test MSE (scaled) after 50 epochs (lower is better)", false, 0, null);

  /** The speed rows of the table, in order. */
  static final List<Workload> SPEED = List.of(W1, W2, W3, W4, W5);

  /** The quality rows of the table, in order. */
  static final List<Workload> QUALITY = List.of(W1_ACCURACY, W4_ACCURACY, W5_MSE);
}
