package dev.nnet.processor.ir;

/**
 * Where a sliding window (a convolution kernel or a pooling window) reads a channels-last image
 * {@code [height, width, channels]}. A one-dimensional layer is the same with height 1.
 *
 * <p>Output sizes follow Keras. With {@code valid} padding the window stays inside the input:
 * {@code out = floor((in - span) / stride) + 1}, where {@code span = (kernel - 1) · dilation + 1};
 * values past the last whole window are not read. With {@code same} padding
 * {@code out = ceil(in / stride)} and zeros are added around the input, the smaller half before
 * ({@code padTop}, {@code padLeft}) and the larger after.
 */
public record Window(
    int inHeight,
    int inWidth,
    int channels,
    int kernelHeight,
    int kernelWidth,
    int strideHeight,
    int strideWidth,
    int dilationHeight,
    int dilationWidth,
    boolean same,
    int padTop,
    int padLeft,
    int outHeight,
    int outWidth) {

  /** The window for these options, or null when it does not fit (valid padding, kernel too large). */
  public static Window of(int inHeight, int inWidth, int channels, int kernelHeight, int kernelWidth,
      int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, boolean same) {
    long spanHeight = (long) (kernelHeight - 1) * dilationHeight + 1;
    long spanWidth = (long) (kernelWidth - 1) * dilationWidth + 1;
    int outHeight;
    int outWidth;
    int padTop = 0;
    int padLeft = 0;
    if (same) {
      outHeight = (inHeight + strideHeight - 1) / strideHeight;
      outWidth = (inWidth + strideWidth - 1) / strideWidth;
      padTop = (int) (Math.max((long) (outHeight - 1) * strideHeight + spanHeight - inHeight, 0) / 2);
      padLeft = (int) (Math.max((long) (outWidth - 1) * strideWidth + spanWidth - inWidth, 0) / 2);
    } else {
      if (spanHeight > inHeight || spanWidth > inWidth) {
        return null;
      }
      outHeight = (int) ((inHeight - spanHeight) / strideHeight + 1);
      outWidth = (int) ((inWidth - spanWidth) / strideWidth + 1);
    }
    return new Window(inHeight, inWidth, channels, kernelHeight, kernelWidth, strideHeight, strideWidth,
        dilationHeight, dilationWidth, same, padTop, padLeft, outHeight, outWidth);
  }

  /** Output positions per sample. */
  public int positions() {
    return outHeight * outWidth;
  }

  /** Input values one output position reads: the kernel's rows × columns × channels. */
  public int patch() {
    return kernelHeight * kernelWidth * channels;
  }

  /** Whether some window position reaches into the zero padding. */
  public boolean padded() {
    return rowStart(0) < 0 || columnStart(0) < 0
        || rowStart(outHeight - 1) + (kernelHeight - 1) * dilationHeight >= inHeight
        || columnStart(outWidth - 1) + (kernelWidth - 1) * dilationWidth >= inWidth;
  }

  /** The input row the window at output row {@code oy} starts at (negative inside the padding). */
  public int rowStart(int oy) {
    return oy * strideHeight - padTop;
  }

  public int columnStart(int ox) {
    return ox * strideWidth - padLeft;
  }

  /** {@code 3×3, strides 1×1, valid}: the options as a fingerprint and comments show them. */
  public String describe() {
    return kernelHeight + "x" + kernelWidth + " strides " + strideHeight + "x" + strideWidth + " dilation "
        + dilationHeight + "x" + dilationWidth + (same ? " same" : " valid");
  }
}
