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
    md.append("* **Not built yet:** a direct convolution (a loop nest over positions, kernel taps and"
        + " filters without the patch matrix), to measure against im2col per shape; data-parallel"
        + " training over the batch; a vectorised patch gradient for patch widths that leave a"
        + " remainder of less than a vector (72 = 4 · 16 + 8 in W4's second convolution: those 8"
        + " columns run in scalar loops).\n\n");
  }
}
