package dev.nnet.processor.codegen;

import static dev.nnet.processor.codegen.NetworkClassWriter.intConstant;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.check.NetworkChecker;
import dev.nnet.processor.ir.Layer;
import dev.nnet.processor.ir.NetworkModel;
import dev.nnet.processor.ir.Stage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The text side of a network with a {@code text_vectorize} stage: the stage's description (a
 * runtime {@code TextVectorization} over the state array), {@code adapt(List<String>)} fitting
 * its vocabulary, {@code vectorize} turning texts into the float input the rest of the network
 * reads, {@code predict(String, ...)} on a raw text, and the checks of a loaded vocabulary. The
 * stage's forward method itself only passes the vectorized values on ({@link PreprocessingCode}).
 */
final class TextStageCode {
  private static final ClassName TEXT = ClassName.get("dev.nnet.runtime.data.text", "TextVectorization");
  private static final ClassName VECTORIZER = TEXT.nestedClass("Vectorizer");
  private static final ClassName VOCABULARY = ClassName.get("dev.nnet.runtime.data.text", "Vocabulary");
  private static final ClassName DATASET = ClassName.get("dev.nnet.runtime.data", "Dataset");
  private static final ClassName INVALID_STATE = ClassName.get("dev.nnet.runtime", "InvalidStateException");
  private static final TypeName TEXTS = ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(String.class));

  private TextStageCode() {}

  /** The stage's options as named constants. */
  static void addConstants(TypeSpec.Builder type, String prefix, Stage.TextVectorize text, String where) {
    type.addField(intConstant(prefix + "_MAX_TOKENS", text.maxTokens(),
        where + ": the vocabulary size, padding (0) and out-of-vocabulary (1) included."));
    if (text.outputMode().equals("int")) {
      type.addField(intConstant(prefix + "_SEQUENCE_LENGTH", text.sequenceLength(),
          where + ": token ids per text, padded with 0 or truncated at the end."));
    }
  }

  /** The text stage of a float network, if it has one. */
  private static Optional<Layer.Preprocessing> textStage(NetworkModel model) {
    return model.layers().stream()
        .filter(layer -> layer instanceof Layer.Preprocessing p && p.stage() instanceof Stage.TextVectorize)
        .map(Layer.Preprocessing.class::cast).findFirst();
  }

  /** Everything that takes raw texts; nothing for a network without a text stage. */
  static void addMethods(TypeSpec.Builder type, NetworkModel model, Precision p) {
    Optional<Layer.Preprocessing> found = textStage(model);
    if (found.isEmpty() || p != Precision.FLOAT) {
      return;
    }
    Layer.Preprocessing layer = found.get();
    Stage.TextVectorize text = (Stage.TextVectorize) layer.stage();
    String prefix = NetworkChecker.constant(layer.name());
    String spec = prefix + "_TEXT";
    String cache = camel(layer.name()) + "Vectorizer";
    boolean tfIdf = text.outputMode().equals("tf_idf");

    type.addField(FieldSpec.builder(TEXT, spec, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: standardize, split, look up; its vocabulary lives in the state array.\n", layer.source())
        .initializer("new $T($S, $T.OutputMode.$L, $T.Standardize.$L, $L_MAX_TOKENS, $L, $L_VOCABULARY_OFFSET, $L,"
                + " $L_COUNT_OFFSET)", TEXT, layer.name(), TEXT, text.outputMode().toUpperCase(Locale.ROOT), TEXT,
            text.standardize().toUpperCase(Locale.ROOT), prefix,
            text.outputMode().equals("int") ? prefix + "_SEQUENCE_LENGTH" : "0", prefix,
            tfIdf ? prefix + "_IDF_OFFSET" : "-1", prefix)
        .build());
    type.addField(FieldSpec.builder(VECTORIZER, cache, Modifier.PRIVATE, Modifier.VOLATILE)
        .addJavadoc("The fitted vocabulary of {@code $L} as a lookup table, built from the state when first needed"
            + " and dropped when the state changes.\n", layer.name())
        .build());

    boolean laterStages = model.layers().stream().anyMatch(l -> l != layer && l instanceof Layer.Preprocessing s
        && s.stage().fitted());
    MethodSpec.Builder adapt = MethodSpec.methodBuilder("adapt").addModifiers(Modifier.PUBLIC)
        .addParameter(TEXTS, "trainingTexts")
        .addJavadoc("Fits the vocabulary of {@code $L}$L on the training texts only, as Keras'"
            + " {@code TextVectorization.adapt}: the most frequent tokens, ties in string order.\n",
            layer.name(), tfIdf ? " and its inverse document frequencies" : "")
        .addStatement("$L.fit(trainingTexts, state)", spec)
        .addStatement("$L = null", cache);
    if (laterStages) {
      adapt.addComment("The stages after it are fitted on the vectorized texts.")
          .addStatement("adapt(vectorize(trainingTexts), 0, trainingTexts.size())");
    }
    type.addMethod(adapt.build());

    type.addMethod(MethodSpec.methodBuilder(cache).addModifiers(Modifier.PRIVATE).returns(VECTORIZER)
        .addStatement("$T vectorizer = $L", VECTORIZER, cache)
        .beginControlFlow("if (vectorizer == null)")
        .beginControlFlow("if (!$L.fitted(state))", spec)
        .addStatement("throw new $T(\"the vocabulary of '$L' is not fitted: call adapt(List<String>) with the"
            + " training texts, or load a trained model\")", IllegalStateException.class, layer.name())
        .endControlFlow()
        .addStatement("vectorizer = $L.vectorizer(state)", spec)
        .addStatement("$L = vectorizer", cache)
        .endControlFlow()
        .addStatement("return vectorizer")
        .build());

    type.addMethod(MethodSpec.methodBuilder("vectorize").addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "text").addParameter(float[].class, "input").addParameter(int.class, "inputOffset")
        .addJavadoc("Writes the {@link #INPUT_SIZE} input values of {@code text} ($L) into {@code input}.\n",
            text.outputMode().equals("int") ? "its token ids" : "one " + text.outputMode().replace('_', '-')
                + " value per vocabulary id")
        .addStatement("$L().vectorize(text, input, inputOffset)", cache)
        .build());
    type.addMethod(MethodSpec.methodBuilder("vectorize").addModifiers(Modifier.PUBLIC).returns(float[].class)
        .addParameter(TEXTS, "texts")
        .addJavadoc("The inputs of many texts, {@link #INPUT_SIZE} values each, one after another.\n")
        .addStatement("return $L().vectorize(texts)", cache)
        .build());
    type.addMethod(MethodSpec.methodBuilder("dataset").addModifiers(Modifier.PUBLIC).returns(DATASET)
        .addParameter(TEXTS, "texts").addParameter(float[].class, "targets").addParameter(int.class, "targetWidth")
        .addJavadoc("A data set of the vectorized texts and their targets ({@code targetWidth} values each), for"
            + " {@code Trainer.fit} and {@code Evaluation}.\n")
        .addStatement("return new $T(vectorize(texts), INPUT_SIZE, targets, targetWidth)", DATASET)
        .build());
    type.addMethod(MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "text").addParameter(float[].class, "output").addParameter(int.class, "outputOffset")
        .addJavadoc("Predicts from a raw text. Allocates the text's tokens and its input row; the network part"
            + " allocates nothing.\n")
        .addStatement("float[] input = new float[INPUT_SIZE]")
        .addStatement("vectorize(text, input, 0)")
        .addStatement("predict(input, 0, output, outputOffset)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("vocabulary").addModifiers(Modifier.PUBLIC).returns(VOCABULARY)
        .addJavadoc("The fitted vocabulary of {@code $L}: id 0 padding, 1 out-of-vocabulary, then the words.\n",
            layer.name())
        .addStatement("return $L().vocabulary()", cache)
        .build());
    type.addMethod(MethodSpec.methodBuilder("checkState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(float[].class, "candidate").addException(INVALID_STATE)
        .addStatement("$L.check(candidate)", spec)
        .build());
    type.addMethod(MethodSpec.methodBuilder("stateChanged").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addStatement("$L = null", cache)
        .build());
  }

  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
