package dev.nnet.runtime.data.text;

import dev.nnet.runtime.InvalidStateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code text_vectorize} stage of a generated network, as Keras' {@code TextVectorization}:
 * standardize and split a text into tokens (with {@link Tokenizer}), look the tokens up in a
 * vocabulary fitted on the training texts, and write one network input row — token ids
 * ({@link OutputMode#INT}) or one value per vocabulary id (multi-hot, counts, TF-IDF).
 *
 * <p>Ids are those of {@link Vocabulary} in every mode: 0 padding, 1 out-of-vocabulary, the
 * words from 2 in order of falling frequency (ties by {@link String#compareTo}). {@code
 * maxTokens} counts the two reserved ids, so at most {@code maxTokens − 2} words are kept, and
 * the multi-hot, count and TF-IDF rows have {@code maxTokens} values (value 0, padding, stays 0).
 *
 * <h2>In the state array</h2>
 *
 * <p>The fitted vocabulary lives in the network's float state, so the model file saves it as
 * ordinary tensors whose sizes come from the compiled network, never from the file:
 *
 * <ul>
 *   <li>{@code <stage>.vocabulary} {@code [maxTokens − 2, TOKEN_CHARS]}: row {@code i} holds the
 *       word of id {@code i + 2} as UTF-16 code units (0 to 65535, exact in a float), followed by
 *       zeros; rows past the last word are all zeros. Tokens longer than {@value #TOKEN_CHARS}
 *       code units never enter the vocabulary (they are out-of-vocabulary).
 *   <li>{@code <stage>.idf} {@code [maxTokens]} (TF-IDF only): the weight of each id.
 *   <li>{@code <stage>.count} {@code [1]}: the number of training texts, 0 before fitting.
 * </ul>
 *
 * <p>{@link #check} refuses state no fitting produces (a code unit out of range, a gap inside a
 * word, a word after an empty row, a word the tokenizer would not produce, a word twice, a
 * negative weight), naming the index of the first wrong value. Immutable.
 */
public final class TextVectorization {

  /** The most UTF-16 code units of a vocabulary word: the width of a vocabulary row. */
  public static final int TOKEN_CHARS = 32;

  /** What one text becomes. */
  public enum OutputMode {
    /** {@code sequenceLength} token ids, padded with 0 or truncated at the end. */
    INT,
    /** 1 at each id the text contains, else 0. */
    MULTI_HOT,
    /** How often each id occurs in the text. */
    COUNT,
    /** The count times the id's inverse document frequency. */
    TF_IDF;

    /** The option value in {@code .nnet} files ({@code multi_hot}). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a text is standardized before splitting on whitespace (Keras' {@code standardize}). */
  public enum Standardize {
    /** Lower-case and delete punctuation: {@code "Don't!"} → {@code dont}. The default. */
    LOWER_AND_STRIP_PUNCTUATION,
    /** Lower-case only: punctuation stays part of words. */
    LOWER,
    /** Delete punctuation, keep the case. */
    STRIP_PUNCTUATION,
    /** Nothing: split the text as it is. */
    NONE;

    /** The option value in {@code .nnet} files. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The tokenizer doing this standardization (NFC, control characters dropped, then as named). */
    public Tokenizer tokenizer() {
      boolean lower = this == LOWER_AND_STRIP_PUNCTUATION || this == LOWER;
      boolean strip = this == LOWER_AND_STRIP_PUNCTUATION || this == STRIP_PUNCTUATION;
      return Tokenizer.standard().withLowerCase(lower)
          .withPunctuation(strip ? Tokenizer.Punctuation.DELETE : Tokenizer.Punctuation.KEEP);
    }
  }

  private final String name;
  private final OutputMode mode;
  private final Standardize standardize;
  private final Tokenizer tokenizer;
  private final int maxTokens;
  private final int sequenceLength;
  private final int vocabularyOffset;
  private final int idfOffset;
  private final int countOffset;

  /**
   * @param name the stage's name, for messages ({@code tokens})
   * @param sequenceLength the ids per text for {@link OutputMode#INT}; ignored otherwise
   * @param vocabularyOffset where {@code <name>.vocabulary} starts in the state array
   * @param idfOffset where {@code <name>.idf} starts, or -1 unless {@link OutputMode#TF_IDF}
   * @param countOffset where {@code <name>.count} is
   */
  public TextVectorization(String name, OutputMode mode, Standardize standardize, int maxTokens,
      int sequenceLength, int vocabularyOffset, int idfOffset, int countOffset) {
    this.name = Objects.requireNonNull(name, "name");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.standardize = Objects.requireNonNull(standardize, "standardize");
    if (maxTokens < 3) {
      throw new IllegalArgumentException("maxTokens must be >= 3, but got " + maxTokens);
    }
    if (mode == OutputMode.INT && sequenceLength < 1) {
      throw new IllegalArgumentException("sequenceLength must be >= 1, but got " + sequenceLength);
    }
    if ((mode == OutputMode.TF_IDF) != (idfOffset >= 0)) {
      throw new IllegalArgumentException("an idf offset is needed for tf_idf, and only then");
    }
    this.tokenizer = standardize.tokenizer();
    this.maxTokens = maxTokens;
    this.sequenceLength = sequenceLength;
    this.vocabularyOffset = vocabularyOffset;
    this.idfOffset = idfOffset;
    this.countOffset = countOffset;
  }

  /** Values per text: {@code sequenceLength} ids, or {@code maxTokens} values per id. */
  public int outputSize() {
    return mode == OutputMode.INT ? sequenceLength : maxTokens;
  }

  /** The state values the stage occupies: vocabulary rows, idf weights, count. */
  public static int stateSize(OutputMode mode, int maxTokens) {
    return (maxTokens - Vocabulary.FIRST_WORD) * TOKEN_CHARS + (mode == OutputMode.TF_IDF ? maxTokens : 0) + 1;
  }

  /** The tokens of {@code text} after standardizing and splitting. */
  public List<String> tokens(String text) {
    return tokenizer.tokenize(Objects.requireNonNull(text, "text"));
  }

  /** Whether the stage has been fitted: its count is above 0. */
  public boolean fitted(float[] state) {
    return state[countOffset] > 0;
  }

  // ---- fitting ---------------------------------------------------------------------------------

  /**
   * Fits the vocabulary (and, for TF-IDF, the weights) on {@code trainingTexts} and writes it into
   * {@code state}. Only the training texts: words seen only in validation or test texts must stay
   * out-of-vocabulary, as they will be for new texts.
   *
   * @throws IllegalArgumentException if there are no texts
   */
  public void fit(List<String> trainingTexts, float[] state) {
    Objects.requireNonNull(trainingTexts, "trainingTexts");
    if (trainingTexts.isEmpty()) {
      throw new IllegalArgumentException(name + ": fitting the vocabulary needs at least one text, but got none");
    }
    List<List<String>> tokenized = new ArrayList<>(trainingTexts.size());
    for (String text : trainingTexts) {
      List<String> kept = new ArrayList<>();
      for (String token : tokens(text)) {
        if (token.length() <= TOKEN_CHARS) {
          kept.add(token);
        }
      }
      tokenized.add(kept);
    }
    Vocabulary vocabulary = Vocabulary.fit(tokenized, maxTokens, 1);
    int rows = maxTokens - Vocabulary.FIRST_WORD;
    java.util.Arrays.fill(state, vocabularyOffset, vocabularyOffset + rows * TOKEN_CHARS, 0f);
    List<String> words = vocabulary.words();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      for (int c = 0; c < word.length(); c++) {
        state[vocabularyOffset + i * TOKEN_CHARS + c] = word.charAt(c);
      }
    }
    if (mode == OutputMode.TF_IDF) {
      writeIdf(vocabulary, tokenized, state);
    }
    state[countOffset] = trainingTexts.size();
  }

  /**
   * {@code idf = ln(1 + texts / (1 + texts containing the id))} for each word; the
   * out-of-vocabulary id gets the words' mean weight (its own document frequency is not known
   * from one pass, as in Keras); padding and unused ids 0.
   */
  private void writeIdf(Vocabulary vocabulary, List<List<String>> tokenized, float[] state) {
    long[] documents = new long[vocabulary.size()];
    for (List<String> text : tokenized) {
      Set<Integer> seen = new HashSet<>();
      for (String token : text) {
        int id = vocabulary.id(token);
        if (id >= Vocabulary.FIRST_WORD && seen.add(id)) {
          documents[id]++;
        }
      }
    }
    java.util.Arrays.fill(state, idfOffset, idfOffset + maxTokens, 0f);
    double sum = 0;
    int words = vocabulary.size() - Vocabulary.FIRST_WORD;
    for (int id = Vocabulary.FIRST_WORD; id < vocabulary.size(); id++) {
      double idf = Math.log(1 + (double) tokenized.size() / (1 + documents[id]));
      state[idfOffset + id] = (float) idf;
      sum += idf;
    }
    state[idfOffset + Vocabulary.OUT_OF_VOCABULARY] = words == 0 ? 0f : (float) (sum / words);
  }

  // ---- checking saved state --------------------------------------------------------------------

  /**
   * Refuses state values no {@link #fit} writes (see the class comment).
   *
   * @throws InvalidStateException naming the index of the first wrong value
   */
  public void check(float[] state) throws InvalidStateException {
    float count = state[countOffset];
    if (!(count >= 0) || count != Math.rint(count)) {
      throw new InvalidStateException(countOffset, "tensor '" + name + ".count' is " + count
          + ", expected a whole number of training texts, 0 or more");
    }
    int rows = maxTokens - Vocabulary.FIRST_WORD;
    Set<String> seen = new HashSet<>();
    boolean ended = false;
    for (int row = 0; row < rows; row++) {
      int start = vocabularyOffset + row * TOKEN_CHARS;
      StringBuilder word = new StringBuilder();
      for (int c = 0; c < TOKEN_CHARS; c++) {
        float value = state[start + c];
        if (!(value >= 0 && value <= Character.MAX_VALUE) || value != Math.rint(value)) {
          throw new InvalidStateException(start + c, "tensor '" + name + ".vocabulary' row " + row + " character "
              + c + " is " + value + ", expected a UTF-16 code unit from 0 to 65535");
        }
        if (value == 0) {
          continue;
        }
        if (word.length() < c) {
          throw new InvalidStateException(start + c, "tensor '" + name + ".vocabulary' row " + row
              + " has a character after the end of its word (character " + c + ")");
        }
        word.append((char) value);
      }
      if (word.length() == 0) {
        ended = true;
        continue;
      }
      String text = word.toString();
      if (ended) {
        throw new InvalidStateException(start, "tensor '" + name + ".vocabulary' row " + row + " holds '"
            + text + "' after an empty row: the words must fill the first rows");
      }
      if (!tokens(text).equals(List.of(text))) {
        throw new InvalidStateException(start, "tensor '" + name + ".vocabulary' row " + row + " holds '"
            + text + "', which the tokenizer (standardize: " + standardize.label() + ") never produces");
      }
      if (!seen.add(text)) {
        throw new InvalidStateException(start, "tensor '" + name + ".vocabulary' row " + row + " holds '"
            + text + "' a second time");
      }
    }
    if (idfOffset >= 0) {
      for (int id = 0; id < maxTokens; id++) {
        if (!(state[idfOffset + id] >= 0)) {
          throw new InvalidStateException(idfOffset + id, "tensor '" + name + ".idf' element " + id + " is "
              + state[idfOffset + id] + ", expected a weight of 0 or more");
        }
      }
    }
  }

  // ---- applying ----------------------------------------------------------------------------------

  /**
   * The fitted vocabulary read from {@code state}, ready to vectorize texts. Reading it builds a
   * hash map of the words, so a network keeps the result until its state changes.
   */
  public Vectorizer vectorizer(float[] state) {
    int rows = maxTokens - Vocabulary.FIRST_WORD;
    List<String> words = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      int start = vocabularyOffset + row * TOKEN_CHARS;
      StringBuilder word = new StringBuilder();
      for (int c = 0; c < TOKEN_CHARS && state[start + c] != 0; c++) {
        word.append((char) state[start + c]);
      }
      if (word.length() == 0) {
        break;
      }
      words.add(word.toString());
    }
    float[] idf = idfOffset < 0 ? null : java.util.Arrays.copyOfRange(state, idfOffset, idfOffset + maxTokens);
    return new Vectorizer(Vocabulary.of(words), idf);
  }

  /** A fitted vocabulary and what a text becomes with it. Immutable, so threads may share it. */
  public final class Vectorizer {
    private final Vocabulary vocabulary;
    private final float[] idf;

    private Vectorizer(Vocabulary vocabulary, float[] idf) {
      this.vocabulary = vocabulary;
      this.idf = idf;
    }

    /** The fitted vocabulary: ids 0 padding, 1 out-of-vocabulary, then the words. */
    public Vocabulary vocabulary() {
      return vocabulary;
    }

    /**
     * Writes the {@link #outputSize()} values of {@code text} into {@code out} from {@code offset}.
     * Allocates the token list and the ids of the text.
     */
    public void vectorize(String text, float[] out, int offset) {
      Objects.checkFromIndexSize(offset, outputSize(), out.length);
      int[] ids = vocabulary.ids(tokens(text));
      if (mode == OutputMode.INT) {
        // Keras' TextVectorization keeps the first tokens and pads at the end.
        java.util.Arrays.fill(out, offset, offset + sequenceLength, 0f);
        for (int t = 0; t < Math.min(ids.length, sequenceLength); t++) {
          out[offset + t] = ids[t];
        }
        return;
      }
      java.util.Arrays.fill(out, offset, offset + maxTokens, 0f);
      for (int id : ids) {
        out[offset + id] = mode == OutputMode.MULTI_HOT ? 1f : out[offset + id] + 1f;
      }
      if (mode == OutputMode.TF_IDF) {
        for (int id = 0; id < maxTokens; id++) {
          out[offset + id] *= idf[id];
        }
      }
    }

    /** The rows of many texts, one after another: text {@code i} from {@code i · outputSize()}. */
    public float[] vectorize(List<String> texts) {
      float[] rows = new float[Math.multiplyExact(texts.size(), outputSize())];
      for (int i = 0; i < texts.size(); i++) {
        vectorize(texts.get(i), rows, i * outputSize());
      }
      return rows;
    }
  }
}
