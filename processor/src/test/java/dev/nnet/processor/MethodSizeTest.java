package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No generated method may exceed HotSpot's 8,000-byte HugeMethodLimit: larger methods are never
 * JIT-compiled and run interpreted. Read from the class files javac writes.
 */
class MethodSizeTest {
  static final int HUGE_METHOD_LIMIT = 8_000;

  private static final String LARGE = """
      network Large {
        input image: float[28, 28]
        x = flatten(image)
        a = dense(x, units: 1000, activation: relu)
        b = dropout(a, rate: 0.5)
        c = dense(b, units: 300, activation: tanh)
        d = dense(c, units: 15, activation: sigmoid)
        e = dense(d, units: 16, activation: softmax)
        output y = dense(e, units: 10, activation: softmax)
        train { loss: categorical_crossentropy  batch: 64 }
      }
      """;

  @ParameterizedTest(name = "vector kernels: {0}")
  @ValueSource(booleans = {false, true})
  void everyGeneratedMethodStaysBelowTheJitLimit(boolean vector) throws IOException {
    Map<String, byte[]> classes = GeneratedCode.classFiles(
        GeneratedCode.generate("large.nnet", LARGE, "gen", new NnetCompiler.Options(true, vector)));
    assertTrue(classes.size() >= 3, "expected the classes and their nested classes, got " + classes.keySet());
    int methods = assertEveryMethodBelowTheLimit(classes);
    assertTrue(methods > 20, "read only " + methods + " methods: the class-file reader is off");
  }

  /** Long sequences and wide recurrent layers: the time loop stays a loop, whatever the length. */
  private static final String RECURRENT = """
      network Long {
        input tokens: float[200]
        e = embedding(tokens, input_dim: 20000, output_dim: 64, mask_zero: true)
        s = bidirectional(e, lstm(units: 128, return_sequences: true))
        g = gru(s, units: 100, return_sequences: true)
        r = rnn(g, units: 40, activation: relu)
        output y = dense(r, units: 5, activation: softmax)
        train { loss: categorical_crossentropy  batch: 32 }
      }
      """;

  @ParameterizedTest(name = "recurrent, vector kernels: {0}")
  @ValueSource(booleans = {false, true})
  void recurrentMethodsStayBelowTheJitLimit(boolean vector) throws IOException {
    Map<String, byte[]> classes = GeneratedCode.classFiles(
        GeneratedCode.generate("long.nnet", RECURRENT, "gen", new NnetCompiler.Options(true, vector)));
    int methods = assertEveryMethodBelowTheLimit(classes);
    assertTrue(methods > 40, "read only " + methods + " methods: the class-file reader is off");
  }

  /** A transformer encoder, four blocks deep: attention's loops stay loops, whatever the width. */
  private static final String TRANSFORMER = """
      network Block {
        input x: float[128, 96]
        a = multi_head_attention(x, heads: 8)
        r = add(x, a)
        n = layer_norm(r)
        f = time_distributed(n, dense(units: 384))
        g = gelu(f)
        o = time_distributed(g, dense(units: 96))
        s = add(n, o)
        output y = layer_norm(s)
      }
      network Encoder {
        input tokens: float[128]
        e = embedding(tokens, input_dim: 20000, output_dim: 96, mask_zero: true)
        p = positional_embedding(e)
        b1 = Block(p, shared: false)
        b2 = Block(b1, shared: false)
        b3 = Block(b2, shared: false)
        b4 = Block(b3, shared: false)
        c = multi_head_attention(b4, heads: 3, causal: true)
        h = globalavgpool1d(c)
        output y = dense(h, units: 5, activation: softmax)
        train { loss: categorical_crossentropy  batch: 32 }
      }
      """;

  @ParameterizedTest(name = "transformer, vector kernels: {0}")
  @ValueSource(booleans = {false, true})
  void transformerMethodsStayBelowTheJitLimit(boolean vector) throws IOException {
    Map<String, byte[]> classes = GeneratedCode.classFiles(
        GeneratedCode.generate("encoder.nnet", TRANSFORMER, "gen", new NnetCompiler.Options(true, vector)));
    int methods = assertEveryMethodBelowTheLimit(classes);
    assertTrue(methods > 40, "read only " + methods + " methods: the class-file reader is off");
  }

  /**
   * Fails on the first method of {@code classes} (class name → class file) longer than
   * {@link #HUGE_METHOD_LIMIT}; returns how many methods it read.
   */
  static int assertEveryMethodBelowTheLimit(Map<String, byte[]> classes) throws IOException {
    int methods = 0;
    for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
      for (Map.Entry<String, Integer> method : codeLengths(entry.getValue()).entrySet()) {
        methods++;
        assertTrue(method.getValue() <= HUGE_METHOD_LIMIT,
            entry.getKey() + "." + method.getKey() + " has " + method.getValue() + " bytes of bytecode");
      }
    }
    return methods;
  }

  /** Method name and descriptor → length of its Code attribute's bytecode (JVMS §4). */
  static Map<String, Integer> codeLengths(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int poolCount = in.readUnsignedShort();
    String[] utf8 = new String[poolCount];
    for (int i = 1; i < poolCount; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two entries
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    in.skipBytes(6); // access flags, this class, super class
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int f = 0; f < fields; f++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    Map<String, Integer> lengths = new java.util.TreeMap<>();
    int methods = in.readUnsignedShort();
    for (int m = 0; m < methods; m++) {
      in.skipBytes(2);
      String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (attribute.equals("Code")) {
          in.skipBytes(4); // max stack, max locals
          int codeLength = in.readInt();
          lengths.put(name, codeLength);
          in.skipBytes(length - 8);
        } else {
          in.skipBytes(length);
        }
      }
    }
    return lengths;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }
}
