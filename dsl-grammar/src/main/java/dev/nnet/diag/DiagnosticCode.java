package dev.nnet.diag;

/**
 * The catalogue of every diagnostic nnet can report. Each id is stable: users search for it,
 * and {@code docs/errors.md} has a section per id with a bad example and the fix.
 */
public enum DiagnosticCode {
  // Reading and parsing (dsl-grammar).
  IO_ERROR("nnet/io", Severity.ERROR, "a .nnet file could not be read"),
  SYNTAX("nnet/syntax", Severity.ERROR, "the text does not follow the .nnet grammar"),
  NESTING_TOO_DEEP("nnet/nesting-too-deep", Severity.ERROR, "brackets nest deeper than the parser allows"),

  // Names (processor: resolve).
  DUPLICATE_NETWORK("nnet/duplicate-network", Severity.ERROR, "two networks share a name"),
  DUPLICATE_NAME("nnet/duplicate-name", Severity.ERROR, "a constant is declared twice, or shares its name with a tensor"),
  UNKNOWN_NAME("nnet/unknown-name", Severity.ERROR, "a tensor name is used but never declared"),
  UNKNOWN_LAYER("nnet/unknown-layer", Severity.ERROR, "a layer kind nnet does not know"),
  UNKNOWN_ARGUMENT("nnet/unknown-argument", Severity.ERROR, "a layer or setting is given an argument it does not take"),
  DUPLICATE_ARGUMENT("nnet/duplicate-argument", Severity.ERROR, "an argument is given twice"),
  MISSING_ARGUMENT("nnet/missing-argument", Severity.ERROR, "a required argument is missing"),
  INVALID_VALUE("nnet/invalid-value", Severity.ERROR, "an argument has the wrong kind of value or is out of range"),

  // Structure and shapes (processor: check).
  SHAPE_MISMATCH("nnet/shape-mismatch", Severity.ERROR, "a layer gets a tensor of a shape it cannot take"),
  MISSING_INPUT("nnet/missing-input", Severity.ERROR, "a network declares no input"),
  MISSING_OUTPUT("nnet/missing-output", Severity.ERROR, "a network declares no output"),
  UNSUPPORTED_GRAPH("nnet/unsupported-graph", Severity.ERROR, "the network's graph uses a form this version cannot compile"),
  MISSING_TRAIN("nnet/missing-train", Severity.ERROR, "a network has no train block or no loss"),
  UNKNOWN_SETTING("nnet/unknown-setting", Severity.ERROR, "a train block setting nnet does not know"),
  DUPLICATE_SETTING("nnet/duplicate-setting", Severity.ERROR, "a train block setting is given twice"),
  LOSS_MISMATCH("nnet/loss-mismatch", Severity.ERROR, "the loss does not fit the network's output"),
  UNUSED_TENSOR("nnet/unused-tensor", Severity.WARNING, "a tensor is computed but never used"),
  TEXT_INPUT("nnet/text-input", Severity.ERROR, "a string input is read by something other than text_vectorize, or text_vectorize reads something else"),
  GAN("nnet/gan", Severity.ERROR, "a one-line gan declaration names networks that do not make a GAN"),

  // Java declarations (processor: annotation).
  ANNOTATION("nnet/annotation", Severity.ERROR, "an @Network type is not declared the way the processor reads it"),

  // Everything else.
  INTERNAL("nnet/internal", Severity.ERROR, "a bug in nnet; please report it");

  private final String id;
  private final Severity severity;
  private final String summary;

  DiagnosticCode(String id, Severity severity, String summary) {
    this.id = id;
    this.severity = severity;
    this.summary = summary;
  }

  /** The stable id shown in brackets ({@code nnet/syntax}). */
  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  /** One line saying what this diagnostic is about, for the catalogue in the docs. */
  public String summary() {
    return summary;
  }
}
