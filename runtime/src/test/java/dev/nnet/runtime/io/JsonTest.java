package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() throws Json.JsonException {
    Object value = Json.parse(
        " {\"a\": [1, -2.5e3, true, false, null], \"b\\n\\u00e9\\ud83d\\ude00\": {}, \"c\": []} ");
    Map<?, ?> map = (Map<?, ?>) value;
    List<?> a = (List<?>) map.get("a");
    assertEquals(new Json.Number("1"), a.get(0));
    assertEquals(1L, ((Json.Number) a.get(0)).longValue().getAsLong());
    assertTrue(((Json.Number) a.get(1)).longValue().isEmpty());
    assertEquals(Boolean.TRUE, a.get(2));
    assertSame(Json.NULL, a.get(4));
    assertEquals(Map.of(), map.get("b\n\u00e9\ud83d\ude00"));
    assertEquals(List.of("a", "b\n\u00e9\ud83d\ude00", "c"), List.copyOf(map.keySet()));
  }

  @Test
  void rejectsWhatTheRfcForbids() {
    String[] invalid = {
      "", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "1e", "-", "+1",
      "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\tb\"", "\"abc",
      "tru", "nul", "NaN", "Infinity", "{\"a\":1}}", "[1] [2]", "{\"a\":1,\"a\":2}", "\u00a0{}",
      "[\"\\ud800\\u0041\"]", "'a'",
    };
    for (String text : invalid) {
      assertThrows(Json.JsonException.class, () -> Json.parse(text), text);
    }
  }

  @Test
  void limitsNesting() throws Json.JsonException {
    Json.parse("[".repeat(64) + "]".repeat(64));
    assertThrows(Json.JsonException.class,
        () -> Json.parse("[".repeat(65) + "]".repeat(65)));
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":".repeat(100_000)));
  }

  @Test
  void quoteRoundTrips() throws Json.JsonException {
    String nasty = "a\"b\\c\n\u0001\u00e9\ud83d\ude00/";
    assertEquals(nasty, Json.parse(Json.quote(nasty)));
  }

  @Test
  void randomInputsOnlyEverThrowJsonException() {
    SplittableRandom random = new SplittableRandom(3);
    String alphabet = "{}[]:,\"\\u0123456789abcdefEe+-.truefalsenull \t\n";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(20);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        Json.parse(text.toString());
      } catch (Json.JsonException expected) {
        // fine
      } catch (RuntimeException e) {
        throw new AssertionError("input " + text + ": " + e, e);
      }
    }
  }
}
