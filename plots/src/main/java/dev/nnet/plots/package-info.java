/**
 * Pictures of a training run as PNG files: {@link dev.nnet.plots.TrainingCurves} (loss,
 * accuracy and any other per-epoch quantity, training and validation together) and
 * {@link dev.nnet.plots.ConfusionMatrixPlot}.
 *
 * <p>Both take plain arrays, not runtime types, so this module depends on nothing of nnet and the
 * runtime stays free of dependencies; the charts are drawn with
 * <a href="https://knowm.org/open-source/xchart/">XChart</a>.
 *
 * <p><b>No display needed.</b> Before this package first touches AWT it sets the system property
 * {@code java.awt.headless} to {@code true}, unless the application has set it either way. That
 * only works if nothing in the JVM has used AWT before; an application that does so on a machine
 * without a display should start the JVM with {@code -Djava.awt.headless=true}.
 *
 * <p><b>Files are replaced atomically</b>: a PNG is encoded into a temporary file in the target's
 * directory and renamed over the target, so a reader (a CI artifact upload, a browser refreshing
 * the file) never sees a half-written image.
 *
 * <p>Bad input — series of different lengths, a series that is NaN throughout, a confusion matrix
 * that is not square — is rejected with an {@link java.lang.IllegalArgumentException} saying what
 * is wrong, before any file is touched.
 */
package dev.nnet.plots;
