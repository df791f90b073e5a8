package dev.nabla.array;

import dev.nabla.kernels.Im2col;

/**
 * The sliding window of a 2-d convolution or pooling over [N, C, H, W] images, with PyTorch's
 * parameters: kernel size (kh, kw), stride (sh, sw), zero padding (ph, pw) on both sides, and
 * dilation (dh, dw), the step between the kernel's taps. Along the height the window at output row
 * oy reads input rows oy·sh − ph + i·dh for i = 0..kh−1, and there are
 * oh = ⌊(H + 2ph − dh(kh − 1) − 1) / sh⌋ + 1 output rows; likewise along the width.
 *
 * <pre>{@code
 * Window2d w = Window2d.kernel(3).stride(2).padding(1);   // kernel_size=3, stride=2, padding=1, dilation=1
 * }</pre>
 *
 * Kernel, stride and dilation must be positive and padding not negative.
 */
public record Window2d(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {

    public Window2d {
        check("Window2d", kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** A square kernel k × k with stride 1, no padding, no dilation. */
    public static Window2d kernel(int k) { return kernel(k, k); }

    /** A kernel kh × kw with stride 1, no padding, no dilation. */
    public static Window2d kernel(int kh, int kw) { return new Window2d(kh, kw, 1, 1, 0, 0, 1, 1); }

    public Window2d stride(int s) { return stride(s, s); }
    public Window2d stride(int sh, int sw) { return new Window2d(kh, kw, sh, sw, ph, pw, dh, dw); }
    public Window2d padding(int p) { return padding(p, p); }
    public Window2d padding(int ph, int pw) { return new Window2d(kh, kw, sh, sw, ph, pw, dh, dw); }
    public Window2d dilation(int d) { return dilation(d, d); }
    public Window2d dilation(int dh, int dw) { return new Window2d(kh, kw, sh, sw, ph, pw, dh, dw); }

    /**
     * A window from PyTorch-style arguments, each one value (for both axes) or two (height, width):
     * {@code of("conv2d", new int[] {3}, new int[] {1, 2}, new int[] {1}, new int[] {1})}. A null stride
     * means the kernel size (pooling's default). Errors name op.
     */
    public static Window2d of(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int[] k = pair(op, "kernel size", kernel), s = stride == null ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding), d = pair(op, "dilation", dilation);
        check(op, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
        return new Window2d(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    private static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length < 1 || v.length > 2)
            throw new IllegalArgumentException(op + ": " + what + " " + (v == null ? "null" : Shapes.str(v))
                + " must have one value (both axes) or two (height, width)");
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    private static void check(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        if (kh <= 0 || kw <= 0) throw new IllegalArgumentException(op + ": kernel size " + pair(kh, kw) + " must be positive");
        if (sh <= 0 || sw <= 0) throw new IllegalArgumentException(op + ": stride " + pair(sh, sw) + " must be positive");
        if (ph < 0 || pw < 0) throw new IllegalArgumentException(op + ": padding " + pair(ph, pw) + " must not be negative");
        if (dh <= 0 || dw <= 0) throw new IllegalArgumentException(op + ": dilation " + pair(dh, dw) + " must be positive");
    }

    /** Output rows for an input of the given height (≤ 0 when the window does not fit). */
    public int outHeight(int height) { return Im2col.outputSize(height, kh, sh, ph, dh); }

    /** Output columns for an input of the given width (≤ 0 when the window does not fit). */
    public int outWidth(int width) { return Im2col.outputSize(width, kw, sw, pw, dw); }

    /**
     * {oh, ow} for an input of shape [N, C, H, W], checked: the input must be 4-D and the window,
     * spanning dh(kh − 1) + 1 rows and dw(kw − 1) + 1 columns, must fit in the padded input. Errors name op.
     */
    public int[] outputSize(String op, int[] inputShape) {
        if (inputShape.length != 4)
            throw new IllegalArgumentException(op + ": input " + Shapes.str(inputShape) + " must be 4-D [N, C, H, W]");
        checkFits(op, "input " + Shapes.str(inputShape), inputShape[2], inputShape[3]);
        return new int[] {outHeight(inputShape[2]), outWidth(inputShape[3])};
    }

    /** Fails unless the window fits in an image of height × width padded by (ph, pw); what names the image in the message. */
    void checkFits(String op, String what, int height, int width) {
        if (outHeight(height) >= 1 && outWidth(width) >= 1) return;
        int eh = dh * (kh - 1) + 1, ew = dw * (kw - 1) + 1;
        String extent = dh == 1 && dw == 1 ? "kernel size " + pair(kh, kw)
            : "kernel size " + pair(kh, kw) + " with dilation " + pair(dh, dw) + ", spanning " + eh + " × " + ew + ",";
        throw new IllegalArgumentException(op + ": " + extent + " is larger than the " + what + " padded by " + pair(ph, pw)
            + " to " + (height + 2 * ph) + " × " + (width + 2 * pw));
    }

    /** The kernel's geometry over images of the given channels, height and width. */
    Im2col.Geometry geometry(int channels, int height, int width) {
        return new Im2col.Geometry(channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    static String pair(int a, int b) { return "(" + a + ", " + b + ")"; }

    /** As PyTorch prints it: {@code kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1)}. */
    @Override
    public String toString() {
        return "kernel_size=" + pair(kh, kw) + ", stride=" + pair(sh, sw) + ", padding=" + pair(ph, pw) + ", dilation=" + pair(dh, dw);
    }
}
