package dev.nnet.runtime.data.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Integer ids for tokens, the input of an embedding layer.
 *
 * <p>Two ids are reserved: {@link #PADDING} (0) fills a short text up to the fixed length, and
 * {@link #OUT_OF_VOCABULARY} (1) stands for every token the vocabulary does not hold. The words
 * have ids 2, 3, …, {@link #size()} − 1, so an embedding over this vocabulary has {@link #size()}
 * rows.
 *
 * <p>{@link #fit} keeps the most frequent tokens of the training texts. The order, and so every
 * id, is deterministic: by frequency (total occurrences over all texts), highest first, and
 * tokens of equal frequency by {@link String#compareTo} (UTF-16 code-unit order, the same on
 * every machine and locale). Immutable.
 */
public final class Vocabulary {

  /** The id of padding. */
  public static final int PADDING = 0;

  /** The id of every token not in the vocabulary. */
  public static final int OUT_OF_VOCABULARY = 1;

  /** The id of the first word. */
  public static final int FIRST_WORD = 2;

  /** What {@link #token} returns for {@link #PADDING}. */
  public static final String PADDING_TOKEN = "<pad>";

  /** What {@link #token} returns for {@link #OUT_OF_VOCABULARY}. */
  public static final String OUT_OF_VOCABULARY_TOKEN = "<oov>";

  /** {@code maxSize} for no limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private static final int MAX_WORDS = (1 << 24) - FIRST_WORD;

  private final List<String> words;
  private final long[] frequencies;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> words, long[] frequencies) {
    if (words.size() > MAX_WORDS) {
      throw new IllegalArgumentException(words.size() + " words is more than " + MAX_WORDS
          + ": ids above 2^24 cannot be held exactly by the floats of a network input");
    }
    this.words = Collections.unmodifiableList(new ArrayList<>(words));
    this.frequencies = frequencies;
    Map<String, Integer> map = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      checkToken(word);
      if (map.put(word, FIRST_WORD + i) != null) {
        throw new IllegalArgumentException("token '" + word + "' appears twice");
      }
    }
    this.ids = map;
  }

  /**
   * The vocabulary of tokenized training texts.
   *
   * @param texts the texts, each a list of tokens (stop words already removed)
   * @param maxSize the largest {@link #size()}, the two reserved ids included, so at most
   *     {@code maxSize − 2} words are kept: the most frequent ones; {@link #UNLIMITED} for no
   *     limit
   * @param minFrequency tokens occurring fewer times than this over all texts are left out
   *     (they become out-of-vocabulary); 1 keeps every token
   * @throws IllegalArgumentException if {@code maxSize} &lt; 2 or {@code minFrequency} &lt; 1, or
   *     a token is empty or contains whitespace
   */
  public static Vocabulary fit(List<? extends List<String>> texts, int maxSize, int minFrequency) {
    Objects.requireNonNull(texts, "texts");
    if (maxSize < FIRST_WORD) {
      throw new IllegalArgumentException("the vocabulary size limit must be >= 2 (the padding and"
          + " out-of-vocabulary ids), but got " + maxSize);
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException(
          "the minimum frequency must be >= 1, but got " + minFrequency);
    }
    Map<String, long[]> counts = new HashMap<>();
    for (List<String> text : texts) {
      for (String token : Objects.requireNonNull(text, "text")) {
        counts.computeIfAbsent(token, t -> new long[1])[0]++;
      }
    }
    List<Map.Entry<String, long[]>> entries = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : counts.entrySet()) {
      if (entry.getValue()[0] >= minFrequency) {
        entries.add(entry);
      }
    }
    entries.sort((a, b) -> {
      int byFrequency = Long.compare(b.getValue()[0], a.getValue()[0]);
      return byFrequency != 0 ? byFrequency : a.getKey().compareTo(b.getKey());
    });
    int kept = (int) Math.min(entries.size(), (long) maxSize - FIRST_WORD);
    List<String> words = new ArrayList<>(kept);
    long[] frequencies = new long[kept];
    for (int i = 0; i < kept; i++) {
      words.add(entries.get(i).getKey());
      frequencies[i] = entries.get(i).getValue()[0];
    }
    return new Vocabulary(words, frequencies);
  }

  /**
   * A vocabulary of the given words, with ids 2, 3, … in list order (for example words of a
   * pretrained embedding); their frequencies are unknown (0).
   *
   * @throws IllegalArgumentException if a word is empty, contains whitespace or appears twice
   */
  public static Vocabulary of(List<String> words) {
    Objects.requireNonNull(words, "words");
    return new Vocabulary(words, new long[words.size()]);
  }

  /** As {@link #of}, with each word's frequency; package use (loading a pipeline). */
  static Vocabulary of(List<String> words, long[] frequencies) {
    if (words.size() != frequencies.length) {
      throw new IllegalArgumentException(
          words.size() + " words but " + frequencies.length + " frequencies");
    }
    return new Vocabulary(words, frequencies.clone());
  }

  private static void checkToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("a token is empty");
    }
    if (token.codePoints().anyMatch(Tokenizer::isSpace)) {
      throw new IllegalArgumentException("token '" + token + "' contains whitespace");
    }
  }

  /** The number of ids: the words plus the two reserved ids; the embedding's row count. */
  public int size() {
    return FIRST_WORD + words.size();
  }

  /** The words in id order: {@code words().get(i)} has id {@code i + 2}; unmodifiable. */
  public List<String> words() {
    return words;
  }

  /** Whether {@code token} is one of the words. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** The id of {@code token}, or {@link #OUT_OF_VOCABULARY}. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? OUT_OF_VOCABULARY : id;
  }

  /**
   * The token of {@code id}: a word, or {@link #PADDING_TOKEN} or {@link #OUT_OF_VOCABULARY_TOKEN}
   * for the reserved ids (display names only: a text token {@code "<pad>"} is not padding).
   */
  public String token(int id) {
    Objects.checkIndex(id, size());
    return switch (id) {
      case PADDING -> PADDING_TOKEN;
      case OUT_OF_VOCABULARY -> OUT_OF_VOCABULARY_TOKEN;
      default -> words.get(id - FIRST_WORD);
    };
  }

  /**
   * How often the word of {@code id} occurred in the texts it was fit on (0 for the reserved ids
   * and for a vocabulary made with {@link #of}).
   */
  public long frequency(int id) {
    Objects.checkIndex(id, size());
    return id < FIRST_WORD ? 0 : frequencies[id - FIRST_WORD];
  }

  /** The ids of the tokens, one each, without padding or truncation. */
  public int[] ids(List<String> tokens) {
    int[] result = new int[tokens.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = id(tokens.get(i));
    }
    return result;
  }

  /**
   * The ids of the tokens padded or truncated to exactly {@code length} ids: a text with fewer
   * tokens gets {@link #PADDING} ids where {@code padding} says, one with more loses tokens where
   * {@code truncation} says.
   *
   * @throws IllegalArgumentException if {@code length} &lt; 1
   */
  public int[] encodeIds(List<String> tokens, int length, Padding padding, Truncation truncation) {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(padding, "padding");
    Objects.requireNonNull(truncation, "truncation");
    if (length < 1) {
      throw new IllegalArgumentException("the length must be >= 1, but got " + length);
    }
    int[] all = ids(tokens);
    int[] result = new int[length];
    if (all.length >= length) {
      int from = truncation == Truncation.PRE ? all.length - length : 0;
      System.arraycopy(all, from, result, 0, length);
    } else {
      int to = padding == Padding.PRE ? length - all.length : 0;
      System.arraycopy(all, 0, result, to, all.length);
    }
    return result;
  }

  /**
   * As {@link #encodeIds}, as floats, the element type of a network input ({@code float[length]},
   * read by an embedding layer as ids).
   */
  public float[] encode(List<String> tokens, int length, Padding padding, Truncation truncation) {
    int[] ids = encodeIds(tokens, length, padding, truncation);
    float[] result = new float[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = ids[i];
    }
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Vocabulary that
        && words.equals(that.words)
        && java.util.Arrays.equals(frequencies, that.frequencies);
  }

  @Override
  public int hashCode() {
    return words.hashCode() * 31 + java.util.Arrays.hashCode(frequencies);
  }

  @Override
  public String toString() {
    return "Vocabulary(" + size() + " ids: <pad>, <oov> and " + words.size() + " words)";
  }
}
