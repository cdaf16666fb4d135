package dev.nnet.bench;

/**
 * The design of the generated recurrent code, for {@code docs/performance.md}: what W5 spends its
 * time on and why the code is shaped as it is. Measured figures stay in the tables above it.
 */
final class RecurrentNotes {
  private RecurrentNotes() {}

  static final String SECTION = """
      ## Recurrent layers

      How the generated code of `rnn`, `lstm` and `gru` (W5) is built, and why. Per training batch of
      B sequences of T steps, with G = gates × units (128 for W5's LSTM of 32 units):

      | work | how it is written | W5 share of the multiply-adds |
      |---|---|--:|
      | input projection x·W + b of all steps | **one** product of B·T rows (the dense kernels: Vector API, 4 rows × 4 vectors in registers) | 1 % (1 feature) |
      | recurrent product h·R per step | the dense kernel on B rows, all gates fused in one product of width G | 33 % |
      | cell (gates, state) per step | element-wise, vectorised: sigmoid and tanh in place over each gate row (`Simd.sigmoid`, `Simd.tanh`), with an exponential of IEEE additions, multiplications and bit operations (`FloatExp`) | — |
      | state gradient dh += dGates·Rᵀ per step | broadcast-`fma` over R transposed once per batch, 4 rows × 2 vectors in registers | 33 % |
      | weight gradients of W and R | **one** product each over all B·T rows (the dense kernels' weight gradient) | 33 % |

      * **Only the recurrence is sequential.** Everything that does not depend on the previous step
        — the input projection, and in the backward pass the weight gradients — is done for every
        step at once, as one matrix product with B·T rows: a product with 384 rows (W5) keeps the
        register-blocked kernel busy, where 24 products of 16 rows would not. Per step remain the
        B × units by units × G recurrent product and its transpose in the backward pass.
      * **Gates fused.** The four LSTM gates (three for GRU) are one product of width G, so each
        step makes one pass over R instead of four.
      * **The cell is vectorised.** Sigmoid and tanh need an exponential per value: 5 per LSTM unit
        and step. `Math.exp` costs about 30 ns per value here (measured, under load): with scalar
        exponentials the cell took 45 % of a W5 step (JFR profile), vectorised it is a small part.
        The exponential is Cephes's `expf` written on vectors (`dev.nnet.runtime.math.FloatExp`,
        within 1 ulp of `Math.exp`), not the Vector API's `lanewise(EXP)`: C2 compiles that to the
        JDK's SVML code, which differs from the interpreter's `Math.exp` in the last bit, so a
        recurrent run did not repeat bit for bit from a cold JVM. It costs W5 6 to 11 % more CPU
        time per training step (`computeGradients` + Adam, one thread, the two generated classes
        alternating in one JVM, two sessions); W5's training throughput in the harness stayed
        within noise (0.99×, three interleaved rounds on a quiet machine). tanh is written
        1 − 2 / (e^2v + 1), one exponential and exact at both ends.
      * **The state gradient is a product, not dot products.** dh[b, :] += dGates[b, t, :] · Rᵀ read
        as G dot products of length G per sample needs a lane reduction per value; with Rᵀ
        transposed once per batch it is a broadcast-`fma` kernel like the forward product. Measured
        on W5 (CPU time of `computeGradients` + Adam, one thread): scalar cell and reductions
        900 µs per batch of 16, vectorised cell and broadcast kernel 170 µs.
      * **Nothing allocated, nothing unrolled 24 times.** The time loop is a loop over the declared
        number of steps (a constant); every step's gates, states and cell values live in workspace
        buffers sized once, which the backward pass reads (`AllocationTest`, `MethodSizeTest` cover
        recurrent networks). The scalar code beside it serves JVMs without the Vector API.

      """;
}
