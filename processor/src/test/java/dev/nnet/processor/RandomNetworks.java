package dev.nnet.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random valid networks: dense layers with every activation, activation layers, dropout,
 * batch and layer normalisation, add, multiply and concat over a random graph of vectors.
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
}
