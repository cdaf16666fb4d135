package dev.nnet.prep.tabular;

/** What a CSV column holds. */
public enum ColumnType {
  /** Numbers; a missing cell is NaN. */
  NUMBER,
  /** Category labels (text); a missing cell is null. */
  CATEGORY
}
