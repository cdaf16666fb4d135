package dev.nnet.runtime.metrics;

import java.util.Arrays;

/**
 * Area under the ROC curve of a binary classifier, {@code auc}, computed exactly from the ranks
 * (the Mann–Whitney U statistic; Hanley &amp; McNeil 1982, "The meaning and use of the area under
 * a receiver operating characteristic (ROC) curve"): the probability that a random positive sample
 * scores higher than a random negative one, ties counting one half,
 *
 * <pre>
 *   AUC = U / (P·N),    U = Σ_{positive i} Σ_{negative j} ([s_i &gt; s_j] + ½·[s_i = s_j])
 *       = R₊ − P(P + 1)/2
 * </pre>
 *
 * <p>for P positive and N negative samples, scores s and R₊ the sum of the positives' ranks among
 * all scores, tied scores sharing their mean rank. This is scikit-learn's {@code roc_auc_score}
 * (the exact area under the ROC curve with ties as diagonal steps), not Keras' {@code AUC}, which
 * approximates the curve at 200 thresholds. It sorts copies of the scores: O(n log n) time and n
 * floats of scratch.
 *
 * <p>Scores and classes:
 *
 * <ul>
 *   <li>One output: the output is the score; the target is positive when &gt; 0.5.
 *   <li>Two outputs (softmax over [negative, positive]): the second output is the score; the
 *       target is a one-hot row or a class index as {@link Metric} describes.
 *   <li>More outputs: rejected; this is a binary metric.
 * </ul>
 *
 * <p>Undefined cases: with no positive or no negative sample there is nothing to rank, and the
 * result is 0.5 (chance); if a score is NaN (a diverged network) the result is NaN. Otherwise it
 * is in [0, 1]. Stateless; use {@link #INSTANCE}.
 */
public final class Auc implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "auc";

  /** The result when all samples are of one class. */
  public static final double ONE_CLASS = 0.5;

  public static final Auc INSTANCE = new Auc();

  private Auc() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    if (outputWidth > 2) {
      throw new IllegalArgumentException(
          NAME + " is binary: it needs 1 output (the score) or 2 (scored by the second), but got"
              + " outputWidth " + outputWidth);
    }
    int positives = 0;
    for (int n = 0; n < count; n++) {
      positives += Checks.actual(targets, n, outputWidth, targetWidth);
    }
    final int negatives = count - positives;
    final float[] positiveScores = new float[positives];
    final float[] negativeScores = new float[negatives];
    int p = 0;
    int q = 0;
    for (int n = 0; n < count; n++) {
      float score = outputs[n * outputWidth + outputWidth - 1];
      if (score != score) {
        return Double.NaN;
      }
      if (Checks.actual(targets, n, outputWidth, targetWidth) == 1) {
        positiveScores[p++] = score;
      } else {
        negativeScores[q++] = score;
      }
    }
    if (positives == 0 || negatives == 0) {
      return ONE_CLASS;
    }
    Arrays.sort(positiveScores);
    Arrays.sort(negativeScores);
    // Merge: for each positive score s (ascending), below = #negatives < s, upTo = #negatives <= s.
    // Both only grow. 2U is a whole number, so the sum is exact.
    long twiceU = 0;
    int below = 0;
    int upTo = 0;
    for (float s : positiveScores) {
      while (below < negatives && negativeScores[below] < s) {
        below++;
      }
      upTo = Math.max(upTo, below);
      while (upTo < negatives && negativeScores[upTo] <= s) {
        upTo++;
      }
      twiceU += 2L * below + (upTo - below);
    }
    return twiceU / (2.0 * positives * negatives);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
