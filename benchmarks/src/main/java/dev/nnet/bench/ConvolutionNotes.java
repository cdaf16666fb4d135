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
    md.append("* **Direct on 16-float vectors, where the shape allows it.** With AVX-512, the forward"
        + " and the kernel and bias gradients of a convolution without padding or dilation read the"
        + " image itself (`DirectConvolutionKernel`): with 8 filters over an even output width and at"
        + " most 16 values under the kernel (W4's first convolution), two neighbouring positions"
        + " share a vector, the kernel (each row duplicated into both halves) stays in registers and"
        + " each unrolled tap is one `fma` of a kernel vector and two broadcast input values joined"
        + " by `blend`; with 16 to 64 filters (W4's second, both of the wide mnist-cnn), a block of up"
        + " to 12 positions of an output row × the filter vectors is held in registers while the"
        + " kernel streams through, one broadcast input value × one vector of weights per tap. The"
        + " kernel gradient runs the same way round. Every other convolution, and every one on other"
        + " vector widths or without the Vector API, takes the im2col path below. Why: see"
        + " \"Direct convolution, measured\".\n");
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
        + " gradients are even. The generator therefore takes the direct forward wherever its rule"
        + " (`DirectConvolutionKernel.form`, above) allows, and with it the direct kernel gradient:"
        + " a direct forward writes no patch matrix for the im2col kernel gradient to read, and"
        + " recomputing the patches in the backward pass would spend again the copy the forward"
        + " saved. The input gradient is direct where its own rule allows (W4's second convolution),"
        + " else the patch gradient and col2im, which need no patches.\n\n");
    md.append("  `GeneratedConvolutionProbe` (in `benchmarks`) then times the generator's own methods,"
        + " both forms of each shape (a generated class carries both), checked equal first; median"
        + " µs per batch of 32 over 31 interleaved rounds, measured while other builds kept the"
        + " 2-core machine at load 12–14 (so absolute figures are high; the ratios are what counts),"
        + " im2col → direct:\n\n");
    md.append("  | shape | forward (im2col with the patch copy) | kernel + bias gradient |\n");
    md.append("  |---|---:|---:|\n");
    md.append("  | W4 28×28×1 → 26×26×8 | 408 → 210 | 312 → 259 |\n");
    md.append("  | W4 13×13×8 → 11×11×16 | 414 → 306 | 309 → 372 |\n");
    md.append("  | wide 28×28×1 → 26×26×32 | 607 → 358 | 1,129 → 955 |\n");
    md.append("  | wide 13×13×32 → 11×11×64 | 4,600 → 3,543 | 5,064 → 5,088 |\n\n");
    md.append("  The forwards gain 1.3–1.9× on every shape; the kernel gradients stay within the noise"
        + " of each other (an earlier run at load 16 had W4's second at 431 → 373). Whole training"
        + " steps, the im2col-only generator's class (the commit before) and the new one loaded in"
        + " one JVM and timed alternately (31 rounds of 100 steps, batch 32, load 13–15): W4 2,715 →"
        + " 2,258 µs per step (1.20×, new faster in 26 of 31 rounds); the wide mnist-cnn 27.9 → 26.5"
        + " ms (1.05×, 16 of 21 rounds). `Harness --workloads w4 --threads 1 --runs 2`, the two"
        + " builds' classes alternating in separate JVMs, three rounds each at load 15–20:"
        + " 7,000 / 8,105 / 7,260 → 8,592 / 8,038 / 8,503 samples/s in one session and"
        + " 5,591 / 8,073 / 10,375 → 8,346 / 9,211 / 12,645 in another (+17 % and +14 % by the medians; a first session, which our own builds overlapped, is left out).\n");
    md.append("* **Not built yet:** direct forms for 8-float vectors (AVX2) and for padded or dilated"
        + " convolutions (they keep im2col); a kernel-gradient blocking for many filters that reads"
        + " dy fewer times (64 filters: four vectors leave blocks of three kernel values); a"
        + " vectorised patch gradient for patch widths that leave a remainder of less than a vector.\n\n");
  }
}
