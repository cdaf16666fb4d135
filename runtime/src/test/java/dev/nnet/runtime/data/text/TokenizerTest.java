package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnet.runtime.data.text.Tokenizer.Punctuation;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TokenizerTest {

  final Tokenizer standard = Tokenizer.standard();

  @Test
  void lowerCasesAndSplitsOnPunctuationAndWhitespace() {
    assertEquals(List.of("hello", "world", "it", "s", "a", "test"),
        standard.tokenize("Hello, World!\tIt's a\n(test)..."));
    assertEquals(List.of("e", "mail", "c", "d", "x"), standard.tokenize("e-mail C/D x"));
    assertEquals(List.of(), standard.tokenize("  ...  "));
    assertEquals(List.of(), standard.tokenize(""));
  }

  @Test
  void keepsAccentsAndLowerCasesEveryScript() {
    assertEquals(List.of("qué", "tal", "año", "niño", "árbol"),
        standard.tokenize("¿Qué tal, AÑO «Niño»? ÁRBOL"));
    assertEquals(List.of("straße", "σοφία", "москва"), standard.tokenize("STRAßE ΣΟΦΊΑ МОСКВА"));
    assertEquals(List.of("año"), standard.tokenize("an\u0303o"),
        "a decomposed ñ is the same token as a composed one");
  }

  @Test
  void stripsAccentsOnRequest() {
    Tokenizer plain = standard.withStripAccents(true);
    assertEquals(List.of("que", "tal", "ano", "nino", "cancion", "uber", "ø"),
        plain.tokenize("¿Qué tal, AÑO Niño? canción Über ø"));
  }

  @Test
  void numbersAreTokensUnlessDropped() {
    assertEquals(List.of("3", "14", "is", "pi", "2nd", "mp3", "1", "000", "½"),
        standard.tokenize("3.14 is pi, 2nd mp3 1,000 ½"));
    assertEquals(List.of("is", "pi", "2nd", "mp3"),
        standard.withNumbers(false).tokenize("3.14 is pi, 2nd mp3 1,000 ½"));
  }

  @Test
  void punctuationCanBeDeletedOrKept() {
    assertEquals(List.of("dont", "email", "usa"),
        standard.withPunctuation(Punctuation.DELETE).tokenize("don't e-mail U.S.A."));
    assertEquals(List.of("hello,", "world!", "don't"),
        standard.withPunctuation(Punctuation.KEEP).tokenize("Hello, world! don't"));
    assertEquals(List.of("Hello", "World"),
        standard.withLowerCase(false).tokenize("Hello, World"));
  }

  @Test
  void symbolsAndEmojiSeparateWordsLikePunctuation() {
    assertEquals(List.of("a", "b", "c", "5", "d"), standard.tokenize("a+b=c $5 d\uD83D\uDE00"));
  }

  @Test
  void controlAndFormatCharactersAreDroppedWithoutSplitting() {
    // A backspace overstrike from the fortune files, a soft hyphen and a zero-width space.
    assertEquals(List.of("i", "am", "hyphen", "zerowidth"),
        standard.tokenize("_\bI am hy\u00ADphen zero\u200Bwidth"));
    assertEquals(List.of("no", "break"), standard.tokenize("no\u00A0break"));
  }

  @Test
  void doesNotDependOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      // Turkish rules would give "tıtle" with a dotless ı.
      assertEquals(List.of("title"), standard.tokenize("TITLE"));
      // Locale.ROOT turns the Turkish dotted capital İ into i plus a combining dot above.
      assertEquals(List.of("i\u0307stanbul"), standard.tokenize("İstanbul"));
      assertEquals(List.of("istanbul"), standard.withStripAccents(true).tokenize("İstanbul"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void optionsAreValuesWithEquality() {
    assertEquals(Tokenizer.standard(), Tokenizer.standard().withLowerCase(true));
    assertEquals("Tokenizer(lowerCase=true, punctuation=split, stripAccents=false, numbers=true)",
        standard.toString());
  }
}
