package dev.nabla.array;

import dev.nabla.kernels.Gemm;
import dev.nabla.kernels.Im2col;
import dev.nabla.parallel.Parallel;

/**
 * 2-d convolution on arrays, behind {@link NdArray#conv2d} and {@link NdArray#conv2dBackward}: image
 * by image, the image's columns (im2col, [C·kh·kw, L]) go into one scratch buffer per task and a GEMM
 * writes the image's output [O, L] in place, so no [N, C·kh·kw, L] array is built, and the backward
 * pass sums the weight gradient over images inside the GEMM (beta 1) rather than through a
 * [N, O, C·kh·kw] array. Images are split among the threads ({@link Parallel}); each GEMM then runs on
 * its task's thread. A single image runs on the calling thread, where its GEMMs use the pool. The
 * column buffer is the thread's {@link Scratch}, kept from call to call.
 */
final class Convolution {
    private Convolution() {}

    /** x.conv2d(weight, bias, window), or with relu x.conv2dRelu(...), as documented on {@link NdArray#conv2d}. */
    static NdArray forward(NdArray x, NdArray weight, NdArray bias, Window2d window, boolean relu) {
        Shape s = check(relu ? "conv2dRelu" : "conv2d", x, weight, bias, window);
        NdArray in = dense(x), w = dense(weight), b = bias == null ? null : dense(bias);
        NdArray out = NdArray.empty(x.dtype, s.n, s.out, s.oh, s.ow);   // every element is written
        int ckk = s.ckk, l = s.l, o = s.out, plane = s.c * s.h * s.w;
        Parallel.forRange(s.n, 1, 1, (from, to) -> {
            if (in.f != null) {
                float[] cols = Scratch.floats(ckk * l);
                for (int n = from; n < to; n++) {
                    Im2col.im2col(s.geometry, 1, in.f, in.offset + n * plane, 0f, cols, 0);
                    Gemm.gemm(false, false, o, l, ckk, w.f, w.offset, ckk, cols, 0, l, 0f, out.f, n * o * l, l);
                    // the bias and the ReLU in one pass over the image's output, while it is in cache
                    if (b != null || relu)
                        for (int c = 0; c < o; c++) {
                            float v = b == null ? 0f : b.f[b.offset + c];
                            for (int q = (n * o + c) * l, e = q + l; q < e; q++) out.f[q] = relu ? Math.max(out.f[q] + v, 0f) : out.f[q] + v;
                        }
                }
            } else {
                double[] cols = Scratch.doubles(ckk * l);
                for (int n = from; n < to; n++) {
                    Im2col.im2col(s.geometry, 1, in.d, in.offset + n * plane, 0.0, cols, 0);
                    Gemm.gemm(false, false, o, l, ckk, w.d, w.offset, ckk, cols, 0, l, 0.0, out.d, n * o * l, l);
                    // the bias and the ReLU in one pass over the image's output, while it is in cache
                    if (b != null || relu)
                        for (int c = 0; c < o; c++) {
                            double v = b == null ? 0.0 : b.d[b.offset + c];
                            for (int q = (n * o + c) * l, e = q + l; q < e; q++) out.d[q] = relu ? Math.max(out.d[q] + v, 0.0) : out.d[q] + v;
                        }
                }
            }
        });
        return out;
    }

    /** NdArray.conv2dBackward(x, weight, g, window, inputGrad, weightGrad), as documented there. */
    static NdArray[] backward(NdArray x, NdArray weight, NdArray g, Window2d window, boolean inputGrad, boolean weightGrad) {
        Shape s = check("conv2dBackward", x, weight, null, window);
        if (!java.util.Arrays.equals(g.shape, new int[] {s.n, s.out, s.oh, s.ow}))
            throw new IllegalArgumentException("conv2dBackward: gradient " + Shapes.str(g.shape) + " does not match the output ["
                + s.n + ", " + s.out + ", " + s.oh + ", " + s.ow + "] of input " + Shapes.str(x.shape) + " and weight " + Shapes.str(weight.shape));
        if (g.dtype != x.dtype)
            throw new IllegalArgumentException("conv2dBackward: gradient is " + g.dtype + ", input is " + x.dtype);
        NdArray in = dense(x), w = dense(weight), gd = dense(g);
        int ckk = s.ckk, l = s.l, o = s.out, plane = s.c * s.h * s.w;
        NdArray dx = inputGrad ? NdArray.zeros(x.dtype, x.shape) : null;   // col2im adds into it
        int tasks = weightGrad ? Math.min(s.n, Parallel.threads()) : s.n;
        // the weight gradient: one partial sum per task (at most one per thread), added up at the end
        NdArray[] partial = new NdArray[tasks];
        Parallel.forEach(tasks, t -> {
            int from = (int) ((long) s.n * t / tasks), to = (int) ((long) s.n * (t + 1) / tasks);
            if (from == to) return;
            NdArray dw = weightGrad ? NdArray.zeros(x.dtype, o, ckk) : null;
            if (in.f != null) {
                float[] cols = Scratch.floats(ckk * l);
                for (int n = from; n < to; n++) {
                    int gOff = gd.offset + n * o * l;
                    if (weightGrad) {
                        Im2col.im2col(s.geometry, 1, in.f, in.offset + n * plane, 0f, cols, 0);
                        Gemm.gemm(false, true, o, ckk, l, gd.f, gOff, l, cols, 0, l, 1f, dw.f, 0, ckk);
                    }
                    if (inputGrad) {
                        Gemm.gemm(true, false, ckk, l, o, w.f, w.offset, ckk, gd.f, gOff, l, 0f, cols, 0, l);
                        Im2col.col2im(s.geometry, 1, cols, 0, dx.f, n * plane);
                    }
                }
            } else {
                double[] cols = Scratch.doubles(ckk * l);
                for (int n = from; n < to; n++) {
                    int gOff = gd.offset + n * o * l;
                    if (weightGrad) {
                        Im2col.im2col(s.geometry, 1, in.d, in.offset + n * plane, 0.0, cols, 0);
                        Gemm.gemm(false, true, o, ckk, l, gd.d, gOff, l, cols, 0, l, 1.0, dw.d, 0, ckk);
                    }
                    if (inputGrad) {
                        Gemm.gemm(true, false, ckk, l, o, w.d, w.offset, ckk, gd.d, gOff, l, 0.0, cols, 0, l);
                        Im2col.col2im(s.geometry, 1, cols, 0, dx.d, n * plane);
                    }
                }
            }
            partial[t] = dw;
        });
        NdArray dw = null;
        if (weightGrad) {
            for (NdArray p : partial)
                if (p != null) dw = dw == null ? p : dw.addInPlace(p);
            if (dw == null) dw = NdArray.zeros(x.dtype, o, ckk);   // no images
            dw = dw.reshape(weight.shape);
        }
        return new NdArray[] {dx, dw};
    }

    /** The sizes of one convolution, checked. */
    private record Shape(int n, int c, int h, int w, int out, int oh, int ow, int ckk, int l, Im2col.Geometry geometry) {}

    private static Shape check(String op, NdArray x, NdArray weight, NdArray bias, Window2d window) {
        if (x.rank() != 4)
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " must be 4-D [N, C, H, W]");
        int[] ws = weight.shape;
        if (ws.length != 4 || ws[2] != window.kh() || ws[3] != window.kw())
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " must be [out_channels, in_channels, "
                + window.kh() + ", " + window.kw() + "] for " + window);
        if (ws[1] != x.shape[1])
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " expects " + ws[1] + " input channels, but input "
                + Shapes.str(x.shape) + " has " + x.shape[1]);
        if (weight.dtype != x.dtype || bias != null && bias.dtype != x.dtype)
            throw new IllegalArgumentException(op + ": input, weight and bias must have one dtype; got " + x.dtype + ", " + weight.dtype
                + (bias == null ? "" : ", " + bias.dtype));
        if (bias != null && (bias.rank() != 1 || bias.shape[0] != ws[0]))
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(bias.shape) + " does not fit weight " + Shapes.str(ws)
                + "; expected [" + ws[0] + "]");
        int[] o = window.outputSize(op, x.shape);
        long ckk = (long) ws[1] * ws[2] * ws[3], l = (long) o[0] * o[1];
        if (ckk * l > Integer.MAX_VALUE || (long) x.shape[0] * ws[0] * l > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " with weight " + Shapes.str(ws) + " is too large");
        return new Shape(x.shape[0], x.shape[1], x.shape[2], x.shape[3], ws[0], o[0], o[1], (int) ckk, (int) l,
            window.geometry(x.shape[1], x.shape[2], x.shape[3]));
    }

    /** The array itself when dense and row-major (it may start at an offset), else a dense copy. */
    private static NdArray dense(NdArray a) { return a.isContiguous() ? a : a.copy(); }
}
