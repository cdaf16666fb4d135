package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.DoubleNetwork;
import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.math.Activations;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The generated double-precision class ({@code -Annet.emitDouble}) against a plain reference
 * implementation of the same graph written here: loops over a batch, reverse mode by hand. For
 * seeded random graphs of dense layers with every activation, activation layers, add, multiply,
 * concat, batch and layer normalisation, the inference outputs, the training loss and every
 * gradient element agree to a relative 1e-12 (relative to the largest element of the tensor
 * compared, so a sum that cancels to nearly 0 is not held to more digits than it has; for a
 * gradient tensor that is mathematically zero, such as the bias of a layer that batch
 * normalisation follows, relative to 1% of the largest gradient of the network).
 */
class ReferenceImplementationTest {
  static final int NETWORKS = Integer.getInteger("nnet.reliability.references", 40);
  static final int BATCH = 4;
  static final double TOLERANCE = 1e-12;

  enum Op { DENSE, ACTIVATION, ADD, MULTIPLY, CONCAT, BATCH_NORM, LAYER_NORM }

  static final String[] ACTIVATIONS = {
    "linear", "relu", "sigmoid", "tanh", "leaky_relu(alpha: 0.2)", "elu(alpha: 0.7)", "swish", "gelu",
    "gelu(approximate: true)", "softmax",
  };

  /** One statement of a random graph: its op, inputs, activation, width. */
  record Node(String name, Op op, List<String> inputs, String activation, int width) {}

  /** A random graph and its .nnet text. */
  record Graph(String text, int inputWidth, List<Node> nodes, Set<Op> ops, Set<String> activations) {}

  static Graph graph(String networkName, SplittableRandom random) {
    List<Node> nodes = new ArrayList<>();
    Map<String, Integer> widths = new LinkedHashMap<>();
    Set<Op> ops = EnumSet.noneOf(Op.class);
    Set<String> activations = new java.util.TreeSet<>();
    int inputWidth = 1 + random.nextInt(6);
    widths.put("x", inputWidth);
    StringBuilder text = new StringBuilder("network " + networkName + " {\n  input x: float[" + inputWidth + "]\n");
    int count = 3 + random.nextInt(6);
    for (int l = 0; l < count; l++) {
      List<String> names = new ArrayList<>(widths.keySet());
      String in = names.get(random.nextInt(names.size()));
      int w = widths.get(in);
      String name = "n" + l;
      Op op = Op.values()[random.nextInt(Op.values().length)];
      Node node;
      String call;
      switch (op) {
        case DENSE -> {
          String activation = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
          int units = 1 + random.nextInt(7);
          node = new Node(name, op, List.of(in), activation, units);
          call = "dense(" + in + ", units: " + units + ", activation: " + activation + ")";
        }
        case ACTIVATION -> {
          String activation = ACTIVATIONS[1 + random.nextInt(ACTIVATIONS.length - 1)];
          node = new Node(name, op, List.of(in), activation, w);
          call = activation.contains("(") ? activation.replace("(", "(" + in + ", ") : activation + "(" + in + ")";
        }
        case ADD, MULTIPLY -> {
          String other = null;
          for (String candidate : names) {
            if (widths.get(candidate) == w && (!candidate.equals(in) || random.nextInt(4) == 0)) {
              other = candidate;
            }
          }
          if (other == null) {
            other = "p" + l;
            String from = names.get(random.nextInt(names.size()));
            nodes.add(new Node(other, Op.DENSE, List.of(from), "linear", w));
            text.append("  ").append(other).append(" = dense(").append(from).append(", units: ").append(w).append(")\n");
            widths.put(other, w);
          }
          node = new Node(name, op, List.of(in, other), null, w);
          call = (op == Op.ADD ? "add(" : "multiply(") + in + ", " + other + ")";
        }
        case CONCAT -> {
          String other = names.get(random.nextInt(names.size()));
          node = new Node(name, op, List.of(in, other), null, w + widths.get(other));
          call = "concat(" + in + ", " + other + ")";
        }
        case BATCH_NORM -> {
          node = new Node(name, op, List.of(in), null, w);
          call = "batch_norm(" + in + ", epsilon: 0.01)";
        }
        default -> {
          node = new Node(name, op, List.of(in), null, w);
          call = "layer_norm(" + in + ", epsilon: 0.01)";
        }
      }
      nodes.add(node);
      widths.put(name, node.width());
      text.append("  ").append(name).append(" = ").append(call).append('\n');
    }
    String last = nodes.get(nodes.size() - 1).name();
    int outputs = 1 + random.nextInt(3);
    nodes.add(new Node("y", Op.DENSE, List.of(last), "linear", outputs));
    text.append("  output y = dense(").append(last).append(", units: ").append(outputs).append(")\n");
    text.append("  train { loss: mse  batch: ").append(BATCH).append(" }\n}\n");
    // Only what the output reads is computed (the compiler drops the rest, with a warning).
    Set<String> live = new java.util.HashSet<>(List.of("y"));
    List<Node> used = new ArrayList<>();
    for (int k = nodes.size() - 1; k >= 0; k--) {
      if (live.contains(nodes.get(k).name())) {
        live.addAll(nodes.get(k).inputs());
        used.add(0, nodes.get(k));
      }
    }
    ops.clear();
    activations.clear();
    for (Node node : used) {
      ops.add(node.op());
      if (node.activation() != null && !node.name().equals("y")) {
        activations.add(node.activation());
      }
    }
    return new Graph(text.toString(), inputWidth, used, ops, activations);
  }

  // ---- The reference: values [sample][feature], gradients alike, parameters by tensor name. ----

  static final class Reference {
    final Graph graph;
    final Map<String, double[]> parameters = new HashMap<>();
    final Map<String, double[]> gradients = new HashMap<>();
    final Map<String, double[][]> values = new HashMap<>();
    final Map<String, double[][]> grads = new HashMap<>();
    final Map<String, double[][]> before = new HashMap<>(); // pre-activation of dense and activation nodes
    final Map<String, double[][]> normalized = new HashMap<>(); // x-hat of normalisations
    final Map<String, double[]> sigma = new HashMap<>(); // per feature (batch) or per sample (layer)

    Reference(Graph graph, Map<String, double[]> parameters) {
      this.graph = graph;
      this.parameters.putAll(parameters);
      parameters.forEach((k, v) -> gradients.put(k, new double[v.length]));
    }

    static double activate(String a, double z) {
      return switch (a.replaceAll("\\(.*", "")) {
        case "linear" -> z;
        case "relu" -> Math.max(z, 0);
        case "sigmoid" -> 1 / (1 + Math.exp(-z));
        case "tanh" -> Math.tanh(z);
        case "leaky_relu" -> z > 0 ? z : 0.2 * z;
        case "elu" -> z > 0 ? z : 0.7 * Math.expm1(z);
        case "swish" -> Activations.swish(z);
        case "gelu" -> a.contains("approximate") ? Activations.geluTanh(z) : Activations.gelu(z);
        default -> throw new IllegalArgumentException(a);
      };
    }

    static double slope(String a, double z) {
      return switch (a.replaceAll("\\(.*", "")) {
        case "linear" -> 1;
        case "relu" -> z > 0 ? 1 : 0;
        case "sigmoid" -> {
          double s = 1 / (1 + Math.exp(-z));
          yield s * (1 - s);
        }
        case "tanh" -> 1 - Math.tanh(z) * Math.tanh(z);
        case "leaky_relu" -> z > 0 ? 1 : 0.2;
        case "elu" -> z > 0 ? 1 : 0.7 * Math.exp(z);
        case "swish" -> Activations.swishDerivative(z);
        case "gelu" -> a.contains("approximate") ? Activations.geluTanhDerivative(z) : Activations.geluDerivative(z);
        default -> throw new IllegalArgumentException(a);
      };
    }

    /** Forward over a batch; {@code training} selects batch statistics over running ones (0 and 1). */
    double[][] forward(double[][] x, boolean training) {
      values.clear();
      values.put("x", x);
      int n = x.length;
      for (Node node : graph.nodes()) {
        double[][] in = values.get(node.inputs().get(0));
        double[][] out = new double[n][node.width()];
        switch (node.op()) {
          case DENSE -> {
            double[] w = parameters.get(node.name() + ".weight");
            double[] b = parameters.get(node.name() + ".bias");
            double[][] z = new double[n][node.width()];
            for (int s = 0; s < n; s++) {
              for (int j = 0; j < node.width(); j++) {
                double sum = b[j];
                for (int i = 0; i < in[s].length; i++) {
                  sum += in[s][i] * w[i * node.width() + j];
                }
                z[s][j] = sum;
              }
            }
            before.put(node.name(), z);
            activateRows(node.activation(), z, out);
          }
          case ACTIVATION -> {
            before.put(node.name(), in);
            activateRows(node.activation(), in, out);
          }
          case ADD, MULTIPLY -> {
            double[][] other = values.get(node.inputs().get(1));
            for (int s = 0; s < n; s++) {
              for (int j = 0; j < node.width(); j++) {
                out[s][j] = node.op() == Op.ADD ? in[s][j] + other[s][j] : in[s][j] * other[s][j];
              }
            }
          }
          case CONCAT -> {
            double[][] other = values.get(node.inputs().get(1));
            for (int s = 0; s < n; s++) {
              System.arraycopy(in[s], 0, out[s], 0, in[s].length);
              System.arraycopy(other[s], 0, out[s], in[s].length, other[s].length);
            }
          }
          case BATCH_NORM, LAYER_NORM -> normalize(node, in, out, training);
        }
        values.put(node.name(), out);
      }
      return values.get("y");
    }

    private void activateRows(String activation, double[][] z, double[][] out) {
      for (int s = 0; s < z.length; s++) {
        if (activation.equals("softmax")) {
          double max = Double.NEGATIVE_INFINITY;
          for (double v : z[s]) {
            max = Math.max(max, v);
          }
          double sum = 0;
          for (int j = 0; j < z[s].length; j++) {
            out[s][j] = Math.exp(z[s][j] - max);
            sum += out[s][j];
          }
          for (int j = 0; j < z[s].length; j++) {
            out[s][j] /= sum;
          }
        } else {
          for (int j = 0; j < z[s].length; j++) {
            out[s][j] = activate(activation, z[s][j]);
          }
        }
      }
    }

    private void normalize(Node node, double[][] in, double[][] out, boolean training) {
      int n = in.length;
      int w = node.width();
      double[] gamma = parameters.get(node.name() + ".gamma");
      double[] beta = parameters.get(node.name() + ".beta");
      if (gamma == null) {
        throw new AssertionError(node + " not among " + parameters.keySet() + "\n" + graph.text());
      }
      double[][] hat = new double[n][w];
      boolean batch = node.op() == Op.BATCH_NORM;
      double[] sig = new double[batch ? w : n];
      for (int g = 0; g < sig.length; g++) {
        // A group: one feature over the batch, or one sample over its features.
        int size = batch ? n : w;
        double mean = 0;
        double variance = 1;
        if (!batch || training) {
          for (int k = 0; k < size; k++) {
            mean += batch ? in[k][g] : in[g][k];
          }
          mean /= size;
          variance = 0;
          for (int k = 0; k < size; k++) {
            double d = (batch ? in[k][g] : in[g][k]) - mean;
            variance += d * d;
          }
          variance /= size;
        }
        sig[g] = Math.sqrt(variance + 0.01);
        for (int k = 0; k < size; k++) {
          int s = batch ? k : g;
          int j = batch ? g : k;
          hat[s][j] = (in[s][j] - mean) / sig[g];
          out[s][j] = gamma[j] * hat[s][j] + beta[j];
        }
      }
      normalized.put(node.name(), hat);
      sigma.put(node.name(), sig);
    }

    /** Mean squared error over the batch, as Keras; fills the parameter gradients. */
    double lossAndGradients(double[][] x, double[][] targets) {
      double[][] y = forward(x, true);
      int n = x.length;
      int width = y[0].length;
      grads.clear();
      for (Map.Entry<String, double[][]> entry : values.entrySet()) {
        grads.put(entry.getKey(), new double[n][entry.getValue()[0].length]);
      }
      double loss = 0;
      for (int s = 0; s < n; s++) {
        double sum = 0;
        for (int j = 0; j < width; j++) {
          double d = y[s][j] - targets[s][j];
          sum += d * d;
          grads.get("y")[s][j] = 2 * d / ((double) n * width);
        }
        loss += sum / width;
      }
      List<Node> nodes = graph.nodes();
      for (int k = nodes.size() - 1; k >= 0; k--) {
        backward(nodes.get(k), n);
      }
      return loss / n;
    }

    private void backward(Node node, int n) {
      double[][] dy = grads.get(node.name());
      double[][] y = values.get(node.name());
      double[][] in = values.get(node.inputs().get(0));
      double[][] dx = grads.get(node.inputs().get(0));
      switch (node.op()) {
        case DENSE, ACTIVATION -> {
          double[][] dz = new double[n][node.width()];
          double[][] z = before.get(node.name());
          for (int s = 0; s < n; s++) {
            if (node.activation().equals("softmax")) {
              double dot = 0;
              for (int j = 0; j < node.width(); j++) {
                dot += dy[s][j] * y[s][j];
              }
              for (int j = 0; j < node.width(); j++) {
                dz[s][j] = y[s][j] * (dy[s][j] - dot);
              }
            } else {
              for (int j = 0; j < node.width(); j++) {
                dz[s][j] = dy[s][j] * slope(node.activation(), z[s][j]);
              }
            }
          }
          if (node.op() == Op.ACTIVATION) {
            add(dx, dz);
            return;
          }
          double[] w = parameters.get(node.name() + ".weight");
          double[] dw = gradients.get(node.name() + ".weight");
          double[] db = gradients.get(node.name() + ".bias");
          for (int s = 0; s < n; s++) {
            for (int j = 0; j < node.width(); j++) {
              db[j] += dz[s][j];
              for (int i = 0; i < in[s].length; i++) {
                dw[i * node.width() + j] += in[s][i] * dz[s][j];
                dx[s][i] += dz[s][j] * w[i * node.width() + j];
              }
            }
          }
        }
        case ADD, MULTIPLY -> {
          double[][] other = values.get(node.inputs().get(1));
          double[][] dOther = grads.get(node.inputs().get(1));
          for (int s = 0; s < n; s++) {
            for (int j = 0; j < node.width(); j++) {
              if (node.op() == Op.ADD) {
                dx[s][j] += dy[s][j];
                dOther[s][j] += dy[s][j];
              } else {
                dx[s][j] += dy[s][j] * other[s][j];
                dOther[s][j] += dy[s][j] * in[s][j];
              }
            }
          }
        }
        case CONCAT -> {
          double[][] dOther = grads.get(node.inputs().get(1));
          for (int s = 0; s < n; s++) {
            for (int j = 0; j < node.width(); j++) {
              if (j < in[s].length) {
                dx[s][j] += dy[s][j];
              } else {
                dOther[s][j - in[s].length] += dy[s][j];
              }
            }
          }
        }
        case BATCH_NORM, LAYER_NORM -> {
          boolean batch = node.op() == Op.BATCH_NORM;
          double[][] hat = normalized.get(node.name());
          double[] sig = sigma.get(node.name());
          double[] gamma = parameters.get(node.name() + ".gamma");
          double[] dGamma = gradients.get(node.name() + ".gamma");
          double[] dBeta = gradients.get(node.name() + ".beta");
          int w = node.width();
          for (int s = 0; s < n; s++) {
            for (int j = 0; j < w; j++) {
              dGamma[j] += dy[s][j] * hat[s][j];
              dBeta[j] += dy[s][j];
            }
          }
          for (int g = 0; g < sig.length; g++) {
            int size = batch ? n : w;
            double sumHat = 0;
            double sumHatX = 0;
            for (int k = 0; k < size; k++) {
              int s = batch ? k : g;
              int j = batch ? g : k;
              double dh = dy[s][j] * gamma[j];
              sumHat += dh;
              sumHatX += dh * hat[s][j];
            }
            for (int k = 0; k < size; k++) {
              int s = batch ? k : g;
              int j = batch ? g : k;
              double dh = dy[s][j] * gamma[j];
              dx[s][j] += (size * dh - sumHat - hat[s][j] * sumHatX) / (size * sig[g]);
            }
          }
        }
      }
    }

    private static void add(double[][] into, double[][] from) {
      for (int s = 0; s < into.length; s++) {
        for (int j = 0; j < into[s].length; j++) {
          into[s][j] += from[s][j];
        }
      }
    }
  }

  static void assertClose(double[] expected, double[] actual, String what) {
    assertClose(expected, actual, 0, what);
  }

  /**
   * Relative to the largest element of {@code expected}, but never to less than {@code floor}: a
   * gradient that is mathematically zero (a bias feeding batch normalisation) is rounding noise.
   */
  static void assertClose(double[] expected, double[] actual, double floor, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = floor;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]);
      assertTrue(error <= TOLERANCE * Math.max(scale, Double.MIN_NORMAL), what + "[" + i + "]: reference "
          + expected[i] + ", generated " + actual[i] + " (largest " + scale + ")");
    }
  }

  @Test
  void generatedForwardAndBackwardMatchThePlainReference() throws Exception {
    SplittableRandom random = new SplittableRandom(20261130);
    Set<Op> opsSeen = EnumSet.noneOf(Op.class);
    Set<String> activationsSeen = new java.util.TreeSet<>();
    int compared = 0;
    for (int g = 0; g < NETWORKS; g++) {
      Graph graph = graph("Ref", random);
      ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("ref.nnet", graph.text(), "gen", true));
      Network floats = (Network) loader.loadClass("gen.Ref").getConstructor(int.class).newInstance(BATCH);
      DoubleNetwork net = (DoubleNetwork) loader.loadClass("gen.RefDouble").getConstructor(int.class).newInstance(BATCH);
      double[] p = net.parameters();
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextDouble(-1, 1);
      }
      Map<String, double[]> byName = new HashMap<>();
      for (ParameterTensor tensor : floats.parameterTensors()) {
        byName.put(tensor.name(), java.util.Arrays.copyOfRange(p, tensor.offset(), tensor.offset() + tensor.size()));
      }
      Reference reference = new Reference(graph, byName);
      double[][] x = new double[BATCH][graph.inputWidth()];
      double[] flatX = new double[BATCH * graph.inputWidth()];
      int outputs = net.outputSize();
      double[][] t = new double[BATCH][outputs];
      double[] flatT = new double[BATCH * outputs];
      for (int s = 0; s < BATCH; s++) {
        for (int i = 0; i < graph.inputWidth(); i++) {
          x[s][i] = flatX[s * graph.inputWidth() + i] = random.nextDouble(-2, 2);
        }
        for (int j = 0; j < outputs; j++) {
          t[s][j] = flatT[s * outputs + j] = random.nextDouble(-1, 1);
        }
      }
      String what = "network " + g + ":\n" + graph.text();
      // Inference first: batch normalisation still has its initial running statistics (0 and 1).
      double[][] predicted = reference.forward(x, false);
      for (int s = 0; s < BATCH; s++) {
        double[] out = new double[outputs];
        net.predict(flatX, s * graph.inputWidth(), out, 0);
        assertClose(predicted[s], out, what + "\npredict, sample " + s);
      }
      double loss = net.computeGradients(flatX, 0, flatT, 0, BATCH);
      double expectedLoss = reference.lossAndGradients(x, t);
      assertClose(new double[] {expectedLoss}, new double[] {loss}, what + "\nloss");
      double largest = 0;
      for (double[] gradient : reference.gradients.values()) {
        for (double v : gradient) {
          largest = Math.max(largest, Math.abs(v));
        }
      }
      for (ParameterTensor tensor : floats.parameterTensors()) {
        double[] generated = java.util.Arrays.copyOfRange(net.gradients(), tensor.offset(), tensor.offset() + tensor.size());
        assertClose(reference.gradients.get(tensor.name()), generated, 0.01 * largest,
            what + "\ngradient of " + tensor.name());
        compared += tensor.size();
      }
      opsSeen.addAll(graph.ops());
      activationsSeen.addAll(graph.activations());
    }
    assertEquals(EnumSet.allOf(Op.class), opsSeen);
    assertEquals(ACTIVATIONS.length, activationsSeen.size(), activationsSeen.toString());
    System.out.println("[reliability] reference comparisons: " + NETWORKS + " networks, " + compared
        + " gradient elements within " + TOLERANCE);
  }
}
