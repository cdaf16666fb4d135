package dev.nnet.processor.cli;

import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.RuntimeObject;
import dev.nnet.processor.ir.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A checked network as a table, like Keras' {@code model.summary()}: one row per layer with its
 * output shape, parameter count and forward FLOPs per sample, then the totals and the
 * {@code train} block. {@code nnetc summary} prints it.
 *
 * <pre>
 * network MnistMlp (MnistMlp.nnet) -&gt; class dev.nnet.examples.mnist.MnistMlp
 *
 * layer   kind     output shape  parameters  FLOPs/sample
 * -------------------------------------------------------
 * image   input    [28, 28]               0             0
 * pixels  flatten  [784]                  0             0
 * hidden  dense    [128]            100,480       200,832
 * probs   dense    [10]               1,290         2,570
 * =======================================================
 * ...
 * </pre>
 *
 * A network that is not a plain chain gets a last column, {@code reads}, naming the values each
 * layer reads (Keras' "Connected to"). The text is plain ASCII, so it survives any terminal
 * encoding. Counts are the IR's ({@link Layer#forwardFlops()}: a dense layer's
 * {@code 2 · inputs · units} plus {@code units} for the bias, an activation layer's one per
 * value); training is estimated at three times the forward pass, as the backward pass of a dense
 * layer is two products of the forward pass's size.
 */
public final class Summary {
  private Summary() {}

  private static final String[] HEADINGS = {"layer", "kind", "output shape", "parameters", "FLOPs/sample"};

  /** The table for {@code model}, ending with a line break. */
  public static String table(NetworkModel model) {
    // A chain (one input, every layer reading the one before) reads top to bottom, as Keras'
    // Sequential; a graph gets a last column naming what each layer reads ("Connected to").
    boolean chain = model.networkInputs().size() == 1;
    for (int i = 0; i < model.layers().size(); i++) {
      chain &= model.inputsOf(i).equals(List.of(i == 0 ? NetworkModel.NETWORK_INPUT : i - 1));
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(chain ? HEADINGS : with(HEADINGS, "reads"));
    for (int k = 0; k < model.networkInputs().size(); k++) {
      String[] input = {model.networkInputs().get(k).name(), "input", model.inputDescription(k), count(0), count(0)};
      rows.add(chain ? input : with(input, ""));
    }
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      long parameters = layer.parameters().stream().mapToLong(ParameterSlot::size).sum();
      String[] row = {layer.name(), kind(layer), layer.outputShape().toString(), count(parameters),
          count(layer.forwardFlops())};
      if (!chain) {
        row = with(row, model.inputsOf(i).stream()
            .map(j -> j < 0 ? model.networkInput(j).name() : model.layers().get(j).name())
            .collect(Collectors.joining(", ")));
      }
      rows.add(row);
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    int tableWidth = 2 * (widths.length - 1);
    for (int width : widths) {
      tableWidth += width;
    }

    StringBuilder out = new StringBuilder();
    String className = model.packageName().isEmpty() ? model.name() : model.packageName() + "." + model.name();
    out.append("network ").append(model.name()).append(" (").append(model.sourceFileName()).append(") -> class ")
        .append(className).append("\n\n");
    for (int r = 0; r < rows.size(); r++) {
      out.append(row(rows.get(r), widths)).append('\n');
      if (r == 0) {
        out.append("-".repeat(tableWidth)).append('\n');
      }
    }
    out.append("=".repeat(tableWidth)).append('\n');

    long trainable = model.parameterCount();
    // Batch normalisation's running statistics are state: saved with the model, never trained.
    long state = model.stateCount();
    long parameters = trainable + state;
    long forward = model.forwardFlops();
    List<String[]> totals = new ArrayList<>();
    totals.add(new String[] {"total parameters", count(parameters)});
    totals.add(new String[] {"trainable parameters", count(trainable)});
    totals.add(new String[] {"non-trainable parameters", count(state)});
    totals.add(new String[] {"parameter memory", memory(4 * parameters) + " as float32 (" + count(4 * parameters)
        + " bytes)"});
    totals.add(new String[] {"FLOPs per sample", count(forward) + " forward"});
    totals.add(new String[] {"", count(3 * forward) + " training, estimated as 3x forward (forward and backward passes)"});
    appendPairs(out, totals);

    TrainingSpec training = model.training();
    List<String[]> train = new ArrayList<>();
    train.add(new String[] {"loss", training.loss().loss().toString()});
    train.add(new String[] {"optimizer", training.optimizer().toString()});
    train.add(new String[] {"batch", String.valueOf(training.batchSize())});
    train.add(new String[] {"epochs", String.valueOf(training.epochs())});
    if (!training.metrics().isEmpty()) {
      train.add(new String[] {"metrics",
          training.metrics().stream().map(RuntimeObject::toString).collect(Collectors.joining(", ", "[", "]"))});
    }
    training.schedule().ifPresent(schedule -> train.add(new String[] {"schedule", schedule.toString()}));
    optional(train, "clipnorm", training.clipNorm());
    optional(train, "clipvalue", training.clipValue());
    optional(train, "validation_split", training.validationSplit());
    out.append("\ntrain\n");
    StringBuilder block = new StringBuilder();
    appendPairs(block, train);
    block.toString().lines().forEach(line -> out.append("  ").append(line).append('\n'));
    return out.toString();
  }

  /** The layer's kind as the table and the generated class Javadoc name it. */
  static String kind(Layer layer) {
    if (layer instanceof Layer.Normalization norm) {
      return norm.batch() ? "batch_norm" : "layer_norm";
    }
    if (layer instanceof Layer.Dense) {
      return "dense";
    }
    if (layer instanceof Layer.ActivationLayer activation) {
      return activation.activation().keyword();
    }
    if (layer instanceof Layer.Dropout) {
      return "dropout";
    }
    if (layer instanceof Layer.GaussianNoise) {
      return "gaussian_noise";
    }
    if (layer instanceof Layer.GaussianSample) {
      return "gaussian_sample";
    }
    if (layer instanceof Layer.Flatten) {
      return "flatten";
    }
    if (layer instanceof Layer.Preprocessing stage) {
      return stage.stage().keyword();
    }
    if (layer instanceof Layer.Convolution conv) {
      return conv.keyword();
    }
    if (layer instanceof Layer.Pooling pool) {
      return pool.keyword();
    }
    if (layer instanceof Layer.SpatialDropout) {
      return "spatial_dropout2d";
    }
    if (layer instanceof Layer.Recurrent recurrent) {
      return recurrent.cell().keyword() + (recurrent.reverse() ? " (rev)" : "");
    }
    if (layer instanceof Layer.Upsampling) {
      return "upsampling2d";
    }
    if (layer instanceof Layer.TransposedConvolution) {
      return "conv2d_transpose";
    }
    if (layer instanceof Layer.Attention) {
      return "multi_head_attention";
    }
    if (layer instanceof Layer.PositionalEmbedding) {
      return "positional_embedding";
    }
    if (layer instanceof Layer.SequencePooling) {
      return "globalavgpool1d";
    }
    // A layer kind added after this table was written: its record name, in lower case.
    return layer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String row(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      // Names, kinds, shapes and what a layer reads to the left; the two counts to the right.
      String format = i == 3 || i == 4 ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
      line.append(String.format(Locale.ROOT, format, cells[i]));
    }
    return line.toString().stripTrailing();
  }

  private static String[] with(String[] cells, String last) {
    String[] longer = java.util.Arrays.copyOf(cells, cells.length + 1);
    longer[cells.length] = last;
    return longer;
  }

  private static void appendPairs(StringBuilder out, List<String[]> pairs) {
    int width = 0;
    for (String[] pair : pairs) {
      width = Math.max(width, pair[0].length());
    }
    for (String[] pair : pairs) {
      String key = pair[0].isEmpty() ? "" : pair[0] + ":";
      out.append(String.format(Locale.ROOT, "%-" + (width + 1) + "s  %s", key, pair[1]).stripTrailing()).append('\n');
    }
  }

  private static void optional(List<String[]> rows, String name, OptionalDouble value) {
    if (value.isPresent()) {
      rows.add(new String[] {name, String.valueOf(value.getAsDouble())});
    }
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String memory(long bytes) {
    double kib = bytes / 1024.0;
    if (kib < 1024) {
      return String.format(Locale.ROOT, "%.2f KiB", kib);
    }
    double mib = kib / 1024;
    return mib < 1024 ? String.format(Locale.ROOT, "%.2f MiB", mib) : String.format(Locale.ROOT, "%.2f GiB", mib / 1024);
  }
}
