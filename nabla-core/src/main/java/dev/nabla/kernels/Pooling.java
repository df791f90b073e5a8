package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where each window's maximum is, for max pooling over (image, channel) planes in NCHW layout: the
 * forward pass then reads those positions and the backward pass adds the gradient back at them, so
 * neither builds the [planes, kh·kw, L] columns of an unfold.
 *
 * <p>The window walks the plane as in {@link Im2col} (its {@link Im2col.Geometry}); positions in the
 * padding are skipped, so they never win. Within a window the entries are visited row by row, and
 * an entry replaces the maximum so far when it is larger or NaN: ties go to the first maximal entry
 * and a NaN to the last NaN, as PyTorch's CPU kernel does.
 *
 * <p>Which entry wins depends on the data, so a scalar loop over random values mispredicts a branch
 * (or waits on a chain of selects) at nearly every step: measured on 64 × 16 planes of 28 × 28, 2 × 2
 * windows with stride 2, 1 thread, the scalar loop took 2.4-3.9 ms where the maxima alone took 0.28.
 * So without padding (every window then lies wholly inside the plane) the outputs go a vector at a
 * time, in row-major order across output rows (a row of a pooled 28 × 28 image is only 14 outputs):
 * each tap is a gather of the lanes' entries, compared with the maximum so far, and a blend under
 * that mask updates both the maximum and the vector of positions. With padding, and for the outputs
 * after the last whole vector of a plane, the windows go one by one. Float windows two columns wide
 * and side by side (MaxPool2d(2)) take contiguous loads instead of gathers (see {@link #pairPlane}).
 */
public final class Pooling {
    private Pooling() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;
    private static final VectorSpecies<Double> DS = Elementwise.DS;
    private static final VectorSpecies<Integer> IFS = Elementwise.IFS, IDS = Elementwise.IDS;

    /** The least outputs a parallel task gets. */
    private static final int GRAIN_OUTPUTS = 1 << 13;

    /**
     * For {@code planes} planes of x (dense, from xOff), the row-major index into x's logical array
     * (plane·H·W + y·W + x, not counting xOff) of each window's maximum: pos[plane·L + oy·ow + ox],
     * L = oh·ow. Every window must hold at least one entry of the plane.
     */
    public static void maxPositions(Im2col.Geometry g, int planes, float[] x, int xOff, int[] pos) {
        int l = g.outHeight() * g.outWidth();
        int[] corners = corners(g);
        Parallel.forRange(planes, Math.max(1, GRAIN_OUTPUTS / Math.max(1, l)), 1, (from, to) -> {
            for (int p = from; p < to; p++) maxPlane(g, x, xOff, p, corners, pos);
        });
    }

    /** The double twin of {@link #maxPositions(Im2col.Geometry, int, float[], int, int[])}. */
    public static void maxPositions(Im2col.Geometry g, int planes, double[] x, int xOff, int[] pos) {
        int l = g.outHeight() * g.outWidth();
        int[] corners = corners(g);
        Parallel.forRange(planes, Math.max(1, GRAIN_OUTPUTS / Math.max(1, l)), 1, (from, to) -> {
            for (int p = from; p < to; p++) maxPlane(g, x, xOff, p, corners, pos);
        });
    }

    /**
     * Without padding, each output's window corner (its tap (0, 0)) within a plane, in row-major output
     * order: the gather map of the vector loop. With padding, null (the windows go one by one).
     */
    private static int[] corners(Im2col.Geometry g) {
        if (g.ph() != 0 || g.pw() != 0) return null;
        int oh = g.outHeight(), ow = g.outWidth();
        int[] c = new int[oh * ow];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++) c[oy * ow + ox] = oy * g.sh() * g.width() + ox * g.sw();
        return c;
    }

    /** Index vectors of selectFrom over two vectors (a, b) side by side: the even lanes 0, 2, …, and the odd 1, 3, …. */
    private static final FloatVector EVEN = FloatVector.fromArray(FS, evenOdd(0), 0), ODD = FloatVector.fromArray(FS, evenOdd(1), 0);
    /** 0, 2, 4, …: lane i's offset from a row's first input column, 2·i. */
    private static final IntVector TWICE = IntVector.fromArray(IFS, twice(), 0);

    private static float[] evenOdd(int first) {
        float[] v = new float[FS.length()];
        for (int i = 0; i < v.length; i++) v[i] = 2 * i + first;
        return v;
    }

    private static int[] twice() {
        int[] v = new int[IFS.length()];
        for (int i = 0; i < v.length; i++) v[i] = 2 * i;
        return v;
    }

    /**
     * Whether a float plane goes through {@link #pairPlane}: windows two columns wide, side by side
     * (stride 2, no dilation across columns), no padding. MaxPool2d(2), that is.
     */
    private static boolean pairs(Im2col.Geometry g) {
        return g.kw() == 2 && g.sw() == 2 && g.dw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /**
     * {@link #maxPlane} for {@link #pairs} windows, one output row at a time: each window row's two
     * columns are the even and odd lanes of a contiguous stretch of the input row (two vector loads,
     * split by selectFrom), so there is no gather. Gathers are slow on some cores: measured on a Zen 4
     * host (one thread, 128 × 16 planes of 28 × 28, median of 100 calls, the two builds alternating),
     * the gather path took 1.4-2.4 ms and this one 0.53-0.55 ms. Outputs past the row's end are
     * computed in masked-off lanes and not stored.
     */
    private static void pairPlane(Im2col.Geometry g, float[] x, int xOff, int p, int[] pos) {
        int h = g.height(), w = g.width(), oh = g.outHeight(), ow = g.outWidth(), plane = p * h * w, out = p * oh * ow;
        int kh = g.kh(), sh = g.sh(), dh = g.dh(), lanes = FS.length();
        for (int ox = 0; ox < ow; ox += lanes) {
            int count = Math.min(lanes, ow - ox);
            VectorMask<Float> first = FS.indexInRange(0, 2 * count), second = FS.indexInRange(lanes, 2 * count);
            VectorMask<Integer> stored = IFS.indexInRange(0, count);
            for (int oy = 0; oy < oh; oy++) {
                int row = plane + oy * sh * w + 2 * ox;   // tap (0, 0) of lane 0
                if (xOff + row + (kh - 1) * dh * w + 2 * lanes > x.length || out + oy * ow + ox + lanes > pos.length) {
                    // the vectors would reach past an array's end, even in masked-off lanes: the Vector API then
                    // takes a slow path, and a JIT that meets it recompiles the loop boxing every vector (a CNN
                    // step made 61 MB of garbage in one JVM in four); these windows go one by one instead
                    for (int o = ox; o < ox + count; o++) pos[out + oy * ow + o] = windowMax(g, x, xOff, plane, oy, o);
                    continue;
                }
                // the window's first row starts the maximum (a vector held across the rows' loop must never be
                // null, or the JIT boxes it)
                FloatVector a = FloatVector.fromArray(FS, x, xOff + row, first);
                FloatVector b = FloatVector.fromArray(FS, x, xOff + row + lanes, second);
                FloatVector best = EVEN.selectFrom(a, b), right = ODD.selectFrom(a, b);
                IntVector at = TWICE.add(row);
                VectorMask<Float> take = right.compare(VectorOperators.GT, best).or(right.test(VectorOperators.IS_NAN));
                best = best.blend(right, take);
                at = at.blend(at.add(1), take.cast(IFS));
                for (int i = 1; i < kh; i++) {
                    row += dh * w;
                    a = FloatVector.fromArray(FS, x, xOff + row, first);
                    b = FloatVector.fromArray(FS, x, xOff + row + lanes, second);
                    FloatVector left = EVEN.selectFrom(a, b);
                    right = ODD.selectFrom(a, b);
                    IntVector base = TWICE.add(row);
                    take = left.compare(VectorOperators.GT, best).or(left.test(VectorOperators.IS_NAN));
                    best = best.blend(left, take);
                    at = at.blend(base, take.cast(IFS));
                    take = right.compare(VectorOperators.GT, best).or(right.test(VectorOperators.IS_NAN));
                    best = best.blend(right, take);
                    at = at.blend(base.add(1), take.cast(IFS));
                }
                at.intoArray(pos, out + oy * ow + ox, stored);
            }
        }
    }

    private static void maxPlane(Im2col.Geometry g, float[] x, int xOff, int p, int[] corners, int[] pos) {
        if (pairs(g)) { pairPlane(g, x, xOff, p, pos); return; }
        int h = g.height(), w = g.width(), oh = g.outHeight(), ow = g.outWidth(), plane = p * h * w, out = p * oh * ow;
        int kh = g.kh(), kw = g.kw(), dh = g.dh(), dw = g.dw(), l = oh * ow, o = 0;
        if (corners != null) {
            // no padding: corners[o] is output o's window corner within the plane; a tap adds i·dh·w + j·dw to it
            int lanes = FS.length();
            for (; o + lanes <= l; o += lanes) {
                IntVector corner = IntVector.fromArray(IFS, corners, o).add(plane);
                FloatVector best = FloatVector.fromArray(FS, x, xOff + plane, corners, o);
                IntVector at = corner;
                for (int i = 0; i < kh; i++)
                    for (int j = i == 0 ? 1 : 0; j < kw; j++) {
                        int tap = i * dh * w + j * dw;
                        FloatVector v = FloatVector.fromArray(FS, x, xOff + plane + tap, corners, o);
                        VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                        best = best.blend(v, take);
                        at = at.blend(corner.add(tap), take.cast(IFS));
                    }
                at.intoArray(pos, out + o);
            }
        }
        for (; o < l; o++) pos[out + o] = windowMax(g, x, xOff, plane, o / ow, o % ow);
    }

    /**
     * The position of the maximum of output (oy, ox)'s window in the plane that starts at {@code plane},
     * counted as {@link #maxPositions} counts it; the window's entries inside the plane are visited row
     * by row (padding skipped). The one-by-one path of every window shape.
     */
    private static int windowMax(Im2col.Geometry g, float[] x, int xOff, int plane, int oy, int ox) {
        int h = g.height(), w = g.width(), kh = g.kh(), kw = g.kw(), dh = g.dh(), dw = g.dw();
        int y0 = oy * g.sh() - g.ph(), x0 = ox * g.sw() - g.pw();
        int i0 = y0 >= 0 ? 0 : Math.ceilDiv(-y0, dh), i1 = Math.min(kh, y0 >= h ? 0 : Math.ceilDiv(h - y0, dh));
        int j0 = x0 >= 0 ? 0 : Math.ceilDiv(-x0, dw), j1 = Math.min(kw, x0 >= w ? 0 : Math.ceilDiv(w - x0, dw));
        int at = -1;
        float best = 0;
        for (int i = i0; i < i1; i++)
            for (int j = j0, q = plane + (y0 + i * dh) * w + x0 + j0 * dw; j < j1; j++, q += dw) {
                float v = x[xOff + q];
                if (at < 0 || v > best || v != v) { best = v; at = q; }
            }
        return at;
    }

    private static void maxPlane(Im2col.Geometry g, double[] x, int xOff, int p, int[] corners, int[] pos) {
        int h = g.height(), w = g.width(), oh = g.outHeight(), ow = g.outWidth(), plane = p * h * w, out = p * oh * ow;
        int kh = g.kh(), kw = g.kw(), dh = g.dh(), dw = g.dw(), l = oh * ow, o = 0;
        if (corners != null) {
            // no padding: corners[o] is output o's window corner within the plane; a tap adds i·dh·w + j·dw to it
            int lanes = DS.length();
            for (; o + lanes <= l; o += lanes) {
                IntVector corner = IntVector.fromArray(IDS, corners, o).add(plane);
                DoubleVector best = DoubleVector.fromArray(DS, x, xOff + plane, corners, o);
                IntVector at = corner;
                for (int i = 0; i < kh; i++)
                    for (int j = i == 0 ? 1 : 0; j < kw; j++) {
                        int tap = i * dh * w + j * dw;
                        DoubleVector v = DoubleVector.fromArray(DS, x, xOff + plane + tap, corners, o);
                        VectorMask<Double> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                        best = best.blend(v, take);
                        at = at.blend(corner.add(tap), take.cast(IDS));
                    }
                at.intoArray(pos, out + o);
            }
        }
        for (; o < l; o++) pos[out + o] = windowMax(g, x, xOff, plane, o / ow, o % ow);
    }

    /**
     * The position of the maximum of output (oy, ox)'s window in the plane that starts at {@code plane},
     * counted as {@link #maxPositions} counts it; the window's entries inside the plane are visited row
     * by row (padding skipped). The one-by-one path of every window shape.
     */
    private static int windowMax(Im2col.Geometry g, double[] x, int xOff, int plane, int oy, int ox) {
        int h = g.height(), w = g.width(), kh = g.kh(), kw = g.kw(), dh = g.dh(), dw = g.dw();
        int y0 = oy * g.sh() - g.ph(), x0 = ox * g.sw() - g.pw();
        int i0 = y0 >= 0 ? 0 : Math.ceilDiv(-y0, dh), i1 = Math.min(kh, y0 >= h ? 0 : Math.ceilDiv(h - y0, dh));
        int j0 = x0 >= 0 ? 0 : Math.ceilDiv(-x0, dw), j1 = Math.min(kw, x0 >= w ? 0 : Math.ceilDiv(w - x0, dw));
        int at = -1;
        double best = 0;
        for (int i = i0; i < i1; i++)
            for (int j = j0, q = plane + (y0 + i * dh) * w + x0 + j0 * dw; j < j1; j++, q += dw) {
                double v = x[xOff + q];
                if (at < 0 || v > best || v != v) { best = v; at = q; }
            }
        return at;
    }

}
