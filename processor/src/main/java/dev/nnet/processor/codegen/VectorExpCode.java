package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnet.processor.ir.Activation;
import java.util.EnumSet;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The {@code Simd} methods {@code sigmoid(a, from, to)} and {@code tanh(a, from, to)}: the
 * activation in place over a range of a float array, whole vectors with the exponential of
 * {@code dev.nnet.runtime.math.FloatExp} written out on vectors, the last values with
 * {@code FloatExp} itself.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: C2 compiles it to the JDK's vector math
 * library, the interpreter and C1 compute {@code Math.exp} lane by lane, and the two differ in
 * the last bit, so the same seed would train to other weights in a cold JVM or under
 * {@code -Xint}. FloatExp's steps are IEEE additions, multiplications, fused multiply-adds and bit operations,
 * exact by specification in every tier, and the vector code does them in the same order, so
 * vector lanes, the scalar tail and the scalar classes ({@code -Dnnet.vector=false}) agree bit
 * for bit. The exponential is written inside the loop, not as a method on vectors: C2 does not
 * always inline such a method into a large caller, and then boxes every vector.
 */
final class VectorExpCode {
  static final ClassName FLOAT_EXP = ClassName.get("dev.nnet.runtime.math", "FloatExp");
  private static final ClassName FLOAT_VECTOR = VectorDenseKernel.FLOAT_VECTOR;
  private static final ClassName INT_VECTOR = ClassName.get("jdk.incubator.vector", "IntVector");

  private VectorExpCode() {}

  /** The {@code Simd} method applying {@code kind} (sigmoid or tanh) in place. */
  static String methodName(Activation.Kind kind) {
    return switch (kind) {
      case SIGMOID -> "sigmoid";
      case TANH -> "tanh";
      default -> throw new IllegalArgumentException("no vector exponential activation for " + kind);
    };
  }

  /** Adds the methods the recurrent cells of {@code codes} call, each once. */
  static void addSimdMembers(TypeSpec.Builder simd, SequenceLayerCode[] codes) {
    Set<Activation.Kind> kinds = EnumSet.noneOf(Activation.Kind.class);
    for (SequenceLayerCode code : codes) {
      if (code instanceof RecurrentCode recurrent) {
        kinds.addAll(recurrent.vectorActivations());
      }
    }
    for (Activation.Kind kind : kinds) {
      simd.addMethod(inPlace(kind));
    }
  }

  private static MethodSpec inPlace(Activation.Kind kind) {
    boolean sigmoid = kind == Activation.Kind.SIGMOID;
    MethodSpec.Builder method = MethodSpec.methodBuilder(methodName(kind)).addModifiers(Modifier.STATIC)
        .addJavadoc(sigmoid ? "{@code a[i] = 1 / (1 + e^−a[i])}" : "{@code a[i] = 1 − 2 / (e^2a[i] + 1)}")
        .addJavadoc(" for {@code from ≤ i < to}: $T.$L on whole vectors, then on the\n"
            + "last values; the same bits in every JIT tier and in the interpreter.\n", FLOAT_EXP, methodName(kind))
        .addParameter(float[].class, "a").addParameter(int.class, "from").addParameter(int.class, "to")
        .addStatement("$T one = $T.broadcast(SPECIES, 1f)", FLOAT_VECTOR, FLOAT_VECTOR);
    if (!sigmoid) {
      method.addStatement("$T two = $T.broadcast(SPECIES, 2f)", FLOAT_VECTOR, FLOAT_VECTOR);
    }
    method.addComment("The exponential's constants: −ln 2 in two parts, the polynomial's coefficients.")
        .addStatement("$T minusLn2High = $T.broadcast(SPECIES, -$T.LN2_HIGH)", FLOAT_VECTOR, FLOAT_VECTOR, FLOAT_EXP)
        .addStatement("$T minusLn2Low = $T.broadcast(SPECIES, -$T.LN2_LOW)", FLOAT_VECTOR, FLOAT_VECTOR, FLOAT_EXP);
    for (int k = 0; k <= 5; k++) {
      method.addStatement("$T p$L = $T.broadcast(SPECIES, $T.P$L)", FLOAT_VECTOR, k, FLOAT_VECTOR, FLOAT_EXP, k);
    }
    method.addStatement("int i = from")
        .beginControlFlow("for (; i + LANES <= to; i += LANES)")
        .addStatement("$T x = $T.fromArray(SPECIES, a, i).$L", FLOAT_VECTOR, FLOAT_VECTOR,
            sigmoid ? "neg()" : "mul(two)");
    exp(method);
    if (sigmoid) {
      method.addStatement("one.div(e.add(one)).intoArray(a, i)");
    } else {
      method.addStatement("one.sub(two.div(e.add(one))).intoArray(a, i)");
    }
    return method.endControlFlow()
        .beginControlFlow("for (; i < to; i++)")
        .addStatement("a[i] = $T.$L(a[i])", FLOAT_EXP, methodName(kind))
        .endControlFlow()
        .build();
  }

  /** {@code FloatVector e = e^x}: {@code FloatExp.exp}, step for step. */
  private static void exp(MethodSpec.Builder method) {
    ClassName operators = VectorDenseKernel.VECTOR_OPERATORS;
    method.addComment("e = e^x as FloatExp.exp: n = round(x · log2 e), r = x − n · ln 2, e^r by its polynomial, · 2^n.")
        .addStatement("x = x.max($T.LOW).min($T.HIGH)", FLOAT_EXP, FLOAT_EXP)
        .addStatement("$T t = x.mul($T.LOG2E).add($T.ROUNDER)", FLOAT_VECTOR, FLOAT_EXP, FLOAT_EXP)
        .addStatement("$T n = t.sub($T.ROUNDER)", FLOAT_VECTOR, FLOAT_EXP)
        .addStatement("$T r = n.fma(minusLn2Low, n.fma(minusLn2High, x))", FLOAT_VECTOR)
        .addStatement("$T p = r.fma(p0, p1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5)", FLOAT_VECTOR)
        .addStatement("$T e = p.fma(r.mul(r), r).add(1f)", FLOAT_VECTOR)
        .addComment("2^n in two halves, each a float built from exponent bits, so that subnormal results round once.")
        .addStatement("$T exponent = t.reinterpretAsInts().sub($T.ROUNDER_BITS)", INT_VECTOR, FLOAT_EXP)
        .addStatement("$T half = exponent.lanewise($T.ASHR, 1)", INT_VECTOR, operators)
        .addStatement("e = e.mul(half.add(127).lanewise($T.LSHL, 23).reinterpretAsFloats())", operators)
        .addStatement("e = e.mul(exponent.sub(half).add(127).lanewise($T.LSHL, 23).reinterpretAsFloats())", operators);
  }
}
