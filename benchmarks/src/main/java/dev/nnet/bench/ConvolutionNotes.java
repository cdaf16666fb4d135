package dev.nnet.bench;

/**
 * The section of {@code docs/performance.md} on W4: how its FLOPs are counted and why the
 * convolution kernels are generated the way they are. Fixed text: the figures are in the table.
 */
final class ConvolutionNotes {

  private ConvolutionNotes() {}

  static void append(StringBuilder md) {
    md.append("## W4: the convolution kernels\n\n");
    md.append("W4's FLOPs: 2 · (26·26·8·9 + 11·11·16·72 + 400·64 + 64·10) = 428,608 per sample forward,"
        + " a training step 3 × that (the pools, the patch copies and the activations are not counted)."
        + " Both sides train the same network on the same data: Glorot-uniform weights, zero biases,"
        + " Adam 1e-3, batch 32, a new shuffle each epoch; nnet reads the digit as a channels-last"
        + " [28, 28, 1] image, PyTorch as 1×28×28.\n\n");
    md.append("How nnet computes a convolution (`SpatialCode`, `VectorConvolutionKernel` in"
        + " `processor/.../codegen`):\n\n");
    md.append("* **im2col, then a register-blocked product.** Each output position's input patch"
        + " (kernel rows × kernel columns × channels, contiguous because images are channels-last) is"
        + " copied to a row of a patch matrix, by straight-line assignments for small kernels (a 3×3"
        + " kernel over one channel is nine assignments per position) and `System.arraycopy` of whole"
        + " kernel rows otherwise. The kernel, flattened to [patch, filters], then multiplies it in"
        + " Vector API code that keeps up to 8 rows × 1–4 vectors of accumulators in registers and"
        + " streams the patch through broadcast-`fma`; filters are the vector axis. The copies cost"
        + " a few percent of a training step (profiled: the first convolution's copy took 43 of"
        + " about 1,700 samples).\n");
    md.append("* **Backward:** the kernel gradient keeps a block of patch values × filter vectors in"
        + " registers over all the batch's rows; the patch gradient multiplies by a transposed copy of"
        + " the kernel (made once per batch), because reducing a vector's lanes for every patch value"
        + " (as the dense kernel's input gradient does) took more time than all the products together"
        + " in the W4 profile; col2im then adds the patch gradients back to the input positions.\n");
    md.append("* **Eight filters on 16-float vectors.** With AVX-512, W4's first convolution (8"
        + " filters) would leave half of each vector empty, and it fell to scalar loops at first. Two"
        + " rows now share a vector: the kernel row is duplicated into both halves, and the input is"
        + " two broadcasts joined by `blend` with a constant mask (no allocation on JDK 17).\n");
    md.append("* **One vector species.** The convolution kernels first used 256-bit vectors (8"
        + " filters would fill them); with the dense kernels on the preferred 512-bit species in the"
        + " same JVM, C2 stopped intrinsifying the vector operations of both, and every operation"
        + " allocated (132 MB per W4 training step, 3,000 samples/s). Measured in a standalone test:"
        + " one species alone, 0 bytes; two species in two methods, 496 bytes per row. All kernels now"
        + " use the preferred species.\n");
    md.append("* **Max pools** without padding search each window on vectors of channels (two"
        + " neighbouring positions per vector when the channels fill half of one, as W4's first pool),"
        + " and record which window value held each maximum (`compare` + `blend` into a vector of"
        + " window indices) for the backward pass; in the W4 profile the scalar pools had been the"
        + " largest single item. Average, padded and global pools are scalar loops with constant"
        + " bounds.\n");
    md.append("* **Direct convolution, measured (issue #6).** `DirectConvolutionProbe` (in `benchmarks`) runs"
        + " hand-written direct Vector API kernels, in the form a generator would emit, interleaved"
        + " in one JVM with the generated im2col code (patch copy, `Simd` kernels, col2im, called"
        + " through method handles), batch 32, and first checks that both give the same outputs and"
        + " gradients. Direct forward: the taps unrolled, each a broadcast input value times a vector"
        + " of filters; the first convolution keeps its nine kernel rows (duplicated to fill 16"
        + " floats) in registers with two output positions per vector, the second keeps a whole"
        + " output row (11 positions × 16 filters) in registers and streams the 72 kernel values."
        + " Direct input gradient: two neighbouring positions' kernel rows cover 32 contiguous input"
        + " values, so each pair adds two vectors per kernel row from four shifted copies of the"
        + " transposed kernel: no patch gradient, no col2im, no scalar tail. Median µs per batch of"
        + " 32 over 41 rounds, in a quiet moment of the shared 2-core machine (load about 4: medians"
        + " within 5 % of the minima) and, in brackets, an earlier run at load about 7:\n\n");
    md.append("  | shape | pass | im2col | direct |\n");
    md.append("  |---|---|---:|---:|\n");
    md.append("  | 28×28×1 → 26×26×8 | forward (with the patch copy) | 158 (215) | 93 (131) |\n");
    md.append("  | 28×28×1 → 26×26×8 | kernel + bias gradient | 115 (159) | 111 (165) |\n");
    md.append("  | 13×13×8 → 11×11×16 | forward (with the patch copy) | 162 (239) | 111 (152) |\n");
    md.append("  | 13×13×8 → 11×11×16 | kernel + bias gradient | 122 (177) | 116 (154) |\n");
    md.append("  | 13×13×8 → 11×11×16 | input gradient (with col2im), probe's direct | 460 (622) | 157 (299) |\n");
    md.append("  | 13×13×8 → 11×11×16 | input gradient, the generator's direct | 460 (600) | 218 (199) |\n\n");
    md.append("  Direct wins both forwards (1.5–1.7×) and the input gradient (2.1–2.9×); the kernel"
        + " gradients are even. W4 training, 1 thread, `Harness --workloads w4 --runs 3`, the"
        + " im2col-only and the new generator's classes alternating in the same quiet window:"
        + " 21,103 / 20,084 / 21,564 samples/s before, 25,396 / 25,573 / 24,863 after (+20 %). The generator now takes the direct input"
        + " gradient wherever it applies (`DirectConvolutionKernel`: stride 1, no padding or dilation,"
        + " a kernel row plus one shift of the channels filling whole 16-float vectors; other vector"
        + " widths keep im2col), since it needs nothing else changed. The direct forward is not"
        + " generated yet: training keeps the patch matrix until the kernel gradient is direct too,"
        + " and the forwards' gain is about 0.12 ms of a 1.3–1.5 ms training step of 32 (quiet machine).\n");
    md.append("* **Not built yet:** the direct forward and kernel gradient in the generator (measured"
        + " above);"
        + " a vectorised patch gradient for patch widths that leave a"
        + " remainder of less than a vector (72 = 4 · 16 + 8 in W4's second convolution: those 8"
        + " columns run in scalar loops).\n\n");
  }
}
