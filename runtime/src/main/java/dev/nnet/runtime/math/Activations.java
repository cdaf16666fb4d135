package dev.nnet.runtime.math;

/**
 * The activation functions whose formulas are too long to inline in generated code, with their
 * derivatives. Everything in double; the float classes cast the result.
 */
public final class Activations {
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  private static final double TANH_SCALE = Math.sqrt(2 / Math.PI);

  private Activations() {}

  /** GELU, exact: {@code x·Φ(x)} with Φ the standard normal distribution (Hendrycks & Gimpel 2016). */
  public static double gelu(double x) {
    return x * 0.5 * (1 + erf(x * SQRT_HALF));
  }

  /** d gelu / dx = Φ(x) + x·φ(x). */
  public static double geluDerivative(double x) {
    return 0.5 * (1 + erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** GELU, tanh approximation: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
  public static double geluTanh(double x) {
    return 0.5 * x * (1 + Math.tanh(TANH_SCALE * (x + 0.044715 * x * x * x)));
  }

  /** The exact derivative of {@link #geluTanh}. */
  public static double geluTanhDerivative(double x) {
    double inner = TANH_SCALE * (x + 0.044715 * x * x * x);
    double t = Math.tanh(inner);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * TANH_SCALE * (1 + 3 * 0.044715 * x * x);
  }

  /** Swish / SiLU: {@code x·σ(x)} (Ramachandran et al. 2017). */
  public static double swish(double x) {
    return x / (1 + Math.exp(-x));
  }

  /** d swish / dx = σ(x)·(1 + x·(1 − σ(x))). */
  public static double swishDerivative(double x) {
    double s = 1 / (1 + Math.exp(-x));
    return s * (1 + x * (1 - s));
  }

  /**
   * The error function, to about 1e-15: its Maclaurin series below |x| = 2.5, and above it the
   * continued fraction of erfc (modified Lentz), both of which converge fast there.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    double value;
    if (a < 2.5) {
      // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
      double term = a;
      double sum = a;
      double square = a * a;
      for (int n = 1; n < 200; n++) {
        term *= -square / n;
        double next = term / (2 * n + 1);
        sum += next;
        if (Math.abs(next) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      value = 2 / Math.sqrt(Math.PI) * sum;
    } else if (a > 6) {
      value = 1; // erfc(6) < 3e-17
    } else {
      value = 1 - erfcContinuedFraction(a);
    }
    return x < 0 ? -value : value;
  }

  // erfc x = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), for x > 0.
  private static double erfcContinuedFraction(double x) {
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double an = n * 0.5;
      d = x + an * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
