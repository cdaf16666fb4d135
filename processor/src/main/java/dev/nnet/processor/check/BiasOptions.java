package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Regularizer;
import java.util.Optional;

/**
 * The checks every layer with a bias makes of its bias options (dense, conv2d, conv1d,
 * conv2d_transpose), so that each reports the same contradiction in the same words.
 */
final class BiasOptions {
  private BiasOptions() {}

  /**
   * Whether the bias options agree with each other; if not, the diagnostic is reported at the
   * option at fault: an orthogonal bias (it initializes matrices), or a bias initializer or
   * regularizer beside {@code use_bias: false}.
   */
  static boolean consistent(ArgumentReader args, Initializer bias, boolean useBias,
      Optional<Regularizer> biasRegularizer, DiagnosticSink sink) {
    if (bias.keyword().equals("orthogonal")) {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named("bias_initializer").orElseThrow().span(),
              "orthogonal initializes a weight matrix, not a bias vector")
          .withHelp("use zeros, ones or constant(value) for a bias"));
      return false;
    }
    if (!useBias && (args.named("bias_initializer").isPresent() || biasRegularizer.isPresent())) {
      String what = args.named("bias_initializer").isPresent() ? "bias_initializer" : "bias_regularizer";
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, args.named(what).orElseThrow().span(),
              what + " has no effect with use_bias: false")
          .withHelp("remove " + what + ", or the use_bias: false"));
      return false;
    }
    return true;
  }
}
