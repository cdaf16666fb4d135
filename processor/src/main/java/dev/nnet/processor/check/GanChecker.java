package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.GanDecl;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TensorType;
import dev.nnet.dsl.ast.TrainBlock;
import dev.nnet.processor.ir.NetworkInput;
import dev.nnet.processor.ir.NetworkModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gan DigitsGan(generator: Generator, discriminator: Discriminator)}: checks that the two
 * networks make a GAN, then writes the network that stacks them, as a user would:
 *
 * <pre>
 * network DigitsGan {
 *     input noise: float[64]                 // the generator's input
 *     fake = Generator(noise)
 *     output realness = Discriminator(fake)
 *     train { loss: binary_crossentropy  batch: 64 }   // the discriminator's loss
 * }
 * </pre>
 *
 * The checks are what {@code dev.nnet.runtime.compose.Gan.of} would otherwise find at run time:
 * both parts have a class of their own (a train block, for their optimizers), one input and one
 * output each; the generator's output has the discriminator's input shape; the discriminator
 * gives one value per sample; and its loss is one a GAN trains with (the stack takes it, so the
 * two steps train against one loss). Each failure is one {@link DiagnosticCode#GAN} at the
 * argument at fault. A part with errors of its own is not checked again (no cascade).
 */
final class GanChecker {
  static final List<String> OPTIONS = List.of("generator", "discriminator", "batch");

  /** The losses both steps can train with: the non-saturating GAN loss and least squares. */
  private static final List<String> LOSSES = List.of("BinaryCrossEntropy", "MeanSquaredError");

  private GanChecker() {}

  /**
   * The stacking network of {@code gan}, or empty after reporting why there is none.
   *
   * @param components every network of the file by name, constants substituted
   * @param models the networks of the file that passed their checks
   */
  static Optional<NetworkDecl> stack(GanDecl gan, Map<String, NetworkDecl> components, List<NetworkModel> models,
      DiagnosticSink sink) {
    boolean[] failed = {false};
    DiagnosticSink tracking = diagnostic -> {
      failed[0] |= diagnostic.severity() == dev.nnet.diag.Severity.ERROR;
      sink.report(diagnostic);
    };
    ArgumentReader args = new ArgumentReader(gan.spec(), "gan", 0, 0, OPTIONS, tracking);
    int batch = args.optionalPositiveInt("batch", 0, NetworkChecker.MAX_DIMENSION);
    Optional<Part> generator = part(gan, args, "generator", components, models, tracking);
    Optional<Part> discriminator = part(gan, args, "discriminator", components, models, tracking);
    if (failed[0] || args.failed() || generator.isEmpty() || discriminator.isEmpty()) {
      return Optional.empty();
    }
    Part g = generator.get();
    Part d = discriminator.get();
    for (Part part : List.of(g, d)) {
      if (part.model().networkInputs().size() != 1 || part.model().outputs().size() != 1) {
        sink.report(Diagnostic.of(DiagnosticCode.GAN, part.span(),
                "the " + part.role() + " '" + part.name() + "' must have one input and one output, but has "
                    + part.model().networkInputs().size() + " and " + part.model().outputs().size())
            .withNote("'" + part.name() + "' is declared at " + part.decl().nameSpan()));
        return Optional.empty();
      }
    }
    NetworkInput read = d.model().networkInputs().get(0);
    if (!g.model().outputShape().equals(read.shape())) {
      sink.report(Diagnostic.of(DiagnosticCode.GAN, g.span(),
              "the generator '" + g.name() + "' gives samples of shape " + g.model().outputShape()
                  + ", but the discriminator '" + d.name() + "' reads " + read.shape())
          .withNote("'" + read.name() + "' is declared at " + d.decl().inputs().get(0).nameSpan())
          .withHelp("make the generator's output the discriminator's input shape (flatten or reshape)"));
      return Optional.empty();
    }
    if (d.model().outputSize() != 1) {
      sink.report(Diagnostic.of(DiagnosticCode.GAN, d.span(),
              "the discriminator '" + d.name() + "' must give one value per sample (real or generated), but gives "
                  + d.model().outputShape())
          .withHelp("end it with dense(h, units: 1, activation: sigmoid)"));
      return Optional.empty();
    }
    String loss = d.model().training().loss().loss().className();
    if (!LOSSES.contains(loss)) {
      sink.report(Diagnostic.of(DiagnosticCode.GAN, d.span(),
              "the discriminator '" + d.name() + "' trains with " + d.model().training().loss().loss()
                  + ", but a GAN trains both steps with binary_crossentropy or mse")
          .withNote("the stack takes the discriminator's loss, so the generator's step trains against it too")
          .withHelp("use loss: binary_crossentropy with a sigmoid output, or loss: mse with a linear one"));
      return Optional.empty();
    }
    return Optional.of(write(gan, g, d, batch));
  }

  /** A network named by a {@code gan} argument, with its checked model. */
  private record Part(String role, String name, SourceSpan span, NetworkDecl decl, NetworkModel model) {}

  private static Optional<Part> part(GanDecl gan, ArgumentReader args, String role,
      Map<String, NetworkDecl> components, List<NetworkModel> models, DiagnosticSink sink) {
    Optional<Expr> value = args.named(role);
    if (value.isEmpty()) {
      if (!args.failed()) {
        sink.report(Diagnostic.of(DiagnosticCode.MISSING_ARGUMENT, gan.nameSpan(), "gan needs '" + role + "'")
            .withHelp("write gan " + gan.name() + "(generator: Generator, discriminator: Discriminator)"));
      }
      return Optional.empty();
    }
    if (!(value.get() instanceof Expr.Name name) || !components.containsKey(name.name())) {
      Diagnostic d = Diagnostic.of(DiagnosticCode.GAN, value.get().span(),
          "the " + role + " must be a network of this file, but got " + ArgumentReader.describe(value.get()));
      Optional<String> suggestion = value.get() instanceof Expr.Name name
          ? Suggestions.closest(name.name(), components.keySet()) : Optional.empty();
      sink.report(suggestion.isPresent() ? d.withHelp("did you mean '" + suggestion.get() + "'?")
          : d.withNote("the networks of this file are: " + String.join(", ", components.keySet())));
      return Optional.empty();
    }
    NetworkDecl decl = components.get(name.name());
    if (decl.train().isEmpty()) {
      sink.report(Diagnostic.of(DiagnosticCode.GAN, name.span(),
              "the " + role + " '" + name.name() + "' has no train block, so it has no class or optimizer of its own")
          .withNote("'" + name.name() + "' is declared at " + decl.nameSpan())
          .withHelp("add one, as in: train { loss: binary_crossentropy  optimizer: adam(learning_rate: 2e-4, beta_1: 0.5) }"));
      return Optional.empty();
    }
    // A part that failed its own checks was reported there.
    return models.stream().filter(model -> model.name().equals(name.name())).findFirst()
        .map(model -> new Part(role, name.name(), name.span(), components.get(name.name()), model));
  }

  /** The stack, as a user would declare it; every span is the gan line's. */
  private static NetworkDecl write(GanDecl gan, Part g, Part d, int batch) {
    NetworkInput noise = g.model().networkInputs().get(0);
    SourceSpan at = gan.nameSpan();
    List<Expr> dimensions = new ArrayList<>();
    for (int size : noise.shape().dimensions()) {
      dimensions.add(new Expr.Number(String.valueOf(size), size, true, at));
    }
    InputDecl input = new InputDecl(noise.name(), at, new TensorType("float", at, dimensions, at), at);
    LayerStatement fake = new LayerStatement(false, "fake", at, call(g.name(), g.span(), noise.name(), at), gan.span());
    LayerStatement realness = new LayerStatement(true, "realness", at, call(d.name(), d.span(), "fake", at), gan.span());
    List<Setting> settings = new ArrayList<>();
    TrainBlock own = d.decl().train().orElseThrow(); // d has a model, so it has a train block
    own.settings().stream().filter(setting -> setting.key().equals("loss")).forEach(settings::add);
    if (batch > 0) {
      settings.add(new Setting("batch", at, new Expr.Number(String.valueOf(batch), batch, true, at), at));
    } else {
      g.decl().train().orElseThrow().settings().stream().filter(setting -> setting.key().equals("batch"))
          .forEach(settings::add);
    }
    return new NetworkDecl(gan.name(), gan.nameSpan(), gan.span(), List.of(input), List.of(fake, realness),
        Optional.of(new TrainBlock(settings, gan.span())));
  }

  private static Call call(String network, SourceSpan span, String reads, SourceSpan at) {
    return new Call(network, span, List.of(new Argument(Optional.empty(), at, new Expr.Name(reads, at), at)), span);
  }
}
