package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.GanDecl;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TrainBlock;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Initializer;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.LossSpec;
import dev.nnet.processor.ir.NetworkInput;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.RuntimeObject;
import dev.nnet.processor.ir.ParameterSlot;
import dev.nnet.processor.ir.Regularizer;
import dev.nnet.processor.ir.Shape;
import dev.nnet.processor.ir.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * Resolves names, checks arguments and shapes, and lays out parameters: AST in, checked
 * {@link NetworkModel}s out. Everything wrong with the input becomes a diagnostic; a network
 * with any error yields no model, and the others in the same file are still checked.
 */
public final class NetworkChecker {
  /** Largest dimension, unit count or batch size accepted; beyond it arrays stop fitting. */
  static final int MAX_DIMENSION = 1 << 24;

  /** The most parameters one flat {@code float[]} can hold on HotSpot. */
  static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

  static final List<String> LAYERS;

  static {
    List<String> layers = new ArrayList<>(List.of("dense", "dropout", "flatten", "reshape", "add", "multiply", "concat",
        "batch_norm", "layer_norm", "gaussian_noise"));
    layers.addAll(Activation.keywords());
    layers.addAll(StageChecker.STAGES);
    layers.addAll(SpatialLayers.KINDS);
    layers.addAll(List.of("rnn", "lstm", "gru", "embedding", "bidirectional", "time_distributed"));
    layers.add("gaussian_sample");
    layers.addAll(UpsamplingLayers.KINDS);
    layers.addAll(AttentionChecks.KINDS);
    LAYERS = List.copyOf(layers);
  }
  static final List<String> SETTINGS = List.of("loss", "optimizer", "batch", "epochs", "metrics", "schedule",
      "clipnorm", "clipvalue", "validation_split", "shuffle", "class_weight");

  private NetworkChecker() {}

  /**
   * Checks every network in {@code file}; the models of those without errors come back in
   * source order.
   */
  public static List<NetworkModel> check(NnetFile file, String packageName, DiagnosticSink sink) {
    List<NetworkModel> models = new ArrayList<>();
    Map<String, NetworkDecl> seen = new HashMap<>();
    Constants constants = Constants.forFile(file.lets(), sink);
    // Networks can be used as layers of other networks in the file: collect them, constants substituted.
    Map<String, NetworkDecl> components = new LinkedHashMap<>();
    Set<String> called = new HashSet<>();
    for (NetworkDecl network : file.networks()) {
      components.putIfAbsent(network.name(), constants.substitute(network, diagnostic -> { }));
      network.statements().forEach(statement -> called.add(statement.call().name()));
    }
    // The parts of a one-line GAN need train blocks, but GanChecker says so in its own words.
    file.gans().forEach(gan -> gan.spec().arguments().forEach(argument -> {
      if (argument.value() instanceof Expr.Name name) {
        called.add(name.name());
      }
    }));
    for (NetworkDecl network : file.networks()) {
      NetworkDecl first = seen.putIfAbsent(network.name(), network);
      if (first != null) {
        sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NETWORK, network.nameSpan(),
                "a network named '" + network.name() + "' is already declared")
            .withNote("first declared at " + first.nameSpan()));
        continue;
      }
      if (!javax.lang.model.SourceVersion.isName(network.name())) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, network.nameSpan(),
                "'" + network.name() + "' is a Java keyword, so it cannot name the generated class")
            .withHelp("choose another name, such as '" + Character.toUpperCase(network.name().charAt(0))
                + network.name().substring(1) + "Net'"));
        continue;
      }
      DiagnosticList constantErrors = new DiagnosticList();
      NetworkDecl substituted = constants.substitute(network, diagnostic -> {
        constantErrors.report(diagnostic);
        sink.report(diagnostic);
      });
      Optional<NetworkModel> model =
          new Check(file.source(), packageName, substituted, sink, components, called.contains(network.name())).run();
      // A network whose constants are in conflict is still checked (every error in one run),
      // but generates no code.
      if (!constantErrors.hasErrors()) {
        model.ifPresent(models::add);
      }
    }
    // One-line GANs: each becomes the network that stacks its generator and discriminator.
    Map<String, SourceSpan> names = new HashMap<>();
    seen.forEach((name, network) -> names.put(name, network.nameSpan()));
    for (GanDecl gan : file.gans()) {
      SourceSpan first = names.putIfAbsent(gan.name(), gan.nameSpan());
      if (first != null) {
        sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NETWORK, gan.nameSpan(),
                "a network named '" + gan.name() + "' is already declared")
            .withNote("first declared at " + first));
      } else if (!javax.lang.model.SourceVersion.isName(gan.name())) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, gan.nameSpan(),
            "'" + gan.name() + "' is a Java keyword, so it cannot name the generated class"));
      } else {
        GanChecker.stack(gan, components, models, sink).flatMap(stack ->
            new Check(file.source(), packageName, stack, sink, components, false).run()).ifPresent(models::add);
      }
    }
    return models;
  }

  /** The checking of one network; collects whether any error was reported. */
  private static final class Check {
    private final SourceFile source;
    private final String packageName;
    private final NetworkDecl network;
    private DiagnosticSink sink;
    /** Reaches the user even while an inlined network's own mistakes are kept quiet. */
    private final DiagnosticSink rootSink;
    private boolean failed;
    private boolean missingInput;
    private final Map<String, NetworkDecl> components;
    private final boolean component;
    /** Networks being inlined, outermost first: a network that reaches itself is a cycle. */
    private final java.util.Deque<String> inlining = new java.util.ArrayDeque<>();
    /** Per draft index, for layers of an inlined network: the key its parameters are shared by. */
    private final Map<Integer, String> sharedKey = new HashMap<>();
    /** The preprocessing stages read so far, by their statement (drafts of kind "stage"). */
    private final Map<LayerStatement, StageChecker.Checked> stages = new java.util.IdentityHashMap<>();
    /** String inputs and the text_vectorize stages reading them. */
    private final TextStageChecker text = new TextStageChecker(() -> sink);
    /** Per statement of a spatial layer (conv2d, pools, ...): its checked options. */
    private final Map<LayerStatement, SpatialLayers.Read> spatial = new java.util.IdentityHashMap<>();
    /** Per statement of an upsampling2d or conv2d_transpose: its checked options. */
    private final Map<LayerStatement, UpsamplingLayers.Read> upsampling = new java.util.IdentityHashMap<>();
    /** The options of sequence layers' drafts (rnn, lstm, gru, embedding), beside the draft. */
    private final Map<Draft, SequenceChecks.Spec> sequence = new java.util.IdentityHashMap<>();
    /** The drafts of the network being checked, for looking back at a producer's kind. */
    private List<Draft> currentDrafts = List.of();
    /** The names bound before the statement being checked (for tensors named in options). */
    private Map<String, Binding> currentScope = Map.of();

    Check(SourceFile source, String packageName, NetworkDecl network, DiagnosticSink sink,
        Map<String, NetworkDecl> components, boolean component) {
      this.source = source;
      this.packageName = packageName;
      this.network = network;
      this.components = components;
      this.component = component;
      this.inlining.push(network.name());
      this.rootSink = sink;
      this.sink = diagnostic -> {
        if (diagnostic.severity() == dev.nnet.diag.Severity.ERROR) {
          failed = true;
        }
        sink.report(diagnostic);
      };
    }

    /** A name bound to a value: the input ({@code producer == -1}) or a statement's result. */
    private record Binding(Shape shape, int producer, SourceSpan span) {}

    /** A dense kernel {@code [in, units]} at {@code offset}, then its bias if the draft has one. */
    private static DenseSlots denseSlots(String name, Draft draft, int in, int units, long offset) {
      ParameterSlot weights = new ParameterSlot(name + ".weight", constant(name) + "_WEIGHTS_OFFSET", (int) offset,
          List.of(in, units), draft.weightInitializer(), in, units);
      Optional<ParameterSlot> bias = draft.useBias()
          ? Optional.of(new ParameterSlot(name + ".bias", constant(name) + "_BIAS_OFFSET",
              (int) offset + weights.size(), List.of(units), draft.biasInitializer(), in, units))
          : Optional.empty();
      return new DenseSlots(weights, bias);
    }

    /** The parameters of a dense layer (or of the dense layer time_distributed applies). */
    private record DenseSlots(ParameterSlot weights, Optional<ParameterSlot> bias) {
      long size() {
        return weights.size() + bias.map(ParameterSlot::size).orElse(0);
      }
    }

    /** For a layer that would take the one parameter array past {@link #MAX_PARAMETERS}. */
    private static Diagnostic tooManyParameters(Draft draft, SourceSpan span) {
      return Diagnostic.of(DiagnosticCode.INVALID_VALUE, span,
          "with '" + draft.statement().target() + "' the network would have more than "
              + String.format(Locale.ROOT, "%,d", MAX_PARAMETERS) + " parameters, the most one array holds");
    }

    /** A layer statement after its arguments were read; turned into a {@link Layer} if used. */
    private record Draft(
        LayerStatement statement,
        String kind,
        List<Integer> inputs,
        List<Shape> inputShapes,
        Shape outputShape,
        Activation activation,
        boolean useBias,
        Initializer weightInitializer,
        Initializer biasInitializer,
        Optional<Regularizer> kernelRegularizer,
        Optional<Regularizer> biasRegularizer,
        java.util.OptionalDouble maxNorm,
        double rate) {
      Shape inputShape() {
        return inputShapes.get(0);
      }
    }

    Optional<NetworkModel> run() {
      Optional<List<Binding>> input = checkInputs();
      Map<String, Binding> scope = new LinkedHashMap<>();
      // Every declared input is in scope; one that failed its checks is bound to null, so
      // layers reading it stay silent instead of repeating the input's error.
      for (InputDecl declared : network.inputs()) {
        scope.putIfAbsent(declared.name(), null);
      }
      input.ifPresent(bindings -> {
        for (int k = 0; k < bindings.size(); k++) {
          scope.put(network.inputs().get(k).name(), bindings.get(k));
        }
      });
      missingInput = network.inputs().isEmpty();
      List<Draft> drafts = new ArrayList<>();
      // A statement that failed binds its target to null: later uses stay silent (no cascade).
      List<Integer> outputs = new ArrayList<>();
      boolean outputFailed = false;
      for (LayerStatement statement : network.statements()) {
        Binding bound = bind(statement, scope, drafts);
        if (statement.output()) {
          if (bound == null || bound.producer() < 0) {
            outputFailed = true;
          } else if (outputs.contains(bound.producer())) {
            sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NAME, statement.targetSpan(),
                "'" + statement.target() + "' is already an output"));
            outputFailed = true;
          } else {
            outputs.add(bound.producer());
          }
        }
        scope.put(statement.target(), bound);
      }
      int outputIndex = outputs.isEmpty() ? (outputFailed ? -2 : -1) : outputs.get(0);
      if (outputIndex == -1) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_OUTPUT, network.nameSpan(),
                "network '" + network.name() + "' declares no output")
            .withHelp("mark the layer that gives the result with 'output', as in: output probs = dense(h, units: 10, activation: softmax)"));
      }
      Optional<TrainingSpec> training =
          checkTraining(outputFailed ? List.of() : outputs.stream().map(drafts::get).toList());
      if (failed || input.isEmpty() || outputIndex < 0 || outputFailed || training.isEmpty()) {
        return Optional.empty();
      }

      // Walk back from the output: the layers it depends on, kept in source order (a name is
      // always bound before it is read, so that order is topological and cycles cannot arise).
      boolean[] used = new boolean[drafts.size()];
      Set<Integer> readInputs = new HashSet<>();
      java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>(outputs);
      while (!pending.isEmpty()) {
        int at = pending.pop();
        if (at < 0) {
          readInputs.add(at);
        } else if (!used[at]) {
          used[at] = true;
          drafts.get(at).inputs().forEach(pending::push);
        }
      }
      List<Integer> chain = new ArrayList<>();
      for (int i = 0; i < drafts.size(); i++) {
        if (used[i]) {
          chain.add(i);
        } else if (!sharedKey.containsKey(i)) { // an inlined network's own check warns about its layers
          LayerStatement unused = drafts.get(i).statement();
          sink.report(Diagnostic.of(DiagnosticCode.UNUSED_TENSOR, unused.targetSpan(),
                  "'" + unused.target() + "' is computed but never used by the output")
              .withNote("no code is generated for it"));
        }
      }
      for (int k = 0; k < network.inputs().size(); k++) {
        if (!readInputs.contains(NetworkModel.inputValue(k))) {
          InputDecl unused = network.inputs().get(k);
          sink.report(Diagnostic.of(DiagnosticCode.UNUSED_TENSOR, unused.nameSpan(),
                  "input '" + unused.name() + "' is never used by the output")
              .withNote("its values still take their place in each sample of the flat input"));
        }
      }
      return layout(input.get(), drafts, chain, outputs, training.get());
    }

    /** Every input, checked; empty if any failed (its error is reported). */
    private Optional<List<Binding>> checkInputs() {
      List<InputDecl> inputs = network.inputs();
      if (inputs.isEmpty()) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_INPUT, network.nameSpan(),
                "network '" + network.name() + "' declares no input")
            .withHelp("declare one, as in: input image: float[28, 28]"));
        return Optional.empty();
      }
      List<Binding> bindings = new ArrayList<>();
      Map<String, InputDecl> seen = new HashMap<>();
      boolean ok = true;
      long total = 0;
      for (int k = 0; k < inputs.size(); k++) {
        InputDecl input = inputs.get(k);
        InputDecl first = seen.putIfAbsent(input.name(), input);
        if (first != null) {
          sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NAME, input.nameSpan(),
                  "an input named '" + input.name() + "' is already declared")
              .withNote("first declared at " + first.nameSpan()));
          ok = false;
          continue;
        }
        Optional<Shape> shape = TextStageChecker.handles(input) ? text.checkInput(input, k, inputs.size())
            : checkInput(input);
        ok &= shape.isPresent();
        if (shape.isPresent()) {
          total += shape.get().size();
          bindings.add(new Binding(shape.get(), NetworkModel.inputValue(k), input.nameSpan()));
        }
      }
      if (ok && total > MAX_DIMENSION) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, inputs.get(inputs.size() - 1).span(),
            "one sample of all inputs together would hold " + String.format(Locale.ROOT, "%,d", total)
                + " values; at most " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION) + " are supported"));
        ok = false;
      }
      return ok ? Optional.of(bindings) : Optional.empty();
    }

    private Optional<Shape> checkInput(InputDecl input) {
      boolean ok = true;
      if (!input.type().elementType().equals("float")) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, input.type().elementTypeSpan(),
                "inputs hold float values, but the element type is '" + input.type().elementType() + "'")
            .withHelp("write float[...]"));
        ok = false;
      }
      List<Integer> dimensions = new ArrayList<>();
      long size = 1;
      for (Expr dimension : input.type().dimensions()) {
        if (dimension instanceof Expr.Number number && number.integer()
            && number.value() >= 1 && number.value() <= MAX_DIMENSION) {
          dimensions.add((int) number.value());
          size *= (int) number.value();
        } else {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, dimension.span(),
              "a dimension must be an integer from 1 to " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION)
                  + ", but got " + ArgumentReader.describe(dimension)));
          ok = false;
        }
      }
      if (ok && size > MAX_DIMENSION) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, input.type().span(),
            "one sample of '" + input.name() + "' would hold " + String.format(Locale.ROOT, "%,d", size)
                + " values; at most " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION) + " are supported"));
        ok = false;
      }
      return ok ? Optional.of(new Shape(dimensions)) : Optional.empty();
    }

    /** Checks one statement and returns what its target is bound to (null after an error). */
    private Binding bind(LayerStatement statement, Map<String, Binding> scope, List<Draft> drafts) {
      String callee = statement.call().name();
      if (components.containsKey(callee) && !LAYERS.contains(callee)) {
        return inline(statement, components.get(callee), scope, drafts);
      }
      if (callee.equals("bidirectional")) {
        return bidirectional(statement, scope, drafts);
      }
      if (callee.equals("time_distributed")) {
        return timeDistributed(statement, scope, drafts);
      }
      currentDrafts = drafts;
      Draft draft = checkStatement(statement, scope, drafts);
      if (draft == null) {
        return null;
      }
      drafts.add(draft);
      return new Binding(draft.outputShape(), drafts.size() - 1, statement.targetSpan());
    }

    /**
     * {@code z = Encoder(image)}: the layers of another network of the file, applied to the given
     * tensors. Its layers join this network under the target's name ({@code z_h}); every use of
     * the same network shares its parameters. Mistakes inside it are reported by its own check.
     */
    private Binding inline(LayerStatement statement, NetworkDecl callee, Map<String, Binding> scope, List<Draft> drafts) {
      Call call = statement.call();
      if (inlining.contains(callee.name())) {
        List<String> path = new ArrayList<>(inlining);
        java.util.Collections.reverse(path);
        path = path.subList(path.indexOf(callee.name()), path.size());
        path = new ArrayList<>(path);
        path.add(callee.name());
        // Every network on the cycle meets it; the first of them in the file reports it, once.
        String first = components.keySet().stream().filter(path::contains).findFirst().orElse(network.name());
        if (first.equals(network.name())) {
          rootSink.report(Diagnostic.of(DiagnosticCode.UNSUPPORTED_GRAPH, call.nameSpan(),
              "network '" + callee.name() + "' would contain itself: " + String.join(" -> ", path)));
        }
        failed = true;
        return null;
      }
      if (inlining.size() >= dev.nnet.dsl.NnetReader.MAX_NESTING) {
        // Inlining recurses per level: a chain this deep (or a cycle this long) would overflow.
        if (!failed) {
          List<String> path = new ArrayList<>(inlining);
          java.util.Collections.reverse(path);
          rootSink.report(Diagnostic.of(DiagnosticCode.NESTING_TOO_DEEP, network.nameSpan(),
                  "network '" + network.name() + "' uses networks as layers more than "
                      + dev.nnet.dsl.NnetReader.MAX_NESTING + " networks deep: " + path.get(0) + " -> "
                      + path.get(1) + " -> … -> " + path.get(path.size() - 1) + " -> " + callee.name())
              .withHelp("flatten the chain: declare the layers of some of these networks directly"));
        }
        failed = true;
        return null;
      }
      long calleeOutputs = callee.statements().stream().filter(LayerStatement::output).count();
      if (calleeOutputs > 1) {
        sink.report(Diagnostic.of(DiagnosticCode.UNSUPPORTED_GRAPH, call.nameSpan(),
                "network '" + callee.name() + "' has " + calleeOutputs + " outputs; a network used as a layer needs one")
            .withNote("'" + callee.name() + "' is declared at " + callee.nameSpan()));
        return null;
      }
      long tensors = call.arguments().stream().filter(argument -> argument.name().isEmpty()).count();
      long sharedOption = call.arguments().stream().filter(argument -> argument.name().equals(Optional.of("shared"))).count();
      if (tensors != callee.inputs().size() || call.arguments().size() != tensors + sharedOption) {
        sink.report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, call.span(),
                callee.name() + " takes " + callee.inputs().size() + (callee.inputs().size() == 1 ? " tensor" : " tensors")
                    + " (" + String.join(", ", callee.inputs().stream().map(InputDecl::name).toList()) + "), but got "
                    + (call.arguments().size() != tensors ? "named arguments" : String.valueOf(tensors)))
            .withNote("'" + callee.name() + "' is declared at " + callee.nameSpan()));
        return null;
      }
      ArgumentReader args = new ArgumentReader(call, callee.name(), callee.inputs().size(), List.of("shared"), sink);
      boolean shared = args.bool("shared", true);
      if (args.failed()) {
        return null;
      }
      int firstDraft = drafts.size();
      Map<String, Binding> inner = new LinkedHashMap<>();
      for (int k = 0; k < callee.inputs().size(); k++) {
        InputDecl declared = callee.inputs().get(k);
        Expr given = args.positional(k).orElseThrow();
        Optional<Binding> binding = resolve(given, scope);
        DiagnosticList ignored = new DiagnosticList();
        DiagnosticSink outer = sink;
        sink = ignored;
        Optional<Shape> expected = checkInput(declared);
        sink = outer;
        if (binding.isEmpty() || expected.isEmpty()) {
          return null;
        }
        if (!binding.get().shape().equals(expected.get())) {
          sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, given.span(),
                  callee.name() + " expects its input '" + declared.name() + "' with shape " + expected.get()
                      + ", but '" + ((Expr.Name) given).name() + "' has shape " + binding.get().shape())
              .withNote("'" + declared.name() + "' is declared at " + declared.nameSpan()));
          return null;
        }
        inner.put(declared.name(), binding.get());
      }
      // Inside the callee, report nothing: its own check reports its mistakes once.
      DiagnosticList innerErrors = new DiagnosticList();
      DiagnosticSink outer = sink;
      sink = innerErrors;
      inlining.push(callee.name());
      Binding output = null;
      try {
        for (int position = 0; position < callee.statements().size(); position++) {
          LayerStatement innerStatement = callee.statements().get(position);
          LayerStatement renamed = new LayerStatement(false, statement.target() + "_" + innerStatement.target(),
              innerStatement.targetSpan(), innerStatement.call(), innerStatement.span());
          int before = drafts.size();
          Binding bound = bind(renamed, inner, drafts);
          for (int d = before; d < drafts.size(); d++) {
            // Keyed by statement, not name: a name bound twice inside it is two layers.
            sharedKey.putIfAbsent(d, callee.name() + "#" + position + "." + (d - before));
          }
          inner.put(innerStatement.target(), bound);
          if (innerStatement.output()) {
            output = bound;
          }
        }
      } finally {
        inlining.pop();
        sink = outer;
      }
      if (innerErrors.hasErrors() || output == null) {
        return null;
      }
      if (!shared) {
        CompositionKeys.unshare(sharedKey, statement.span(), firstDraft, drafts.size());
      }
      return new Binding(output.shape(), output.producer(), statement.targetSpan());
    }

    private Draft checkStatement(LayerStatement statement, Map<String, Binding> scope, List<Draft> drafts) {
      currentScope = scope;
      Call call = statement.call();
      if (!LAYERS.contains(call.name())) {
        Diagnostic d = Diagnostic.of(DiagnosticCode.UNKNOWN_LAYER, call.nameSpan(),
            "unknown layer '" + call.name() + "'");
        Optional<String> suggestion = Suggestions.closest(call.name(), LAYERS);
        sink.report(suggestion.isPresent()
            ? d.withHelp("did you mean '" + suggestion.get() + "'?")
            : d.withNote("the layers are: " + String.join(", ", LAYERS)));
        return null;
      }
      if (List.of("add", "multiply", "concat").contains(call.name())) {
        return checkMerge(statement, scope);
      }
      if (call.name().equals("gaussian_sample")) {
        return checkSample(statement, scope);
      }
      if (StageChecker.STAGES.contains(call.name())) {
        return checkStage(statement, scope, drafts);
      }
      Optional<Activation.Kind> standalone = Activation.kind(call.name());
      List<String> names = standalone.isPresent() ? ArgumentReader.activationOptionNames(standalone.get()) : switch (call.name()) {
        case "dense" -> List.of("units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
            "kernel_regularizer", "bias_regularizer", "l1", "l2", "kernel_constraint");
        case "dropout" -> List.of("rate");
        case "gaussian_noise" -> List.of("stddev");
        case "reshape" -> List.of("shape");
        case "batch_norm" -> List.of("momentum", "epsilon");
        case "layer_norm" -> List.of("epsilon");
        case "conv2d", "conv1d", "maxpool2d", "avgpool2d", "spatial_dropout2d" -> SpatialLayers.optionNames(call.name());
        case "rnn", "lstm", "gru", "embedding" -> SequenceChecks.optionNames(call.name());
        case "upsampling2d", "conv2d_transpose" -> UpsamplingLayers.optionNames(call.name());
        case "positional_embedding", "multi_head_attention", "globalavgpool1d" -> AttentionChecks.optionNames(call.name());
        default -> List.of();
      };
      ArgumentReader args = new ArgumentReader(call, call.name(), 1, names, sink);
      Optional<Binding> input = args.positional(0).flatMap(expr -> resolve(expr, scope));
      if (args.failed() || input.isEmpty()) {
        // Still read the named arguments, so one pass reports every independent mistake.
        readOptions(call.name(), args, null, null);
        return null;
      }
      return readOptions(call.name(), args, statement, input.get());
    }

    /**
     * Reads a layer's named arguments into a draft. With no {@code input} (it failed to resolve)
     * it only reports problems in the other arguments.
     */
    private Draft readOptions(String kind, ArgumentReader args, LayerStatement statement, Binding input) {
      Draft draft = switch (kind) {
        case "dense" -> {
          int units = args.requiredPositiveInt("units", MAX_DIMENSION);
          Optional<Activation> activation = args.activation("activation", Activation.LINEAR);
          boolean useBias = args.bool("use_bias", true);
          Optional<Initializer> weights = args.initializer("kernel_initializer", Initializer.GLOROT_UNIFORM);
          Optional<Initializer> bias = args.initializer("bias_initializer", Initializer.ZEROS);
          Optional<Regularizer> kernelRegularizer = args.regularizer("kernel_regularizer");
          Optional<Regularizer> biasRegularizer = args.regularizer("bias_regularizer");
          // The shorthand l1: / l2: of the architecture sketch: a kernel penalty.
          double l1 = args.number("l1", 0, 0, Double.POSITIVE_INFINITY, false);
          double l2 = args.number("l2", 0, 0, Double.POSITIVE_INFINITY, false);
          java.util.OptionalDouble maxNorm = args.maxNorm("kernel_constraint");
          if ((l1 > 0 || l2 > 0) && args.named("kernel_regularizer").isPresent()) {
            sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_ARGUMENT,
                    args.named(l1 > 0 ? "l1" : "l2").orElseThrow().span(),
                    "the kernel penalty is given twice, as kernel_regularizer and as " + (l1 > 0 ? "l1" : "l2"))
                .withHelp("keep one of them"));
            yield null;
          }
          if (l1 > 0 || l2 > 0) {
            kernelRegularizer = Optional.of(new Regularizer(l1, l2));
          }
          if (input == null || args.failed()) {
            yield null;
          }
          if (input.shape().rank() != 1) {
            sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, args.positional(0).orElseThrow().span(),
                    "dense expects a rank-1 input [features], but '" + name(args) + "' has shape " + input.shape())
                .withNote("'" + name(args) + "' is declared at " + input.span())
                .withHelp(insideSequential(args)
                    ? "add flatten() before this layer in the sequential block"
                    : "flatten it first: x = flatten(" + name(args) + ")"));
            yield null;
          }
          long parameters = (long) input.shape().size() * units + units;
          if (parameters > MAX_DIMENSION * 64L) {
            sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, statement.span(),
                "dense layer '" + statement.target() + "' would have "
                    + String.format(Locale.ROOT, "%,d", parameters) + " parameters; at most "
                    + String.format(Locale.ROOT, "%,d", MAX_DIMENSION * 64L) + " are supported"));
            yield null;
          }
          if (!BiasOptions.consistent(args, bias.get(), useBias, biasRegularizer, sink)) {
            yield null;
          }
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), Shape.of(units),
              activation.get(), useBias,
              weights.get(), bias.get(), kernelRegularizer, biasRegularizer, maxNorm, 0);
        }
        case "dropout" -> {
          double rate = args.number("rate", 0, 0, 1, true);
          if (input == null || args.failed()) {
            yield null;
          }
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), input.shape(),
              Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty(),
              java.util.OptionalDouble.empty(), rate);
        }
        case "gaussian_noise" -> {
          double stddev = args.number("stddev", 0, 0, 1000, true);
          if (input == null || args.failed()) {
            yield null;
          }
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), input.shape(),
              Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty(),
              java.util.OptionalDouble.empty(), stddev);
        }
        case "batch_norm", "layer_norm" -> {
          double momentum = kind.equals("batch_norm") ? args.number("momentum", 0.99, 0, 1, false) : 0;
          double epsilon = args.positiveNumber("epsilon", 1e-3, 1);
          if (input == null || args.failed()) {
            yield null;
          }
          // The rate field carries momentum and the activation-free draft keeps epsilon in maxNorm.
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), input.shape(),
              Activation.LINEAR, false, Initializer.named("ones").orElseThrow(), Initializer.ZEROS, Optional.empty(),
              Optional.empty(), java.util.OptionalDouble.of(epsilon), momentum);
        }
        case "reshape" -> {
          Optional<Expr> shapeValue = args.named("shape");
          List<Integer> dims = new ArrayList<>();
          boolean ok = true;
          if (shapeValue.isEmpty()) {
            sink.report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, args.call().nameSpan(), "reshape needs 'shape'")
                .withHelp("add it, as in reshape(x, shape: [7, 4])"));
            ok = false;
          } else if (shapeValue.get() instanceof Expr.ListOf list && !list.elements().isEmpty()) {
            for (Expr dimension : list.elements()) {
              if (dimension instanceof Expr.Number number && number.integer() && number.value() >= 1
                  && number.value() <= MAX_DIMENSION) {
                dims.add((int) number.value());
              } else {
                sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, dimension.span(),
                    "a dimension must be an integer from 1 to " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION)
                        + ", but got " + ArgumentReader.describe(dimension)));
                ok = false;
              }
            }
          } else {
            sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, shapeValue.get().span(),
                    "'shape' is a list of dimensions, but got " + ArgumentReader.describe(shapeValue.get()))
                .withHelp("write shape: [7, 4]"));
            ok = false;
          }
          if (input == null || args.failed() || !ok) {
            yield null;
          }
          Shape target = new Shape(dims);
          if ((long) target.size() != input.shape().size()) {
            sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, shapeValue.get().span(),
                    "reshape keeps every value, but " + target + " holds " + target.size() + " and '" + name(args)
                        + "' " + input.shape() + " holds " + input.shape().size())
                .withNote("'" + name(args) + "' is declared at " + input.span()));
            yield null;
          }
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), target,
              Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty(),
              java.util.OptionalDouble.empty(), 0);
        }
        case "rnn", "lstm", "gru" -> recurrentDraft(kind, args, statement, input);
        case "embedding" -> embeddingDraft(args, statement, input);
        case "positional_embedding", "multi_head_attention", "globalavgpool1d" ->
            attentionDraft(kind, args, statement, input);
        case "flatten" -> {
          if (input == null || args.failed()) {
            yield null;
          }
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()),
              Shape.of(input.shape().size()), Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS,
              Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), 0);
        }
        case "conv2d", "conv1d", "maxpool2d", "avgpool2d", "globalmaxpool2d", "globalavgpool2d", "spatial_dropout2d" -> {
          SpatialLayers.Read read = SpatialLayers.read(kind, args, input == null ? null : input.shape(),
              input == null ? null : input.span(), sink);
          if (read == null || input == null || args.failed()) {
            yield null;
          }
          spatial.put(statement, read);
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), read.outputShape(),
              read.activation(), read.useBias(), read.weightInitializer(), read.biasInitializer(),
              read.kernelRegularizer(), read.biasRegularizer(), java.util.OptionalDouble.empty(), read.rate());
        }
        case "upsampling2d", "conv2d_transpose" -> {
          UpsamplingLayers.Read read = UpsamplingLayers.read(kind, args, input == null ? null : input.shape(),
              input == null ? null : input.span(), sink);
          if (read == null || input == null || args.failed()) {
            yield null;
          }
          upsampling.put(statement, read);
          yield new Draft(statement, kind, List.of(input.producer()), List.of(input.shape()), read.outputShape(),
              read.activation(), read.useBias(), read.weightInitializer(), read.biasInitializer(),
              read.kernelRegularizer(), read.biasRegularizer(), java.util.OptionalDouble.empty(), 0);
        }
        default -> {
          // A standalone activation: relu(x), leaky_relu(x, alpha: 0.1), softmax(x), ...
          Optional<Activation> activation = args.activationOptions(Activation.kind(kind).orElseThrow());
          if (input == null || args.failed() || activation.isEmpty()) {
            yield null;
          }
          if (activation.get().is(Activation.Kind.SOFTMAX) && input.shape().rank() != 1) {
            sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, args.positional(0).orElseThrow().span(),
                    "softmax normalises a rank-1 input [classes], but '" + name(args) + "' has shape " + input.shape())
                .withHelp("flatten it first: x = flatten(" + name(args) + ")"));
            yield null;
          }
          yield new Draft(statement, "activation", List.of(input.producer()), List.of(input.shape()), input.shape(), activation.get(),
              false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(), Optional.empty(),
              java.util.OptionalDouble.empty(), 0);
        }
      };
      return draft;
    }

    /** A preprocessing stage: its options are read by {@link StageChecker}. */
    private Draft checkStage(LayerStatement statement, Map<String, Binding> scope, List<Draft> drafts) {
      Call call = statement.call();
      ArgumentReader args = new ArgumentReader(call, call.name(), 1, StageChecker.options(call.name()), sink);
      text.reading(call.name().equals("text_vectorize"));
      Optional<Binding> input = args.positional(0).flatMap(expr -> resolve(expr, scope));
      text.reading(false);
      Optional<LayerStatement> afterLayer = input.filter(in -> in.producer() >= 0)
          .map(in -> drafts.get(in.producer())).filter(d -> !d.kind().equals("stage")).map(Draft::statement);
      Optional<StageChecker.Checked> stage = call.name().equals("text_vectorize")
          ? text.read(args, input.map(Binding::producer), input.map(Binding::shape), statement)
          : StageChecker.read(args, input.map(Binding::shape), input.map(Binding::span).orElse(call.span()), afterLayer,
              sink);
      if (stage.isEmpty() || input.isEmpty()) {
        return null;
      }
      stages.put(statement, stage.get());
      return new Draft(statement, "stage", List.of(input.get().producer()), List.of(input.get().shape()),
          stage.get().outputShape(), Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(),
          Optional.empty(), java.util.OptionalDouble.empty(), 0);
    }

    /** {@code lstm(x, units: 32)}, {@code gru(...)}, {@code rnn(...)}: masked when x carries token ids' padding. */
    private Draft recurrentDraft(String kind, ArgumentReader args, LayerStatement statement, Binding input) {
      Optional<SequenceChecks.RecurrentSpec> spec = SequenceChecks.recurrent(kind, args,
          input == null ? null : input.shape(), input == null ? null : name(args), input == null ? null : input.span(),
          sink);
      if (spec.isEmpty()) {
        return null;
      }
      List<Integer> inputs = new ArrayList<>(List.of(input.producer()));
      List<Shape> shapes = new ArrayList<>(List.of(input.shape()));
      SequenceChecks.RecurrentSpec options = spec.get();
      Optional<Integer> mask = maskOf(input.producer());
      if (mask.isPresent()) {
        // The token ids ride along as a second input: their 0 steps are skipped.
        inputs.add(mask.get());
        shapes.add(Shape.of(input.shape().dimensions().get(0)));
        options = options.withMask();
      }
      Optional<Expr> initial = args.named("initial_state");
      if (initial.isPresent()) {
        // initial_state: h, or for lstm [h, c]: tensors [units] that the state starts from.
        List<Expr> states = initial.get() instanceof Expr.ListOf list ? list.elements() : List.of(initial.get());
        int most = kind.equals("lstm") ? 2 : 1;
        if (states.isEmpty() || states.size() > most || (initial.get() instanceof Expr.ListOf && kind.equals("lstm")
            && states.size() != 2)) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, initial.get().span(),
                  kind + "'s initial_state is " + (kind.equals("lstm") ? "a tensor h, or a list [h, c] of two" : "one tensor")
                      + ", but got " + (initial.get() instanceof Expr.ListOf ? states.size() + " in a list"
                          : ArgumentReader.describe(initial.get())))
              .withHelp(kind.equals("lstm") ? "write initial_state: [h0, c0]" : "write initial_state: h0"));
          return null;
        }
        for (Expr state : states) {
          Optional<Binding> bound = resolve(state, currentScope);
          if (bound.isEmpty()) {
            return null;
          }
          if (!bound.get().shape().equals(Shape.of(options.units()))) {
            sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, state.span(),
                    kind + "'s initial state is [units] = [" + options.units() + "], but '" + ((Expr.Name) state).name()
                        + "' has shape " + bound.get().shape())
                .withNote("'" + ((Expr.Name) state).name() + "' is declared at " + bound.get().span()));
            return null;
          }
          inputs.add(bound.get().producer());
          shapes.add(bound.get().shape());
        }
        options = options.withInitialStates(states.size());
      }
      Draft draft = new Draft(statement, kind, inputs, shapes, options.outputShape(input.shape()), Activation.LINEAR,
          true, options.kernelInitializer(), options.biasInitializer(), Optional.empty(), Optional.empty(),
          java.util.OptionalDouble.empty(), 0);
      sequence.put(draft, options);
      return draft;
    }

    /** {@code embedding(tokens, input_dim: 5000, output_dim: 32)}: ids from a network input. */
    private Draft embeddingDraft(ArgumentReader args, LayerStatement statement, Binding input) {
      boolean readsIds = input != null && (input.producer() < 0
          || List.of("reshape", "flatten").contains(drafts().get(input.producer()).kind())
          && maskRoot(input.producer()) < 0
          || text.givesIds(drafts().get(input.producer()).statement()));
      Optional<SequenceChecks.EmbeddingSpec> spec = SequenceChecks.embedding(args, input == null ? null : input.shape(),
          input == null ? null : name(args), input == null ? null : input.span(), readsIds, sink);
      if (spec.isEmpty() || input.producer() >= 0
          && !text.checkEmbedding(drafts().get(input.producer()).statement(), spec.get().vocabulary(), args)) {
        return null;
      }
      Draft draft = new Draft(statement, "embedding", List.of(input.producer()), List.of(input.shape()),
          Shape.of(input.shape().size(), spec.get().dimension()), Activation.LINEAR, false, spec.get().initializer(),
          Initializer.ZEROS, Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), 0);
      sequence.put(draft, spec.get());
      return draft;
    }

    /**
     * {@code positional_embedding}, {@code multi_head_attention}, {@code globalavgpool1d}: a
     * sequence in. The last two read a padding mask as a second input, the token ids given as
     * {@code mask:} or those whose mask reaches their input ({@link #maskThrough}).
     */
    private Draft attentionDraft(String kind, ArgumentReader args, LayerStatement statement, Binding input) {
      Optional<SequenceChecks.Spec> spec = AttentionChecks.read(kind, args, input == null ? null : input.shape(),
          input == null ? null : name(args), input == null ? null : input.span(), sink);
      if (spec.isEmpty()) {
        return null;
      }
      int steps = input.shape().dimensions().get(0);
      List<Integer> inputs = new ArrayList<>(List.of(input.producer()));
      List<Shape> shapes = new ArrayList<>(List.of(input.shape()));
      SequenceChecks.Spec options = spec.get();
      if (!kind.equals("positional_embedding")) {
        Optional<Integer> mask;
        Optional<Expr> given = args.named("mask");
        if (given.isPresent()) {
          if (!(given.get() instanceof Expr.Name ids)) {
            sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, given.get().span(),
                    "mask is the tensor of token ids whose 0s are padding, but got "
                        + ArgumentReader.describe(given.get()))
                .withHelp("name the network input the embedding reads, as in mask: words"));
            return null;
          }
          Optional<Binding> bound = resolve(ids, currentScope);
          if (bound.isEmpty()) {
            return null;
          }
          boolean fromInput = maskRoot(bound.get().producer()) < 0;
          if (!fromInput || !bound.get().shape().equals(Shape.of(steps))) {
            sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, ids.span(),
                    kind + "'s mask is token ids [steps] = [" + steps + "] from a network input, but '" + ids.name()
                        + (fromInput ? "' has shape " + bound.get().shape() : "' is computed by a layer"))
                .withNote("'" + ids.name() + "' is declared at " + bound.get().span())
                .withHelp("name the token ids the embedding reads, as in mask: words"));
            return null;
          }
          mask = Optional.of(bound.get().producer());
        } else {
          mask = maskThrough(input.producer());
        }
        if (mask.isPresent()) {
          inputs.add(mask.get());
          shapes.add(Shape.of(steps));
          options = options instanceof AttentionChecks.AttentionSpec a ? a.withMask()
              : ((AttentionChecks.PoolSpec) options).withMask();
        }
      }
      Shape output = kind.equals("globalavgpool1d") ? Shape.of(input.shape().dimensions().get(1)) : input.shape();
      Draft draft = new Draft(statement, kind, inputs, shapes, output, Activation.LINEAR, true,
          Initializer.GLOROT_UNIFORM, Initializer.ZEROS, Optional.empty(), Optional.empty(),
          java.util.OptionalDouble.empty(), 0);
      sequence.put(draft, options);
      return draft;
    }

    /**
     * The padding mask of {@code value} as {@link #maskOf} finds it, and also through the layers of
     * a transformer block that keep the steps: attention, positions, normalisation, per-step
     * dense layers, activations and residual sums (Keras propagates masks through these too).
     */
    private Optional<Integer> maskThrough(int value) {
      Optional<Integer> direct = maskOf(value);
      if (direct.isPresent() || value < 0) {
        return direct;
      }
      Draft draft = drafts().get(value);
      if (sequence.get(draft) instanceof AttentionChecks.AttentionSpec attention) {
        return attention.masked() ? Optional.of(draft.inputs().get(1)) : Optional.empty();
      }
      if (List.of("positional_embedding", "layer_norm", "time_distributed", "activation", "dropout", "gaussian_noise")
          .contains(draft.kind())) {
        return maskThrough(draft.inputs().get(0));
      }
      if (List.of("add", "multiply", "concat").contains(draft.kind())) {
        Optional<Integer> first = maskThrough(draft.inputs().get(0));
        return draft.inputs().stream().allMatch(k -> maskThrough(k).equals(first)) ? first : Optional.empty();
      }
      return Optional.empty();
    }

    /** The value a reshape or flatten chain starts from. */
    private int maskRoot(int value) {
      while (value >= 0 && List.of("reshape", "flatten").contains(drafts().get(value).kind())) {
        value = drafts().get(value).inputs().get(0);
      }
      return value;
    }

    /**
     * The token ids whose padding (id 0) value {@code value} is masked by: an embedding with
     * mask_zero, and what passes its mask on (dropout, a recurrent layer returning sequences, a
     * concat of sequences with one mask).
     */
    private Optional<Integer> maskOf(int value) {
      if (value < 0) {
        return Optional.empty();
      }
      Draft draft = drafts().get(value);
      SequenceChecks.Spec spec = sequence.get(draft);
      if (spec instanceof SequenceChecks.EmbeddingSpec embedding) {
        return embedding.maskZero() ? Optional.of(draft.inputs().get(0)) : Optional.empty();
      }
      if (spec instanceof SequenceChecks.RecurrentSpec recurrent) {
        return recurrent.masked() && recurrent.returnSequences()
            ? Optional.of(draft.inputs().get(1)) : Optional.empty();
      }
      if (draft.kind().equals("dropout")) {
        return maskOf(draft.inputs().get(0));
      }
      if (draft.kind().equals("concat")) {
        Optional<Integer> first = maskOf(draft.inputs().get(0));
        return draft.inputs().stream().allMatch(k -> maskOf(k).equals(first)) ? first : Optional.empty();
      }
      return Optional.empty();
    }

    /** The drafts so far: statements add theirs in order, so a producer index names one. */
    private List<Draft> drafts() {
      return currentDrafts;
    }

    /**
     * {@code bidirectional(x, lstm(units: 32))}: the wrapped layer over the steps in order and,
     * with parameters of its own, in reverse; their outputs concatenated (merge mode concat).
     */
    private Binding bidirectional(LayerStatement statement, Map<String, Binding> scope, List<Draft> drafts) {
      Call call = statement.call();
      ArgumentReader args = new ArgumentReader(call, "bidirectional", 1, 2, List.of("merge_mode"), sink);
      Optional<String> merge = args.choice("merge_mode", "concat", List.of("concat"));
      if (args.failed() || merge.isEmpty()) {
        return null;
      }
      if (args.positional(1).isEmpty()) {
        Expr only = args.positional(0).orElseThrow();
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.span(),
                "bidirectional needs its input and the recurrent layer it wraps, but got "
                    + ArgumentReader.describe(only) + " alone")
            .withHelp(only instanceof Expr.CallExpr inner
                ? "give the input first: bidirectional(x, " + inner.call().name() + "(units: ...))"
                : "write bidirectional(" + (only instanceof Expr.Name n ? n.name() : "x") + ", lstm(units: 32))"));
        return null;
      }
      Expr wrapped = args.positional(1).orElseThrow();
      if (!(wrapped instanceof Expr.CallExpr inner) || !SequenceChecks.RECURRENT.contains(inner.call().name())) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, wrapped.span(),
                "bidirectional wraps a recurrent layer (rnn, lstm or gru), but got " + ArgumentReader.describe(wrapped))
            .withHelp("write bidirectional(x, lstm(units: 32))"));
        return null;
      }
      Optional<dev.nnet.dsl.ast.Argument> given =
          inner.call().arguments().stream().filter(argument -> argument.name().isEmpty()).findFirst();
      if (given.isPresent()) {
        sink.report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, given.get().span(),
                "inside bidirectional the wrapped " + inner.call().name() + " takes no input: bidirectional gives it")
            .withHelp("write bidirectional(x, " + inner.call().name() + "(units: ...))"));
        return null;
      }
      Optional<dev.nnet.dsl.ast.Argument> initial = inner.call().arguments().stream()
          .filter(argument -> argument.name().equals(Optional.of("initial_state"))).findFirst();
      if (initial.isPresent()) {
        sink.report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, initial.get().nameSpan(),
                "'initial_state' is not supported yet inside bidirectional")
            .withNote("each direction starts from zeros"));
        return null;
      }
      List<dev.nnet.dsl.ast.Argument> arguments = new ArrayList<>();
      arguments.add(call.arguments().get(0));
      arguments.addAll(inner.call().arguments());
      Call forwardCall = new Call(inner.call().name(), inner.call().nameSpan(), arguments, inner.call().span());
      currentDrafts = drafts;
      Draft forward = checkStatement(new LayerStatement(false, statement.target() + "_forward",
          statement.targetSpan(), forwardCall, statement.span()), scope, drafts);
      if (forward == null) {
        return null;
      }
      drafts.add(forward);
      Draft backward = new Draft(new LayerStatement(false, statement.target() + "_backward", statement.targetSpan(),
              forwardCall, statement.span()), forward.kind(), forward.inputs(), forward.inputShapes(),
          forward.outputShape(), forward.activation(), forward.useBias(), forward.weightInitializer(),
          forward.biasInitializer(), forward.kernelRegularizer(), forward.biasRegularizer(), forward.maxNorm(),
          forward.rate());
      sequence.put(backward, ((SequenceChecks.RecurrentSpec) sequence.get(forward)).reversed());
      drafts.add(backward);
      Shape half = forward.outputShape();
      List<Integer> dims = new ArrayList<>(half.dimensions());
      dims.set(dims.size() - 1, 2 * dims.get(dims.size() - 1));
      drafts.add(new Draft(statement, "concat", List.of(drafts.size() - 2, drafts.size() - 1), List.of(half, half),
          new Shape(dims), Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS, Optional.empty(),
          Optional.empty(), java.util.OptionalDouble.empty(), 0));
      return new Binding(new Shape(dims), drafts.size() - 1, statement.targetSpan());
    }

    /**
     * {@code time_distributed(x, dense(units: 8))}: the wrapped dense layer is checked as if it
     * read one step {@code [features]} of x, then applies to every step.
     */
    private Binding timeDistributed(LayerStatement statement, Map<String, Binding> scope, List<Draft> drafts) {
      Call call = statement.call();
      ArgumentReader args = new ArgumentReader(call, "time_distributed", 1, 2, List.of(), sink);
      if (args.failed()) {
        return null;
      }
      Expr given = args.positional(0).orElseThrow();
      Optional<Expr> wrapped = args.positional(1);
      if (wrapped.isEmpty() || !(wrapped.get() instanceof Expr.CallExpr inner) || !inner.call().name().equals("dense")) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, wrapped.map(Expr::span).orElse(call.span()),
                "time_distributed wraps a dense layer, but got "
                    + wrapped.map(ArgumentReader::describe).orElse("nothing"))
            .withHelp("write time_distributed(x, dense(units: 8))"));
        return null;
      }
      Optional<dev.nnet.dsl.ast.Argument> extra =
          inner.call().arguments().stream().filter(argument -> argument.name().isEmpty()).findFirst();
      if (extra.isPresent()) {
        sink.report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, extra.get().span(),
                "inside time_distributed the wrapped dense takes no input: time_distributed gives it each step")
            .withHelp("write time_distributed(x, dense(units: ...))"));
        return null;
      }
      Optional<Binding> input = resolve(given, scope);
      if (input.isEmpty()) {
        return null;
      }
      Shape sequence = input.get().shape();
      if (sequence.rank() != 2) {
        sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, given.span(),
                "time_distributed expects a sequence [steps, features], but '" + ((Expr.Name) given).name()
                    + "' has shape " + sequence)
            .withNote("'" + ((Expr.Name) given).name() + "' is declared at " + input.get().span()));
        return null;
      }
      for (String unsupported : List.of("kernel_regularizer", "bias_regularizer", "l1", "l2", "kernel_constraint")) {
        Optional<dev.nnet.dsl.ast.Argument> argument = inner.call().arguments().stream()
            .filter(a -> a.name().equals(Optional.of(unsupported))).findFirst();
        if (argument.isPresent()) {
          sink.report(Diagnostic.of(DiagnosticCode.UNKNOWN_ARGUMENT, argument.get().nameSpan(),
                  "'" + unsupported + "' is not supported yet inside time_distributed")
              .withHelp("remove it, or apply dense to a flattened sequence"));
          return null;
        }
      }
      // The dense layer sees one step: the input's name bound to [features] for this check.
      Map<String, Binding> step = new LinkedHashMap<>(scope);
      String name = ((Expr.Name) given).name();
      step.put(name, new Binding(Shape.of(sequence.dimensions().get(1)), input.get().producer(), input.get().span()));
      List<dev.nnet.dsl.ast.Argument> arguments = new ArrayList<>();
      arguments.add(call.arguments().get(0));
      arguments.addAll(inner.call().arguments());
      Call denseCall = new Call("dense", inner.call().nameSpan(), arguments, inner.call().span());
      currentDrafts = drafts;
      Draft dense = checkStatement(new LayerStatement(statement.output(), statement.target(), statement.targetSpan(),
          denseCall, statement.span()), step, drafts);
      if (dense == null) {
        return null;
      }
      if (dense.activation().kind().needsInput()) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, inner.call().span(),
                "inside time_distributed the activation must be one whose derivative its output gives, but got "
                    + dense.activation().keyword())
            .withHelp("use relu, tanh, sigmoid, softmax, leaky_relu, elu or linear"));
        return null;
      }
      Shape output = Shape.of(sequence.dimensions().get(0), dense.outputShape().size());
      if ((long) sequence.dimensions().get(0) * dense.outputShape().size() > MAX_DIMENSION) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, call.span(),
            "time_distributed would hold more than " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION)
                + " values per sample"));
        return null;
      }
      drafts.add(new Draft(statement, "time_distributed", dense.inputs(), List.of(sequence), output,
          dense.activation(), dense.useBias(), dense.weightInitializer(), dense.biasInitializer(), Optional.empty(),
          Optional.empty(), java.util.OptionalDouble.empty(), 0));
      return new Binding(output, drafts.size() - 1, statement.targetSpan());
    }

    /** A layer of a sequential block: its input was inserted at the position of its own name. */
    private static boolean insideSequential(ArgumentReader args) {
      return args.positional(0).map(Expr::span).filter(span -> span.equals(args.call().nameSpan())).isPresent();
    }

    private static String name(ArgumentReader args) {
      return ((Expr.Name) args.positional(0).orElseThrow()).name();
    }

    /** {@code add(a, b, …)}, {@code multiply(a, b)}, {@code concat(a, b, …)}: several inputs, checked shapes. */
    private Draft checkMerge(LayerStatement statement, Map<String, Binding> scope) {
      Call call = statement.call();
      String kind = call.name();
      int most = kind.equals("multiply") ? 2 : 64;
      ArgumentReader args = new ArgumentReader(call, kind, 0, most, List.of(), sink);
      List<Binding> inputs = new ArrayList<>();
      List<Expr> written = new ArrayList<>();
      boolean ok = !args.failed();
      for (int k = 0; args.positional(k).isPresent(); k++) {
        Expr expr = args.positional(k).get();
        Optional<Binding> binding = resolve(expr, scope);
        ok &= binding.isPresent();
        binding.ifPresent(inputs::add);
        written.add(expr);
      }
      if (ok && inputs.size() < 2) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.span(),
                kind + " needs " + (kind.equals("multiply") ? "two tensors" : "at least two tensors") + ", but got "
                    + inputs.size())
            .withHelp("write " + kind + "(a, b)"));
        return null;
      }
      if (!ok) {
        return null;
      }
      Shape first = inputs.get(0).shape();
      Shape output = first;
      for (int k = 1; k < inputs.size(); k++) {
        Shape other = inputs.get(k).shape();
        boolean fits = kind.equals("concat")
            ? other.rank() == first.rank()
                && other.dimensions().subList(0, other.rank() - 1).equals(first.dimensions().subList(0, first.rank() - 1))
            : other.equals(first);
        if (!fits) {
          String name0 = ((Expr.Name) written.get(0)).name();
          String nameK = ((Expr.Name) written.get(k)).name();
          sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, written.get(k).span(),
                  kind + (kind.equals("concat") ? " joins tensors that agree on every axis but the last" : " needs tensors of one shape")
                      + ", but '" + name0 + "' is " + first + " and '" + nameK + "' is " + other)
              .withNote("'" + nameK + "' is declared at " + inputs.get(k).span()));
          return null;
        }
      }
      if (kind.equals("concat")) {
        List<Integer> dims = new ArrayList<>(first.dimensions());
        long last = 0;
        for (Binding input : inputs) {
          last += input.shape().dimensions().get(input.shape().rank() - 1);
        }
        if (last * (first.size() / first.dimensions().get(first.rank() - 1)) > MAX_DIMENSION) {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, call.span(),
              "concat would hold more than " + String.format(Locale.ROOT, "%,d", MAX_DIMENSION) + " values per sample"));
          return null;
        }
        dims.set(dims.size() - 1, (int) last);
        output = new Shape(dims);
      }
      return new Draft(statement, kind, inputs.stream().map(Binding::producer).toList(),
          inputs.stream().map(Binding::shape).toList(), output, Activation.LINEAR, false, Initializer.ZEROS,
          Initializer.ZEROS, Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), 0);
    }

    /** {@code gaussian_sample(mean, log_variance, kl_weight: w)}: two tensors of one shape. */
    private Draft checkSample(LayerStatement statement, Map<String, Binding> scope) {
      Call call = statement.call();
      ArgumentReader args = new ArgumentReader(call, "gaussian_sample", 0, 2, List.of("kl_weight"), sink);
      double klWeight = args.number("kl_weight", 1.0, 0, Double.POSITIVE_INFINITY, false);
      List<Binding> inputs = new ArrayList<>();
      boolean ok = !args.failed();
      for (int k = 0; args.positional(k).isPresent(); k++) {
        Optional<Binding> binding = resolve(args.positional(k).get(), scope);
        ok &= binding.isPresent();
        binding.ifPresent(inputs::add);
      }
      if (!ok) {
        return null;
      }
      if (inputs.size() < 2) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, call.span(),
                "gaussian_sample needs two tensors, the mean and the log-variance, but got " + inputs.size())
            .withHelp("write gaussian_sample(mean, log_variance), each from a dense layer without activation"));
        return null;
      }
      Shape mean = inputs.get(0).shape();
      Shape logVariance = inputs.get(1).shape();
      if (!mean.equals(logVariance)) {
        String meanName = ((Expr.Name) args.positional(0).get()).name();
        String varianceName = ((Expr.Name) args.positional(1).get()).name();
        sink.report(Diagnostic.of(DiagnosticCode.SHAPE_MISMATCH, args.positional(1).get().span(),
                "gaussian_sample needs a mean and a log-variance of one shape, but '" + meanName + "' is " + mean
                    + " and '" + varianceName + "' is " + logVariance)
            .withNote("'" + varianceName + "' is declared at " + inputs.get(1).span())
            .withHelp("give both dense layers the same units"));
        return null;
      }
      return new Draft(statement, "gaussian_sample", inputs.stream().map(Binding::producer).toList(),
          List.of(mean, logVariance), mean, Activation.LINEAR, false, Initializer.ZEROS, Initializer.ZEROS,
          Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), klWeight);
    }

    /** The binding a layer's input names, or empty after reporting why there is none. */
    private Optional<Binding> resolve(Expr expr, Map<String, Binding> scope) {
      if (!(expr instanceof Expr.Name name)) {
        sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, expr.span(),
                "a layer's first argument is the tensor it reads, but got " + ArgumentReader.describe(expr))
            .withHelp("name a tensor declared earlier, such as the network's input"));
        return Optional.empty();
      }
      if (!scope.containsKey(name.name())) {
        if (missingInput) {
          return Optional.empty(); // "declares no input" already explains this
        }
        Diagnostic d = Diagnostic.of(DiagnosticCode.UNKNOWN_NAME, name.span(),
            "no tensor named '" + name.name() + "' is declared before this line");
        Optional<String> suggestion = Suggestions.closest(name.name(), scope.keySet());
        if (suggestion.isPresent()) {
          d = d.withHelp("did you mean '" + suggestion.get() + "'?");
        } else if (!scope.isEmpty()) {
          d = d.withNote("declared so far: " + String.join(", ", scope.keySet()));
        }
        sink.report(d);
        return Optional.empty();
      }
      // A null binding is a statement that already failed: its error was reported there.
      return Optional.ofNullable(scope.get(name.name())).filter(found -> text.mayRead(found.producer(), name));
    }

    private Optional<TrainingSpec> checkTraining(List<Draft> outputs) {
      Draft output = outputs.isEmpty() ? null : outputs.get(0);
      Optional<TrainBlock> block = network.train();
      if (block.isEmpty() && component) {
        return Optional.empty(); // a network used only as a layer of others needs no train block
      }
      if (block.isEmpty()) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_TRAIN, network.nameSpan(),
                "network '" + network.name() + "' has no train block")
            .withHelp("add one inside the network, as in: train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 1e-3)  batch: 32  epochs: 5 }"));
        return Optional.empty();
      }
      Map<String, Setting> settings = new LinkedHashMap<>();
      for (Setting setting : block.get().settings()) {
        String key = setting.key().equals("batch_size") ? "batch" : setting.key();
        if (!SETTINGS.contains(key)) {
          Diagnostic d = Diagnostic.of(DiagnosticCode.UNKNOWN_SETTING, setting.keySpan(),
              "unknown train setting '" + setting.key() + "'");
          Optional<String> suggestion = Suggestions.closest(setting.key(), SETTINGS);
          sink.report(suggestion.isPresent()
              ? d.withHelp("did you mean '" + suggestion.get() + "'?")
              : d.withNote("the settings are: " + String.join(", ", SETTINGS)));
        } else if (settings.containsKey(key)) {
          sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_SETTING, setting.keySpan(),
                  "'" + setting.key() + "' is set twice")
              .withNote("first set at " + settings.get(key).keySpan()));
        } else {
          settings.put(key, setting);
        }
      }
      boolean ok = true;
      LossSpec loss = null;
      List<LossSpec> losses = new ArrayList<>();
      Setting lossSetting = settings.get("loss");
      if (lossSetting == null) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_TRAIN, block.get().span(),
                "the train block of '" + network.name() + "' names no loss")
            .withHelp("add one, as in: loss: categorical_crossentropy"));
        ok = false;
      } else if (outputs.size() > 1 && lossSetting.value() instanceof Expr.ListOf list) {
        // One loss per output, in the order the outputs are declared.
        if (list.elements().size() != outputs.size()) {
          sink.report(Diagnostic.of(DiagnosticCode.LOSS_MISMATCH, lossSetting.value().span(),
              "the network has " + outputs.size() + " outputs, but the list gives " + list.elements().size()
                  + " losses"));
          ok = false;
        } else {
          for (int k = 0; k < outputs.size(); k++) {
            LossSpec spec = loss(list.elements().get(k), outputs.get(k));
            ok &= spec != null;
            losses.add(spec);
          }
        }
      } else {
        // One loss, applied to every output and summed, as Keras does with a single loss.
        for (Draft each : outputs.isEmpty() ? java.util.Collections.<Draft>singletonList(null) : outputs) {
          LossSpec spec = loss(lossSetting.value(), each);
          ok &= spec != null;
          losses.add(spec);
          if (spec == null) {
            break;
          }
        }
      }
      loss = losses.isEmpty() ? null : losses.get(0);
      if (outputs.size() > 1) {
        for (String unsupported : List.of("metrics", "class_weight")) {
          if (settings.containsKey(unsupported)) {
            sink.report(Diagnostic.of(DiagnosticCode.UNSUPPORTED_GRAPH, settings.get(unsupported).keySpan(),
                    "'" + unsupported + "' is not supported yet for a network with several outputs")
                .withNote("the network has " + outputs.size() + " outputs"));
            ok = false;
          }
        }
      }
      Optional<RuntimeObject> optimizer = settings.containsKey("optimizer")
          ? RuntimeCatalog.OPTIMIZERS.resolve(settings.get("optimizer").value(), sink)
          : RuntimeCatalog.OPTIMIZERS.resolve(new Expr.Name("adam", block.get().span()), sink);
      ok &= optimizer.isPresent();
      int batch = positiveSetting(settings.get("batch"), 32, 65_536);
      int epochs = positiveSetting(settings.get("epochs"), 1, 1_000_000);
      ok &= batch > 0 && epochs > 0;
      List<RuntimeObject> metrics = new ArrayList<>();
      if (settings.containsKey("metrics")) {
        Expr value = settings.get("metrics").value();
        List<Expr> elements = value instanceof Expr.ListOf list ? list.elements() : List.of(value);
        Map<String, Expr> seen = new HashMap<>();
        for (Expr element : elements) {
          Optional<RuntimeObject> metric = RuntimeCatalog.METRIC_NAMES.resolve(element, sink);
          ok &= metric.isPresent();
          if (metric.isPresent() && output != null && loss != null) {
            ok &= metricFits(metric.get(), element, output, loss);
          }
          if (metric.isPresent() && seen.putIfAbsent(metric.get().keyword(), element) != null) {
            sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_SETTING, element.span(),
                "metric '" + metric.get().keyword() + "' is listed twice"));
            ok = false;
          } else {
            metric.ifPresent(metrics::add);
          }
        }
      }
      Optional<RuntimeObject> schedule = Optional.empty();
      if (settings.containsKey("schedule")) {
        schedule = RuntimeCatalog.SCHEDULES.resolve(settings.get("schedule").value(), sink);
        ok &= schedule.isPresent();
      }
      java.util.OptionalDouble clipNorm = positiveNumberSetting(settings.get("clipnorm"));
      java.util.OptionalDouble clipValue = positiveNumberSetting(settings.get("clipvalue"));
      java.util.OptionalDouble split = java.util.OptionalDouble.empty();
      Setting splitSetting = settings.get("validation_split");
      if (splitSetting != null) {
        if (splitSetting.value() instanceof Expr.Number number && number.value() > 0 && number.value() < 1) {
          split = java.util.OptionalDouble.of(number.value());
        } else {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, splitSetting.value().span(),
              "'validation_split' must be a number above 0 and below 1, but got "
                  + ArgumentReader.describe(splitSetting.value())));
          ok = false;
        }
      }
      boolean shuffle = true;
      Setting shuffleSetting = settings.get("shuffle");
      if (shuffleSetting != null) {
        if (shuffleSetting.value() instanceof Expr.Name word && (word.name().equals("true") || word.name().equals("false"))) {
          shuffle = word.name().equals("true");
        } else {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, shuffleSetting.value().span(),
              "'shuffle' must be true or false, but got " + ArgumentReader.describe(shuffleSetting.value())));
          ok = false;
        }
      }
      List<Double> classWeights = new ArrayList<>();
      Setting weightsSetting = settings.get("class_weight");
      if (weightsSetting != null) {
        int classes = output == null ? -1 : output.outputShape().size() == 1 ? 2 : output.outputShape().size();
        if (weightsSetting.value() instanceof Expr.ListOf list && !list.elements().isEmpty()) {
          boolean weightsOk = true;
          for (Expr element : list.elements()) {
            if (element instanceof Expr.Number number && number.value() >= 0 && Double.isFinite(number.value())) {
              classWeights.add(number.value());
            } else {
              sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, element.span(),
                  "a class weight must be a number from 0 up, but got " + ArgumentReader.describe(element)));
              weightsOk = false;
            }
          }
          ok &= weightsOk;
          if (weightsOk && classes > 0 && classWeights.size() != classes) {
            sink.report(Diagnostic.of(DiagnosticCode.LOSS_MISMATCH, weightsSetting.value().span(),
                    "'class_weight' gives " + classWeights.size() + " weights, but the output has " + classes
                        + " classes")
                .withNote("the output '" + output.statement().target() + "' is declared at "
                    + output.statement().targetSpan()));
            ok = false;
          }
        } else {
          sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, weightsSetting.value().span(),
                  weightsSetting.value() instanceof Expr.ListOf
                      ? "'class_weight' needs a weight for each class, but the list is empty"
                      : "'class_weight' is a list with a weight per class, but got "
                          + ArgumentReader.describe(weightsSetting.value()))
              .withHelp("write class_weight: [1, 2.5, 1]"));
          ok = false;
        }
      }
      ok &= (settings.get("clipnorm") == null || clipNorm.isPresent())
          && (settings.get("clipvalue") == null || clipValue.isPresent());
      return ok
          ? Optional.of(new TrainingSpec(losses, optimizer.get(), batch, epochs, metrics, schedule, clipNorm, clipValue, split,
              shuffle, classWeights))
          : Optional.empty();
    }

    /** Whether a metric can read this output and these targets; reports why not. */
    private boolean metricFits(RuntimeObject metric, Expr where, Draft output, LossSpec loss) {
      int width = output.outputShape().size();
      String problem = switch (metric.keyword()) {
        case "auc" -> width > 2 ? "auc scores binary problems (1 or 2 outputs), but the output has " + width : null;
        case "top_k_accuracy" -> {
          long k = Long.parseLong(metric.arguments().get(0));
          yield k >= width ? "top_k_accuracy with k = " + k + " needs more than " + k + (k == 1 ? " class" : " classes")
              + ", but the output has " + width : null;
        }
        case "mae", "rmse", "r2" -> loss.targetWidth() != width
            ? metric.keyword() + " compares outputs with targets of the same width, but the targets are class indices"
            : null;
        default -> null;
      };
      if (problem == null) {
        return true;
      }
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, where.span(), problem)
          .withNote("the output '" + output.statement().target() + "' is declared at " + output.statement().targetSpan()));
      return false;
    }

    private java.util.OptionalDouble positiveNumberSetting(Setting setting) {
      if (setting == null) {
        return java.util.OptionalDouble.empty();
      }
      if (setting.value() instanceof Expr.Number number && number.value() > 0 && Double.isFinite(number.value())) {
        return java.util.OptionalDouble.of(number.value());
      }
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, setting.value().span(),
          "'" + setting.key() + "' must be a number above 0, but got " + ArgumentReader.describe(setting.value())));
      return java.util.OptionalDouble.empty();
    }

    /** The loss, checked against the output layer it reads. */
    private LossSpec loss(Expr value, Draft output) {
      Optional<RuntimeObject> resolved = RuntimeCatalog.LOSSES.resolve(value, sink);
      if (resolved.isEmpty() || output == null) {
        return null;
      }
      RuntimeObject loss = resolved.get();
      LayerStatement statement = output.statement();
      // Convolutions carry an activation too: a sigmoid image suits binary_crossentropy per pixel.
      Activation activation = output.kind().equals("dense") || output.kind().equals("activation")
          || List.of("conv2d", "conv1d", "conv2d_transpose").contains(output.kind())
          ? output.activation() : Activation.LINEAR;
      String name = loss.keyword();
      boolean classes = name.equals("categorical_crossentropy") || name.equals("sparse_categorical_crossentropy");
      if (classes && output.outputShape().size() < 2) {
        sink.report(Diagnostic.of(DiagnosticCode.LOSS_MISMATCH, value.span(),
                name + " needs at least 2 classes, but the output '" + statement.target() + "' has shape "
                    + output.outputShape())
            .withNote("'" + statement.target() + "' is declared at " + statement.targetSpan())
            .withHelp("for two classes with one output, use binary_crossentropy and activation: sigmoid"));
        return null;
      }
      Activation needed = null;
      if (classes || loss.className().equals("KLDivergence")) {
        needed = Activation.SOFTMAX;
      } else if (name.equals("binary_crossentropy")) {
        // From logits the loss applies the sigmoid itself, so the output must not.
        needed = loss.arguments().get(0).equals("true") ? Activation.LINEAR : Activation.SIGMOID;
      }
      if (needed != null && !activation.is(needed.kind())) {
        String expects = switch (needed.kind()) {
          case SOFTMAX -> "class probabilities (softmax)";
          case SIGMOID -> "probabilities (sigmoid)";
          default -> "logits (activation linear) when from_logits is true";
        };
        boolean activated = output.kind().equals("dense") || output.kind().equals("activation")
            || List.of("conv2d", "conv1d", "conv2d_transpose").contains(output.kind());
        sink.report(Diagnostic.of(DiagnosticCode.LOSS_MISMATCH, value.span(),
                name + " expects " + expects + ", but the output '" + statement.target() + "' "
                    + (activated ? "has activation " + activation.keyword() : "is a " + output.kind() + " layer"))
            .withNote("'" + statement.target() + "' is declared at " + statement.targetSpan())
            .withHelp("end the network with: output " + statement.target() + " = dense(..., activation: "
                + needed.keyword() + ")"));
        return null;
      }
      int width = output.outputShape().size();
      return switch (name) {
        // Fused with the softmax of a dense output layer; after a standalone softmax layer the
        // loss reads the probabilities.
        case "categorical_crossentropy" -> new LossSpec(loss,
            output.kind().equals("dense") ? LossSpec.Fusion.SOFTMAX_CATEGORICAL : LossSpec.Fusion.NONE, width);
        case "sparse_categorical_crossentropy" -> new LossSpec(loss,
            output.kind().equals("dense") ? LossSpec.Fusion.SOFTMAX_SPARSE : LossSpec.Fusion.NONE, 1);
        default -> new LossSpec(loss, LossSpec.Fusion.NONE, width);
      };
    }

    private int positiveSetting(Setting setting, int fallback, int max) {
      if (setting == null) {
        return fallback;
      }
      if (setting.value() instanceof Expr.Number number && number.integer()
          && number.value() >= 1 && number.value() <= max) {
        return (int) number.value();
      }
      sink.report(Diagnostic.of(DiagnosticCode.INVALID_VALUE, setting.value().span(),
          "'" + setting.key() + "' must be an integer from 1 to " + String.format(Locale.ROOT, "%,d", max)
              + ", but got " + ArgumentReader.describe(setting.value())));
      return -1;
    }

    /** Gives each used layer its name and its parameters their offsets. */
    private Optional<NetworkModel> layout(List<Binding> input, List<Draft> drafts, List<Integer> used,
        List<Integer> outputs, TrainingSpec training) {
      List<Layer> layers = new ArrayList<>();
      List<List<Integer>> inputs = new ArrayList<>();
      Map<Integer, Integer> layerOf = new HashMap<>();
      // Layer names become constants (HIDDEN_LAYER_UNITS): 'hiddenLayer' and 'hidden_layer', or
      // a name bound twice, would collide, so later ones get a numeric suffix.
      java.util.Set<String> constants = new java.util.HashSet<>();
      long offset = 0;
      int stateOffset = 0;
      // Layers of a network used twice share one set of parameters (and running statistics).
      Map<String, Layer> firstUse = new HashMap<>();
      for (int index : used) {
        Draft draft = drafts.get(index);
        Layer shared = sharedKey.containsKey(index) ? firstUse.get(sharedKey.get(index)) : null;
        layerOf.put(index, layers.size());
        inputs.add(draft.inputs().stream().map(d -> d < 0 ? d : layerOf.get(d)).toList());
        String base = draft.statement().target();
        String name = base;
        for (int use = 2; !constants.add(constant(name)); use++) {
          name = base + "_" + use;
        }
        String text = sourceText(draft.statement().span());
        SourceSpan span = draft.statement().span();
        if (shared instanceof Layer.Dense first) {
          layers.add(new Layer.Dense(name, first.inputShape(), first.outputShape(), first.activation(), first.weights(),
              first.bias(), first.kernelRegularizer(), first.biasRegularizer(), first.maxNorm(), span, text));
          continue;
        }
        if (shared instanceof Layer.Convolution first) {
          layers.add(new Layer.Convolution(name, first.inputShape(), first.outputShape(), first.window(),
              first.activation(), first.weights(), first.bias(), first.kernelRegularizer(), first.biasRegularizer(), span,
              text));
          continue;
        }
        if (shared instanceof Layer.TimeDistributed first) {
          layers.add(new Layer.TimeDistributed(name, first.inputShape(), first.outputShape(), first.dense(), span, text));
          continue;
        }
        if (shared instanceof Layer.Recurrent || shared instanceof Layer.Embedding) {
          layers.add(SequenceChecks.renamed(shared, name, span, text));
          continue;
        }
        if (shared instanceof Layer.Attention || shared instanceof Layer.PositionalEmbedding
            || shared instanceof Layer.SequencePooling) {
          layers.add(AttentionChecks.renamed(shared, name, span, text));
          continue;
        }
        if (shared instanceof Layer.Normalization first) {
          layers.add(new Layer.Normalization(name, first.inputShape(), first.batch(), first.epsilon(), first.momentum(),
              first.gamma(), first.beta(), first.runningMean(), first.runningVariance(), span, text));
          continue;
        }
        switch (draft.kind()) {
          case "dense" -> {
            int in = draft.inputShape().size();
            int units = draft.outputShape().size();
            if (offset + (long) in * units + units > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            DenseSlots slots = denseSlots(name, draft, in, units, offset);
            offset += slots.size();
            layers.add(new Layer.Dense(name, draft.inputShape(), draft.outputShape(), draft.activation(),
                slots.weights(), slots.bias(), draft.kernelRegularizer(), draft.biasRegularizer(), draft.maxNorm(), span, text));
          }
          case "dropout" -> layers.add(new Layer.Dropout(name, draft.inputShape(), draft.rate(), span, text));
          case "gaussian_noise" -> layers.add(new Layer.GaussianNoise(name, draft.inputShape(), draft.rate(), span, text));
          case "activation" -> layers.add(new Layer.ActivationLayer(name, draft.inputShape(), draft.activation(), span, text));
          case "add" -> layers.add(new Layer.Add(name, draft.inputShape(), draft.inputs().size(), span, text));
          case "multiply" -> layers.add(new Layer.Multiply(name, draft.inputShape(), span, text));
          case "gaussian_sample" -> layers.add(new Layer.GaussianSample(name, draft.inputShape(), draft.rate(), span, text));
          case "concat" -> layers.add(new Layer.Concat(name, draft.inputShapes(), draft.outputShape(), span, text));
          case "reshape" -> layers.add(new Layer.Reshape(name, draft.inputShape(), draft.outputShape(), span, text));
          case "batch_norm", "layer_norm" -> {
            boolean batch = draft.kind().equals("batch_norm");
            Shape shape = draft.inputShape();
            int features = shape.dimensions().get(shape.rank() - 1);
            ParameterSlot gamma = new ParameterSlot(name + ".gamma", constant(name) + "_GAMMA_OFFSET", (int) offset,
                List.of(features), draft.weightInitializer(), features, features);
            offset += features;
            ParameterSlot beta = new ParameterSlot(name + ".beta", constant(name) + "_BETA_OFFSET", (int) offset,
                List.of(features), draft.biasInitializer(), features, features);
            offset += features;
            Optional<ParameterSlot> mean = Optional.empty();
            Optional<ParameterSlot> variance = Optional.empty();
            if (batch) {
              mean = Optional.of(new ParameterSlot(name + ".running_mean", constant(name) + "_RUNNING_MEAN_OFFSET",
                  stateOffset, List.of(features), Initializer.ZEROS, features, features));
              stateOffset += features;
              variance = Optional.of(new ParameterSlot(name + ".running_variance",
                  constant(name) + "_RUNNING_VARIANCE_OFFSET", stateOffset, List.of(features),
                  Initializer.named("ones").orElseThrow(), features, features));
              stateOffset += features;
            }
            layers.add(new Layer.Normalization(name, shape, batch, draft.maxNorm().getAsDouble(), draft.rate(), gamma,
                beta, mean, variance, span, text));
          }
          case "conv2d", "conv1d", "maxpool2d", "avgpool2d", "globalmaxpool2d", "globalavgpool2d",
              "spatial_dropout2d" -> {
            SpatialLayers.Read read = spatial.get(draft.statement());
            if (offset + SpatialLayers.parameterCount(draft.kind(), read) > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            layers.add(SpatialLayers.layout(draft.kind(), name, constant(name), draft.inputShape(), read, offset, span,
                text));
            offset += SpatialLayers.parameterCount(draft.kind(), read);
          }
          case "stage" -> {
            Layer.Preprocessing stage = stages.get(draft.statement()).layer(name, stateOffset, span, text);
            stateOffset += stage.state().stream().mapToInt(ParameterSlot::size).sum();
            layers.add(stage);
          }
          case "time_distributed" -> {
            int in = draft.inputShape().dimensions().get(1);
            int units = draft.outputShape().dimensions().get(1);
            if (offset + (long) in * units + units > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            DenseSlots slots = denseSlots(name, draft, in, units, offset);
            offset += slots.size();
            Layer.Dense dense = new Layer.Dense(name, Shape.of(in), Shape.of(units), draft.activation(), slots.weights(),
                slots.bias(),
                Optional.empty(), Optional.empty(), java.util.OptionalDouble.empty(), span, text);
            layers.add(new Layer.TimeDistributed(name, draft.inputShape(), draft.outputShape(), dense, span, text));
          }
          case "rnn", "lstm", "gru", "embedding" -> {
            Layer layer = SequenceChecks.layer(name, constant(name), draft.inputShape(), draft.outputShape(),
                sequence.get(draft), (int) offset, span, text);
            long size = layer.parameters().stream().mapToLong(ParameterSlot::size).sum();
            if (offset + size > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            offset += size;
            layers.add(layer);
          }
          case "upsampling2d", "conv2d_transpose" -> {
            UpsamplingLayers.Read read = upsampling.get(draft.statement());
            long size = UpsamplingLayers.parameterCount(draft.kind(), draft.inputShape(), read);
            if (offset + size > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            layers.add(UpsamplingLayers.layout(draft.kind(), name, constant(name), draft.inputShape(), read, offset,
                span, text));
            offset += size;
          }
          case "positional_embedding", "multi_head_attention", "globalavgpool1d" -> {
            Layer layer = AttentionChecks.layer(name, constant(name), draft.inputShape(), sequence.get(draft),
                (int) offset, span, text);
            long size = layer.parameters().stream().mapToLong(ParameterSlot::size).sum();
            if (offset + size > MAX_PARAMETERS) {
              sink.report(tooManyParameters(draft, span));
              return Optional.empty();
            }
            offset += size;
            layers.add(layer);
          }
          default -> layers.add(new Layer.Flatten(name, draft.inputShape(), span, text));
        }
        if (sharedKey.containsKey(index)) {
          firstUse.putIfAbsent(sharedKey.get(index), layers.get(layers.size() - 1));
        }
      }
      if (offset == 0) {
        sink.report(Diagnostic.of(DiagnosticCode.UNSUPPORTED_GRAPH, network.nameSpan(),
                "network '" + network.name() + "' has no layer with parameters, so there is nothing to train")
            .withHelp("add a dense layer before the output"));
        return Optional.empty();
      }
      List<NetworkInput> networkInputs = new ArrayList<>();
      int at = 0;
      for (int k = 0; k < input.size(); k++) {
        Optional<Shape> shape = text.modelShape(k, input.get(k).shape());
        if (shape.isEmpty()) {
          return Optional.empty();
        }
        networkInputs.add(new NetworkInput(network.inputs().get(k).name(), shape.get(), at));
        at += shape.get().size();
      }
      String fileName = java.nio.file.Path.of(source.path()).getFileName().toString();
      return Optional.of(new NetworkModel(network.name(), packageName, fileName, networkInputs, layers, inputs,
          outputs.stream().map(layerOf::get).toList(), (int) offset, training,
          fingerprint(networkInputs, layers, inputs), network.span()));
    }

    private String sourceText(SourceSpan span) {
      String text = source.text().substring(span.startOffset(), span.endOffset());
      return text.replaceAll("\\s+", " ").trim();
    }
  }

  /** {@code hiddenLayer} → {@code HIDDEN_LAYER}. */
  public static String constant(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return out.toString();
  }

  /**
   * A hash of what the parameters mean: input shape, each layer's kind, shapes and options, and
   * the parameter layout. Training settings are left out, so a model file survives a change of
   * epochs or learning rate.
   */
  static String fingerprint(List<NetworkInput> networkInputs, List<Layer> layers, List<List<Integer>> inputs) {
    StringBuilder canonical = new StringBuilder("nnet-1\n");
    for (NetworkInput input : networkInputs) {
      canonical.append("input ").append(input.shape()).append('\n');
    }
    for (int index = 0; index < layers.size(); index++) {
      Layer layer = layers.get(index);
      canonical.append(inputs.get(index)).append(' ');
      canonical.append(layer.getClass().getSimpleName().toLowerCase(Locale.ROOT))
          .append(' ').append(layer.inputShape()).append(" -> ").append(layer.outputShape());
      if (layer instanceof Layer.Dense dense) {
        canonical.append(' ').append(dense.activation());
      } else if (layer instanceof Layer.ActivationLayer activation) {
        canonical.append(' ').append(activation.activation());
      } else if (layer instanceof Layer.Dropout dropout) {
        canonical.append(' ').append(dropout.rate());
      } else if (layer instanceof Layer.Convolution conv) {
        canonical.append(' ').append(conv.window().describe()).append(' ').append(conv.activation());
      } else if (layer instanceof Layer.Pooling pool) {
        canonical.append(pool.max() ? " max " : " average ").append(pool.window().describe());
      } else if (layer instanceof Layer.SpatialDropout dropout) {
        canonical.append(' ').append(dropout.rate());
      } else if (layer instanceof Layer.GaussianNoise noise) {
        canonical.append(' ').append(noise.stddev());
      } else if (layer instanceof Layer.GaussianSample sample) {
        canonical.append(' ').append(sample.klWeight());
      } else if (layer instanceof Layer.Normalization norm) {
        canonical.append(norm.batch() ? " batch " : " layer ").append(norm.epsilon()).append(' ').append(norm.momentum());
      } else if (layer instanceof Layer.Preprocessing stage) {
        canonical.append(' ').append(stage.stage());
      } else if (layer instanceof Layer.Recurrent || layer instanceof Layer.Embedding) {
        canonical.append(' ').append(SequenceChecks.fingerprint(layer));
      } else if (layer instanceof Layer.TimeDistributed distributed) {
        canonical.append(' ').append(distributed.dense().activation());
      } else if (UpsamplingLayers.handles(layer)) {
        canonical.append(' ').append(UpsamplingLayers.fingerprint(layer));
      } else if (layer instanceof Layer.Attention || layer instanceof Layer.SequencePooling) {
        canonical.append(' ').append(AttentionChecks.fingerprint(layer));
      }
      for (ParameterSlot slot : layer.parameters()) {
        canonical.append(' ').append(slot.tensorName()).append('@').append(slot.offset()).append(slot.shape());
      }
      canonical.append('\n');
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
