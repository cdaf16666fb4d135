package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The arguments and shapes of the transformer layers: {@code positional_embedding},
 * {@code multi_head_attention} and {@code globalavgpool1d}. {@link NetworkChecker} calls these,
 * resolves the padding mask, and keeps the result beside its draft of the statement.
 */
final class AttentionChecks {
  static final List<String> KINDS = List.of("positional_embedding", "multi_head_attention", "globalavgpool1d");

  private AttentionChecks() {}

  record PositionalSpec(Initializer initializer) implements SequenceChecks.Spec {}

  /**
   * @param keyDim the width of each head's queries, keys and values
   * @param masked whether the draft's second input holds the token ids of a padding mask
   */
  record AttentionSpec(int heads, int keyDim, boolean causal, boolean masked, double dropout,
      Initializer kernelInitializer) implements SequenceChecks.Spec {
    AttentionSpec withMask() {
      return new AttentionSpec(heads, keyDim, causal, true, dropout, kernelInitializer);
    }
  }

  record PoolSpec(boolean masked) implements SequenceChecks.Spec {
    PoolSpec withMask() {
      return new PoolSpec(true);
    }
  }

  /** The named arguments each layer takes. */
  static List<String> optionNames(String kind) {
    return switch (kind) {
      case "positional_embedding" -> List.of("embeddings_initializer");
      case "multi_head_attention" -> List.of("heads", "key_dim", "causal", "mask", "dropout",
          "kernel_initializer");
      case "globalavgpool1d" -> List.of("mask");
      default -> List.of();
    };
  }

  /** The arguments and input shape of one of {@link #KINDS}; empty after an error, reported. */
  static Optional<SequenceChecks.Spec> read(String kind, ArgumentReader args, Shape input, String inputName,
      SourceSpan inputSpan, DiagnosticSink sink) {
    Optional<? extends SequenceChecks.Spec> spec = switch (kind) {
      case "positional_embedding" -> args.initializer("embeddings_initializer", Initializer.GLOROT_UNIFORM)
          .map(PositionalSpec::new);
      case "multi_head_attention" -> attention(args, input, sink);
      default -> Optional.of(new PoolSpec(false));
    };
    if (input == null || args.failed() || spec.isEmpty()) {
      return Optional.empty();
    }
    if (input.rank() != 2) {
      Expr where = args.positional(0).orElseThrow();
      Diagnostic d = Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, where.span(),
              kind + " expects a sequence [steps, width], but '" + inputName + "' has shape " + input)
          .withNote("'" + inputName + "' is declared at " + inputSpan);
      sink.report(input.rank() == 1
          ? d.withHelp("token ids [steps] become a sequence through embedding(" + inputName
              + ", input_dim: ..., output_dim: ...)")
          : d.withHelp("reshape it to [steps, width] first"));
      return Optional.empty();
    }
    if (spec.get() instanceof AttentionSpec a && a.keyDim() == 0) {
      int width = input.dimensions().get(1);
      if (width % a.heads() != 0) {
        sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, args.named("heads").orElseThrow().span(),
                "multi_head_attention splits the width " + width + " of '" + inputName + "' among " + a.heads()
                    + " heads, but " + a.heads() + " does not divide " + width)
            .withNote("'" + inputName + "' is declared at " + inputSpan)
            .withHelp("use a number of heads that divides " + width + " (" + divisors(width)
                + "), or give each head's width with key_dim"));
        return Optional.empty();
      }
      return Optional.of(new AttentionSpec(a.heads(), width / a.heads(), a.causal(), false, a.dropout(),
          a.kernelInitializer()));
    }
    long parameters = spec.get() instanceof AttentionSpec a ? 4L * (input.dimensions().get(1) + 1) * a.heads() * a.keyDim()
        : input.size();
    if (parameters > NetworkChecker.MAX_DIMENSION * 64L) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.call().span(),
          kind + " would have " + String.format(Locale.ROOT, "%,d", parameters) + " parameters; at most "
              + String.format(Locale.ROOT, "%,d", NetworkChecker.MAX_DIMENSION * 64L) + " are supported"));
      return Optional.empty();
    }
    return Optional.of(spec.get());
  }

  private static Optional<AttentionSpec> attention(ArgumentReader args, Shape input, DiagnosticSink sink) {
    int heads = args.requiredPositiveInt("heads", 4096);
    int keyDim = args.optionalPositiveInt("key_dim", 0, 65_536);
    boolean causal = args.bool("causal", false);
    double dropout = args.number("dropout", 0, 0, 1, false);
    Optional<Initializer> kernel = args.initializer("kernel_initializer", Initializer.GLOROT_UNIFORM);
    if (kernel.isPresent() && kernel.get().keyword().equals("orthogonal")) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("kernel_initializer").orElseThrow().span(),
              "orthogonal is not supported for multi_head_attention's projections")
          .withHelp("use glorot_uniform (the default), he_normal or another random initializer"));
      return Optional.empty();
    }
    return kernel.map(k -> new AttentionSpec(heads, keyDim, causal, false, dropout, k));
  }

  private static String divisors(int n) {
    StringBuilder out = new StringBuilder();
    for (int d = 1; d <= n && out.length() < 40; d++) {
      if (n % d == 0) {
        out.append(out.length() == 0 ? "" : ", ").append(d);
      }
    }
    return out.toString();
  }

  /** The layer of a checked draft, its parameters laid out from {@code offset}. */
  static Layer layer(String name, String constant, Shape input, SequenceChecks.Spec spec, int offset, SourceSpan span,
      String text) {
    int steps = input.dimensions().get(0);
    int width = input.dimensions().get(1);
    if (spec instanceof PositionalSpec positional) {
      ParameterSlot table = new ParameterSlot(name + ".embeddings", constant + "_EMBEDDINGS_OFFSET", offset,
          List.of(steps, width), positional.initializer(), steps, width);
      return new Layer.PositionalEmbedding(name, input, table, span, text);
    }
    if (spec instanceof PoolSpec pool) {
      return new Layer.SequencePooling(name, input, pool.masked(), span, text);
    }
    AttentionSpec a = (AttentionSpec) spec;
    int inner = a.heads() * a.keyDim();
    ParameterSlot qkvWeights = new ParameterSlot(name + ".qkv_weight", constant + "_QKV_WEIGHTS_OFFSET", offset,
        List.of(width, 3 * inner), a.kernelInitializer(), width, inner);
    offset += qkvWeights.size();
    ParameterSlot qkvBias = new ParameterSlot(name + ".qkv_bias", constant + "_QKV_BIAS_OFFSET", offset,
        List.of(3 * inner), Initializer.ZEROS, width, inner);
    offset += qkvBias.size();
    ParameterSlot outWeights = new ParameterSlot(name + ".output_weight", constant + "_OUTPUT_WEIGHTS_OFFSET", offset,
        List.of(inner, width), a.kernelInitializer(), inner, width);
    offset += outWeights.size();
    ParameterSlot outBias = new ParameterSlot(name + ".output_bias", constant + "_OUTPUT_BIAS_OFFSET", offset,
        List.of(width), Initializer.ZEROS, inner, width);
    Layer.Dense projection = new Layer.Dense(name + "_qkv", Shape.of(width), Shape.of(3 * inner), Activation.LINEAR,
        qkvWeights, Optional.of(qkvBias), Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), span,
        text);
    Layer.Dense output = new Layer.Dense(name + "_output", Shape.of(inner), Shape.of(width), Activation.LINEAR,
        outWeights, Optional.of(outBias), Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), span,
        text);
    return new Layer.Attention(name, input, a.heads(), a.keyDim(), a.causal(), a.masked(), a.dropout(), projection,
        output, span, text);
  }

  /** Another use of a shared layer (a network used twice): the same parameters, its own name. */
  static Layer renamed(Layer shared, String name, SourceSpan span, String text) {
    if (shared instanceof Layer.PositionalEmbedding p) {
      return new Layer.PositionalEmbedding(name, p.inputShape(), p.table(), span, text);
    }
    if (shared instanceof Layer.SequencePooling p) {
      return new Layer.SequencePooling(name, p.inputShape(), p.masked(), span, text);
    }
    Layer.Attention a = (Layer.Attention) shared;
    return new Layer.Attention(name, a.inputShape(), a.heads(), a.keyDim(), a.causal(), a.masked(), a.dropout(),
        a.projection(), a.output(), span, text);
  }

  /** The options that change what the parameters mean, for the architecture fingerprint. */
  static String fingerprint(Layer layer) {
    if (layer instanceof Layer.Attention a) {
      return "heads " + a.heads() + " key_dim " + a.keyDim() + (a.causal() ? " causal" : "")
          + (a.masked() ? " masked" : "") + (a.dropout() > 0 ? " dropout " + a.dropout() : "");
    }
    return layer instanceof Layer.SequencePooling p && p.masked() ? "masked" : "";
  }
}
