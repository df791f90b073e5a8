package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for images in NCHW layout: the copies behind a convolution as a
 * matrix product (PyTorch's {@code F.unfold} and {@code F.fold}).
 *
 * <p>For images [N, C, H, W] (dense, row-major, from offset xOff) and a window of kernel kh × kw,
 * stride (sh, sw), zero or more padding (ph, pw) and dilation (dh, dw), the output has
 * oh = ⌊(H + 2ph − dh(kh − 1) − 1) / sh⌋ + 1 rows and ow likewise; the columns are
 * [N, C·kh·kw, L] (dense, from colsOff) with L = oh·ow:
 * <pre>
 * cols[n, (c·kh + i)·kw + j, oy·ow + ox] = x[n, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw]
 * </pre>
 * or the pad value where that position lies in the padding. {@link #col2im} is the transpose of
 * that linear map: it adds every column entry to the pixel it would have been copied from, and
 * drops those that fall in the padding.
 *
 * <p>The loops go over output rows, with the range of output columns that falls inside the image
 * worked out once per kernel column, so that the inner loop has no bounds test (with stride 1 it is
 * an array copy). Batches are split over {@link Parallel} by (image, channel) planes, which write
 * disjoint parts of the output.
 */
public final class Im2col {
    private Im2col() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;
    private static final VectorSpecies<Double> DS = Elementwise.DS;
    private static final VectorSpecies<Integer> IFS = Elementwise.IFS, IDS = Elementwise.IDS;

    /** The least column elements a parallel task gets: below it the hand-off costs more than the copy. */
    private static final int GRAIN_ELEMENTS = 1 << 15;

    /** ⌊(size + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1, the number of window positions along one axis (≤ 0 when none fits). */
    public static int outputSize(int size, int kernel, int stride, int pad, int dilation) {
        return Math.floorDiv(size + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** The geometry of one unfold: images of channels × height × width, and the window. */
    public record Geometry(int channels, int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        public int outHeight() { return outputSize(height, kh, sh, ph, dh); }
        public int outWidth() { return outputSize(width, kw, sw, pw, dw); }
        /** Column entries per (image, channel) plane: kh·kw·oh·ow. */
        int perPlane() { return kh * kw * outHeight() * outWidth(); }
    }

    /** Columns of {@code images} images x into cols, pad where the window reaches into the padding; every element of cols is written. */
    public static void im2col(Geometry g, int images, float[] x, int xOff, float pad, float[] cols, int colsOff) {
        int planeIn = g.height * g.width, planeOut = g.perPlane();
        Parallel.forRange(images * g.channels, grain(planeOut), 1, (from, to) -> {
            for (int p = from; p < to; p++) im2colPlane(g, x, xOff + p * planeIn, pad, cols, colsOff + p * planeOut);
        });
    }

    /** The double twin of {@link #im2col(Geometry, int, float[], int, float, float[], int)}. */
    public static void im2col(Geometry g, int images, double[] x, int xOff, double pad, double[] cols, int colsOff) {
        int planeIn = g.height * g.width, planeOut = g.perPlane();
        Parallel.forRange(images * g.channels, grain(planeOut), 1, (from, to) -> {
            for (int p = from; p < to; p++) im2colPlane(g, x, xOff + p * planeIn, pad, cols, colsOff + p * planeOut);
        });
    }

    /** x += the columns folded back into images (the transpose of {@link #im2col}); x is modified, cols is not. */
    public static void col2im(Geometry g, int images, float[] cols, int colsOff, float[] x, int xOff) {
        int planeIn = g.height * g.width, planeOut = g.perPlane();
        int[] columns = sameColumns(g, FS.length());
        Parallel.forRange(images * g.channels, grain(planeOut), 1, (from, to) -> {
            for (int p = from; p < to; p++) col2imPlane(g, cols, colsOff + p * planeOut, x, xOff + p * planeIn, columns);
        });
    }

    /** The double twin of {@link #col2im(Geometry, int, float[], int, float[], int)}. */
    public static void col2im(Geometry g, int images, double[] cols, int colsOff, double[] x, int xOff) {
        int planeIn = g.height * g.width, planeOut = g.perPlane();
        int[] columns = sameColumns(g, DS.length());
        Parallel.forRange(images * g.channels, grain(planeOut), 1, (from, to) -> {
            for (int p = from; p < to; p++) col2imPlane(g, cols, colsOff + p * planeOut, x, xOff + p * planeIn, columns);
        });
    }

    private static int grain(int perPlane) { return Math.max(1, GRAIN_ELEMENTS / Math.max(1, perPlane)); }

    /** The first output column whose input column ox·sw + dx is ≥ 0 (at most ow). */
    private static int firstInside(int dx, int sw, int ow) {
        return dx >= 0 ? 0 : Math.min(ow, Math.ceilDiv(-dx, sw));
    }

    /** The first output column at or after lo whose input column ox·sw + dx is ≥ width (at most ow). */
    private static int endInside(int dx, int sw, int width, int ow, int lo) {
        int e = width - dx <= 0 ? 0 : Math.ceilDiv(width - dx, sw);
        return Math.max(lo, Math.min(ow, e));
    }

    private static void im2colPlane(Geometry g, float[] x, int xOff, float pad, float[] cols, int row) {
        if (g.sh == 1 && g.sw == 1 && g.outWidth() == g.width) { im2colSame(g, x, xOff, pad, cols, row); return; }
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, sw = g.sw;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dx = j * g.dw - g.pw, lo = firstInside(dx, sw, ow), hi = endInside(dx, sw, w, ow, lo);
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * g.sh - g.ph + i * g.dh, o = row + oy * ow;
                    if (iy < 0 || iy >= g.height) { Arrays.fill(cols, o, o + ow, pad); continue; }
                    int src = xOff + iy * w + dx;   // input column of output column ox: src + ox·sw
                    if (lo > 0) Arrays.fill(cols, o, o + lo, pad);
                    if (sw == 1) System.arraycopy(x, src + lo, cols, o + lo, hi - lo);
                    else for (int ox = lo; ox < hi; ox++) cols[o + ox] = x[src + ox * sw];
                    if (hi < ow) Arrays.fill(cols, o + hi, o + ow, pad);
                }
            }
    }

    /**
     * {@link #im2colPlane} for stride 1 with as many output columns as input columns (a "same"
     * convolution): for one kernel tap, consecutive output pixels read consecutive input pixels, so the
     * tap's row of the columns is one copy of the plane, shifted, with the entries that wrapped around
     * a row edge (and the rows in the padding) then set to pad. One copy per tap rather than one per
     * output row: for 14 × 14 images the per-row copies cost more in calls than in bytes.
     */
    private static void im2colSame(Geometry g, float[] x, int xOff, float pad, float[] cols, int row) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, h = g.height;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dy = i * g.dh - g.ph, dx = j * g.dw - g.pw;   // input pixel of output (oy, ox): (oy + dy, ox + dx)
                int y0 = Math.max(0, -dy), y1 = Math.min(oh, h - dy), lo = firstInside(dx, 1, ow), hi = endInside(dx, 1, w, ow, lo);
                if (y0 >= y1 || lo >= hi) { Arrays.fill(cols, row, row + l, pad); continue; }
                Arrays.fill(cols, row, row + y0 * ow, pad);
                Arrays.fill(cols, row + y1 * ow, row + l, pad);
                int first = y0 * ow + lo, end = (y1 - 1) * ow + hi;
                System.arraycopy(x, xOff + (y0 + dy) * w + lo + dx, cols, row + first, end - first);
                for (int oy = y0; oy < y1; oy++) {
                    int o = row + oy * ow;
                    for (int ox = 0; ox < lo; ox++) cols[o + ox] = pad;
                    for (int ox = hi; ox < ow; ox++) cols[o + ox] = pad;
                }
            }
    }

    private static void im2colPlane(Geometry g, double[] x, int xOff, double pad, double[] cols, int row) {
        if (g.sh == 1 && g.sw == 1 && g.outWidth() == g.width) { im2colSame(g, x, xOff, pad, cols, row); return; }
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, sw = g.sw;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dx = j * g.dw - g.pw, lo = firstInside(dx, sw, ow), hi = endInside(dx, sw, w, ow, lo);
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * g.sh - g.ph + i * g.dh, o = row + oy * ow;
                    if (iy < 0 || iy >= g.height) { Arrays.fill(cols, o, o + ow, pad); continue; }
                    int src = xOff + iy * w + dx;
                    if (lo > 0) Arrays.fill(cols, o, o + lo, pad);
                    if (sw == 1) System.arraycopy(x, src + lo, cols, o + lo, hi - lo);
                    else for (int ox = lo; ox < hi; ox++) cols[o + ox] = x[src + ox * sw];
                    if (hi < ow) Arrays.fill(cols, o + hi, o + ow, pad);
                }
            }
    }

    /**
     * {@link #im2colPlane} for stride 1 with as many output columns as input columns (a "same"
     * convolution): for one kernel tap, consecutive output pixels read consecutive input pixels, so the
     * tap's row of the columns is one copy of the plane, shifted, with the entries that wrapped around
     * a row edge (and the rows in the padding) then set to pad. One copy per tap rather than one per
     * output row: for 14 × 14 images the per-row copies cost more in calls than in bytes.
     */
    private static void im2colSame(Geometry g, double[] x, int xOff, double pad, double[] cols, int row) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, h = g.height;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dy = i * g.dh - g.ph, dx = j * g.dw - g.pw;   // input pixel of output (oy, ox): (oy + dy, ox + dx)
                int y0 = Math.max(0, -dy), y1 = Math.min(oh, h - dy), lo = firstInside(dx, 1, ow), hi = endInside(dx, 1, w, ow, lo);
                if (y0 >= y1 || lo >= hi) { Arrays.fill(cols, row, row + l, pad); continue; }
                Arrays.fill(cols, row, row + y0 * ow, pad);
                Arrays.fill(cols, row + y1 * ow, row + l, pad);
                int first = y0 * ow + lo, end = (y1 - 1) * ow + hi;
                System.arraycopy(x, xOff + (y0 + dy) * w + lo + dx, cols, row + first, end - first);
                for (int oy = y0; oy < y1; oy++) {
                    int o = row + oy * ow;
                    for (int ox = 0; ox < lo; ox++) cols[o + ox] = pad;
                    for (int ox = hi; ox < ow; ox++) cols[o + ox] = pad;
                }
            }
    }

    private static void col2imPlane(Geometry g, float[] cols, int row, float[] x, int xOff, int[] columns) {
        if (columns != null) { col2imSame(g, cols, row, x, xOff, columns); return; }
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, sw = g.sw;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dx = j * g.dw - g.pw, lo = firstInside(dx, sw, ow), hi = endInside(dx, sw, w, ow, lo);
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * g.sh - g.ph + i * g.dh;
                    if (iy < 0 || iy >= g.height) continue;   // a row of padding: dropped
                    int o = row + oy * ow, dst = xOff + iy * w + dx;
                    if (sw == 1) for (int ox = lo; ox < hi; ox++) x[dst + ox] += cols[o + ox];
                    else for (int ox = lo; ox < hi; ox++) x[dst + ox * sw] += cols[o + ox];
                }
            }
    }

    /**
     * For stride 1 with as many output columns as input columns (where {@link #col2imSame} applies), the
     * output column of every column entry, q mod ow for q in [0, oh·ow + lanes); else null.
     */
    private static int[] sameColumns(Geometry g, int lanes) {
        if (g.sh != 1 || g.sw != 1 || g.outWidth() != g.width) return null;
        int ow = g.outWidth(), n = g.outHeight() * ow + lanes;
        Columns last = lastColumns;
        if (last != null && last.ow == ow && last.table.length >= n) return last.table;
        int[] c = new int[n];
        for (int q = 0; q < n; q++) c[q] = q % ow;
        lastColumns = new Columns(ow, c);
        return c;
    }

    /** A table of {@link #sameColumns}, never written after it is made, so threads may share it. */
    private record Columns(int ow, int[] table) {}

    /** The last table made: a training loop asks for the same one every step (it was 1-2 % of a CNN step's garbage). */
    private static volatile Columns lastColumns;

    /**
     * {@link #col2imPlane} for stride 1 with as many output columns as input columns: for one kernel tap,
     * consecutive column entries go to consecutive pixels, so the tap's row is added to the plane a
     * vector at a time across output rows, under a mask that drops the entries whose pixel lies in the
     * padding (they would wrap into the neighbouring image row). Masked lanes are neither read nor
     * written. {@code columns[q]} is q mod ow ({@link #sameColumns}). Measured (16 channels of 14 × 14,
     * 3 × 3, padding 1, 64 images, 1 thread): 1.02 ms with a loop per output row (14 entries each),
     * 0.52 ms this way.
     */
    private static void col2imSame(Geometry g, float[] cols, int row, float[] x, int xOff, int[] columns) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, h = g.height, lanes = FS.length();
        IntVector iota = IntVector.zero(IFS).addIndex(1);
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dy = i * g.dh - g.ph, dx = j * g.dw - g.pw;   // output (oy, ox) adds into pixel (oy + dy, ox + dx)
                int y0 = Math.max(0, -dy), y1 = Math.min(oh, h - dy), lo = firstInside(dx, 1, ow), hi = endInside(dx, 1, w, ow, lo);
                if (y0 >= y1 || lo >= hi) continue;
                int first = y0 * ow, end = y1 * ow, shift = xOff + dy * w + dx;   // entry q adds into x[shift + q]
                for (int q = first; q < end; q += lanes) {
                    // lane k holds output column (q + k) mod ow: inside [lo, hi), and q + k before end
                    IntVector ox = IntVector.fromArray(IFS, columns, q);
                    VectorMask<Integer> inside = ox.compare(VectorOperators.GE, lo).and(ox.compare(VectorOperators.LT, hi))
                        .and(iota.compare(VectorOperators.LT, end - q));
                    VectorMask<Float> m = inside.cast(FS);
                    FloatVector add = FloatVector.fromArray(FS, cols, row + q, m);
                    FloatVector.fromArray(FS, x, shift + q, m).add(add).intoArray(x, shift + q, m);
                }
            }
    }

    private static void col2imPlane(Geometry g, double[] cols, int row, double[] x, int xOff, int[] columns) {
        if (columns != null) { col2imSame(g, cols, row, x, xOff, columns); return; }
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, sw = g.sw;
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dx = j * g.dw - g.pw, lo = firstInside(dx, sw, ow), hi = endInside(dx, sw, w, ow, lo);
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * g.sh - g.ph + i * g.dh;
                    if (iy < 0 || iy >= g.height) continue;
                    int o = row + oy * ow, dst = xOff + iy * w + dx;
                    if (sw == 1) for (int ox = lo; ox < hi; ox++) x[dst + ox] += cols[o + ox];
                    else for (int ox = lo; ox < hi; ox++) x[dst + ox * sw] += cols[o + ox];
                }
            }
    }

    /**
     * {@link #col2imPlane} for stride 1 with as many output columns as input columns: for one kernel tap,
     * consecutive column entries go to consecutive pixels, so the tap's row is added to the plane a
     * vector at a time across output rows, under a mask that drops the entries whose pixel lies in the
     * padding (they would wrap into the neighbouring image row). Masked lanes are neither read nor
     * written. {@code columns[q]} is q mod ow ({@link #sameColumns}). Measured (16 channels of 14 × 14,
     * 3 × 3, padding 1, 64 images, 1 thread): 1.02 ms with a loop per output row (14 entries each),
     * 0.52 ms this way.
     */
    private static void col2imSame(Geometry g, double[] cols, int row, double[] x, int xOff, int[] columns) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, w = g.width, h = g.height, lanes = DS.length();
        IntVector iota = IntVector.zero(IDS).addIndex(1);
        for (int i = 0; i < g.kh; i++)
            for (int j = 0; j < g.kw; j++, row += l) {
                int dy = i * g.dh - g.ph, dx = j * g.dw - g.pw;   // output (oy, ox) adds into pixel (oy + dy, ox + dx)
                int y0 = Math.max(0, -dy), y1 = Math.min(oh, h - dy), lo = firstInside(dx, 1, ow), hi = endInside(dx, 1, w, ow, lo);
                if (y0 >= y1 || lo >= hi) continue;
                int first = y0 * ow, end = y1 * ow, shift = xOff + dy * w + dx;   // entry q adds into x[shift + q]
                for (int q = first; q < end; q += lanes) {
                    // lane k holds output column (q + k) mod ow: inside [lo, hi), and q + k before end
                    IntVector ox = IntVector.fromArray(IDS, columns, q);
                    VectorMask<Integer> inside = ox.compare(VectorOperators.GE, lo).and(ox.compare(VectorOperators.LT, hi))
                        .and(iota.compare(VectorOperators.LT, end - q));
                    VectorMask<Double> m = inside.cast(DS);
                    DoubleVector add = DoubleVector.fromArray(DS, cols, row + q, m);
                    DoubleVector.fromArray(DS, x, shift + q, m).add(add).intoArray(x, shift + q, m);
                }
            }
    }
}
