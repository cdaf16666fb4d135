package dev.nnet.runtime.data.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Splits text into word tokens. The same options give the same tokens on every machine: nothing
 * depends on the default locale or charset.
 *
 * <p>{@link #standard()} does, in order:
 *
 * <ol>
 *   <li><b>Unicode normalization</b> to NFC, so an {@code é} typed as one character and as
 *       {@code e} plus a combining accent give the same token;
 *   <li><b>lower-casing</b> with {@code toLowerCase(Locale.ROOT)}: Unicode's locale-independent
 *       rules, for every script ({@code "ÁRBOL"} → {@code "árbol"}, {@code "ΣΟΦΊΑ"} →
 *       {@code "σοφία"}), never the Turkish rules of a Turkish default locale (the capital dotted
 *       {@code İ} becomes {@code i} plus a combining dot, U+0307);
 *   <li><b>punctuation removal</b>: every punctuation and symbol character (Unicode categories P
 *       and S: {@code .,;:!?'"()[]{}-_/\@#$%&*+=<>^`|~}, typographic quotes and dashes,
 *       {@code ¿¡«»}, currency signs, emoji …) separates words, as a space does, so
 *       {@code "don't"} gives {@code don} and {@code t}, {@code "e-mail"} gives {@code e} and
 *       {@code mail}, and {@code "3.14"} gives {@code 3} and {@code 14};
 *   <li><b>splitting on whitespace</b> (any Unicode space, the no-break space included).
 *       Control and format characters (such as the backspace of {@code _\bI} overstrikes in
 *       old text files, soft hyphens and zero-width spaces) are dropped without separating words.
 * </ol>
 *
 * <p>Accented letters are kept as they are ({@code "año"} and {@code "ano"} are different
 * Spanish words). Letters of every script, combining marks and digits make up words; numbers are
 * kept as tokens ({@code "2001"}, and {@code "2nd"} as one token).
 *
 * <p>The options change one step each: {@link #withLowerCase}, {@link #withPunctuation} (remove
 * punctuation without separating, or keep it as part of words), {@link #withStripAccents} (drop
 * combining accents after decomposing: {@code "canción"} → {@code "cancion"}) and
 * {@link #withNumbers} (drop tokens made only of digits). Immutable.
 */
public final class Tokenizer {

  /** What punctuation and symbol characters (Unicode categories P and S) become. */
  public enum Punctuation {
    /** Replaced by a space: they separate words. The default. */
    SPLIT,
    /** Deleted: {@code "don't"} → {@code "dont"}, {@code "e-mail"} → {@code "email"}. */
    DELETE,
    /** Kept as characters of the words they touch: {@code "hello,"} stays {@code "hello,"}. */
    KEEP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Punctuation parse(String text) {
      for (Punctuation value : values()) {
        if (value.label().equals(text)) {
          return value;
        }
      }
      throw new IllegalArgumentException("expected split, delete or keep, but found '" + text + "'");
    }
  }

  private static final Tokenizer STANDARD = new Tokenizer(true, Punctuation.SPLIT, false, true);

  private final boolean lowerCase;
  private final Punctuation punctuation;
  private final boolean stripAccents;
  private final boolean numbers;

  private Tokenizer(
      boolean lowerCase, Punctuation punctuation, boolean stripAccents, boolean numbers) {
    this.lowerCase = lowerCase;
    this.punctuation = punctuation;
    this.stripAccents = stripAccents;
    this.numbers = numbers;
  }

  /** Lower-casing, punctuation separating words, accents and numbers kept. */
  public static Tokenizer standard() {
    return STANDARD;
  }

  /** The same tokenizer lower-casing ({@code true}, the default) or keeping the case. */
  public Tokenizer withLowerCase(boolean lowerCase) {
    return new Tokenizer(lowerCase, punctuation, stripAccents, numbers);
  }

  /** The same tokenizer treating punctuation as given (default {@link Punctuation#SPLIT}). */
  public Tokenizer withPunctuation(Punctuation punctuation) {
    return new Tokenizer(
        lowerCase, Objects.requireNonNull(punctuation, "punctuation"), stripAccents, numbers);
  }

  /**
   * The same tokenizer removing accents ({@code true}) or keeping them ({@code false}, the
   * default): the text is decomposed (NFD), its nonspacing combining marks (Unicode category Mn)
   * are removed and it is recomposed, so {@code "canción"} → {@code "cancion"}, {@code "ñ"} →
   * {@code "n"}, {@code "ü"} → {@code "u"}. Letters that are not a base letter plus an accent stay
   * ({@code "ø"}, {@code "ß"}). Meant for Latin-script text: in scripts where combining marks
   * spell vowels, it changes words.
   */
  public Tokenizer withStripAccents(boolean stripAccents) {
    return new Tokenizer(lowerCase, punctuation, stripAccents, numbers);
  }

  /**
   * The same tokenizer keeping ({@code true}, the default) or dropping ({@code false}) tokens
   * made only of digits (Unicode category N: {@code 2001}, {@code ½}, {@code Ⅻ}); tokens that mix
   * letters and digits ({@code 2nd}, {@code mp3}) are always kept.
   */
  public Tokenizer withNumbers(boolean numbers) {
    return new Tokenizer(lowerCase, punctuation, stripAccents, numbers);
  }

  /** Whether text is lower-cased. */
  public boolean lowerCase() {
    return lowerCase;
  }

  /** What punctuation becomes. */
  public Punctuation punctuation() {
    return punctuation;
  }

  /** Whether accents are removed. */
  public boolean stripAccents() {
    return stripAccents;
  }

  /** Whether number tokens are kept. */
  public boolean numbers() {
    return numbers;
  }

  /** The tokens of {@code text}, in order; empty for blank text. */
  public List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
    if (lowerCase) {
      normalized = Normalizer.normalize(normalized.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }
    if (stripAccents) {
      String decomposed = Normalizer.normalize(normalized, Normalizer.Form.NFD);
      StringBuilder kept = new StringBuilder(decomposed.length());
      decomposed.codePoints()
          .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
          .forEach(kept::appendCodePoint);
      normalized = Normalizer.normalize(kept, Normalizer.Form.NFC);
    }
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    int i = 0;
    while (i < normalized.length()) {
      int c = normalized.codePointAt(i);
      i += Character.charCount(c);
      if (isSpace(c)) {
        flush(token, tokens);
      } else if (isControl(c)) {
        // dropped without separating words
      } else if (isPunctuation(c) && punctuation != Punctuation.KEEP) {
        if (punctuation == Punctuation.SPLIT) {
          flush(token, tokens);
        }
      } else {
        token.appendCodePoint(c);
      }
    }
    flush(token, tokens);
    return tokens;
  }

  private void flush(StringBuilder token, List<String> tokens) {
    if (token.length() == 0) {
      return;
    }
    String word = token.toString();
    token.setLength(0);
    if (numbers || !isNumber(word)) {
      tokens.add(word);
    }
  }

  private static boolean isNumber(String word) {
    return word.codePoints().allMatch(c -> switch (Character.getType(c)) {
      case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
      default -> false;
    });
  }

  /** Whether a code point separates words: Java whitespace or a Unicode space separator. */
  static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isControl(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT;
  }

  private static boolean isPunctuation(int c) {
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tokenizer that
        && lowerCase == that.lowerCase
        && punctuation == that.punctuation
        && stripAccents == that.stripAccents
        && numbers == that.numbers;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lowerCase, punctuation, stripAccents, numbers);
  }

  @Override
  public String toString() {
    return "Tokenizer(lowerCase=" + lowerCase + ", punctuation=" + punctuation.label()
        + ", stripAccents=" + stripAccents + ", numbers=" + numbers + ")";
  }
}
