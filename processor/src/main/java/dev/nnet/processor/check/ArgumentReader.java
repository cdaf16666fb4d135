package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads the arguments of one call against what it accepts: a number of positional arguments
 * and a set of named ones. Every problem becomes a diagnostic, and a value that could not be
 * read leaves the reader {@link #failed()}, so the caller stops without cascading errors.
 */
final class ArgumentReader {
  private final Call call;
  private final String what;
  private final DiagnosticSink sink;
  private final List<Expr> positional = new ArrayList<>();
  private final Map<String, Argument> named = new LinkedHashMap<>();
  // Names offered as "did you mean": when one is missing, its misspelling was already reported.
  private final java.util.Set<String> suggested = new java.util.HashSet<>();
  private boolean failed;

  ArgumentReader(Call call, String what, int positionalCount, List<String> names, DiagnosticSink sink) {
    this(call, what, positionalCount, positionalCount, names, sink);
  }

  /** With between {@code fewest} and {@code positionalCount} positional arguments. */
  ArgumentReader(Call call, String what, int fewest, int positionalCount, List<String> names, DiagnosticSink sink) {
    this.call = call;
    this.what = what;
    this.sink = sink;
    for (Argument argument : call.arguments()) {
      if (argument.name().isEmpty()) {
        if (!named.isEmpty()) {
          report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, argument.span(),
                  "positional argument after named arguments in " + what)
              .withHelp("put the input first: " + call.name() + "(x, ...)"));
          failed = true;
        } else if (positional.size() >= positionalCount) {
          report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, argument.span(),
                  what + " takes " + count(positionalCount, "positional argument")
                      + ", but got " + (call.arguments().stream().filter(a -> a.name().isEmpty()).count()))
              .withHelp(names.isEmpty()
                  ? "remove the extra arguments"
                  : positionalCount == 0
                  ? "name the argument, as in " + call.name() + "(" + names.get(0) + ": ...)"
                  : "name the other arguments, as in " + call.name() + "(x, " + names.get(0) + ": ...)"));
          failed = true;
        } else {
          positional.add(argument.value());
        }
        continue;
      }
      String name = argument.name().get();
      if (!names.contains(name)) {
        Diagnostic d = Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, argument.nameSpan(),
            what + " has no argument '" + name + "'");
        Optional<String> suggestion = Suggestions.closest(name, names);
        suggestion.ifPresent(suggested::add);
        d = suggestion.isPresent()
            ? d.withHelp("did you mean '" + suggestion.get() + "'?")
            : d.withNote(what + " takes " + (names.isEmpty() ? "no named arguments" : String.join(", ", names)));
        report(d);
        failed = true;
      } else if (named.containsKey(name)) {
        report(Diagnostic.of(DiagnosticCode.DUPLICATE_ARGUMENT, argument.nameSpan(),
                "argument '" + name + "' is given twice")
            .withNote("first given at " + named.get(name).nameSpan()));
        failed = true;
      } else {
        named.put(name, argument);
      }
    }
    if (positional.size() < fewest && !failed) {
      report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.span(),
              what + " needs its input as the first argument")
          .withHelp("write " + call.name() + "(x, ...) where x is a tensor declared earlier"));
      failed = true;
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  boolean failed() {
    return failed;
  }

  Call call() {
    return call;
  }

  Optional<Expr> positional(int index) {
    return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
  }

  Optional<Expr> named(String name) {
    return Optional.ofNullable(named.get(name)).map(Argument::value);
  }

  /** A required positive integer such as {@code units: 128}; {@code -1} after an error. */
  int requiredPositiveInt(String name, int max) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      if (!suggested.contains(name)) {
        report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.nameSpan(),
                what + " needs '" + name + "'")
            .withHelp("add it, as in " + call.name() + "(x, " + name + ": 64)"));
      }
      failed = true;
      return -1;
    }
    return positiveInt(name, value.get(), max);
  }

  int optionalPositiveInt(String name, int fallback, int max) {
    Optional<Expr> value = named(name);
    return value.isEmpty() ? fallback : positiveInt(name, value.get(), max);
  }

  private int positiveInt(String name, Expr value, int max) {
    if (value instanceof Expr.Number number && number.integer() && number.value() >= 1 && number.value() <= max) {
      return (int) number.value();
    }
    String found = describe(value);
    error(DiagnosticCode.INVALID_VALUE, value.span(),
        "'" + name + "' must be an integer from 1 to " + String.format(Locale.ROOT, "%,d", max) + ", but got " + found);
    failed = true;
    return -1;
  }

  /**
   * {@code kernel_size: 3} or {@code kernel_size: [3, 5]}: an integer for both axes of an image,
   * or with {@code pairs} a list of two; {@code fallback} when absent, null after an error.
   */
  int[] intOrPair(String name, int[] fallback, int max, boolean pairs) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      if (fallback == null && !suggested.contains(name)) {
        report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.nameSpan(), what + " needs '" + name + "'")
            .withHelp("add it, as in " + call.name() + "(x, " + name + ": 3)"));
        failed = true;
      }
      return fallback;
    }
    if (value.get() instanceof Expr.Number) {
      int single = positiveInt(name, value.get(), max);
      return single < 0 ? null : new int[] {single, single};
    }
    if (pairs && value.get() instanceof Expr.ListOf list && list.elements().size() == 2) {
      int height = positiveInt(name, list.elements().get(0), max);
      int width = positiveInt(name, list.elements().get(1), max);
      return height < 0 || width < 0 ? null : new int[] {height, width};
    }
    error(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "'" + name + "' must be " + (pairs ? "an integer or a list [height, width] of two" : "an integer")
            + ", but got " + describe(value.get()));
    failed = true;
    return null;
  }

  /** A number in [min, max) such as {@code rate: 0.2}; {@code NaN} after an error. */
  double number(String name, double fallback, double min, double maxExclusive, boolean required) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      if (required) {
        if (!suggested.contains(name)) {
          report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.nameSpan(), what + " needs '" + name + "'"));
        }
        failed = true;
        return Double.NaN;
      }
      return fallback;
    }
    if (value.get() instanceof Expr.Number number
        && number.value() >= min && number.value() < maxExclusive) {
      return number.value();
    }
    error(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "'" + name + "' must be a number from " + plain(min)
            + (Double.isInfinite(maxExclusive) ? " up" : " up to (not including) " + plain(maxExclusive))
            + ", but got " + describe(value.get()));
    failed = true;
    return Double.NaN;
  }

  /** A number in (0, max] such as a learning rate. */
  double positiveNumber(String name, double fallback, double maxInclusive) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (value.get() instanceof Expr.Number number && number.value() > 0 && number.value() <= maxInclusive) {
      return number.value();
    }
    error(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "'" + name + "' must be a number above 0 and at most " + plain(maxInclusive) + ", but got " + describe(value.get()));
    failed = true;
    return Double.NaN;
  }

  boolean bool(String name, boolean fallback) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (value.get() instanceof Expr.Name word && (word.name().equals("true") || word.name().equals("false"))) {
      return word.name().equals("true");
    }
    error(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "'" + name + "' must be true or false, but got " + describe(value.get()));
    failed = true;
    return fallback;
  }

  /** One word from {@code choices} such as {@code activation: relu}; empty after an error. */
  Optional<String> choice(String name, String fallback, List<String> choices) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return Optional.of(fallback);
    }
    if (value.get() instanceof Expr.Name word && choices.contains(word.name())) {
      return Optional.of(word.name());
    }
    Diagnostic d = Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.get().span(),
        "unknown " + name + " " + describe(value.get()));
    Optional<String> suggestion = value.get() instanceof Expr.Name word
        ? Suggestions.closest(word.name(), choices) : Optional.empty();
    d = suggestion.isPresent()
        ? d.withHelp("did you mean '" + suggestion.get() + "'?")
        : d.withNote("expected one of: " + String.join(", ", choices));
    report(d);
    failed = true;
    return Optional.empty();
  }

  /**
   * An initializer such as {@code kernel_initializer: he_normal} or
   * {@code bias_initializer: constant(0.1)}; {@code fallback} when absent, empty after an error.
   */
  Optional<dev.nnet.processor.ir.Initializer> initializer(String name, dev.nnet.processor.ir.Initializer fallback) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return Optional.of(fallback);
    }
    if (value.get() instanceof Expr.Name word) {
      Optional<dev.nnet.processor.ir.Initializer> known = dev.nnet.processor.ir.Initializer.named(word.name());
      if (known.isPresent()) {
        return known;
      }
      if (word.name().equals("constant")) {
        report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, word.span(), "constant needs its value")
            .withHelp("write constant(0.1)"));
        failed = true;
        return Optional.empty();
      }
    } else if (value.get() instanceof Expr.CallExpr callExpr && callExpr.call().name().equals("constant")) {
      OptionalDouble constant = singleNumber(callExpr.call(), "value", Double.NEGATIVE_INFINITY, false);
      return constant.isPresent()
          ? Optional.of(dev.nnet.processor.ir.Initializer.constant(constant.getAsDouble()))
          : Optional.empty();
    }
    List<String> choices = new java.util.ArrayList<>(dev.nnet.processor.ir.Initializer.keywords());
    choices.add("constant(value)");
    unknown(name, value.get(), choices);
    return Optional.empty();
  }

  /**
   * A weight penalty such as {@code kernel_regularizer: l2(1e-4)} or
   * {@code l1_l2(l1: 0.01, l2: 0.01)}; empty when absent or after an error.
   */
  Optional<dev.nnet.processor.ir.Regularizer> regularizer(String name) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof Expr.CallExpr callExpr) {
      Call penalty = callExpr.call();
      switch (penalty.name()) {
        case "l1", "l2" -> {
          OptionalDouble factor = singleNumber(penalty, penalty.name(), 0, true);
          if (factor.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(penalty.name().equals("l1")
              ? new dev.nnet.processor.ir.Regularizer(factor.getAsDouble(), 0)
              : new dev.nnet.processor.ir.Regularizer(0, factor.getAsDouble()));
        }
        case "l1_l2" -> {
          ArgumentReader args = new ArgumentReader(penalty, "l1_l2", 0, List.of("l1", "l2"), sink);
          double l1 = args.number("l1", 0, 0, Double.POSITIVE_INFINITY, false);
          double l2 = args.number("l2", 0, 0, Double.POSITIVE_INFINITY, false);
          if (args.failed()) {
            failed = true;
            return Optional.empty();
          }
          if (l1 == 0 && l2 == 0) {
            report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, penalty.span(), "l1_l2 needs l1 or l2 above 0")
                .withHelp("write l1_l2(l1: 0.01, l2: 0.01)"));
            failed = true;
            return Optional.empty();
          }
          return Optional.of(new dev.nnet.processor.ir.Regularizer(l1, l2));
        }
        default -> { }
      }
    }
    unknown(name, value.get(), List.of("l1(factor)", "l2(factor)", "l1_l2(l1: a, l2: b)"));
    return Optional.empty();
  }

  /** {@code kernel_constraint: max_norm(3)}; empty when absent or after an error. */
  OptionalDouble maxNorm(String name) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (value.get() instanceof Expr.CallExpr callExpr && callExpr.call().name().equals("max_norm")) {
      return singleNumber(callExpr.call(), "max_value", 0, true);
    }
    unknown(name, value.get(), List.of("max_norm(max_value)"));
    return OptionalDouble.empty();
  }

  /** The one number of {@code l2(0.01)} or {@code l2(l2: 0.01)}, above {@code min} (or at it). */
  private OptionalDouble singleNumber(Call call, String argument, double min, boolean strictlyAbove) {
    List<Argument> given = call.arguments();
    Expr value = null;
    if (given.size() == 1 && (given.get(0).name().isEmpty() || given.get(0).name().get().equals(argument))) {
      value = given.get(0).value();
    }
    if (value instanceof Expr.Number number
        && (strictlyAbove ? number.value() > min : number.value() >= min) && Double.isFinite(number.value())) {
      return OptionalDouble.of(number.value());
    }
    report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, value == null ? call.span() : value.span(),
            call.name() + " takes one number" + (min == 0 ? " above 0" : "")
                + (value == null ? "" : ", but got " + describe(value)))
        .withHelp("write " + call.name() + "(" + (call.name().equals("max_norm") ? "3" : "0.01") + ")"));
    failed = true;
    return OptionalDouble.empty();
  }

  private void unknown(String name, Expr value, List<String> choices) {
    String written = value instanceof Expr.Name word ? word.name()
        : value instanceof Expr.CallExpr callExpr ? callExpr.call().name() : null;
    Optional<String> needsArguments = choices.stream()
        .filter(c -> c.contains("(") && c.substring(0, c.indexOf('(')).equals(written)).findFirst();
    if (needsArguments.isPresent() && value instanceof Expr.Name) {
      // 'kernel_regularizer: l2' misses only its factor.
      report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.span(), written + " needs its arguments")
          .withHelp("write " + needsArguments.get()));
      failed = true;
      return;
    }
    Diagnostic d = Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.span(), "unknown " + name + " " + describe(value));
    Optional<String> suggestion = written == null ? Optional.empty()
        : Suggestions.closest(written, choices.stream().map(c -> c.replaceAll("\\(.*", "")).toList());
    report(suggestion.isPresent()
        ? d.withHelp("did you mean '" + suggestion.get() + "'?")
        : d.withNote("expected one of: " + String.join(", ", choices)));
    failed = true;
  }

  /**
   * An activation such as {@code activation: relu} or {@code activation: leaky_relu(alpha: 0.1)};
   * {@code fallback} when absent, empty after an error.
   */
  Optional<dev.nnet.processor.ir.Activation> activation(String name, dev.nnet.processor.ir.Activation fallback) {
    Optional<Expr> value = named(name);
    if (value.isEmpty()) {
      return Optional.of(fallback);
    }
    Call call;
    if (value.get() instanceof Expr.Name word) {
      call = new Call(word.name(), word.span(), List.of(), word.span());
    } else if (value.get() instanceof Expr.CallExpr callExpr) {
      call = callExpr.call();
    } else {
      unknown(name, value.get(), dev.nnet.processor.ir.Activation.keywords());
      return Optional.empty();
    }
    Optional<dev.nnet.processor.ir.Activation.Kind> kind = dev.nnet.processor.ir.Activation.kind(call.name());
    if (kind.isEmpty()) {
      unknown(name, value.get(), dev.nnet.processor.ir.Activation.keywords());
      return Optional.empty();
    }
    ArgumentReader options = new ArgumentReader(call, call.name(), 0, activationOptionNames(kind.get()), sink);
    Optional<dev.nnet.processor.ir.Activation> result = options.activationOptions(kind.get());
    failed |= result.isEmpty();
    return result;
  }

  /** The options an activation takes: alpha for leaky relu and elu, approximate for gelu. */
  static List<String> activationOptionNames(dev.nnet.processor.ir.Activation.Kind kind) {
    return switch (kind) {
      case LEAKY_RELU, ELU -> List.of("alpha");
      case GELU -> List.of("approximate");
      default -> List.of();
    };
  }

  /** Reads this call's activation options (see {@link #activationOptionNames}). */
  Optional<dev.nnet.processor.ir.Activation> activationOptions(dev.nnet.processor.ir.Activation.Kind kind) {
    dev.nnet.processor.ir.Activation base = dev.nnet.processor.ir.Activation.of(kind);
    double alpha = switch (kind) {
      case LEAKY_RELU, ELU -> number("alpha", base.alpha(), 0, 1_000, false);
      default -> 0;
    };
    boolean approximate = kind == dev.nnet.processor.ir.Activation.Kind.GELU && bool("approximate", false);
    return failed ? Optional.empty() : Optional.of(new dev.nnet.processor.ir.Activation(kind, alpha, approximate));
  }

  static String describe(Expr value) {
    if (value instanceof Expr.Number number) {
      return number.text();
    } else if (value instanceof Expr.Name word) {
      return "'" + word.name() + "'";
    } else if (value instanceof Expr.Text text) {
      return "the text \"" + text.value() + "\"";
    } else if (value instanceof Expr.ListOf) {
      return "a list";
    } else {
      return "'" + ((Expr.CallExpr) value).call().name() + "(...)'";
    }
  }

  static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.valueOf(value);
  }

  private void error(DiagnosticCode code, SourceSpan span, String message) {
    sink.report(Diagnostic.of(code, span, message));
  }

  private void report(Diagnostic d) {
    sink.report(d);
  }
}
