package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopWordsTest {

  @Test
  void englishIsTheSnowballList() {
    StopWords english = StopWords.english();
    assertEquals(174, english.size());
    for (String word : List.of("the", "a", "of", "and", "i", "don't", "ourselves", "very")) {
      assertTrue(english.contains(word), word);
    }
    assertFalse(english.contains("computer"));
    assertFalse(english.contains("The"), "the lists are lower case");
  }

  @Test
  void spanishIsTheSnowballListWithAccents() {
    StopWords spanish = StopWords.spanish();
    assertEquals(308, spanish.size());
    for (String word : List.of("de", "la", "que", "el", "más", "él", "está", "también")) {
      assertTrue(spanish.contains(word), word);
    }
    assertFalse(spanish.contains("mas"));
  }

  @Test
  void removesStopWordsKeepingTheOrder() {
    Tokenizer tokenizer = Tokenizer.standard();
    StopWords english = StopWords.english().normalizedWith(tokenizer);
    assertEquals(List.of("cat", "sat", "mat"),
        english.remove(tokenizer.tokenize("The cat sat on the mat.")));
    StopWords spanish = StopWords.spanish().normalizedWith(tokenizer);
    assertEquals(List.of("gato", "come", "pescado"),
        spanish.remove(tokenizer.tokenize("El gato come más pescado que él.")));
  }

  @Test
  void normalizingSplitsContractionsIntoTheirPiecesAndFollowsTheAccents() {
    StopWords english = StopWords.english().normalizedWith(Tokenizer.standard());
    assertEquals(149, english.size(), "174 words, 50 contractions split at the apostrophe");
    assertFalse(english.contains("don't"));
    for (String piece : List.of("don", "t", "s", "ll", "re", "ve", "d", "m", "won", "cannot")) {
      assertTrue(english.contains(piece), piece);
    }
    assertEquals(List.of("isn", "working"),
        StopWords.none().remove(List.of("isn", "working")));
    assertEquals(List.of("working"),
        english.remove(Tokenizer.standard().tokenize("It's not working, isn't it?")));
    StopWords kept = StopWords.english()
        .normalizedWith(Tokenizer.standard().withPunctuation(Tokenizer.Punctuation.KEEP));
    assertEquals(174, kept.size());
    assertTrue(kept.contains("don't"));
    StopWords plain = StopWords.spanish()
        .normalizedWith(Tokenizer.standard().withStripAccents(true));
    assertTrue(plain.contains("mas"));
    assertFalse(plain.contains("más"));
    assertEquals(301, plain.size(), "accents folded some words together, such as él and el");
  }

  @Test
  void customListsAndUnions() {
    StopWords custom = StopWords.of("foo", "bar", "foo");
    assertEquals(List.of("bar", "foo"), List.copyOf(custom.words()));
    StopWords both = StopWords.english().and(StopWords.spanish());
    assertTrue(both.contains("the") && both.contains("que"));
    assertEquals(0, StopWords.none().size());
    assertEquals("stop word 'two words' contains whitespace, so no token can equal it",
        assertThrows(IllegalArgumentException.class, () -> StopWords.of("two words"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> StopWords.of(""));
  }
}
