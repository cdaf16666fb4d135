/**
 * Data preparation beyond the runtime's own: CSV tables and their transforms ({@code tabular}),
 * audio features ({@code audio}), geospatial interpolation, projection and PCA ({@code geo}), and
 * sensor signal cleaning and features ({@code sensor}). Every transform that learns something from
 * data is fitted on training data by a static {@code fit} and then applied unchanged, so nothing
 * leaks from validation or test data.
 */
package dev.nnet.prep;
