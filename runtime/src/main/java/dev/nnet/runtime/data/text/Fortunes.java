package dev.nnet.runtime.data.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

/**
 * Labelled texts read from a tab-separated file such as {@code fortunes-text-classes.tsv}
 * (quotations from the BSD {@code fortune} files, labelled {@code computers}, {@code literature},
 * {@code politics} or {@code science}):
 *
 * <pre>
 * label	text
 * computers	1: No code table for op: ++post
 * </pre>
 *
 * <p>UTF-8 (a leading byte-order mark is skipped), lines ending in {@code \n} or {@code \r\n};
 * the header line is exactly {@code label<TAB>text}; every other line is a non-empty label
 * without whitespace, one tab, and a non-empty text (which holds no tab). Empty lines are allowed
 * only at the end. Anything else is rejected with an {@link IOException} whose message starts
 * with {@code file:line:}. Texts are kept as they are, control characters included (a few
 * fortunes hold backspace overstrikes, which {@link Tokenizer} drops).
 *
 * <p>The classes are the distinct labels sorted ({@link String#compareTo}), so their indices do
 * not depend on the order of the file: for the fortunes, computers = 0, literature = 1,
 * politics = 2, science = 3. The file is grouped by label: {@link #shuffled} it before cutting
 * off validation and test texts. Immutable.
 */
public final class Fortunes {

  private final List<String> texts;
  private final List<String> labels;
  private final List<String> classes;
  private final int[] classIndices;

  private Fortunes(List<String> texts, List<String> labels, List<String> classes) {
    this.texts = Collections.unmodifiableList(texts);
    this.labels = Collections.unmodifiableList(labels);
    this.classes = classes;
    this.classIndices = new int[labels.size()];
    for (int i = 0; i < classIndices.length; i++) {
      classIndices[i] = Collections.binarySearch(classes, labels.get(i));
    }
  }

  /**
   * Reads the file.
   *
   * @throws IOException if it cannot be read or is malformed (see the class comment)
   */
  public static Fortunes load(Path file) throws IOException {
    String content;
    try {
      content = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text", e);
    }
    if (content.startsWith("\uFEFF")) {
      content = content.substring(1);
    }
    String[] lines = content.split("\n", -1);
    int count = lines.length;
    while (count > 0 && strip(lines[count - 1]).isEmpty()) {
      count--;
    }
    if (count == 0) {
      throw new IOException(file + ": the file is empty; expected the header line 'label<TAB>text'");
    }
    if (!strip(lines[0]).equals("label\ttext")) {
      throw new IOException(file + ":1: expected the header line 'label<TAB>text', but found '"
          + visible(strip(lines[0])) + "'");
    }
    if (count == 1) {
      throw new IOException(file + ": no texts after the header line");
    }
    List<String> texts = new ArrayList<>(count - 1);
    List<String> labels = new ArrayList<>(count - 1);
    for (int i = 1; i < count; i++) {
      String line = strip(lines[i]);
      String where = file + ":" + (i + 1) + ": ";
      String[] fields = line.split("\t", -1);
      if (fields.length != 2) {
        throw new IOException(where + "expected 'label<TAB>text' (2 tab-separated fields), but"
            + " found " + fields.length + ": '" + visible(line) + "'");
      }
      String label = fields[0];
      if (label.isEmpty() || label.codePoints().anyMatch(Tokenizer::isSpace)) {
        throw new IOException(where + "the label '" + visible(label)
            + "' is empty or contains whitespace");
      }
      if (fields[1].isBlank()) {
        throw new IOException(where + "the text is empty");
      }
      labels.add(label);
      texts.add(fields[1]);
    }
    return new Fortunes(texts, labels, List.copyOf(new TreeSet<>(labels)));
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String visible(String text) {
    String shown = text.replace("\t", "<TAB>");
    return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
  }

  /** The number of texts. */
  public int size() {
    return texts.size();
  }

  /** The texts, in file order; unmodifiable. */
  public List<String> texts() {
    return texts;
  }

  /** The labels, one per text; unmodifiable. */
  public List<String> labels() {
    return labels;
  }

  /** The distinct labels, sorted: class {@code c} is {@code classes().get(c)}. */
  public List<String> classes() {
    return classes;
  }

  /** Text {@code i}. */
  public String text(int i) {
    return texts.get(i);
  }

  /** The label of text {@code i}. */
  public String label(int i) {
    return labels.get(i);
  }

  /** Each text's class index into {@link #classes()}; a copy. */
  public int[] classIndices() {
    return classIndices.clone();
  }

  /** The class indices as floats, target width 1, for {@code sparse_categorical_crossentropy}. */
  public float[] sparseTargets() {
    float[] targets = new float[classIndices.length];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = classIndices[i];
    }
    return targets;
  }

  /** One-hot targets, target width {@code classes().size()}, for categorical cross-entropy. */
  public float[] oneHotTargets() {
    int width = classes.size();
    float[] targets = new float[Math.multiplyExact(classIndices.length, width)];
    for (int i = 0; i < classIndices.length; i++) {
      targets[i * width + classIndices[i]] = 1f;
    }
    return targets;
  }

  /**
   * Texts {@code from} (inclusive) to {@code to} (exclusive). The classes stay those of the whole
   * file, so class indices mean the same in every slice, even one that lacks a class.
   */
  public Fortunes slice(int from, int to) {
    Objects.checkFromToIndex(from, to, texts.size());
    if (from == to) {
      throw new IllegalArgumentException("an empty slice [" + from + ", " + to + ")");
    }
    return new Fortunes(new ArrayList<>(texts.subList(from, to)),
        new ArrayList<>(labels.subList(from, to)), classes);
  }

  /**
   * The same texts in an order shuffled with {@code new Random(seed)} (Fisher–Yates, as
   * {@link Collections#shuffle(List, Random)}), the same for a seed on every machine.
   */
  public Fortunes shuffled(long seed) {
    List<Integer> order = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    List<String> newTexts = new ArrayList<>(texts.size());
    List<String> newLabels = new ArrayList<>(texts.size());
    for (int i : order) {
      newTexts.add(texts.get(i));
      newLabels.add(labels.get(i));
    }
    return new Fortunes(newTexts, newLabels, classes);
  }

  @Override
  public String toString() {
    return "Fortunes(" + texts.size() + " texts, classes " + classes + ")";
  }
}
