package dev.nnet.plots;

/**
 * Puts AWT into headless mode before this module touches it, so charts render on machines
 * without a display (CI, servers).
 *
 * <p>AWT reads {@code java.awt.headless} once, the first time anything asks whether it is
 * headless (loading {@link java.awt.Color} is enough). Every class of this module that uses AWT
 * therefore calls {@link #ensure()} in its first static initializer. A value the application set
 * itself, {@code true} or {@code false}, is left alone.
 */
final class Headless {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Headless() {}

  /** Does nothing; calling it runs the static initializer above exactly once. */
  static void ensure() {}
}
