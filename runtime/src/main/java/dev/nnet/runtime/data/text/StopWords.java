package dev.nnet.runtime.data.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of stop words: frequent words that carry little meaning on their own ({@code the},
 * {@code of}, {@code de}, {@code que}), removed from the token list before the vocabulary sees
 * it.
 *
 * <p>{@link #english()} and {@link #spanish()} are the Snowball project's stop-word lists (174
 * English and 308 Spanish words, BSD licence), shipped as resources of this package. The Spanish
 * words keep their accents ({@code más}, {@code él}, {@code está}).
 *
 * <p><b>Matching.</b> A token is removed when it equals a stop word. For that to work, the stop
 * words must be written the way the tokenizer writes tokens; {@link #normalizedWith} does it,
 * passing each stop word through the tokenizer. With {@link Tokenizer#standard()}, which splits
 * words at apostrophes, the English list's 50 contractions become their pieces: {@code "don't"}
 * becomes {@code don} and {@code t}, so the fragments {@code s}, {@code t}, {@code don},
 * {@code ll}, {@code re}, {@code ve} … that such a tokenizer makes of contractions in a text
 * are removed too, as NLTK's English list does; 149 English stop words result. With
 * accents stripped, {@code más} becomes {@code mas}. {@link TextPipeline} always normalizes, and
 * saves the result.
 *
 * <p>Immutable.
 */
public final class StopWords {

  private static final class Lists {
    static final StopWords ENGLISH = resource("english.txt");
    static final StopWords SPANISH = resource("spanish.txt");
  }

  private static final StopWords NONE = new StopWords(Collections.emptySortedSet());

  private final Set<String> words;

  private StopWords(Set<String> words) {
    this.words = words;
  }

  /** The Snowball English stop-word list, 174 words (contractions included). */
  public static StopWords english() {
    return Lists.ENGLISH;
  }

  /** The Snowball Spanish stop-word list, 308 words, with accents. */
  public static StopWords spanish() {
    return Lists.SPANISH;
  }

  /** No stop words: nothing is removed. */
  public static StopWords none() {
    return NONE;
  }

  /**
   * The given words.
   *
   * @throws IllegalArgumentException if a word is empty or contains whitespace
   */
  public static StopWords of(Collection<String> words) {
    Objects.requireNonNull(words, "words");
    TreeSet<String> set = new TreeSet<>();
    for (String word : words) {
      check(word);
      set.add(word);
    }
    return new StopWords(Collections.unmodifiableSortedSet(set));
  }

  /** The given words; see {@link #of(Collection)}. */
  public static StopWords of(String... words) {
    return of(List.of(words));
  }

  private static void check(String word) {
    Objects.requireNonNull(word, "stop word");
    if (word.isEmpty()) {
      throw new IllegalArgumentException("a stop word is empty");
    }
    if (word.codePoints().anyMatch(Tokenizer::isSpace)) {
      throw new IllegalArgumentException(
          "stop word '" + word + "' contains whitespace, so no token can equal it");
    }
  }

  private static StopWords resource(String name) {
    try (InputStream in = StopWords.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the stop-word list " + name
            + " is missing from the classpath (package dev.nnet.runtime.data.text)");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> words = new ArrayList<>();
      for (String line : text.split("\n")) {
        String word = line.strip();
        if (!word.isEmpty() && !word.startsWith("#")) {
          words.add(word);
        }
      }
      return of(words);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stop-word list " + name, e);
    }
  }

  /** Whether {@code token} is a stop word. */
  public boolean contains(String token) {
    return words.contains(token);
  }

  /** The tokens that are not stop words, in order, in a new list. */
  public List<String> remove(List<String> tokens) {
    List<String> kept = new ArrayList<>(tokens.size());
    for (String token : tokens) {
      if (!words.contains(token)) {
        kept.add(token);
      }
    }
    return kept;
  }

  /** The words, sorted; unmodifiable. */
  public Set<String> words() {
    return words;
  }

  /** The number of words. */
  public int size() {
    return words.size();
  }

  /** The words of both sets, for example {@code english().and(spanish())}. */
  public StopWords and(StopWords other) {
    TreeSet<String> union = new TreeSet<>(words);
    union.addAll(other.words);
    return new StopWords(Collections.unmodifiableSortedSet(union));
  }

  /**
   * The stop words as {@code tokenizer} writes them: every token of every word. A word the
   * tokenizer keeps whole is replaced by its token ({@code "Más"} → {@code "más"}, or
   * {@code "mas"} with accents stripped); a word it splits adds all its pieces, since those are
   * what a text will hold ({@code "don't"} adds {@code don} and {@code t}, {@code "let's"} adds
   * {@code let} and {@code s}); a word it deletes entirely adds nothing.
   */
  public StopWords normalizedWith(Tokenizer tokenizer) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    TreeSet<String> normalized = new TreeSet<>();
    for (String word : words) {
      normalized.addAll(tokenizer.tokenize(word));
    }
    return new StopWords(Collections.unmodifiableSortedSet(normalized));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StopWords that && words.equals(that.words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  @Override
  public String toString() {
    return "StopWords(" + words.size() + " words)";
  }
}
