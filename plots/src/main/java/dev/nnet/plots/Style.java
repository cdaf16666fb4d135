package dev.nnet.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.Locale;
import org.knowm.xchart.style.Styler;

/** The look every chart of this module shares: white background, quiet grid, one font family. */
final class Style {
  static {
    Headless.ensure();
  }

  static final Color BACKGROUND = Color.WHITE;
  static final Color TEXT = new Color(0x20, 0x20, 0x20);
  static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  static final Color BORDER = new Color(0xAA, 0xAA, 0xAA);

  /** The training series of a chart (matplotlib's first two colours, familiar from Keras). */
  static final Color TRAIN = new Color(0x1F, 0x77, 0xB4);
  /** The validation series of a chart. */
  static final Color VALIDATION = new Color(0xFF, 0x7F, 0x0E);

  /** A logical font, present on every JVM (DejaVu Sans on most Linux machines). */
  static final String FONT = Font.SANS_SERIF;
  static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 16);
  static final Font CHART_TITLE_FONT = new Font(FONT, Font.BOLD, 14);
  static final Font AXIS_TITLE_FONT = new Font(FONT, Font.PLAIN, 13);
  static final Font TICK_FONT = new Font(FONT, Font.PLAIN, 12);
  static final Font CLASS_FONT = new Font(FONT, Font.PLAIN, 13);
  static final Font LEGEND_FONT = new Font(FONT, Font.PLAIN, 12);

  private Style() {}

  /** Applies the shared look; numbers are formatted the same whatever the default locale. */
  static void apply(Styler styler) {
    styler.setLocale(Locale.ROOT);
    styler.setChartBackgroundColor(BACKGROUND);
    styler.setPlotBackgroundColor(BACKGROUND);
    styler.setPlotBorderColor(BORDER);
    styler.setChartFontColor(TEXT);
    styler.setChartTitleFont(CHART_TITLE_FONT);
    styler.setChartTitleBoxVisible(false);
    styler.setLegendFont(LEGEND_FONT);
    styler.setLegendBackgroundColor(BACKGROUND);
    styler.setLegendBorderColor(BORDER);
    styler.setAntiAlias(true);
    styler.setTextAntiAlias(true);
  }

  /** Turns on the same anti-aliasing XChart uses, for text this module draws itself. */
  static void hints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
        RenderingHints.VALUE_FRACTIONALMETRICS_ON);
  }

  /**
   * Draws {@code text} centred in a band of the given width and height, shrinking the font down
   * to 10 pt and then cutting the text with an ellipsis if it is still too wide.
   */
  static void centredTitle(Graphics2D g, String text, int top, int width, int height) {
    int maxWidth = width - 24;
    Font font = TITLE_FONT;
    FontMetrics metrics = g.getFontMetrics(font);
    while (metrics.stringWidth(text) > maxWidth && font.getSize() > 10) {
      font = font.deriveFont((float) (font.getSize() - 1));
      metrics = g.getFontMetrics(font);
    }
    String shown = text;
    if (metrics.stringWidth(shown) > maxWidth) {
      int end = shown.length();
      while (end > 0 && metrics.stringWidth(shown.substring(0, end) + "…") > maxWidth) {
        end--;
        if (end > 0 && Character.isLowSurrogate(shown.charAt(end))) {
          end--; // never split a surrogate pair
        }
      }
      shown = shown.substring(0, end) + "…";
    }
    g.setFont(font);
    g.setColor(TEXT);
    int x = (width - metrics.stringWidth(shown)) / 2;
    int y = top + (height - metrics.getHeight()) / 2 + metrics.getAscent();
    g.drawString(shown, x, y);
  }
}
