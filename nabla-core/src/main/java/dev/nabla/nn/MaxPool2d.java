package dev.nabla.nn;

import dev.nabla.array.Window2d;
import dev.nabla.autograd.Tensor;

/**
 * 2-d max pooling (PyTorch's {@code nn.MaxPool2d}): the largest value of each window, per channel,
 * by {@link Convolutions#maxPool2d}: [N, C, H, W] to [N, C, oh, ow]. The stride defaults to the kernel
 * size; padding (at most half the kernel size) never wins. On ties the gradient is split evenly among
 * the tied entries (PyTorch gives it to one of them).
 */
public final class MaxPool2d extends Module {
    private final Window2d window;
    /** How errors name this module: as it prints. */
    private final String name;

    /** A square kernel with stride equal to it, no padding. */
    public MaxPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}); }

    public MaxPool2d(int kernelSize, int stride, int padding) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}); }

    /** Kernel size, stride (null: the kernel size) and padding, each one value (both axes) or two (height, width). */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        window = Window2d.of("MaxPool2d", kernelSize, stride, padding, new int[] {1});
        Convolutions.checkPoolPadding("MaxPool2d", window);
        name = kind() + "(" + extraRepr() + ")";
    }

    /** The kernel size, stride and padding (dilation 1). */
    public Window2d window() { return window; }

    @Override
    public Tensor forward(Tensor x) { return Convolutions.maxPool2d(name, x, window); }

    @Override
    protected String extraRepr() { return AvgPool2d.poolRepr(window) + ", dilation=1, ceil_mode=False"; }
}
