package dev.nnet.processor.check;

import dev.nnet.diag.SourceSpan;
import java.util.Map;

/**
 * Keys by which the layers of an inlined network share their parameters. Every use of a network
 * shares them by default (a Siamese network); a use with {@code shared: false} gets parameters of
 * its own (a stack of residual blocks, each with its own weights).
 */
final class CompositionKeys {
  private CompositionKeys() {}

  /**
   * Gives the layers inlined at draft indices {@code from} (inclusive) to {@code to} (exclusive)
   * keys of their own, prefixed by where the use is written, which no other use shares. Networks
   * nested inside the use keep sharing among themselves within it, and a use inside a shared
   * network is the same use (the same source position) each time that network is inlined, so it
   * stays shared with it.
   */
  static void unshare(Map<Integer, String> sharedKey, SourceSpan use, int from, int to) {
    for (int d = from; d < to; d++) {
      String key = sharedKey.get(d);
      if (key != null) {
        sharedKey.put(d, "use@" + use.file() + ":" + use.startOffset() + "/" + key);
      }
    }
  }
}
