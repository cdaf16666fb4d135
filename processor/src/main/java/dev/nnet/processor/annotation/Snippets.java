package dev.nnet.processor.annotation;

import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.dsl.NnetReader;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TrainBlock;
import java.util.Optional;

/**
 * Checks that a string from an annotation is exactly one piece of {@code .nnet} — one value, one
 * {@code name: value} argument or one setting — by parsing it with the real grammar inside a
 * small frame. So a string can never add a statement or close a bracket of the text around it.
 */
final class Snippets {
  private Snippets() {}

  /** Empty when {@code text} is one value ({@code relu}, {@code l2(1e-4)}), else what is wrong. */
  static Optional<String> value(String text) {
    String prefix = "network N { train { k: ";
    NnetFile file = parse(prefix + text + " } }");
    if (file == null) {
      return Optional.of("'" + text + "' is not one .nnet value");
    }
    Optional<Setting> setting = onlySetting(file);
    if (setting.isEmpty() || !covers(setting.get().value().span().startOffset(),
        setting.get().value().span().endOffset(), prefix, text)) {
      return Optional.of("'" + text + "' is not one .nnet value");
    }
    return Optional.empty();
  }

  /**
   * Empty when {@code text} is one named argument ({@code alpha: 0.1}) or a layer given to a
   * wrapper ({@code lstm(units: 32)} for {@code bidirectional}, {@code dense(units: 8)} for
   * {@code time_distributed}), else what is wrong.
   */
  static Optional<String> namedArgument(String text) {
    String prefix = "network N { x = f(";
    NnetFile file = parse(prefix + text + ") }");
    if (file == null || file.networks().size() != 1 || file.networks().get(0).statements().size() != 1
        || file.networks().get(0).statements().get(0).call().arguments().size() != 1) {
      return Optional.of("'" + text + "' is not one 'name: value' argument");
    }
    Argument argument = file.networks().get(0).statements().get(0).call().arguments().get(0);
    boolean wrapped = argument.name().isEmpty() && argument.value() instanceof dev.nnet.dsl.ast.Expr.CallExpr;
    if ((argument.name().isEmpty() && !wrapped)
        || !covers(argument.span().startOffset(), argument.span().endOffset(), prefix, text)) {
      return Optional.of("'" + text + "' is not one 'name: value' argument");
    }
    return Optional.empty();
  }

  /** Empty when {@code text} is one setting ({@code shuffle: false}), else what is wrong. */
  static Optional<String> setting(String text) {
    String prefix = "network N { train { ";
    NnetFile file = parse(prefix + text + " } }");
    Optional<Setting> setting = file == null ? Optional.empty() : onlySetting(file);
    if (setting.isEmpty() || !covers(setting.get().span().startOffset(), setting.get().span().endOffset(), prefix, text)) {
      return Optional.of("'" + text + "' is not one 'name: value' setting");
    }
    return Optional.empty();
  }

  private static NnetFile parse(String text) {
    DiagnosticList errors = new DiagnosticList();
    NnetFile file = NnetReader.parse(new SourceFile("snippet", text), errors);
    return errors.hasErrors() ? null : file;
  }

  private static Optional<Setting> onlySetting(NnetFile file) {
    if (file.networks().size() != 1 || !file.lets().isEmpty()) {
      return Optional.empty();
    }
    NetworkDecl network = file.networks().get(0);
    if (!network.statements().isEmpty() || !network.inputs().isEmpty() || !network.lets().isEmpty()) {
      return Optional.empty();
    }
    Optional<TrainBlock> train = network.train();
    if (train.isEmpty() || train.get().settings().size() != 1) {
      return Optional.empty();
    }
    return Optional.of(train.get().settings().get(0));
  }

  /** Whether the parsed piece spans the whole of {@code text} (but its outer blanks). */
  private static boolean covers(int start, int end, String prefix, String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return false;
    }
    int lead = text.indexOf(trimmed);
    return start == prefix.length() + lead && end == prefix.length() + lead + trimmed.length();
  }
}
