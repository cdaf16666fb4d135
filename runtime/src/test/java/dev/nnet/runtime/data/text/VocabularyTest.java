package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  /** Frequencies: a 3, b 2, c 2, d 1, e 1. */
  final List<List<String>> texts = List.of(
      List.of("c", "a", "b", "a"),
      List.of("b", "a", "d", "c"),
      List.of("e"));

  @Test
  void idsByFrequencyThenTokenAfterTheTwoReservedIds() {
    Vocabulary vocabulary = Vocabulary.fit(texts, Vocabulary.UNLIMITED, 1);
    assertEquals(7, vocabulary.size());
    assertEquals(List.of("a", "b", "c", "d", "e"), vocabulary.words());
    assertEquals(2, vocabulary.id("a"));
    assertEquals(3, vocabulary.id("b"), "b and c tie at 2: b first");
    assertEquals(4, vocabulary.id("c"));
    assertEquals(6, vocabulary.id("e"));
    assertEquals(3, vocabulary.frequency(2));
    assertEquals("<pad>", vocabulary.token(Vocabulary.PADDING));
    assertEquals("<oov>", vocabulary.token(Vocabulary.OUT_OF_VOCABULARY));
    assertEquals("c", vocabulary.token(4));
  }

  @Test
  void theOrderDoesNotDependOnTheOrderOfTheTexts() {
    List<List<String>> reversed = List.of(texts.get(2), texts.get(1), texts.get(0));
    assertEquals(Vocabulary.fit(texts, 10, 1), Vocabulary.fit(reversed, 10, 1));
  }

  @Test
  void theSizeLimitCountsTheReservedIdsAndKeepsTheMostFrequent() {
    Vocabulary vocabulary = Vocabulary.fit(texts, 4, 1);
    assertEquals(4, vocabulary.size());
    assertEquals(List.of("a", "b"), vocabulary.words());
    assertEquals(Vocabulary.OUT_OF_VOCABULARY, vocabulary.id("c"));
    assertEquals(2, Vocabulary.fit(texts, 2, 1).size(), "only the reserved ids");
  }

  @Test
  void theFrequencyCutOffDropsRareTokens() {
    Vocabulary vocabulary = Vocabulary.fit(texts, Vocabulary.UNLIMITED, 2);
    assertEquals(List.of("a", "b", "c"), vocabulary.words());
    assertEquals(Vocabulary.OUT_OF_VOCABULARY, vocabulary.id("d"));
    assertEquals(Vocabulary.OUT_OF_VOCABULARY, vocabulary.id("never seen"));
    assertEquals(2, Vocabulary.fit(texts, Vocabulary.UNLIMITED, 4).size());
  }

  @Test
  void encodingPadsAndTruncatesOnEitherSide() {
    Vocabulary vocabulary = Vocabulary.fit(texts, Vocabulary.UNLIMITED, 1);
    List<String> tokens = List.of("a", "zzz", "b"); // 2, 1 (unknown), 3
    assertArrayEquals(new int[] {2, 1, 3}, vocabulary.ids(tokens));
    assertArrayEquals(new int[] {0, 0, 2, 1, 3},
        vocabulary.encodeIds(tokens, 5, Padding.PRE, Truncation.PRE));
    assertArrayEquals(new int[] {2, 1, 3, 0, 0},
        vocabulary.encodeIds(tokens, 5, Padding.POST, Truncation.PRE));
    assertArrayEquals(new int[] {1, 3},
        vocabulary.encodeIds(tokens, 2, Padding.POST, Truncation.PRE), "keeps the last two");
    assertArrayEquals(new int[] {2, 1},
        vocabulary.encodeIds(tokens, 2, Padding.PRE, Truncation.POST), "keeps the first two");
    assertArrayEquals(new int[] {2, 1, 3},
        vocabulary.encodeIds(tokens, 3, Padding.PRE, Truncation.POST), "exact length: as is");
    assertArrayEquals(new int[] {0, 0, 0},
        vocabulary.encodeIds(List.of(), 3, Padding.POST, Truncation.POST));
    assertArrayEquals(new float[] {0, 2, 1, 3},
        vocabulary.encode(tokens, 4, Padding.PRE, Truncation.PRE));
  }

  @Test
  void givenWordsAndErrors() {
    Vocabulary given = Vocabulary.of(List.of("x", "y"));
    assertEquals(3, given.id("y"));
    assertEquals(0, given.frequency(3));
    assertEquals("token 'x' appears twice", assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.of(List.of("x", "y", "x"))).getMessage());
    assertEquals("the vocabulary size limit must be >= 2 (the padding and out-of-vocabulary"
            + " ids), but got 1",
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fit(texts, 1, 1))
            .getMessage());
    assertEquals("the minimum frequency must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fit(texts, 5, 0))
            .getMessage());
    assertEquals("the length must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class,
            () -> given.encodeIds(List.of("x"), 0, Padding.PRE, Truncation.PRE)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.fit(List.of(List.of("a b")), 5, 1));
  }
}
