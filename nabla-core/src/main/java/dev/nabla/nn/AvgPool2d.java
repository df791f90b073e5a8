package dev.nabla.nn;

import dev.nabla.array.Window2d;
import dev.nabla.autograd.Tensor;

/**
 * 2-d average pooling (PyTorch's {@code nn.AvgPool2d}): the mean of each window, per channel, by
 * {@link Convolutions#avgPool2d}: [N, C, H, W] to [N, C, oh, ow]. The stride defaults to the kernel
 * size; padding (at most half the kernel size) holds zeros, which count in the mean unless
 * countIncludePad is false.
 */
public final class AvgPool2d extends Module {
    private final Window2d window;
    /** How errors name this module: as it prints. */
    private final String name;
    private final boolean countIncludePad;

    /** A square kernel with stride equal to it, no padding. */
    public AvgPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}, true); }

    /** The same kernel size, stride and padding along both axes; padding counts in the mean. */
    public AvgPool2d(int kernelSize, int stride, int padding) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, true); }

    /** Kernel size, stride (null: the kernel size) and padding, each one value (both axes) or two (height, width). */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        window = Window2d.of("AvgPool2d", kernelSize, stride, padding, new int[] {1});
        Convolutions.checkPoolPadding("AvgPool2d", window);
        this.countIncludePad = countIncludePad;
        name = kind() + "(" + extraRepr() + ")";
    }

    /** The kernel size, stride and padding (dilation 1). */
    public Window2d window() { return window; }

    public boolean countIncludePad() { return countIncludePad; }

    @Override
    public Tensor forward(Tensor x) { return Convolutions.avgPool2d(name, x, window, countIncludePad); }

    @Override
    protected String extraRepr() { return poolRepr(window) + (countIncludePad ? "" : ", count_include_pad=False"); }

    /** {@code kernel_size=2, stride=2, padding=0} as PyTorch prints it, a pair where the axes differ. */
    static String poolRepr(Window2d w) {
        return "kernel_size=" + value(w.kh(), w.kw()) + ", stride=" + value(w.sh(), w.sw()) + ", padding=" + value(w.ph(), w.pw());
    }

    private static String value(int a, int b) { return a == b ? String.valueOf(a) : "(" + a + ", " + b + ")"; }
}
