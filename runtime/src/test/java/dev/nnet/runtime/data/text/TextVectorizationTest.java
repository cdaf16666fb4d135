package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.InvalidStateException;
import dev.nnet.runtime.data.text.TextVectorization.OutputMode;
import dev.nnet.runtime.data.text.TextVectorization.Standardize;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime side of {@code text_vectorize}: the state layout, fitting and checking. */
class TextVectorizationTest {

  /** A stage at state offset 3 (after someone else's three values), int mode, 5 ids of 4 per text. */
  private static TextVectorization ids() {
    return new TextVectorization("t", OutputMode.INT, Standardize.LOWER_AND_STRIP_PUNCTUATION, 5, 4, 3, -1,
        3 + 3 * TextVectorization.TOKEN_CHARS);
  }

  @Test
  void fittingWritesTheWordsAsCodeUnitsAndTheCountAndNothingElse() {
    TextVectorization text = ids();
    float[] state = new float[3 + TextVectorization.stateSize(OutputMode.INT, 5)];
    state[0] = 7;
    assertFalse(text.fitted(state));
    text.fit(List.of("b a b", "c"), state);
    assertTrue(text.fitted(state));
    assertEquals(7f, state[0], "values before the stage are left alone");
    assertEquals('b', state[3]);
    assertEquals(0f, state[4], "a word ends with zeros");
    assertEquals('a', state[3 + TextVectorization.TOKEN_CHARS]);
    assertEquals('c', state[3 + 2 * TextVectorization.TOKEN_CHARS]);
    assertEquals(2f, state[state.length - 1], "two training texts");
    assertEquals(List.of("b", "a", "c"), text.vectorizer(state).vocabulary().words());
    assertDoesNotThrow(() -> text.check(state));
  }

  @Test
  void tokensLongerThanARowStayOutOfVocabulary() {
    TextVectorization text = ids();
    float[] state = new float[3 + TextVectorization.stateSize(OutputMode.INT, 5)];
    String longWord = "x".repeat(TextVectorization.TOKEN_CHARS + 1);
    String fits = "y".repeat(TextVectorization.TOKEN_CHARS);
    text.fit(List.of(longWord + " " + longWord + " " + fits), state);
    TextVectorization.Vectorizer vectorizer = text.vectorizer(state);
    assertEquals(List.of(fits), vectorizer.vocabulary().words());
    float[] row = new float[4];
    vectorizer.vectorize(fits + " " + longWord, row, 0);
    assertArrayEquals(new float[] {2, 1, 0, 0}, row);
  }

  @Test
  void anUnfittedStateIsValidAndAnUnknownCountIsNot() {
    TextVectorization text = ids();
    float[] state = new float[3 + TextVectorization.stateSize(OutputMode.INT, 5)];
    assertDoesNotThrow(() -> text.check(state));
    state[state.length - 1] = -1;
    InvalidStateException e = assertThrows(InvalidStateException.class, () -> text.check(state));
    assertEquals(state.length - 1, e.index());
  }

  @Test
  void outputSizesFollowTheMode() {
    assertEquals(4, ids().outputSize());
    TextVectorization counts = new TextVectorization("t", OutputMode.COUNT, Standardize.NONE, 9, 0, 0, -1,
        7 * TextVectorization.TOKEN_CHARS);
    assertEquals(9, counts.outputSize());
    assertThrows(IllegalArgumentException.class, () -> new TextVectorization("t", OutputMode.TF_IDF,
        Standardize.NONE, 9, 0, 0, -1, 0), "tf_idf needs a place for its weights");
  }
}
