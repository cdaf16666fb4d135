package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.processor.ir.RuntimeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code train} block can name — optimizers, losses, metrics, learning-rate schedules —
 * with each one's arguments, their defaults (Keras's) and ranges, and the runtime class it
 * becomes. One table, so the checker, the generated code and {@code docs/language.md} agree.
 */
final class RuntimeCatalog {
  private static final String OPTIM = "dev.nnet.runtime.optim";
  private static final String LOSS = "dev.nnet.runtime.loss";
  private static final String METRICS = "dev.nnet.runtime.metrics";
  private static final String SCHEDULE = "dev.nnet.runtime.schedule";

  /** The kind of value an argument takes. */
  enum Kind {
    POSITIVE("a number above 0"),
    NON_NEGATIVE("a number from 0 up"),
    FRACTION("a number from 0 up to (not including) 1"),
    OPEN_FRACTION("a number above 0 and below 1"),
    AT_LEAST_ONE("a number from 1 up"),
    POSITIVE_INT("an integer from 1 up"),
    BOOLEAN("true or false");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** One argument: its name as written, its kind and its default as a Java literal. */
  record Parameter(String name, Kind kind, String fallback) {}

  /** One entry: how it is written and which runtime class, with which constructor arguments, it is. */
  record Entry(String keyword, String packageName, String className, List<Parameter> parameters, boolean singleton) {}

  private final String what;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private RuntimeCatalog(String what) {
    this.what = what;
  }

  private RuntimeCatalog add(String keyword, String packageName, String className, Parameter... parameters) {
    entries.put(keyword, new Entry(keyword, packageName, className, List.of(parameters), parameters.length == 0));
    return this;
  }

  private static Parameter p(String name, Kind kind, String fallback) {
    return new Parameter(name, kind, fallback);
  }

  static final RuntimeCatalog OPTIMIZERS = new RuntimeCatalog("optimizer")
      .add("sgd", OPTIM, "Sgd", p("learning_rate", Kind.POSITIVE, "0.01"), p("momentum", Kind.FRACTION, "0.0"),
          p("nesterov", Kind.BOOLEAN, "false"))
      .add("gradient_descent", OPTIM, "GradientDescent", p("learning_rate", Kind.POSITIVE, "0.01"))
      .add("adam", OPTIM, "Adam", p("learning_rate", Kind.POSITIVE, "0.001"), p("beta_1", Kind.FRACTION, "0.9"),
          p("beta_2", Kind.FRACTION, "0.999"), p("epsilon", Kind.POSITIVE, "1.0E-7"))
      .add("adamw", OPTIM, "AdamW", p("learning_rate", Kind.POSITIVE, "0.001"),
          p("weight_decay", Kind.NON_NEGATIVE, "0.004"), p("beta_1", Kind.FRACTION, "0.9"),
          p("beta_2", Kind.FRACTION, "0.999"), p("epsilon", Kind.POSITIVE, "1.0E-7"))
      .add("nadam", OPTIM, "Nadam", p("learning_rate", Kind.POSITIVE, "0.001"), p("beta_1", Kind.FRACTION, "0.9"),
          p("beta_2", Kind.FRACTION, "0.999"), p("epsilon", Kind.POSITIVE, "1.0E-7"))
      .add("rmsprop", OPTIM, "RmsProp", p("learning_rate", Kind.POSITIVE, "0.001"), p("rho", Kind.FRACTION, "0.9"),
          p("momentum", Kind.FRACTION, "0.0"), p("epsilon", Kind.POSITIVE, "1.0E-7"),
          p("centered", Kind.BOOLEAN, "false"))
      .add("adagrad", OPTIM, "Adagrad", p("learning_rate", Kind.POSITIVE, "0.001"),
          p("initial_accumulator_value", Kind.NON_NEGATIVE, "0.1"), p("epsilon", Kind.POSITIVE, "1.0E-7"))
      .add("adadelta", OPTIM, "Adadelta", p("learning_rate", Kind.POSITIVE, "0.001"), p("rho", Kind.FRACTION, "0.95"),
          p("epsilon", Kind.POSITIVE, "1.0E-7"));

  static final RuntimeCatalog LOSSES = new RuntimeCatalog("loss")
      .add("categorical_crossentropy", LOSS, "CategoricalCrossEntropy")
      .add("sparse_categorical_crossentropy", LOSS, "SparseCategoricalCrossEntropy")
      .add("binary_crossentropy", LOSS, "BinaryCrossEntropy", p("from_logits", Kind.BOOLEAN, "false"))
      .add("mean_squared_error", LOSS, "MeanSquaredError")
      .add("mse", LOSS, "MeanSquaredError")
      .add("mean_absolute_error", LOSS, "MeanAbsoluteError")
      .add("mae", LOSS, "MeanAbsoluteError")
      .add("huber", LOSS, "Huber", p("delta", Kind.POSITIVE, "1.0"))
      .add("log_cosh", LOSS, "LogCosh")
      .add("logcosh", LOSS, "LogCosh")
      .add("hinge", LOSS, "Hinge")
      .add("squared_hinge", LOSS, "SquaredHinge")
      .add("kl_divergence", LOSS, "KLDivergence")
      .add("kld", LOSS, "KLDivergence")
      .add("poisson", LOSS, "Poisson")
      .add("cosine_similarity", LOSS, "CosineSimilarity");

  static final RuntimeCatalog METRIC_NAMES = new RuntimeCatalog("metric")
      .add("accuracy", METRICS, "Accuracy")
      .add("top_k_accuracy", METRICS, "TopKAccuracy", p("k", Kind.POSITIVE_INT, "5"))
      .add("precision", METRICS, "Precision")
      .add("recall", METRICS, "Recall")
      .add("f1", METRICS, "F1")
      .add("auc", METRICS, "Auc")
      .add("mae", METRICS, "MeanAbsoluteError")
      .add("rmse", METRICS, "RootMeanSquaredError")
      .add("r2", METRICS, "RSquared");

  static final RuntimeCatalog SCHEDULES = new RuntimeCatalog("learning-rate schedule")
      .add("step_decay", SCHEDULE, "StepDecay", p("factor", Kind.OPEN_FRACTION, "0.5"), p("every_epochs", Kind.POSITIVE_INT, "10"))
      .add("exponential_decay", SCHEDULE, "ExponentialDecay", p("decay_rate", Kind.OPEN_FRACTION, "0.96"),
          p("decay_steps", Kind.POSITIVE_INT, "1000"), p("staircase", Kind.BOOLEAN, "false"))
      .add("cosine_decay", SCHEDULE, "CosineDecay", p("decay_steps", Kind.POSITIVE_INT, "1000"),
          p("alpha", Kind.FRACTION, "0.0"))
      .add("cosine_decay_restarts", SCHEDULE, "CosineDecayRestarts", p("first_decay_steps", Kind.POSITIVE_INT, "1000"),
          p("t_mul", Kind.AT_LEAST_ONE, "2.0"), p("m_mul", Kind.POSITIVE, "1.0"), p("alpha", Kind.FRACTION, "0.0"));

  List<String> keywords() {
    return List.copyOf(entries.keySet());
  }

  /**
   * Resolves {@code adam}, {@code adam(learning_rate: 1e-3)} or (for one-parameter entries)
   * {@code huber(2.0)}; reports what is wrong and returns empty otherwise.
   */
  Optional<RuntimeObject> resolve(Expr value, DiagnosticSink sink) {
    Call call;
    if (value instanceof Expr.CallExpr callExpr) {
      call = callExpr.call();
    } else if (value instanceof Expr.Name name) {
      call = new Call(name.name(), name.span(), List.of(), name.span());
    } else {
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.span(),
          (what.matches("[aeiou].*") ? "an " : "a ") + what + " is a name or a call, but got "
              + ArgumentReader.describe(value)));
      return Optional.empty();
    }
    Entry entry = entries.get(call.name());
    if (entry == null) {
      Diagnostic d = Diagnostic.of(DiagnosticCode.INVALID_VALUE, call.nameSpan(), "unknown " + what + " '" + call.name() + "'");
      Optional<String> suggestion = Suggestions.closest(call.name(), entries.keySet());
      sink.report(suggestion.isPresent()
          ? d.withHelp("did you mean '" + suggestion.get() + "'?")
          : d.withNote("the choices are: " + String.join(", ", entries.keySet())));
      return Optional.empty();
    }
    List<String> names = entry.parameters().stream().map(Parameter::name).toList();
    // huber(2.0) is huber(delta: 2.0), sgd(0.1, 0.9) is sgd(learning_rate: 0.1, momentum: 0.9):
    // leading positional values name the parameters in order, as in Keras.
    List<dev.nnet.dsl.ast.Argument> arguments = new ArrayList<>(call.arguments());
    for (int k = 0; k < arguments.size() && k < names.size() && arguments.get(k).name().isEmpty(); k++) {
      dev.nnet.dsl.ast.Argument positional = arguments.get(k);
      arguments.set(k, new dev.nnet.dsl.ast.Argument(Optional.of(names.get(k)), positional.nameSpan(),
          positional.value(), positional.span()));
    }
    call = new Call(call.name(), call.nameSpan(), arguments, call.span());
    ArgumentReader args = new ArgumentReader(call, call.name(), 0, names, sink);
    List<String> literals = new ArrayList<>();
    List<String> written = new ArrayList<>();
    // An unknown argument does not stop the check of the known ones: one run, every mistake.
    boolean ok = !args.failed();
    for (Parameter parameter : entry.parameters()) {
      Optional<Expr> given = args.named(parameter.name());
      if (given.isEmpty()) {
        literals.add(parameter.fallback());
        continue;
      }
      Optional<String> literal = literal(parameter, given.get(), call.name(), sink);
      ok &= literal.isPresent();
      literal.ifPresent(l -> {
        literals.add(l);
        written.add(parameter.name() + ": " + source(given.get()));
      });
    }
    if (!ok) {
      return Optional.empty();
    }
    String text = written.isEmpty() ? call.name() : call.name() + "(" + String.join(", ", written) + ")";
    return Optional.of(new RuntimeObject(entry.keyword(), entry.packageName(), entry.className(),
        entry.singleton() ? List.of() : literals, entry.singleton(), text));
  }

  private static String source(Expr value) {
    if (value instanceof Expr.Number number) {
      return number.text();
    }
    return value instanceof Expr.Name name ? name.name() : ArgumentReader.describe(value);
  }

  private static Optional<String> literal(Parameter parameter, Expr value, String owner, DiagnosticSink sink) {
    switch (parameter.kind()) {
      case BOOLEAN -> {
        if (value instanceof Expr.Name name && (name.name().equals("true") || name.name().equals("false"))) {
          return Optional.of(name.name());
        }
      }
      case POSITIVE_INT -> {
        if (value instanceof Expr.Number number && number.integer() && number.value() >= 1
            && number.value() <= Integer.MAX_VALUE) {
          return Optional.of(String.valueOf((long) number.value()));
        }
      }
      default -> {
        if (value instanceof Expr.Number number && Double.isFinite(number.value())) {
          double v = number.value();
          boolean inRange = switch (parameter.kind()) {
            case POSITIVE -> v > 0;
            case NON_NEGATIVE -> v >= 0;
            case OPEN_FRACTION -> v > 0 && v < 1;
            case AT_LEAST_ONE -> v >= 1;
            default -> v >= 0 && v < 1;
          };
          if (inRange) {
            return Optional.of(String.valueOf(v));
          }
        }
      }
    }
    sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, value.span(),
        "'" + parameter.name() + "' of " + owner + " must be " + parameter.kind().description
            + ", but got " + ArgumentReader.describe(value)));
    return Optional.empty();
  }

  /** For the docs: every entry with its arguments and defaults. */
  String table() {
    StringBuilder out = new StringBuilder();
    for (Entry entry : entries.values()) {
      out.append(entry.keyword());
      if (!entry.parameters().isEmpty()) {
        out.append('(');
        List<String> parts = new ArrayList<>();
        for (Parameter parameter : entry.parameters()) {
          parts.add(parameter.name() + ": " + parameter.fallback().toLowerCase(Locale.ROOT));
        }
        out.append(String.join(", ", parts)).append(')');
      }
      out.append('\n');
    }
    return out.toString();
  }
}
