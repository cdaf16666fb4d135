package dev.nnet.processor.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .nnet} text written for an annotated type, and which Java location each piece of it
 * comes from. Pieces are placed on the line (and, where it is still free, the column) of the Java
 * code they come from, so spans in the text name real Java lines.
 */
final class NnetText {
  /** Characters {@code [start, end)} come from {@code location}. */
  record Fragment(int start, int end, Location location) {}

  private final StringBuilder text = new StringBuilder();
  private final List<Fragment> fragments = new ArrayList<>();
  private int line = 1;
  private int column = 1;

  /** Moves to {@code position} if it is ahead, else separates with a space. */
  NnetText moveTo(Optional<JavaPositions.Position> position) {
    if (position.isPresent() && position.get().line() > line) {
      while (line < position.get().line()) {
        append("\n");
      }
    }
    if (position.isPresent() && position.get().line() == line) {
      while (column < position.get().column()) {
        append(" ");
      }
    }
    if (column > 1 && text.charAt(text.length() - 1) != ' ') {
      append(" ");
    }
    return this;
  }

  /**
   * Moves so that, after {@code lead} more characters, the text reaches {@code position}: the
   * name in {@code input name} lands where the Java method's name is.
   */
  NnetText moveBefore(Optional<JavaPositions.Position> position, int lead) {
    return moveTo(position.map(p -> new JavaPositions.Position(p.line(), Math.max(1, p.column() - lead))));
  }

  /** Starts a new line when nothing else placed this piece. */
  NnetText newLine() {
    append("\n");
    return this;
  }

  NnetText append(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      text.append(c);
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return this;
  }

  int offset() {
    return text.length();
  }

  /** Records that the text written since {@code start} comes from {@code location}. */
  void mark(int start, Location location) {
    fragments.add(new Fragment(start, text.length(), location));
  }

  String text() {
    return text.toString();
  }

  /** The smallest piece holding {@code offset}, or the piece just before it. */
  static Optional<Location> locate(List<Fragment> fragments, int offset) {
    Fragment best = null;
    for (Fragment f : fragments) {
      if (f.start() <= offset && (offset < f.end() || offset == f.end() && f.start() == f.end())) {
        if (best == null || f.end() - f.start() < best.end() - best.start()) {
          best = f;
        }
      }
    }
    if (best == null) {
      for (Fragment f : fragments) {
        if (f.end() <= offset && (best == null || f.end() > best.end()
            || f.end() == best.end() && f.end() - f.start() > best.end() - best.start())) {
          best = f;
        }
      }
    }
    return Optional.ofNullable(best).map(Fragment::location);
  }

  List<Fragment> fragments() {
    return List.copyOf(fragments);
  }
}
