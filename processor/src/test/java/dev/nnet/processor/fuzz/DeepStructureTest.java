package dev.nnet.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long chains that the parser's bracket limit does not bound (networks used as layers of
 * networks, constants defined by constants, layers after layers, a long cycle of networks) never
 * overflow the stack: they compile, or get one clear diagnostic per network.
 */
class DeepStructureTest {
  record Result(List<JavaFile> files, List<Diagnostic> diagnostics) {}

  private static Result compile(String what, String text) {
    DiagnosticList list = new DiagnosticList(Integer.MAX_VALUE);
    try {
      List<JavaFile> files = NnetCompiler.compile(new SourceFile("deep.nnet", text), "deep", list, false);
      files.forEach(JavaFile::toString);
      for (Diagnostic d : list.diagnostics()) {
        assertTrue(d.code() != DiagnosticCode.INTERNAL, what + ": " + d.message());
      }
      return new Result(files, list.diagnostics());
    } catch (Throwable t) {
      throw new AssertionError(what + ": " + t, t);
    }
  }

  private static String chainOfNetworks(int count, boolean cycle) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String body = i == 0 && !cycle ? "dense(x, units: 2)" : "N" + ((i + count - 1) % count) + "(x)";
      text.append("network N").append(i).append(" {\n  input x: float[2]\n  output y = ").append(body)
          .append("\n  train { loss: mse }\n}\n");
    }
    return text.toString();
  }

  @Test
  void networksUsedAsLayersNestAtMost64Deep() {
    Result ok = compile("a chain of 64 networks", chainOfNetworks(64, false));
    assertEquals(List.of(), ok.diagnostics());
    assertEquals(64, ok.files().size());

    Result deep = compile("a chain of 1,000 networks", chainOfNetworks(1_000, false));
    assertEquals(1_000 - 64, deep.diagnostics().size());
    Diagnostic first = deep.diagnostics().get(0);
    assertEquals(DiagnosticCode.NESTING_TOO_DEEP, first.code());
    assertEquals("network 'N64' uses networks as layers more than 64 networks deep: N64 -> N63 -> … -> N1 -> N0",
        first.message());
    assertEquals(64, deep.files().size());

    Result cycle = compile("a cycle of 1,000 networks", chainOfNetworks(1_000, true));
    assertEquals(1_000, cycle.diagnostics().size());
    assertTrue(cycle.diagnostics().stream().allMatch(d -> d.code() == DiagnosticCode.NESTING_TOO_DEEP));
    assertEquals(List.of(), cycle.files());

    Result shortCycle = compile("a cycle of 3 networks", chainOfNetworks(3, true));
    assertEquals(1, shortCycle.diagnostics().size());
    assertTrue(shortCycle.diagnostics().get(0).message().contains("would contain itself"));
  }

  @Test
  void longChainsOfConstantsAndLayersCompile() {
    int n = 3_000;
    StringBuilder lets = new StringBuilder("let k0 = 2\n");
    for (int i = 1; i < n; i++) {
      lets.append("let k").append(i).append(" = k").append(i - 1).append('\n');
    }
    lets.append("network L {\n  input x: float[k").append(n - 1).append("]\n  output y = dense(x, units: k")
        .append(n - 1).append(")\n  train { loss: mse }\n}\n");
    Result constants = compile("constants defined by constants, " + n + " deep", lets.toString());
    assertEquals(List.of(), constants.diagnostics());
    assertEquals(1, constants.files().size());

    StringBuilder layers = new StringBuilder("network C {\n  input x: float[2]\n  h0 = dense(x, units: 2)\n");
    for (int i = 1; i < n; i++) {
      layers.append("  h").append(i).append(" = relu(h").append(i - 1).append(")\n");
    }
    layers.append("  output y = dense(h").append(n - 1).append(", units: 1)\n  train { loss: mse }\n}\n");
    Result chain = compile(n + " layers in a chain", layers.toString());
    assertEquals(List.of(), chain.diagnostics());
    assertEquals(1, chain.files().size());
  }
}
