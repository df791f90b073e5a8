package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.array.Window2d;
import dev.nabla.autograd.Tensor;

/**
 * 2-d convolution and pooling of images [N, C, H, W], as PyTorch's {@code F.conv2d},
 * {@code F.max_pool2d} and {@code F.avg_pool2d}, on differentiable primitives: convolution is one
 * ({@link Tensor#conv2d}, computed image by image as im2col and a GEMM, its gradients those of a
 * matrix product with {@link Tensor#unfold}'s columns); max pooling is {@link Tensor#take} at the
 * positions of the windows' maxima; average pooling a sum over unfold's columns. So their gradients,
 * and gradients of those to any order, come from autograd. The window's
 * geometry is a {@link Window2d}; where these functions take {@code int[]} arguments, each is one
 * value for both axes or two (height, width), as PyTorch's int-or-tuple arguments.
 *
 * <p>The output size along each axis is ⌊(H + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
 * (PyTorch's {@code ceil_mode=False}). Groups and pooling with dilation or ceil mode are not supported.
 */
public final class Convolutions {
    private Convolutions() {}

    private static final int[] ONE = {1}, ZERO = {0};

    // ================================================================ convolution

    /** conv2d with stride 1, no padding and no dilation. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) { return conv2d(input, weight, bias, ONE, ZERO, ONE); }

    /** conv2d with the same stride and padding along both axes, no dilation. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride}, new int[] {padding}, ONE);
    }

    /**
     * The cross-correlation that deep learning calls convolution (PyTorch's {@code F.conv2d}, groups 1):
     * out[n, o, y, x] = b[o] + Σ_{c, i, j} w[o, c, i, j] · in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw],
     * with zeros outside the input. Shapes: input [N, C, H, W], weight [O, C, kh, kw], bias [O] or
     * null; the result is [N, O, oh, ow]. One primitive ({@link Tensor#conv2d}) whose values and gradients
     * are those of W [O, C·kh·kw] @ unfold(input) [N, C·kh·kw, oh·ow] plus the bias.
     * Dtypes are promoted; nothing is modified.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        requireImages("conv2d", input);
        if (weight.rank() != 4)
            throw new IllegalArgumentException("conv2d: weight " + Shapes.str(weight.shape()) + " must be 4-D [out_channels, in_channels, kh, kw]");
        Window2d window = Window2d.of("conv2d", new int[] {weight.size(2), weight.size(3)}, stride, padding, dilation);
        return conv2d("conv2d", input, weight, bias, window);
    }

    /** conv2d with the window given (its kernel size must be the weight's); op names the caller in errors. */
    static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, Window2d window) { return conv2d(op, input, weight, bias, window, false); }

    /** conv2d followed by a ReLU, as one primitive ({@link Tensor#conv2dRelu}) when relu. */
    static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, Window2d window, boolean relu) {
        requireImages(op, input);
        int[] ws = weight.shape();
        if (input.size(1) != ws[1])
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " expects " + ws[1] + " input channels, but input "
                + Shapes.str(input.shape()) + " has " + input.size(1));
        int out = ws[0];
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out))
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(bias.shape()) + " does not fit weight " + Shapes.str(ws)
                + "; expected [" + out + "]");
        window.outputSize(op, input.shape());   // checks that the window fits
        DType t = DType.promote(input.dtype(), weight.dtype());
        if (bias != null) t = DType.promote(t, bias.dtype());
        Tensor x = input.to(t), w = weight.to(t), b = bias == null ? null : bias.to(t);
        return relu ? x.conv2dRelu(w, b, window) : x.conv2d(w, b, window);
    }

    // ================================================================ pooling

    /** maxPool2d with a square kernel, stride equal to the kernel, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) { return maxPool2d(input, new int[] {kernelSize}, null, ZERO); }

    /** maxPool2d with the same kernel size, stride and padding along both axes. */
    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding});
    }

    /**
     * The largest value of each window, per channel (PyTorch's {@code F.max_pool2d}): input
     * [N, C, H, W] to [N, C, oh, ow]. stride null means the kernel size. Padding, at most half the
     * kernel size, counts as −∞: it never wins. The gradient goes to the maximal entries of each
     * window; where several entries tie for the maximum it all goes to the first of them (row by
     * row), and a window holding a NaN gives NaN (its gradient to the last NaN), as in PyTorch. Computed
     * as {@link Tensor#take} of the positions of the maxima ({@link NdArray#maxPoolPositions}), so
     * gradients of any order are those of take, which is linear.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding) {
        Window2d window = poolWindow("maxPool2d", input, kernelSize, stride, padding);
        return maxPool2d("maxPool2d", input, window);
    }

    static Tensor maxPool2d(String op, Tensor input, Window2d window) {
        int[] o = window.outputSize(op, input.shape());
        int[] positions = input.data().maxPoolPositions(window);
        return input.take(positions, input.size(0), input.size(1), o[0], o[1]);
    }

    /** avgPool2d with a square kernel, stride equal to the kernel, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) { return avgPool2d(input, new int[] {kernelSize}, null, ZERO, true); }

    /** avgPool2d with the same kernel size, stride and padding along both axes, padding counted. */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return avgPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, true);
    }

    /**
     * The mean of each window, per channel (PyTorch's {@code F.avg_pool2d}): input [N, C, H, W] to
     * [N, C, oh, ow]. stride null means the kernel size; padding is at most half the kernel size and
     * holds zeros. With countIncludePad (PyTorch's default) every window's sum is divided by kh·kw;
     * without, by the number of its entries inside the input. ∂in = g spread evenly over each window
     * (fold of g divided by the same counts).
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        Window2d window = poolWindow("avgPool2d", input, kernelSize, stride, padding);
        return avgPool2d("avgPool2d", input, window, countIncludePad);
    }

    static Tensor avgPool2d(String op, Tensor input, Window2d window, boolean countIncludePad) {
        int[] o = window.outputSize(op, input.shape());
        int[] s = input.shape();
        Tensor sums = planes(input).unfold(window).sum(1);                      // [N·C, L]
        Tensor mean;
        if (countIncludePad || (window.ph() == 0 && window.pw() == 0)) {
            mean = sums.div(window.kh() * window.kw());
        } else {   // each window's count of entries inside the input: unfold of ones, summed
            NdArray counts = NdArray.ones(input.dtype(), 1, 1, s[2], s[3]).unfold(window).sum(false, 1);   // [1, L]
            mean = sums.div(Tensor.of(counts));
        }
        return mean.reshape(s[0], s[1], o[0], o[1]);
    }

    /** A pooling window from int-or-pair arguments, checked: a 4-D input, padding at most half the kernel. */
    static Window2d poolWindow(String op, Tensor input, int[] kernelSize, int[] stride, int[] padding) {
        requireImages(op, input);
        Window2d w = Window2d.of(op, kernelSize, stride, padding, ONE);
        checkPoolPadding(op, w);
        return w;
    }

    /** PyTorch's rule: pooling padding at most half the kernel size, so that every window holds an input entry. */
    static void checkPoolPadding(String op, Window2d w) {
        if (w.ph() > w.kh() / 2 || w.pw() > w.kw() / 2)
            throw new IllegalArgumentException(op + ": padding (" + w.ph() + ", " + w.pw() + ") must be at most half the kernel size ("
                + w.kh() + ", " + w.kw() + ")");
    }

    /** [N, C, H, W] as [N·C, 1, H, W]: pooling treats every channel of every image alike. */
    private static Tensor planes(Tensor input) {
        int[] s = input.shape();
        return input.reshape(s[0] * s[1], 1, s[2], s[3]);
    }

    static void requireImages(String op, Tensor input) {
        if (input.rank() != 4)
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " must be 4-D [N, C, H, W]");
    }
}
