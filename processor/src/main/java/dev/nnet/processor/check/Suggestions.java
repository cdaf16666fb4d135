package dev.nnet.processor.check;

import java.util.Collection;
import java.util.Optional;

/** "did you mean ...": the closest known name within a small edit distance. */
final class Suggestions {
  private Suggestions() {}

  static Optional<String> closest(String written, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    // Allow about one typo per three characters, so 'dens' finds 'dense' but 'x' finds nothing.
    int limit = Math.min(3, written.length() / 3);
    for (String candidate : known) {
      int distance = distance(written, candidate);
      if (distance <= limit && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 3) {
      return Integer.MAX_VALUE;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
