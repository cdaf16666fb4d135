package dev.nnet.dsl;

/**
 * A cheap pass over the raw text, before parsing, that finds brackets nested too deeply for the
 * recursive-descent parser to be safe. It skips comments and strings the way the lexer does, so
 * a {@code "((((("} string does not count.
 */
final class NestingScan {
  private NestingScan() {}

  /** The offset of the first bracket nested deeper than {@code limit}, or -1 if there is none. */
  static int firstTooDeep(String text, int limit) {
    int depth = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        i += 2;
        while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '"') {
        i++;
        while (i < n) {
          char s = text.charAt(i);
          if (s == '"') {
            i++;
            break;
          }
          if (s == '\n' || s == '\r') {
            break;
          }
          if (s == '\\' && i + 1 < n && text.charAt(i + 1) != '\n' && text.charAt(i + 1) != '\r') {
            i++;
          }
          i++;
        }
      } else {
        if (c == '(' || c == '[' || c == '{') {
          depth++;
          if (depth > limit) {
            return i;
          }
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        i++;
      }
    }
    return -1;
  }
}
