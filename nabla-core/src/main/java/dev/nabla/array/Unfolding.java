package dev.nabla.array;

import dev.nabla.kernels.Im2col;
import dev.nabla.kernels.Pooling;

/**
 * unfold (im2col) and its adjoint fold (col2im) behind {@link NdArray#unfold} and {@link NdArray#fold},
 * and max pooling's positions ({@link NdArray#maxPoolPositions}): checks the shapes and hands dense
 * storage to {@link Im2col} and {@link Pooling} (a strided input is copied first).
 */
final class Unfolding {
    private Unfolding() {}

    /** x.unfold(window, padValue), as documented on {@link NdArray#unfold(Window2d, double)}. */
    static NdArray unfold(NdArray x, Window2d window, double padValue) {
        int[] o = window.outputSize("unfold", x.shape);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        NdArray in = x.isContiguous() ? x : x.copy();
        NdArray out = NdArray.empty(x.dtype, n, c * window.kh() * window.kw(), o[0] * o[1]);   // every element is written
        Im2col.Geometry g = window.geometry(c, h, w);
        if (x.f != null) Im2col.im2col(g, n, in.f, in.offset, (float) padValue, out.f, out.offset);
        else Im2col.im2col(g, n, in.d, in.offset, padValue, out.d, out.offset);
        return out;
    }

    /** cols.fold(height, width, window), as documented on {@link NdArray#fold}. */
    static NdArray fold(NdArray cols, int height, int width, Window2d window) {
        int[] s = cols.shape;
        if (s.length != 3)
            throw new IllegalArgumentException("fold: input " + Shapes.str(s) + " must be 3-D [N, C·kh·kw, L]");
        if (height <= 0 || width <= 0)
            throw new IllegalArgumentException("fold: output size " + Window2d.pair(height, width) + " must be positive");
        window.checkFits("fold", "output size " + Window2d.pair(height, width), height, width);
        int taps = window.kh() * window.kw();
        if (s[1] % taps != 0)
            throw new IllegalArgumentException("fold: input " + Shapes.str(s) + " has " + s[1] + " rows, not a multiple of the "
                + window.kh() + " × " + window.kw() + " = " + taps + " kernel positions");
        int oh = window.outHeight(height), ow = window.outWidth(width);
        if (s[2] != oh * ow)
            throw new IllegalArgumentException("fold: input " + Shapes.str(s) + " has " + s[2] + " columns, but output size "
                + Window2d.pair(height, width) + " with " + window + " has " + oh + " × " + ow + " = " + oh * ow + " windows");
        int n = s[0], c = s[1] / taps;
        NdArray in = cols.isContiguous() ? cols : cols.copy();
        NdArray out = NdArray.zeros(cols.dtype, n, c, height, width);   // col2im adds into it
        Im2col.Geometry g = window.geometry(c, height, width);
        if (cols.f != null) Im2col.col2im(g, n, in.f, in.offset, out.f, out.offset);
        else Im2col.col2im(g, n, in.d, in.offset, out.d, out.offset);
        return out;
    }

    /** x.maxPoolPositions(window), as documented on {@link NdArray#maxPoolPositions}. */
    static int[] maxPoolPositions(NdArray x, Window2d window) {
        int[] o = window.outputSize("maxPoolPositions", x.shape);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if ((long) n * c * o[0] * o[1] > Integer.MAX_VALUE)
            throw new IllegalArgumentException("maxPoolPositions: " + Shapes.str(x.shape) + " pools to more than 2^31 values");
        checkEveryWindowHasAnEntry(o[0], window.kh(), window.sh(), window.ph(), window.dh(), h, "row");
        checkEveryWindowHasAnEntry(o[1], window.kw(), window.sw(), window.pw(), window.dw(), w, "column");
        NdArray in = x.isContiguous() ? x : x.copy();
        int[] pos = new int[n * c * o[0] * o[1]];
        Im2col.Geometry g = window.geometry(c, h, w);
        if (x.f != null) Pooling.maxPositions(g, n * c, in.f, in.offset, pos);
        else Pooling.maxPositions(g, n * c, in.d, in.offset, pos);
        return pos;
    }

    /** Fails when some window position along an axis reaches only padding (it would have no maximum). */
    private static void checkEveryWindowHasAnEntry(int outputs, int k, int stride, int pad, int dilation, int size, String axis) {
        for (int o = 0; o < outputs; o++) {
            boolean any = false;
            for (int i = 0; i < k && !any; i++) {
                int at = o * stride - pad + i * dilation;
                any = at >= 0 && at < size;
            }
            if (!any)
                throw new IllegalArgumentException("maxPoolPositions: window " + o + " along the " + axis + "s covers only padding"
                    + " (kernel " + k + ", stride " + stride + ", padding " + pad + ", dilation " + dilation + ", size " + size + ")");
        }
    }
}
