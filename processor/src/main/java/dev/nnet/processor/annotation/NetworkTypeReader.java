package dev.nnet.processor.annotation;

import dev.nnet.diag.DiagnosticCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Writes the {@code .nnet} text of one {@code @Network} type: its inputs, layer statements and
 * train block, each piece marked with the Java element, annotation and value it comes from. The
 * text then goes through the same parser, checker and generator as a {@code .nnet} file, so the
 * two forms share every check, message and line of generated code.
 *
 * <p>Mistakes only the Java form can make (a layer method with parameters, two layer annotations
 * on one method, a string that is not one {@code .nnet} value, ...) are found here and reported
 * as {@link DiagnosticCode#ANNOTATION}. A type that uses something javac cannot resolve is
 * {@linkplain Result#erroneous() erroneous}: it is read again in a later round, when another
 * processor may have generated the missing type.
 */
final class NetworkTypeReader {
  static final String PACKAGE = "dev.nnet.runtime.annotation";
  static final String NETWORK = PACKAGE + ".Network";
  static final String TRAIN = PACKAGE + ".Train";
  static final String INPUT = PACKAGE + ".Input";
  static final String OUTPUT = PACKAGE + ".Output";
  static final String FROM = PACKAGE + ".From";
  static final String LAYER_KIND = PACKAGE + ".LayerKind";
  static final String LAYER = PACKAGE + ".Layer";
  static final String USE = PACKAGE + ".Use";

  /** The words of the .nnet grammar, which cannot name a layer. */
  private static final Set<String> KEYWORDS = Set.of("network", "input", "output", "train", "let", "gan");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*");

  /** A mistake found while reading: where, which code, what, and how to fix it. */
  record Problem(Location location, DiagnosticCode code, String message, Optional<String> help) {}

  /**
   * The outcome of reading one type.
   *
   * @param text the .nnet text, when there are neither problems nor unresolved types
   * @param problems the mistakes to report
   * @param erroneous where javac could not resolve something, if anywhere
   */
  record Result(Optional<NnetText> text, List<Problem> problems, Optional<Location> erroneous,
      List<TypeElement> components) {}

  private final JavaPositions positions;
  private final List<Problem> problems = new ArrayList<>();
  /** The @Network types this one uses as layers ({@code @Use}), in order of use. */
  private final List<TypeElement> components = new ArrayList<>();
  private Location erroneous;
  private NnetText out;

  NetworkTypeReader(JavaPositions positions) {
    this.positions = positions;
  }

  /** A member of the type that declares an input or a layer. */
  private record Member(ExecutableElement method, AnnotationMirror kind, boolean input,
      Optional<AnnotationMirror> output, Optional<AnnotationMirror> from) {
    String name() {
      return method.getSimpleName().toString();
    }
  }

  Result read(TypeElement type, AnnotationMirror network, String className) {
    return read(type, network, className, new NnetText());
  }

  /** Appends the network of {@code type} to {@code text}. */
  Result read(TypeElement type, AnnotationMirror network, String className, NnetText text) {
    out = text;
    List<Member> members = members(type);
    if (erroneous != null) {
      return new Result(Optional.empty(), List.of(), Optional.of(erroneous), List.of());
    }
    Optional<AnnotationMirror> train = mirror(type, TRAIN);

    int start = out.offset();
    out.moveTo(positions.of(type, network));
    int header = out.offset();
    out.append("network ").append(className).append(" {");
    out.mark(header, Location.of(type, network));
    if (train.isPresent()) {
      writeTrain(type, train.get());
    }
    boolean anyOutput = members.stream().anyMatch(m -> m.output().isPresent());
    Member lastLayer = null;
    for (Member member : members) {
      if (!member.input()) {
        lastLayer = member;
      }
    }
    String previous = null;
    for (Member member : members) {
      if (member.input()) {
        writeInput(member);
      } else {
        writeLayer(member, previous, member.output().isPresent() || !anyOutput && member == lastLayer);
      }
      previous = member.name();
    }
    out.newLine().append("}\n");
    // The whole network: diagnostics about the network itself (no input, no train) land on the type.
    out.mark(start, Location.of(type, network));
    if (erroneous != null) {
      return new Result(Optional.empty(), List.of(), Optional.of(erroneous), List.of());
    }
    return new Result(problems.isEmpty() ? Optional.of(out) : Optional.empty(), List.copyOf(problems), Optional.empty(),
        List.copyOf(components));
  }

  /**
   * The simple name of the class generated for an {@code @Network} type: its {@code name}, or
   * the type's simple name plus {@code Model}. Also the network's name in the .nnet text.
   */
  static String className(TypeElement type, AnnotationMirror network) {
    return explicit(network, "name").map(v -> String.valueOf(v.getValue())).orElse(type.getSimpleName() + "Model");
  }

  // ---------------------------------------------------------------- members

  private List<Member> members(TypeElement type) {
    List<Member> members = new ArrayList<>();
    for (Element enclosed : type.getEnclosedElements()) {
      if (enclosed.getKind() != ElementKind.METHOD) {
        continue;
      }
      ExecutableElement method = (ExecutableElement) enclosed;
      List<AnnotationMirror> kinds = new ArrayList<>();
      Optional<AnnotationMirror> output = Optional.empty();
      Optional<AnnotationMirror> from = Optional.empty();
      for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
        if (mirror.getAnnotationType().getKind() == TypeKind.ERROR) {
          unresolved(Location.of(method, mirror));
          continue;
        }
        String name = qualifiedName(mirror);
        if (name.equals(INPUT) || isLayerKind(mirror)) {
          kinds.add(mirror);
        } else if (name.equals(OUTPUT)) {
          output = Optional.of(mirror);
        } else if (name.equals(FROM)) {
          from = Optional.of(mirror);
        }
      }
      if (positions.writtenAnnotations(method) > method.getAnnotationMirrors().size()) {
        unresolved(Location.of(method));
        continue;
      }
      TypeMirror returns = method.getReturnType();
      if (returns.getKind() == TypeKind.ERROR) {
        unresolved(Location.of(method));
        continue;
      }
      boolean returnsLayer = returns.getKind() == TypeKind.DECLARED
          && ((TypeElement) ((DeclaredType) returns).asElement()).getQualifiedName().contentEquals(LAYER);
      String methodName = method.getSimpleName().toString();
      if (kinds.isEmpty()) {
        if (output.isPresent() || from.isPresent()) {
          AnnotationMirror stray = output.orElseGet(from::get);
          problem(Location.of(method, stray), "@" + simpleName(stray) + " goes with a layer annotation, and '"
              + methodName + "' has none", "add one, such as @Dense(units = 8), or remove @" + simpleName(stray));
        } else if (returnsLayer) {
          problem(Location.of(method), "'" + methodName + "' returns Layer but declares no input or layer",
              "annotate it with @Input(...) or a layer annotation such as @Dense(units = 8)");
        }
        continue;
      }
      if (kinds.size() > 1) {
        problem(Location.of(method, kinds.get(1)), "'" + methodName + "' has two layer annotations, @"
            + simpleName(kinds.get(0)) + " and @" + simpleName(kinds.get(1)) + "; a method declares one input or layer",
            "declare the second in a method of its own");
        continue;
      }
      AnnotationMirror kind = kinds.get(0);
      boolean input = qualifiedName(kind).equals(INPUT);
      boolean ok = true;
      if (!method.getParameters().isEmpty()) {
        problem(Location.of(method), "a layer method takes no parameters, but '" + methodName + "' takes "
            + method.getParameters().size(), "remove the parameters; @From names what a layer reads");
        ok = false;
      }
      if (!returnsLayer) {
        problem(Location.of(method), "'" + methodName + "' must return " + LAYER + ", not " + returns,
            "declare it as: Layer " + methodName + "();");
        ok = false;
      }
      if (!NAME.matcher(methodName).matches() || KEYWORDS.contains(methodName)) {
        problem(Location.of(method), "'" + methodName + "' cannot name a layer in .nnet"
            + (KEYWORDS.contains(methodName) ? ": it is a word of the language" : ": use ASCII letters, digits and '_'"),
            "rename the method, for example to '" + (KEYWORDS.contains(methodName) ? methodName + "Layer" : "layer") + "'");
        ok = false;
      }
      if (input && output.isPresent()) {
        problem(Location.of(method, output.get()), "an input cannot be an output: '" + methodName + "' is an @Input",
            "mark a layer @Output instead");
        ok = false;
      }
      if (input && from.isPresent()) {
        problem(Location.of(method, from.get()), "an input reads nothing, so '" + methodName + "' cannot have @From",
            "remove @From");
        ok = false;
      }
      if (ok) {
        members.add(new Member(method, kind, input, output, from));
      }
    }
    return members;
  }

  private boolean isLayerKind(AnnotationMirror mirror) {
    return mirror(mirror.getAnnotationType().asElement(), LAYER_KIND).isPresent();
  }

  // ---------------------------------------------------------------- pieces of text

  private void writeInput(Member member) {
    ExecutableElement method = member.method();
    out.newLine().moveBefore(positions.nameOf(method).or(() -> positions.of(method)), "input ".length());
    int start = out.offset();
    out.append("input ");
    int name = out.offset();
    out.append(member.name());
    out.mark(name, Location.of(method));
    out.append(": ");
    int type = out.offset();
    Location at = Location.of(method, member.kind());
    Optional<? extends AnnotationValue> dims = explicit(member.kind(), "value");
    List<?> list = dims.map(AnnotationValue::getValue).filter(List.class::isInstance).map(List.class::cast).orElse(List.of());
    Optional<? extends AnnotationValue> elementType = explicit(member.kind(), "type");
    if (elementType.isPresent() && !"float".equals(elementType.get().getValue())) {
      // @Input(type = "string"): the checker reads the element type as in .nnet text.
      int word = out.offset();
      out.append(String.valueOf(elementType.get().getValue()));
      out.mark(word, at.with(elementType.get()));
      if (!list.isEmpty()) {
        out.append("[");
        for (int k = 0; k < list.size(); k++) {
          out.append(k > 0 ? ", " : "");
          writeValue((AnnotationValue) list.get(k), at.with((AnnotationValue) list.get(k)), false);
        }
        out.append("]");
      }
      out.mark(type, at.with(elementType.get()));
      out.mark(start, at);
      return;
    }
    out.append("float[");
    if (list.isEmpty()) {
      problem(dims.map(at::with).orElse(at), "an input needs at least one dimension, such as @Input(4) or @Input({28, 28})",
          "give the shape of one sample; the batch dimension is never written");
    }
    for (int k = 0; k < list.size(); k++) {
      if (k > 0) {
        out.append(", ");
      }
      writeValue((AnnotationValue) list.get(k), at.with((AnnotationValue) list.get(k)), false);
    }
    out.append("]");
    out.mark(type, dims.map(at::with).orElse(at));
    out.mark(start, at);
  }

  private void writeLayer(Member member, String previous, boolean output) {
    ExecutableElement method = member.method();
    AnnotationMirror kind = member.kind();
    Location at = Location.of(method, kind);
    out.newLine().moveBefore(positions.nameOf(method).or(() -> positions.of(method)), output ? "output ".length() : 0);
    int start = out.offset();
    if (output) {
      int word = out.offset();
      out.append("output");
      out.mark(word, member.output().map(o -> Location.of(method, o)).orElse(at));
      out.append(" ");
    }
    int target = out.offset();
    out.append(member.name());
    out.mark(target, Location.of(method));
    out.append(" = ");

    String layerKind = stringElement(mirror(kind.getAnnotationType().asElement(), LAYER_KIND).orElseThrow(), "value");
    boolean kindFromValue = layerKind.isEmpty();
    int callName = out.offset();
    if (kindFromValue) {
      Optional<? extends AnnotationValue> value = explicit(kind, "value");
      Object v = value.map(AnnotationValue::getValue).orElse(null);
      if (v instanceof VariableElement constant) {
        layerKind = constant.getSimpleName().toString().toLowerCase(Locale.ROOT);
      } else if (v instanceof TypeMirror used) {
        layerKind = component(used, value.map(at::with).orElse(at));
      } else if (v instanceof String s && NAME.matcher(s).matches()) {
        layerKind = s;
      } else {
        problem(value.map(at::with).orElse(at), "'" + v + "' is not a layer name",
            "write the layer's .nnet name, such as \"dense\" or \"conv2d\"");
        layerKind = "layer";
      }
      out.append(layerKind);
      out.mark(callName, value.map(at::with).orElse(at));
    } else {
      out.append(layerKind);
      out.mark(callName, at);
    }
    out.append("(");
    boolean first = true;
    if (member.from().isPresent()) {
      AnnotationMirror from = member.from().get();
      Location fromAt = Location.of(method, from);
      Optional<? extends AnnotationValue> names = explicit(from, "value");
      List<?> list = names.map(AnnotationValue::getValue).filter(List.class::isInstance).map(List.class::cast).orElse(List.of());
      if (list.isEmpty()) {
        problem(names.map(fromAt::with).orElse(fromAt), "@From names no input or layer",
            "name what '" + member.name() + "' reads, such as @From(\"x\"), or remove @From to read the member above");
      }
      for (Object element : list) {
        AnnotationValue name = (AnnotationValue) element;
        if (!first) {
          out.append(", ");
        }
        first = false;
        Object text = name.getValue();
        int at2 = out.offset();
        if (text instanceof String s && NAME.matcher(s).matches() && !KEYWORDS.contains(s)) {
          out.append(s);
        } else {
          problem(fromAt.with(name), "'" + text + "' is not the name of an input or a layer",
              "name a method declared above this one");
        }
        out.mark(at2, fromAt.with(name));
      }
    } else if (previous != null) {
      int at2 = out.offset();
      out.append(previous);
      out.mark(at2, at);
      first = false;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : kind.getElementValues().entrySet()) {
      String element = entry.getKey().getSimpleName().toString();
      if (element.equals("args") || kindFromValue && element.equals("value")) {
        continue;
      }
      if (!first) {
        out.append(", ");
      }
      first = false;
      writeArgument(snake(element), entry.getKey(), entry.getValue(), at);
    }
    for (AnnotationValue raw : explicitList(kind, "args")) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      writeRaw(raw, at.with(raw), Snippets::namedArgument, "name: value", "\"alpha: 0.1\"");
    }
    out.append(")");
    out.mark(start, at);
  }

  private void writeTrain(TypeElement type, AnnotationMirror train) {
    Location at = Location.of(type, train);
    out.newLine().moveTo(positions.of(type, train));
    int start = out.offset();
    out.append("train {");
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : train.getElementValues().entrySet()) {
      String element = entry.getKey().getSimpleName().toString();
      if (element.equals("settings")) {
        continue;
      }
      out.append(" ");
      writeArgument(snake(element), entry.getKey(), entry.getValue(), at);
    }
    for (AnnotationValue raw : explicitList(train, "settings")) {
      out.append(" ");
      writeRaw(raw, at.with(raw), Snippets::setting, "name: value", "\"shuffle: false\"");
    }
    out.append(" }");
    out.mark(start, at);
  }

  /** {@code name: value}, marked with the annotation value. */
  private void writeArgument(String name, ExecutableElement element, AnnotationValue value, Location at) {
    int start = out.offset();
    out.append(name).append(": ");
    if (!expectedKind(element.getReturnType(), value)) {
      unresolved(at.with(value));
    } else {
      // Loss and metrics are lists in Java; one of them is written without brackets, as in .nnet.
      boolean bare = element.getReturnType().getKind() == TypeKind.ARRAY
          && value.getValue() instanceof List<?> list && list.size() == 1
          && ((javax.lang.model.type.ArrayType) element.getReturnType()).getComponentType().toString().equals("java.lang.String");
      writeValue(value, at.with(value), bare);
    }
    out.mark(start, at.with(value));
  }

  /** A string written in .nnet form, checked to be exactly one argument or setting. */
  private void writeRaw(AnnotationValue raw, Location at, java.util.function.Function<String, Optional<String>> check,
      String form, String example) {
    int start = out.offset();
    Object v = raw.getValue();
    if (!(v instanceof String s)) {
      unresolved(at);
      return;
    }
    Optional<String> wrong = s.contains("\n") || s.contains("\r")
        ? Optional.of("'" + s.strip() + "' spans several lines") : check.apply(s);
    if (wrong.isPresent()) {
      problems.add(new Problem(at, DiagnosticCode.SYNTAX, wrong.get(),
          Optional.of("write it in .nnet form, '" + form + "', such as " + example)));
    } else {
      out.append(s.strip());
    }
    out.mark(start, at);
  }

  /** One annotation value as .nnet: numbers and booleans as written, enums in lower case, lists. */
  private void writeValue(AnnotationValue value, Location at, boolean bareSingle) {
    int start = out.offset();
    Object v = value.getValue();
    if (isErrorValue(value)) {
      unresolved(at);
    } else if (v instanceof List<?> list) {
      if (bareSingle) {
        writeValue((AnnotationValue) list.get(0), at.with((AnnotationValue) list.get(0)), false);
      } else {
        out.append("[");
        for (int k = 0; k < list.size(); k++) {
          if (k > 0) {
            out.append(", ");
          }
          AnnotationValue element = (AnnotationValue) list.get(k);
          writeValue(element, at.with(element), false);
        }
        out.append("]");
      }
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      out.append(v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        problem(at, "a .nnet value is a finite number, but this one is " + v, "write a finite number");
      } else {
        out.append(v.toString());
      }
    } else if (v instanceof Boolean) {
      out.append(v.toString());
    } else if (v instanceof VariableElement constant) {
      out.append(constant.getSimpleName().toString().toLowerCase(Locale.ROOT));
    } else if (v instanceof String s) {
      Optional<String> wrong = s.contains("\n") || s.contains("\r")
          ? Optional.of("'" + s.strip() + "' spans several lines") : Snippets.value(s);
      if (wrong.isPresent()) {
        problems.add(new Problem(at, DiagnosticCode.SYNTAX, wrong.get(),
            Optional.of("write one .nnet value: a name such as \"he_normal\" or a call such as \"l2(1e-4)\"")));
      } else {
        out.append(s.strip());
      }
    } else {
      problem(at, "a " + (v instanceof Character ? "character" : v instanceof TypeMirror ? "class" : "nested annotation")
          + " is not a .nnet value", "write a number, a boolean, an enum constant or a string in .nnet form");
    }
    out.mark(start, at);
  }

  /** {@code @Use(Encoder.class)}: the name the used network has in the text, or a placeholder. */
  private String component(TypeMirror used, Location at) {
    if (used.getKind() == TypeKind.ERROR || !(used instanceof DeclaredType declared)) {
      unresolved(at);
      return "layer";
    }
    TypeElement type = (TypeElement) declared.asElement();
    Optional<AnnotationMirror> network = mirror(type, NETWORK);
    if (network.isEmpty()) {
      problem(at, "'" + type.getSimpleName() + "' is not an @Network type, so it cannot be used as a layer",
          "add @Network to '" + type.getSimpleName() + "', or use a layer annotation");
      return "layer";
    }
    if (explicit(network.get(), "source").isPresent()) {
      problem(at, "'" + type.getSimpleName() + "' binds a .nnet file, and a bound network cannot be used as a layer"
          + " from Java", "declare both networks in the .nnet file, one using the other");
      return "layer";
    }
    if (!components.contains(type)) {
      components.add(type);
    }
    return className(type, network.get());
  }

  // ---------------------------------------------------------------- helpers

  private void problem(Location location, String message, String help) {
    problems.add(new Problem(location, DiagnosticCode.ANNOTATION, message, Optional.of(help)));
  }

  private void unresolved(Location location) {
    if (erroneous == null) {
      erroneous = location;
    }
  }

  /** javac turns a value it cannot resolve into an error attribute; nothing of it can be read. */
  private static boolean isErrorValue(AnnotationValue value) {
    String name = value.getClass().getName();
    return name.endsWith("$Error") || name.endsWith("$UnresolvedClass");
  }

  /** Whether {@code value} holds what an element of type {@code expected} should. */
  private static boolean expectedKind(TypeMirror expected, AnnotationValue value) {
    if (isErrorValue(value)) {
      return false;
    }
    Object v = value.getValue();
    if (expected.getKind() == TypeKind.ARRAY) {
      return v instanceof List<?> list && list.stream().allMatch(e -> e instanceof AnnotationValue element
          && expectedKind(((javax.lang.model.type.ArrayType) expected).getComponentType(), element));
    }
    if (expected.getKind() == TypeKind.BOOLEAN) {
      return v instanceof Boolean;
    }
    if (expected.getKind().isPrimitive()) {
      return v instanceof Number;
    }
    if (expected.getKind() == TypeKind.DECLARED && ((DeclaredType) expected).asElement().getKind() == ElementKind.ENUM) {
      return v instanceof VariableElement;
    }
    return true;
  }

  static Optional<AnnotationMirror> mirror(Element element, String qualifiedName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (qualifiedName(mirror).equals(qualifiedName)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  static String qualifiedName(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  /** The value written for {@code name}, if it was written (defaults are left to the checker). */
  static Optional<? extends AnnotationValue> explicit(AnnotationMirror mirror, String name) {
    return mirror.getElementValues().entrySet().stream()
        .filter(e -> e.getKey().getSimpleName().contentEquals(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static List<AnnotationValue> explicitList(AnnotationMirror mirror, String name) {
    Object v = explicit(mirror, name).map(AnnotationValue::getValue).orElse(List.of());
    List<AnnotationValue> values = new ArrayList<>();
    if (v instanceof List<?> list) {
      for (Object element : list) {
        values.add((AnnotationValue) element);
      }
    }
    return values;
  }

  /** A string element, written or default. */
  static String stringElement(AnnotationMirror mirror, String name) {
    Optional<? extends AnnotationValue> written = explicit(mirror, name);
    if (written.isPresent()) {
      return String.valueOf(written.get().getValue());
    }
    for (Element e : mirror.getAnnotationType().asElement().getEnclosedElements()) {
      if (e instanceof ExecutableElement m && m.getSimpleName().contentEquals(name) && m.getDefaultValue() != null) {
        return String.valueOf(m.getDefaultValue().getValue());
      }
    }
    return "";
  }

  /** {@code useBias} → {@code use_bias}: the .nnet spelling of an annotation element. */
  static String snake(String camel) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
