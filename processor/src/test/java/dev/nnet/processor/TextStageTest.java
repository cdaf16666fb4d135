package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.text.Vocabulary;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.io.ModelFileException;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code text_vectorize} stage: vocabulary fitted by the generated {@code adapt(List<String>)}
 * on training texts only, texts vectorized against hand-computed values in every output mode,
 * saved in the model file and checked when loaded, raw-string prediction identical after reload.
 * The vectorizing networks end in a dense layer with identity weights, so their predictions are
 * the stage's output.
 */
class TextStageTest {
  // Tokens (lower-cased, punctuation deleted): [the, cat, sat], [the, cat, ran], [a, dog, ran].
  // Frequencies: cat 2, ran 2, the 2, then a 1, dog 1, sat 1; ties in string order, so the ids are
  // cat 2, ran 3, the 4, a 5 (dog 6, sat 7 beyond max_tokens 6: out-of-vocabulary, id 1).
  private static final List<String> TRAIN = List.of("The cat sat.", "the CAT ran", "A dog ran!");

  private static Network load(String stage, int outputs) {
    String text = """
        network T {
          input text: string
          v = %s
          output y = dense(v, units: %d)
          train { loss: mse  batch: 4  epochs: 1 }
        }
        """.formatted(stage, outputs);
    return instantiate(text, "T");
  }

  private static Network instantiate(String text, String name) {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("t.nnet", text, "text", false));
    try {
      return (Network) loader.loadClass("text." + name).getConstructor(int.class).newInstance(8);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Network identity(Network net) {
    int n = net.outputSize();
    float[] p = net.parameters();
    Arrays.fill(p, 0);
    for (int i = 0; i < n; i++) {
      p[i * n + i] = 1;
    }
    return net;
  }

  /** Calls a generated method, unwrapping what it throws. */
  private static Object call(Network net, String method, Class<?>[] types, Object... args) throws Throwable {
    try {
      return net.getClass().getMethod(method, types).invoke(net, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void adapt(Network net, List<String> texts) throws Throwable {
    call(net, "adapt", new Class<?>[] {List.class}, texts);
  }

  private static float[] predict(Network net, String text) throws Throwable {
    float[] out = new float[net.outputSize()];
    call(net, "predict", new Class<?>[] {String.class, float[].class, int.class}, text, out, 0);
    return out;
  }

  @Test
  void intModeGivesIdsByFrequencyThenStringOrderWithOutOfVocabularyPaddingAndTruncation() throws Throwable {
    Network net = identity(load("text_vectorize(text, max_tokens: 6, sequence_length: 4)", 4));
    assertEquals(4, net.inputSize(), "the float input is the vectorized text");
    assertFalse(net.adapted());
    adapt(net, TRAIN);
    assertTrue(net.adapted());
    Vocabulary vocabulary = (Vocabulary) call(net, "vocabulary", new Class<?>[0]);
    assertEquals(List.of("cat", "ran", "the", "a"), vocabulary.words());
    // Keras' TextVectorization keeps the first tokens and pads at the end.
    assertArrayEquals(new float[] {4, 1, 1, 1}, predict(net, "The dog sat on the cat"));
    assertArrayEquals(new float[] {2, 0, 0, 0}, predict(net, "Cat"));
    assertArrayEquals(new float[] {1, 5, 0, 0}, predict(net, "Don't, a"), "don't → dont: out of vocabulary");
    assertArrayEquals(new float[] {0, 0, 0, 0}, predict(net, "  ...  "));
  }

  @Test
  void multiHotCountAndTfIdfMatchHandComputedValues() throws Throwable {
    Network multiHot = identity(load("text_vectorize(text, max_tokens: 6, output_mode: multi_hot)", 6));
    Network count = identity(load("text_vectorize(text, max_tokens: 6, output_mode: count)", 6));
    Network tfIdf = identity(load("text_vectorize(text, max_tokens: 6, output_mode: tf_idf)", 6));
    for (Network net : List.of(multiHot, count, tfIdf)) {
      adapt(net, TRAIN);
      assertEquals(6, net.inputSize());
    }
    String text = "the THE dog, cat";   // the ×2 (id 4), dog (out-of-vocabulary, 1), cat (2)
    assertArrayEquals(new float[] {0, 1, 1, 0, 1, 0}, predict(multiHot, text));
    assertArrayEquals(new float[] {0, 1, 1, 0, 2, 0}, predict(count, text));
    // idf = ln(1 + 3 / (1 + documents)): cat, ran, the in 2 of 3 texts → ln 2; a in 1 → ln 2.5.
    // Out-of-vocabulary: the words' mean, (3 ln 2 + ln 2.5) / 4; padding 0.
    double ln2 = Math.log(2);
    double oov = (3 * ln2 + Math.log(2.5)) / 4;
    assertArrayEquals(new float[] {0, (float) oov, (float) ln2, 0, (float) (2 * ln2), 0}, predict(tfIdf, text), 1e-6f);
  }

  @Test
  void aStageAfterTheTextStageIsFittedOnTheVectorizedTexts() throws Throwable {
    String text = """
        network N {
          input text: string
          counts = text_vectorize(text, max_tokens: 4, output_mode: count)
          v = normalize(counts)
          output y = dense(v, units: 4)
          train { loss: mse  batch: 4  epochs: 1 }
        }
        """;
    Network net = identity(instantiate(text, "N"));
    adapt(net, List.of("x x y", "x", "y y y y"));
    // Vocabulary: y (5 occurrences) id 2, x (3) id 3. Counts per text of ids 0..3:
    // [0,0,1,2], [0,0,0,1], [0,0,4,0]; means 0, 0, 5/3, 1; population variances 0, 0, 26/9, 2/3.
    float[] out = predict(net, "y x x x");   // counts [0, 0, 1, 3]
    assertArrayEquals(new float[] {0, 0, (float) ((1 - 5.0 / 3) / Math.sqrt(26.0 / 9)),
        (float) ((3 - 1) / Math.sqrt(2.0 / 3))}, out, 1e-5f);
    assertTrue(net.adapted());
  }

  @Test
  void standardizeOptionsKeepCaseOrPunctuation() throws Throwable {
    Network lower = identity(load("text_vectorize(text, max_tokens: 10, sequence_length: 3, standardize: lower)", 3));
    adapt(lower, List.of("Hello, world", "hello world"));
    // lower: "hello," and "hello" differ; frequencies world 2, then "hello" and "hello," 1 each.
    Vocabulary words = (Vocabulary) call(lower, "vocabulary", new Class<?>[0]);
    assertEquals(List.of("world", "hello", "hello,"), words.words());
    Network none = identity(load("text_vectorize(text, max_tokens: 10, sequence_length: 2, standardize: none)", 2));
    adapt(none, List.of("Hello hello hello"));
    assertEquals(List.of("hello", "Hello"), ((Vocabulary) call(none, "vocabulary", new Class<?>[0])).words());
  }

  @Test
  void theVocabularyComesFromTheTrainingTextsOnly() throws Throwable {
    Network net = identity(load("text_vectorize(text, max_tokens: 20, sequence_length: 3)", 3));
    adapt(net, List.of("alpha beta", "beta gamma"));
    // "delta" is only in the text predicted later: out-of-vocabulary.
    assertArrayEquals(new float[] {2, 1, 0}, predict(net, "beta delta"));
    assertEquals(2f, net.state()[net.state().length - 1], "fitted on 2 texts");
    // Refitting replaces the vocabulary entirely.
    adapt(net, List.of("delta"));
    assertArrayEquals(new float[] {1, 2, 0}, predict(net, "beta delta"));
  }

  @Test
  void unfittedOrWronglyUsedStagesExplainThemselves() {
    Network net = load("text_vectorize(text, max_tokens: 6, sequence_length: 4)", 4);
    IllegalStateException unfitted = assertThrows(IllegalStateException.class, () -> predict(net, "hello"));
    assertTrue(unfitted.getMessage().contains("adapt(List<String>)"), unfitted.getMessage());
    // Trainer.fit adapts the stages on float samples, which a text stage cannot use.
    Dataset rows = new Dataset(new float[8], 4, new float[8], 4);
    IllegalStateException trainer = assertThrows(IllegalStateException.class,
        () -> new Trainer(net.trainingConfig(), 1).fit(net, rows, null, TrainingListener.silent()));
    assertTrue(trainer.getMessage().contains("T reads text"), trainer.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> adapt(net, List.of()));
    assertTrue(empty.getMessage().contains("at least one text"), empty.getMessage());
  }

  private static final String CLASSIFIER = """
      network Topics {
        input text: string
        tokens = text_vectorize(text, max_tokens: 12, sequence_length: 5)
        vectors = embedding(tokens, input_dim: 12, output_dim: 4, mask_zero: true)
        meaning = lstm(vectors, units: 4)
        output topic = dense(meaning, units: 2, activation: softmax)
        train { loss: sparse_categorical_crossentropy  batch: 4  epochs: 30  optimizer: adam(learning_rate: 0.05) }
      }
      """;
  private static final List<String> TOPIC_TEXTS = List.of("the cat purrs", "a dog barks", "cats and dogs purr",
      "stocks fall", "markets rise", "the stocks and markets fall", "my cat sleeps", "bonds and stocks rise");
  private static final float[] TOPICS = {0, 0, 0, 1, 1, 1, 0, 1};

  @Test
  void aTrainedModelPredictsIdenticallyOnRawStringsAfterReload(@TempDir Path dir) throws Throwable {
    Network net = instantiate(CLASSIFIER, "Topics");
    net.initialize(7);
    adapt(net, TOPIC_TEXTS);
    Dataset train = (Dataset) call(net, "dataset", new Class<?>[] {List.class, float[].class, int.class},
        TOPIC_TEXTS, TOPICS, 1);
    new Trainer(net.trainingConfig(), 7).fit(net, train, null, TrainingListener.silent());
    int right = 0;
    for (int i = 0; i < TOPIC_TEXTS.size(); i++) {
      float[] p = predict(net, TOPIC_TEXTS.get(i));
      right += (p[1] > p[0] ? 1 : 0) == (int) TOPICS[i] ? 1 : 0;
    }
    assertEquals(TOPIC_TEXTS.size(), right, "eight texts are learned");
    Path file = dir.resolve("topics.safetensors");
    ModelFile.save(net, file);
    Network reloaded = instantiate(CLASSIFIER, "Topics");
    assertFalse(reloaded.adapted());
    ModelFile.load(reloaded, file);
    assertTrue(reloaded.adapted(), "the vocabulary came with the model");
    for (String text : List.of("the cat purrs", "stocks and bonds fall", "an unseen text", "")) {
      assertArrayEquals(predict(net, text), predict(reloaded, text), text);
    }
  }

  @Test
  void loadingDropsTheOldVocabulary(@TempDir Path dir) throws Throwable {
    Network first = identity(load("text_vectorize(text, max_tokens: 6, sequence_length: 2)", 2));
    adapt(first, List.of("red green"));
    Network second = identity(load("text_vectorize(text, max_tokens: 6, sequence_length: 2)", 2));
    adapt(second, List.of("blue blue green"));
    assertArrayEquals(new float[] {2, 3}, predict(second, "blue green"));
    Path file = dir.resolve("first.safetensors");
    ModelFile.save(first, file);
    ModelFile.load(second, file);
    assertArrayEquals(new float[] {1, 2}, predict(second, "blue green"), "first's vocabulary: green 2, red 3");
  }

  /**
   * Saves {@code net} with state values {@code indexes} set to {@code values}; loading the file must
   * fail and name the byte of the first wrong value, {@code values[0]}.
   */
  private static ModelFileException hostile(Path dir, Network net, int[] indexes, float... values) throws IOException {
    float[] state = net.state();
    float[] saved = state.clone();
    for (int i = 0; i < indexes.length; i++) {
      state[indexes[i]] = values[i];
    }
    Path file = dir.resolve("hostile.safetensors");
    ModelFile.save(net, file);   // a well-formed file with a valid checksum: only the vocabulary is wrong
    System.arraycopy(saved, 0, state, 0, state.length);
    Network fresh = load("text_vectorize(text, max_tokens: 7, output_mode: tf_idf)", 7);
    float[] before = fresh.state().clone();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(fresh, file));
    assertArrayEquals(before, fresh.state(), "a failed load leaves the network unchanged");
    Matcher at = Pattern.compile("\\(byte (\\d+)\\)").matcher(e.getMessage());
    assertTrue(at.find(), e.getMessage());
    byte[] bytes = Files.readAllBytes(file);
    float there = ByteBuffer.wrap(bytes, Integer.parseInt(at.group(1)), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    assertEquals(values[0], there, "the byte offset points at the wrong value: " + e.getMessage());
    return e;
  }

  private static ModelFileException hostile(Path dir, Network net, int index, float value) throws IOException {
    return hostile(dir, net, new int[] {index}, value);
  }

  @Test
  void aFileWithABadVocabularyIsRejectedWithTheByteOffset(@TempDir Path dir) throws Throwable {
    Network net = identity(load("text_vectorize(text, max_tokens: 7, output_mode: tf_idf)", 7));
    adapt(net, List.of("cat cat ran ran the the a"));
    // State: vocabulary [5, 32] from 0 (cat, ran, the, a, then an empty row), idf [7] from 160, count at 167.
    assertEquals(168, net.state().length);
    String message = hostile(dir, net, 2 * 32 + 1, 70_000f).getMessage();
    assertTrue(message.contains("'v.vocabulary' row 2 character 1 is 70000.0"), message);
    message = hostile(dir, net, 32 + 2, 0.5f).getMessage();
    assertTrue(message.contains("character 2 is 0.5, expected a UTF-16 code unit"), message);
    message = hostile(dir, net, 32 + 5, 'x').getMessage();     // "ran", a gap, then 'x'
    assertTrue(message.contains("a character after the end of its word"), message);
    message = hostile(dir, net, 0, 'R').getMessage();          // "Rat": the tokenizer lower-cases
    assertTrue(message.contains("'Rat', which the tokenizer"), message);
    message = hostile(dir, net, new int[] {0, 1}, 'c', ' ').getMessage(); // "c t": two tokens; named at the row start
    assertTrue(message.contains("'c t', which the tokenizer"), message);
    message = hostile(dir, net, new int[] {3 * 32, 3 * 32 + 1, 3 * 32 + 2}, 'c', 'a', 't').getMessage();
    assertTrue(message.contains("row 3 holds 'cat' a second time"), message);
    message = hostile(dir, net, 4 * 32 + 31, 'z').getMessage(); // row 4 was empty; "z" at its end is a gap
    assertTrue(message.contains("row 4 has a character after the end"), message);
    message = hostile(dir, net, new int[] {4 * 32, 3 * 32}, 'z', 0f).getMessage();
    assertTrue(message.contains("row 4 holds 'z' after an empty row"), message);
    message = hostile(dir, net, 160 + 2, -1f).getMessage();
    assertTrue(message.contains("'v.idf' element 2 is -1.0"), message);
    message = hostile(dir, net, 167, 2.5f).getMessage();
    assertTrue(message.contains("'v.count' is 2.5"), message);
  }
}
