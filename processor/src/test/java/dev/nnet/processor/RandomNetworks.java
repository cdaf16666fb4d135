package dev.nnet.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random valid networks: dense layers with every activation, activation layers, dropout,
 * batch and layer normalisation, add, multiply and concat over a random graph of vectors
 * ({@link #network}); convolutional networks over small images ({@link #spatialNetwork}); and
 * sequence networks over token ids ({@link #sequenceNetwork}). Every drawn network is valid: the
 * tests that use them assert the checker accepts each one.
 */
final class RandomNetworks {
  static final String[] ACTIVATIONS = {
    "linear", "relu", "sigmoid", "tanh", "leaky_relu(alpha: 0.1)", "elu(alpha: 0.7)", "swish", "silu",
    "gelu", "gelu(approximate: true)", "softmax",
  };
  static final String[] ACTIVATION_LAYERS = {
    "relu(%s)", "sigmoid(%s)", "tanh(%s)", "leaky_relu(%s, alpha: 0.3)", "elu(%s)", "swish(%s)", "gelu(%s)",
    "gelu(%s, approximate: true)", "softmax(%s)",
  };

  private RandomNetworks() {}

  /** The text of network {@code name}, drawn from {@code random}. */
  static String network(String name, SplittableRandom random) {
    StringBuilder body = new StringBuilder();
    List<String> names = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    int width = 1 + random.nextInt(12);
    body.append("  input x: float[").append(width).append("]\n");
    names.add("x");
    widths.add(width);
    int layers = 2 + random.nextInt(7);
    for (int l = 0; l < layers; l++) {
      String target = "t" + l;
      int from = random.nextInt(names.size());
      String in = names.get(from);
      int w = widths.get(from);
      String call;
      int out = w;
      switch (random.nextInt(9)) {
        case 0, 1 -> {
          out = 1 + random.nextInt(16);
          call = "dense(" + in + ", units: " + out + ", activation: " + ACTIVATIONS[random.nextInt(ACTIVATIONS.length)] + ")";
        }
        case 2 -> call = String.format(ACTIVATION_LAYERS[random.nextInt(ACTIVATION_LAYERS.length)], in);
        case 3 -> call = "dropout(" + in + ", rate: " + (1 + random.nextInt(5)) / 10.0 + ")";
        case 4 -> call = "batch_norm(" + in + ")";
        case 5 -> call = "layer_norm(" + in + ")";
        case 6, 7 -> {
          int other = -1;
          for (int i = 0; i < names.size(); i++) {
            if (i != from && widths.get(i) == w) {
              other = i;
            }
          }
          String second;
          if (other < 0) {
            second = "p" + l;
            body.append("  ").append(second).append(" = dense(").append(names.get(random.nextInt(names.size())))
                .append(", units: ").append(w).append(")\n");
          } else {
            second = names.get(other);
          }
          call = (random.nextBoolean() ? "add(" : "multiply(") + in + ", " + second + ")";
        }
        default -> {
          int other = random.nextInt(names.size());
          call = "concat(" + in + ", " + names.get(other) + ")";
          out = w + widths.get(other);
        }
      }
      body.append("  ").append(target).append(" = ").append(call).append('\n');
      names.add(target);
      widths.add(out);
    }
    String last = names.get(names.size() - 1);
    if (random.nextBoolean()) {
      body.append("  output y = dense(").append(last).append(", units: ").append(2 + random.nextInt(4))
          .append(", activation: softmax)\n");
      body.append("  train { loss: categorical_crossentropy  batch: ").append(1 + random.nextInt(32)).append(" }\n");
    } else {
      body.append("  output y = dense(").append(last).append(", units: ").append(1 + random.nextInt(3)).append(")\n");
      body.append("  train { loss: mse  optimizer: sgd(learning_rate: 0.01)  batch: ").append(1 + random.nextInt(32))
          .append(" }\n");
    }
    return "network " + name + " {\n" + body + "}\n";
  }

  /** Activations a convolution accepts (all but softmax). */
  static final String[] CONV_ACTIVATIONS = {
    "linear", "relu", "sigmoid", "tanh", "leaky_relu(alpha: 0.1)", "elu(alpha: 0.7)", "swish", "gelu",
  };

  /**
   * A convolutional network over a small image {@code [h, w, c]}: conv2d with random filters,
   * kernel, strides or dilation, padding and activation (among them shapes the direct Vector API
   * kernels take: valid, undilated, stride 1, 8 filters and an even output width, or 16 or 32
   * filters), max and average pools, spatial_dropout2d, batch_norm, upsampling2d,
   * conv2d_transpose, a residual add, gaussian_noise; then flatten or a global pool, sometimes a
   * gaussian_sample, and a dense head.
   */
  static String spatialNetwork(String name, SplittableRandom random) {
    StringBuilder body = new StringBuilder();
    int h = 4 + random.nextInt(9);
    int w = 4 + random.nextInt(9);
    int c = 1 + random.nextInt(3);
    body.append("  input image: float[").append(h).append(", ").append(w).append(", ").append(c).append("]\n");
    String cur = "image";
    int layers = 1 + random.nextInt(5);
    for (int l = 0; l < layers; l++) {
      String target = "s" + l;
      String call;
      switch (random.nextInt(12)) {
        case 0, 1 -> {
          // The direct kernels' shapes: valid, undilated, stride 1.
          int filters = new int[] {8, 16, 32}[random.nextInt(3)];
          int k = Math.min(3, Math.min(h, w));
          if (filters == 8 && (w - k + 1) % 2 != 0 && k > 1) {
            k--;
          }
          call = "conv2d(" + cur + ", filters: " + filters + ", kernel_size: " + k + ", activation: "
              + CONV_ACTIVATIONS[random.nextInt(CONV_ACTIVATIONS.length)] + ")";
          h = h - k + 1;
          w = w - k + 1;
          c = filters;
        }
        case 2, 3 -> {
          int filters = 1 + random.nextInt(12);
          int kh = 1 + random.nextInt(3);
          int kw = 1 + random.nextInt(3);
          int stride = 1;
          int dilation = 1;
          if (random.nextInt(3) == 0) {
            stride = 2;
          } else if (random.nextInt(3) == 0) {
            dilation = 2;
          }
          boolean same = random.nextBoolean() || (kh - 1) * dilation + 1 > h || (kw - 1) * dilation + 1 > w;
          StringBuilder args = new StringBuilder("conv2d(" + cur + ", filters: " + filters + ", kernel_size: ");
          args.append(kh == kw ? Integer.toString(kh) : "[" + kh + ", " + kw + "]");
          if (stride != 1) {
            args.append(", strides: ").append(stride);
          }
          if (dilation != 1) {
            args.append(", dilation: ").append(dilation);
          }
          if (same) {
            args.append(", padding: same");
          }
          args.append(", activation: ").append(CONV_ACTIVATIONS[random.nextInt(CONV_ACTIVATIONS.length)]).append(')');
          call = args.toString();
          if (same) {
            h = (h + stride - 1) / stride;
            w = (w + stride - 1) / stride;
          } else {
            h = (h - ((kh - 1) * dilation + 1)) / stride + 1;
            w = (w - ((kw - 1) * dilation + 1)) / stride + 1;
          }
          c = filters;
        }
        case 4 -> {
          boolean same = h < 2 || w < 2 || random.nextBoolean();
          call = (random.nextBoolean() ? "maxpool2d(" : "avgpool2d(") + cur + ", pool_size: 2"
              + (same ? ", padding: same)" : ")");
          h = same ? (h + 1) / 2 : h / 2;
          w = same ? (w + 1) / 2 : w / 2;
        }
        case 5 -> call = "spatial_dropout2d(" + cur + ", rate: " + (1 + random.nextInt(5)) / 10.0 + ")";
        case 6 -> call = "batch_norm(" + cur + ")";
        case 7 -> {
          if (h * w > 64) {
            call = "relu(" + cur + ")";
          } else {
            call = "upsampling2d(" + cur + ", size: 2)";
            h *= 2;
            w *= 2;
          }
        }
        case 8 -> {
          int filters = 1 + random.nextInt(8);
          int k = 1 + random.nextInt(3);
          int stride = h * w > 64 ? 1 : 1 + random.nextInt(2);
          boolean same = random.nextBoolean();
          call = "conv2d_transpose(" + cur + ", filters: " + filters + ", kernel_size: " + k + ", strides: " + stride
              + (same ? ", padding: same" : "") + ", activation: "
              + CONV_ACTIVATIONS[random.nextInt(CONV_ACTIVATIONS.length)] + ")";
          h = same ? h * stride : h * stride + Math.max(k - stride, 0);
          w = same ? w * stride : w * stride + Math.max(k - stride, 0);
          c = filters;
        }
        case 9 -> {
          body.append("  r").append(l).append(" = conv2d(").append(cur).append(", filters: ").append(c)
              .append(", kernel_size: 3, padding: same)\n");
          call = "add(" + cur + ", r" + l + ")";
        }
        case 10 -> call = "gaussian_noise(" + cur + ", stddev: " + (1 + random.nextInt(5)) / 10.0 + ")";
        default -> call = String.format(ACTIVATION_LAYERS[random.nextInt(ACTIVATION_LAYERS.length - 1)], cur);
      }
      body.append("  ").append(target).append(" = ").append(call).append('\n');
      cur = target;
    }
    String features = switch (random.nextInt(3)) {
      case 0 -> "globalavgpool2d(" + cur + ")";
      case 1 -> "globalmaxpool2d(" + cur + ")";
      default -> "flatten(" + cur + ")";
    };
    body.append("  features = ").append(features).append('\n');
    return name(name, head(body, "features", random));
  }

  /**
   * A sequence network over token ids {@code float[steps]}: an embedding (mask_zero random), then
   * lstm, gru, rnn (returning sequences), bidirectional, time_distributed dense, conv1d (same padding),
   * positional_embedding, multi_head_attention (heads dividing the width, causal and dropout
   * random) with a residual add, layer_norm, dropout, gaussian_noise; then globalavgpool1d, a
   * recurrent layer's last state or flatten, sometimes a gaussian_sample, and a dense head.
   */
  static String sequenceNetwork(String name, SplittableRandom random) {
    StringBuilder body = new StringBuilder();
    int steps = 2 + random.nextInt(9);
    int vocabulary = 3 + random.nextInt(40);
    int width = new int[] {2, 4, 6, 8, 12, 16}[random.nextInt(6)];
    boolean mask = random.nextBoolean();
    body.append("  input ids: float[").append(steps).append("]\n");
    body.append("  e = embedding(ids, input_dim: ").append(vocabulary).append(", output_dim: ").append(width)
        .append(", mask_zero: ").append(mask).append(")\n");
    String cur = "e";
    int layers = 1 + random.nextInt(5);
    String[] recurrent = {"lstm", "gru", "rnn"};
    for (int l = 0; l < layers; l++) {
      String target = "q" + l;
      String call;
      switch (random.nextInt(11)) {
        case 0 -> {
          width = 1 + random.nextInt(12);
          call = recurrent[random.nextInt(3)] + "(" + cur + ", units: " + width + ", return_sequences: true)";
        }
        case 1 -> {
          int units = 1 + random.nextInt(8);
          call = "bidirectional(" + cur + ", " + recurrent[random.nextInt(3)] + "(units: " + units
              + ", return_sequences: true))";
          width = 2 * units;
        }
        case 2 -> {
          width = 1 + random.nextInt(16);
          call = "time_distributed(" + cur + ", dense(units: " + width + ", activation: "
              + new String[] {"linear", "relu", "tanh", "sigmoid"}[random.nextInt(4)] + "))";
        }
        case 3 -> call = "positional_embedding(" + cur + ")";
        case 4, 5 -> {
          List<Integer> divisors = new ArrayList<>();
          for (int d = 1; d <= width; d++) {
            if (width % d == 0) {
              divisors.add(d);
            }
          }
          StringBuilder args = new StringBuilder("multi_head_attention(" + cur + ", heads: "
              + divisors.get(random.nextInt(divisors.size())));
          if (random.nextBoolean()) {
            args.append(", causal: true");
          }
          if (random.nextBoolean()) {
            args.append(", dropout: ").append((1 + random.nextInt(3)) / 10.0);
          }
          body.append("  a").append(l).append(" = ").append(args).append(")\n");
          call = "add(" + cur + ", a" + l + ")";
        }
        case 6 -> call = "layer_norm(" + cur + ")";
        case 7 -> call = "dropout(" + cur + ", rate: " + (1 + random.nextInt(5)) / 10.0 + ")";
        case 8 -> call = "gaussian_noise(" + cur + ", stddev: " + (1 + random.nextInt(5)) / 10.0 + ")";
        case 9 -> {
          width = 1 + random.nextInt(16);
          call = "conv1d(" + cur + ", filters: " + width + ", kernel_size: " + (1 + random.nextInt(3))
              + (random.nextBoolean() ? ", dilation: 2" : "") + ", padding: same, activation: "
              + CONV_ACTIVATIONS[random.nextInt(CONV_ACTIVATIONS.length)] + ")";
        }
        default -> call = "gelu(" + cur + ", approximate: true)";
      }
      body.append("  ").append(target).append(" = ").append(call).append('\n');
      cur = target;
    }
    String features = switch (random.nextInt(3)) {
      case 0 -> "globalavgpool1d(" + cur + ")";
      case 1 -> recurrent[random.nextInt(3)] + "(" + cur + ", units: " + (1 + random.nextInt(12)) + ")";
      default -> "flatten(" + cur + ")";
    };
    body.append("  features = ").append(features).append('\n');
    return name(name, head(body, "features", random));
  }

  /** Sometimes a gaussian_sample, then a classification or regression head and its train block. */
  private static StringBuilder head(StringBuilder body, String features, SplittableRandom random) {
    String last = features;
    if (random.nextInt(4) == 0) {
      int k = 1 + random.nextInt(6);
      body.append("  mean = dense(").append(last).append(", units: ").append(k).append(")\n");
      body.append("  log_variance = dense(").append(last).append(", units: ").append(k).append(")\n");
      body.append("  z = gaussian_sample(mean, log_variance, kl_weight: ").append((1 + random.nextInt(9)) / 100.0)
          .append(")\n");
      last = "z";
    }
    if (random.nextBoolean()) {
      body.append("  output y = dense(").append(last).append(", units: ").append(2 + random.nextInt(4))
          .append(", activation: softmax)\n");
      body.append("  train { loss: ").append(random.nextBoolean() ? "sparse_" : "")
          .append("categorical_crossentropy  batch: ").append(1 + random.nextInt(16)).append(" }\n");
    } else {
      body.append("  output y = dense(").append(last).append(", units: ").append(1 + random.nextInt(3)).append(")\n");
      body.append("  train { loss: mse  optimizer: adam(learning_rate: 0.01)  batch: ").append(1 + random.nextInt(16))
          .append(" }\n");
    }
    return body;
  }

  private static String name(String name, StringBuilder body) {
    return "network " + name + " {\n" + body + "}\n";
  }
}
