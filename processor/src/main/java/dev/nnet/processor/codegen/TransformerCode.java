package dev.nnet.processor.codegen;

import com.palantir.javapoet.NameAllocator;
import dev.nnet.processor.ir.Layer;

/**
 * Where {@link NetworkClassWriter} finds the code of the transformer layers
 * ({@code multi_head_attention}, {@code positional_embedding}, {@code globalavgpool1d}): each is a
 * {@link SequenceLayerCode}.
 */
final class TransformerCode {
  private TransformerCode() {}

  static boolean handles(Layer layer) {
    return layer instanceof Layer.Attention || layer instanceof Layer.PositionalEmbedding
        || layer instanceof Layer.SequencePooling;
  }

  static SequenceLayerCode of(Layer layer, String base, String camel, String comment, NameAllocator names,
      Precision p, boolean vector) {
    if (layer instanceof Layer.Attention attention) {
      return new AttentionCode(attention, base, camel, comment, names, p, vector);
    }
    if (layer instanceof Layer.PositionalEmbedding positional) {
      return new PositionalEmbeddingCode(positional, base, comment, p);
    }
    return new SequencePoolingCode((Layer.SequencePooling) layer, base, comment, p);
  }

  /** The layer's keyword, for comments and the class Javadoc. */
  static String kind(Layer layer) {
    if (layer instanceof Layer.Attention) {
      return "multi_head_attention";
    }
    return layer instanceof Layer.PositionalEmbedding ? "positional_embedding" : "globalavgpool1d";
  }

  /** Whether the layer reads token ids as its second input (a padding mask). */
  static boolean masked(Layer layer) {
    return layer instanceof Layer.Attention a && a.masked() || layer instanceof Layer.SequencePooling s && s.masked();
  }

  /** Values per sample of the layer's widest buffer, beside its output. */
  static long widestBuffer(Layer layer) {
    return layer instanceof Layer.Attention a ? AttentionCode.widestBuffer(a) : 0;
  }
}
