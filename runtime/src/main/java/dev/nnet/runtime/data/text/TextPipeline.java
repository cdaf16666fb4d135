package dev.nnet.runtime.data.text;

import dev.nnet.runtime.data.Dataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything that turns a text into a network input, in one object that is saved beside the
 * model so that prediction sees text exactly as training did: the {@link Tokenizer} options, the
 * stop words (as that tokenizer writes them, see {@link StopWords#normalizedWith}), the
 * {@link Vocabulary}, the fixed length and the {@link Padding} and {@link Truncation} sides.
 *
 * <p>A text goes through: tokenize → remove stop words → ids (unknown tokens →
 * {@link Vocabulary#OUT_OF_VOCABULARY}) → pad or truncate to {@link #length()} → floats.
 *
 * <pre>{@code
 * TextPipeline text = TextPipeline.builder()
 *     .stopWords(StopWords.english())
 *     .maxVocabulary(5_000)
 *     .minFrequency(2)
 *     .length(60)
 *     .fit(trainingTexts);                     // the training texts only
 * float[] input = text.encode("The program crashed again.");
 * text.save(TextPipeline.fileBeside(modelFile));
 * // later, for prediction:
 * TextPipeline same = TextPipeline.load(TextPipeline.fileBeside(modelFile));
 * }</pre>
 *
 * <h2>File format</h2>
 *
 * <p>UTF-8 text, lines ending in {@code \n}, in this fixed order:
 *
 * <pre>
 * nnet-text-pipeline 1
 * lower-case true
 * punctuation split
 * strip-accents false
 * numbers keep
 * length 60
 * padding pre
 * truncation pre
 * stop-words 149          ← then that many lines, one stop word each, sorted
 * a
 * …
 * vocabulary 4998         ← then that many lines, "word TAB frequency", in id order from 2
 * program	231
 * …
 * sha256 3f9c…            ← SHA-256 of every byte before this line, in hex
 * </pre>
 *
 * <p>{@link #save} writes a temporary file in the same directory and renames it over the target,
 * so a crash never leaves a half-written file under the target name. {@link #load} checks
 * everything and rejects any other content with an {@link IOException} that names the file and
 * line: another first line or version, a missing {@code sha256} line (a truncated file), a
 * checksum that does not match (a changed or damaged file), a missing or misspelled key, a bad
 * value, a count that does not match the lines, a duplicate word, a stop word the tokenizer
 * would not produce, or lines after the checksum.
 *
 * <p>Immutable.
 */
public final class TextPipeline {

  /** The first line of a pipeline file, without the version. */
  public static final String MAGIC = "nnet-text-pipeline";

  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  /** The extension of {@link #fileBeside}. */
  public static final String EXTENSION = ".text-pipeline";

  private final Tokenizer tokenizer;
  private final StopWords stopWords;
  private final Vocabulary vocabulary;
  private final int length;
  private final Padding padding;
  private final Truncation truncation;

  private TextPipeline(Tokenizer tokenizer, StopWords stopWords, Vocabulary vocabulary,
      int length, Padding padding, Truncation truncation) {
    this.tokenizer = tokenizer;
    this.stopWords = stopWords;
    this.vocabulary = vocabulary;
    this.length = length;
    this.padding = padding;
    this.truncation = truncation;
  }

  /**
   * A pipeline of the given parts; the stop words are normalized with the tokenizer.
   *
   * @throws IllegalArgumentException if {@code length} &lt; 1
   */
  public static TextPipeline of(Tokenizer tokenizer, StopWords stopWords, Vocabulary vocabulary,
      int length, Padding padding, Truncation truncation) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(stopWords, "stopWords");
    Objects.requireNonNull(vocabulary, "vocabulary");
    Objects.requireNonNull(padding, "padding");
    Objects.requireNonNull(truncation, "truncation");
    checkLength(length);
    return new TextPipeline(tokenizer, stopWords.normalizedWith(tokenizer), vocabulary, length,
        padding, truncation);
  }

  /** A builder with the defaults listed on {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the options and fits the vocabulary on training texts. Defaults:
   * {@link Tokenizer#standard()}, {@link StopWords#none()}, no vocabulary size limit, minimum
   * frequency 1, {@link Padding#PRE} and {@link Truncation#PRE} (Keras' {@code pad_sequences}
   * defaults). The length has no default.
   */
  public static final class Builder {
    private Tokenizer tokenizer = Tokenizer.standard();
    private StopWords stopWords = StopWords.none();
    private int maxVocabulary = Vocabulary.UNLIMITED;
    private int minFrequency = 1;
    private int length;
    private Padding padding = Padding.PRE;
    private Truncation truncation = Truncation.PRE;

    private Builder() {}

    /** How texts are split into tokens. */
    public Builder tokenizer(Tokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /** The words removed after tokenizing. */
    public Builder stopWords(StopWords stopWords) {
      this.stopWords = Objects.requireNonNull(stopWords, "stopWords");
      return this;
    }

    /**
     * The largest vocabulary size, the padding and out-of-vocabulary ids included (the
     * embedding's row count); see {@link Vocabulary#fit}.
     */
    public Builder maxVocabulary(int maxVocabulary) {
      this.maxVocabulary = maxVocabulary;
      return this;
    }

    /** Tokens rarer than this in the training texts become out-of-vocabulary. */
    public Builder minFrequency(int minFrequency) {
      this.minFrequency = minFrequency;
      return this;
    }

    /** The number of ids every text is padded or truncated to: the network's input length. */
    public Builder length(int length) {
      this.length = length;
      return this;
    }

    /** Where padding goes. */
    public Builder padding(Padding padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    /** Where long texts lose tokens. */
    public Builder truncation(Truncation truncation) {
      this.truncation = Objects.requireNonNull(truncation, "truncation");
      return this;
    }

    /**
     * The pipeline with a vocabulary fit on {@code trainingTexts} (tokenized, stop words
     * removed). Fit it on the training texts only: words seen only in validation or test texts
     * must stay out-of-vocabulary, as they will be for new texts.
     *
     * @throws IllegalArgumentException if the length was not set or an option is out of range
     */
    public TextPipeline fit(List<String> trainingTexts) {
      Objects.requireNonNull(trainingTexts, "trainingTexts");
      if (length == 0) {
        throw new IllegalArgumentException("set the length (the network's input length) first");
      }
      checkLength(length);
      StopWords normalized = stopWords.normalizedWith(tokenizer);
      List<List<String>> tokenized = new ArrayList<>(trainingTexts.size());
      for (String text : trainingTexts) {
        tokenized.add(normalized.remove(tokenizer.tokenize(text)));
      }
      Vocabulary vocabulary = Vocabulary.fit(tokenized, maxVocabulary, minFrequency);
      return new TextPipeline(tokenizer, normalized, vocabulary, length, padding, truncation);
    }
  }

  private static void checkLength(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("the length must be >= 1, but got " + length);
    }
  }

  /** The tokens of {@code text} that reach the vocabulary: tokenized, stop words removed. */
  public List<String> tokens(String text) {
    return stopWords.remove(tokenizer.tokenize(text));
  }

  /** The {@link #length()} ids of {@code text}. */
  public int[] encodeIds(String text) {
    return vocabulary.encodeIds(tokens(text), length, padding, truncation);
  }

  /** The {@link #length()} ids of {@code text} as floats: one network input sample. */
  public float[] encode(String text) {
    return vocabulary.encode(tokens(text), length, padding, truncation);
  }

  /** The inputs of many texts, row-major: text {@code i} at {@code [i·length, (i+1)·length)}. */
  public float[] encodeAll(List<String> texts) {
    float[] all = new float[Math.multiplyExact(texts.size(), length)];
    for (int i = 0; i < texts.size(); i++) {
      System.arraycopy(encode(texts.get(i)), 0, all, i * length, length);
    }
    return all;
  }

  /**
   * A data set of the encoded texts (feature width {@link #length()}) and the given targets:
   * for example {@link Fortunes#classIndices()} as floats with width 1 for
   * {@code sparse_categorical_crossentropy}, or {@link Fortunes#oneHotTargets()} with the class
   * count.
   */
  public Dataset dataset(List<String> texts, float[] targets, int targetWidth) {
    return new Dataset(encodeAll(texts), length, targets, targetWidth);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The stop words as the tokenizer writes them (the ones that can match a token). */
  public StopWords stopWords() {
    return stopWords;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The number of ids per text. */
  public int length() {
    return length;
  }

  public Padding padding() {
    return padding;
  }

  public Truncation truncation() {
    return truncation;
  }

  /**
   * Where the pipeline of a model file goes: beside it, with the model file's extension replaced
   * by {@value #EXTENSION} ({@code fortunes.safetensors} → {@code fortunes.text-pipeline}).
   */
  public static Path fileBeside(Path modelFile) {
    Path name = Objects.requireNonNull(modelFile, "modelFile").getFileName();
    if (name == null) {
      throw new IllegalArgumentException(modelFile + " has no file name");
    }
    String text = name.toString();
    int dot = text.lastIndexOf('.');
    String base = dot > 0 ? text.substring(0, dot) : text;
    return modelFile.resolveSibling(base + EXTENSION);
  }

  // ---- saving ------------------------------------------------------------------------------

  /**
   * Writes the pipeline to {@code file} atomically (see the class comment).
   *
   * @throws IOException if the file cannot be written; {@code file} is then left as it was
   */
  public void save(Path file) throws IOException {
    byte[] bytes = serialize();
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temp = createTemp(directory, target.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The file contents {@link #save} writes. */
  byte[] serialize() {
    StringBuilder text = new StringBuilder();
    text.append(MAGIC).append(' ').append(VERSION).append('\n');
    text.append("lower-case ").append(tokenizer.lowerCase()).append('\n');
    text.append("punctuation ").append(tokenizer.punctuation().label()).append('\n');
    text.append("strip-accents ").append(tokenizer.stripAccents()).append('\n');
    text.append("numbers ").append(tokenizer.numbers() ? "keep" : "drop").append('\n');
    text.append("length ").append(length).append('\n');
    text.append("padding ").append(padding.name().toLowerCase(Locale.ROOT)).append('\n');
    text.append("truncation ").append(truncation.name().toLowerCase(Locale.ROOT)).append('\n');
    text.append("stop-words ").append(stopWords.size()).append('\n');
    for (String word : stopWords.words()) {
      text.append(word).append('\n');
    }
    List<String> words = vocabulary.words();
    text.append("vocabulary ").append(words.size()).append('\n');
    for (int i = 0; i < words.size(); i++) {
      text.append(words.get(i)).append('\t')
          .append(vocabulary.frequency(Vocabulary.FIRST_WORD + i)).append('\n');
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("sha256 " + sha256(body, body.length) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[body.length + tail.length];
    System.arraycopy(body, 0, all, 0, body.length);
    System.arraycopy(tail, 0, all, body.length, tail.length);
    return all;
  }

  private static String sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** A new empty file next to the target, created with the default permissions. */
  private static Path createTemp(Path directory, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = directory.resolve("." + name + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            .close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  // ---- loading -----------------------------------------------------------------------------

  /**
   * Reads a pipeline written by {@link #save}.
   *
   * @throws IOException if the file cannot be read or is not exactly a valid pipeline file (see
   *     the class comment); the message starts with the file and, where there is one, the line
   */
  public static TextPipeline load(Path file) throws IOException {
    return new Reader(file, Files.readAllBytes(file)).read();
  }

  /** Parses the bytes of a pipeline file; every error names the file and line. */
  private static final class Reader {
    private final Path file;
    private final byte[] bytes;
    private String[] lines;
    private int next;

    Reader(Path file, byte[] bytes) {
      this.file = file;
      this.bytes = bytes;
    }

    TextPipeline read() throws IOException {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new IOException(file + ": not an nnet text pipeline file: not UTF-8 text", e);
      }
      if (text.isEmpty()) {
        throw new IOException(file + ": the file is empty; expected an nnet text pipeline file");
      }
      lines = text.split("\n", -1);
      String first = lines[0].endsWith("\r")
          ? lines[0].substring(0, lines[0].length() - 1) : lines[0];
      String expected = MAGIC + " " + VERSION;
      if (!first.equals(expected)) {
        if (first.startsWith(MAGIC + " ")) {
          throw new IOException(file + ":1: text pipeline format version '"
              + first.substring(MAGIC.length() + 1) + "' is not supported; this runtime reads"
              + " version " + VERSION);
        }
        throw new IOException(file + ":1: not an nnet text pipeline file: expected '" + expected
            + "', but the first line is '" + shorten(first) + "'");
      }
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].indexOf('\r') >= 0) {
          throw new IOException(file + ":" + (i + 1) + ": a carriage return (\\r): the file's"
              + " line endings were changed (they must be \\n alone)");
        }
      }
      verifyChecksum();
      next = 1;
      boolean lowerCase = bool("lower-case");
      Tokenizer.Punctuation punctuation;
      String value = value("punctuation", "split, delete or keep");
      try {
        punctuation = Tokenizer.Punctuation.parse(value);
      } catch (IllegalArgumentException e) {
        throw error(next, "expected 'punctuation split', 'punctuation delete' or"
            + " 'punctuation keep', but found '" + shorten(lines[next - 1]) + "'");
      }
      boolean stripAccents = bool("strip-accents");
      String numbers = value("numbers", "keep or drop");
      if (!numbers.equals("keep") && !numbers.equals("drop")) {
        throw error(next, "expected 'numbers keep' or 'numbers drop', but found '"
            + shorten(lines[next - 1]) + "'");
      }
      Tokenizer tokenizer = Tokenizer.standard().withLowerCase(lowerCase)
          .withPunctuation(punctuation).withStripAccents(stripAccents)
          .withNumbers(numbers.equals("keep"));
      int length = count("length", 1, "the input length, an integer >= 1");
      Padding padding = side("padding", Padding.class);
      Truncation truncation = side("truncation", Truncation.class);

      int stopCount = count("stop-words", 0, "the number of stop-word lines that follow");
      List<String> stop = new ArrayList<>(stopCount);
      for (int i = 0; i < stopCount; i++) {
        int lineNumber = next + 1;
        String word = line("a stop word (" + stopCount + " were announced, " + i + " found)");
        List<String> tokens = tokenizer.tokenize(word);
        if (!tokens.equals(List.of(word))) {
          throw error(lineNumber, "stop word '" + shorten(word) + "' is not a token as this"
              + " tokenizer writes it (it gives " + tokens + ")");
        }
        if (!stop.isEmpty() && stop.get(stop.size() - 1).compareTo(word) >= 0) {
          throw error(lineNumber, "stop word '" + shorten(word)
              + "' is out of order or repeated; the stop words are saved sorted");
        }
        stop.add(word);
      }

      int wordCount = count("vocabulary", 0, "the number of vocabulary lines that follow");
      List<String> words = new ArrayList<>(wordCount);
      long[] frequencies = new long[wordCount];
      java.util.Map<String, Integer> seen = new java.util.HashMap<>();
      for (int i = 0; i < wordCount; i++) {
        int lineNumber = next + 1;
        String line = line("a vocabulary line 'word TAB frequency' (" + wordCount
            + " were announced, " + i + " found)");
        int tab = line.indexOf('\t');
        String word = tab < 0 ? line : line.substring(0, tab);
        String frequency = tab < 0 ? "" : line.substring(tab + 1);
        if (tab <= 0 || word.codePoints().anyMatch(Tokenizer::isSpace)
            || !frequency.matches("[0-9]{1,18}")) {
          throw error(lineNumber, "expected a vocabulary line 'word TAB frequency' (a word"
              + " without whitespace, a whole number), but found '" + shorten(line) + "'");
        }
        Integer earlier = seen.put(word, lineNumber);
        if (earlier != null) {
          throw error(lineNumber, "word '" + shorten(word) + "' is already on line " + earlier);
        }
        words.add(word);
        frequencies[i] = Long.parseLong(frequency);
      }
      if (next != lines.length - 2) {
        throw error(next + 1, "expected the 'sha256' line after the " + wordCount
            + " vocabulary lines, but found '" + shorten(lines[next]) + "'");
      }
      return new TextPipeline(tokenizer, StopWords.of(stop), Vocabulary.of(words, frequencies),
          length, padding, truncation);
    }

    /** The last line must be "sha256 <hex>" of all bytes before it, then a final newline. */
    private void verifyChecksum() throws IOException {
      if (!lines[lines.length - 1].isEmpty()) {
        throw new IOException(file + ":" + lines.length + ": the file ends in the middle of a"
            + " line, without its 'sha256' line: it is truncated");
      }
      int last = lines.length - 2;
      String line = lines[last];
      if (!line.startsWith("sha256 ")) {
        throw new IOException(file + ":" + (last + 1) + ": the file ends without its 'sha256'"
            + " line (found '" + shorten(line) + "'): it is truncated or was edited");
      }
      String recorded = line.substring("sha256 ".length());
      int bodyLength = bytes.length - (line.getBytes(StandardCharsets.UTF_8).length + 1);
      String computed = sha256(bytes, Math.max(0, bodyLength));
      if (!recorded.equals(computed)) {
        throw new IOException(file + ":" + (last + 1) + ": checksum mismatch: the file was"
            + " changed or damaged after it was saved (recorded sha256 " + shorten(recorded)
            + ", computed " + computed + ")");
      }
    }

    private String line(String expected) throws IOException {
      if (next >= lines.length - 2) {
        throw error(next + 1, "expected " + expected + ", but found the end of the file");
      }
      return lines[next++];
    }

    private String value(String key, String what) throws IOException {
      int lineNumber = next + 1;
      String line = line("'" + key + " <" + what + ">'");
      if (!line.startsWith(key + " ")) {
        throw error(lineNumber, "expected '" + key + " <" + what + ">', but found '"
            + shorten(line) + "'");
      }
      return line.substring(key.length() + 1);
    }

    private boolean bool(String key) throws IOException {
      String value = value(key, "true or false");
      if (!value.equals("true") && !value.equals("false")) {
        throw error(next, "expected '" + key + " true' or '" + key + " false', but found '"
            + shorten(lines[next - 1]) + "'");
      }
      return value.equals("true");
    }

    private int count(String key, int min, String what) throws IOException {
      String value = value(key, what);
      int number;
      try {
        number = value.matches("[0-9]{1,10}") ? Integer.parseInt(value) : -1;
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < min) {
        throw error(next, "expected '" + key + " <" + what + ">', but found '"
            + shorten(lines[next - 1]) + "'");
      }
      return number;
    }

    private <E extends Enum<E>> E side(String key, Class<E> type) throws IOException {
      String value = value(key, "pre or post");
      for (E constant : type.getEnumConstants()) {
        if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
          return constant;
        }
      }
      throw error(next, "expected '" + key + " pre' or '" + key + " post', but found '"
          + shorten(lines[next - 1]) + "'");
    }

    private IOException error(int lineNumber, String message) {
      return new IOException(file + ":" + lineNumber + ": " + message);
    }

    private static String shorten(String text) {
      return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TextPipeline that
        && tokenizer.equals(that.tokenizer)
        && stopWords.equals(that.stopWords)
        && vocabulary.equals(that.vocabulary)
        && length == that.length
        && padding == that.padding
        && truncation == that.truncation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenizer, stopWords, vocabulary, length, padding, truncation);
  }

  @Override
  public String toString() {
    return "TextPipeline(" + tokenizer + ", " + stopWords + ", " + vocabulary + ", length="
        + length + ", padding=" + padding + ", truncation=" + truncation + ")";
  }
}
