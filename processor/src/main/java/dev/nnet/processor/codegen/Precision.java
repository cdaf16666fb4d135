package dev.nnet.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.TypeName;

/**
 * The element type generated code computes in: float for the network users train, double for
 * the variant gradient checks run against.
 */
public enum Precision {
  FLOAT("float", "f", "", "(float) "),
  DOUBLE("double", "", "Double", "");

  private final String keyword;
  private final String literalSuffix;
  private final String classSuffix;
  private final String cast;

  Precision(String keyword, String literalSuffix, String classSuffix, String cast) {
    this.keyword = keyword;
    this.literalSuffix = literalSuffix;
    this.classSuffix = classSuffix;
    this.cast = cast;
  }

  public TypeName type() {
    return this == FLOAT ? TypeName.FLOAT : TypeName.DOUBLE;
  }

  public ArrayTypeName arrayType() {
    return ArrayTypeName.of(type());
  }

  /** {@code float} or {@code double}, for code templates. */
  public String keyword() {
    return keyword;
  }

  /** A literal of this type: {@code 0f} or {@code 0.0}. */
  public String literal(double value) {
    if (this == FLOAT) {
      float f = (float) value;
      return (f == Math.rint(f) && Math.abs(f) < 1e7 ? String.valueOf((long) f) : Float.toString(f)) + literalSuffix;
    }
    String text = Double.toString(value);
    return text;
  }

  /** Wraps a double-valued expression such as {@code Math.exp(v)} to this type. */
  public String fromDouble(String expression) {
    return cast + expression;
  }

  /** Appended to the network name for the generated class: {@code MnistMlpDouble}. */
  public String classSuffix() {
    return classSuffix;
  }
}
