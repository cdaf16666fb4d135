package dev.nnet.runtime.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A small strict JSON parser (RFC 8259) for model file headers, which come from untrusted bytes.
 * It rejects everything the RFC does not allow, and more: duplicate object keys, nesting deeper
 * than {@value #MAX_DEPTH}, unpaired surrogate escapes, and anything after the value but
 * whitespace. Its only exception is the checked {@link JsonException}: no input makes it throw
 * anything else, and its recursion is bounded by the depth limit.
 *
 * <p>Values map to: objects → {@code Map<String, Object>} (in file order), arrays →
 * {@code List<Object>}, strings → {@code String}, numbers → {@link Number} (the literal, unparsed,
 * so a hostile exponent cannot cost anything), {@code true}/{@code false} → {@code Boolean},
 * {@code null} → {@link #NULL}.
 */
final class Json {

  static final int MAX_DEPTH = 64;

  /** The JSON {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A JSON number, kept as its literal text. */
  record Number(String text) {
    /** The value if the literal is an integer that fits a long, else empty. */
    OptionalLong longValue() {
      int start = text.startsWith("-") ? 1 : 0;
      // 18 digits always fit a long; longer literals are far beyond any size this format needs.
      if (text.length() - start > 18) {
        return OptionalLong.empty();
      }
      for (int i = start; i < text.length(); i++) {
        if (text.charAt(i) < '0' || text.charAt(i) > '9') {
          return OptionalLong.empty();
        }
      }
      return OptionalLong.of(Long.parseLong(text));
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** Why a text is not valid JSON, and where. */
  static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;

    JsonException(String message, int position) {
      super(message + " at character " + position);
      this.position = position;
    }

    /** The 0-based character index where the problem was found. */
    int position() {
      return position;
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value making up the whole of {@code text} (surrounding whitespace allowed). */
  static Object parse(String text) throws JsonException {
    Json parser = new Json(text);
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw new JsonException(
          "unexpected " + parser.describe(parser.pos) + " after the JSON value", parser.pos);
    }
    return value;
  }

  /** The name of a value's JSON type, for messages. */
  static String typeName(Object value) {
    if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }

  /** {@code value} as a JSON string literal, with quotes and escapes. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // Escape controls (required) and surrogates (so a lone one cannot break the UTF-8).
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private Object value(int depth) throws JsonException {
    skipWhitespace();
    if (pos >= text.length()) {
      throw new JsonException("unexpected end of input, expected a value", pos);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new JsonException("unexpected " + describe(pos) + ", expected a value", pos);
    }
  }

  private Map<String, Object> object(int depth) throws JsonException {
    checkDepth(depth);
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new JsonException("expected a string key but found " + describe(pos), pos);
      }
      int keyPosition = pos;
      String key = string();
      if (members.containsKey(key)) {
        throw new JsonException("duplicate key " + quote(key), keyPosition);
      }
      skipWhitespace();
      expect(':');
      members.put(key, value(depth));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (c != ',') {
        throw new JsonException("expected ',' or '}' but found " + describe(pos - 1), pos - 1);
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    checkDepth(depth);
    pos++; // '['
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(elements);
    }
    while (true) {
      elements.add(value(depth));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(elements);
      }
      if (c != ',') {
        throw new JsonException("expected ',' or ']' but found " + describe(pos - 1), pos - 1);
      }
    }
  }

  private void checkDepth(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw new JsonException("nesting deeper than " + MAX_DEPTH + " levels", pos);
    }
  }

  private String string() throws JsonException {
    int start = pos;
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new JsonException("unterminated string", start);
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new JsonException(
            String.format("unescaped control character U+%04X in a string", (int) c), pos - 1);
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new JsonException("unterminated string", start);
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          int escapeStart = pos - 2;
          char unit = (char) hex4();
          if (Character.isHighSurrogate(unit)) {
            // A high surrogate must be followed by an escaped low one: together one code point.
            if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
              pos += 2;
              char low = (char) hex4();
              if (!Character.isLowSurrogate(low)) {
                throw new JsonException("unpaired surrogate escape", escapeStart);
              }
              out.append(unit).append(low);
            } else {
              throw new JsonException("unpaired surrogate escape", escapeStart);
            }
          } else if (Character.isLowSurrogate(unit)) {
            throw new JsonException("unpaired surrogate escape", escapeStart);
          } else {
            out.append(unit);
          }
        }
        default -> throw new JsonException(
            "invalid escape '\\" + printable(e) + "' in a string", pos - 2);
      }
    }
  }

  private int hex4() throws JsonException {
    if (pos + 4 > text.length()) {
      throw new JsonException("incomplete \\u escape", pos - 2);
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
      if (digit < 0 || text.charAt(pos + i) > 'f') {
        throw new JsonException("invalid hex digit in a \\u escape", pos + i);
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return value;
  }

  private Number number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw new JsonException("invalid number: expected a digit", pos);
    }
    if (peek() == '.') {
      pos++;
      requireDigits("after the decimal point");
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      requireDigits("in the exponent");
    }
    return new Number(text.substring(start, pos));
  }

  private void requireDigits(String where) throws JsonException {
    if (!isDigit(peek())) {
      throw new JsonException("invalid number: expected a digit " + where, pos);
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private Object literal(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw new JsonException("unexpected " + describe(pos) + ", expected a value", pos);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw new JsonException("expected '" + c + "' but found " + describe(pos), pos);
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  /** The character at the cursor, or U+FFFF past the end (never valid where it is checked). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\uFFFF';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private String describe(int position) {
    if (position >= text.length()) {
      return "end of input";
    }
    return "'" + printable(text.charAt(position)) + "'";
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7E ? String.format("U+%04X", (int) c) : String.valueOf(c);
  }
}
