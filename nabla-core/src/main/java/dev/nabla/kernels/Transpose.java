package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Out-of-place matrix transpose: {@code out[j·ldo + i] = a[i·lda + j]} for a rows×cols block of a
 * row-major array (offsets aOff and oOff). This is what making a transposed view contiguous costs;
 * done element by element it reads one cache line per element, so it works in 16×16 tiles, and with
 * 16-lane float vectors (8-lane double vectors) each tile is transposed in registers, as one 16×16
 * (four 8×8) tile. {@link #transposeScalar} is the twin. The packing of the GEMMs uses the same tiles.
 */
public final class Transpose {
    private Transpose() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;
    private static final int T = 16;

    /** Lane indexes for two-vector selects: interleave the low halves, and the high halves, of x and y. */
    private static final FloatVector ZIP_LO, ZIP_HI;

    static {
        int v = FS.length();
        float[] lo = new float[v], hi = new float[v];
        for (int i = 0; i < v / 2; i++) {
            lo[2 * i] = i;
            lo[2 * i + 1] = v + i;
            hi[2 * i] = v / 2 + i;
            hi[2 * i + 1] = v + v / 2 + i;
        }
        ZIP_LO = FloatVector.fromArray(FS, lo, 0);
        ZIP_HI = FloatVector.fromArray(FS, hi, 0);
    }

    /** True when {@link #tile16} can be used (16-lane float vectors). */
    static boolean hasTile16() { return FS.length() == T; }

    private static final VectorSpecies<Double> DS = Elementwise.DS;
    /** The double twins of {@link #ZIP_LO} and {@link #ZIP_HI} (also used by GemmDouble's A packing). */
    static final DoubleVector ZIP_LO_D, ZIP_HI_D;

    static {
        int v = DS.length();
        double[] lo = new double[v], hi = new double[v];
        for (int i = 0; i < v / 2; i++) {
            lo[2 * i] = i;
            lo[2 * i + 1] = v + i;
            hi[2 * i] = v / 2 + i;
            hi[2 * i + 1] = v + v / 2 + i;
        }
        ZIP_LO_D = DoubleVector.fromArray(DS, lo, 0);
        ZIP_HI_D = DoubleVector.fromArray(DS, hi, 0);
    }

    /** True when {@link #tile8} can be used (8-lane double vectors). */
    static boolean hasTile8() { return DS.length() == 8; }

    public static void transpose(float[] a, int aOff, int lda, int rows, int cols, float[] out, int oOff, int ldo) {
        for (int i0 = 0; i0 < rows; i0 += T)
            for (int j0 = 0; j0 < cols; j0 += T) {
                int h = Math.min(T, rows - i0), w = Math.min(T, cols - j0);
                int s = aOff + i0 * lda + j0, d = oOff + j0 * ldo + i0;
                if (h == T && w == T && hasTile16()) tile16(a, s, lda, out, d, ldo);
                else for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) out[d + j * ldo + i] = a[s + i * lda + j];
            }
    }

    public static void transposeScalar(float[] a, int aOff, int lda, int rows, int cols, float[] out, int oOff, int ldo) {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) out[oOff + j * ldo + i] = a[aOff + i * lda + j];
    }

    public static void transpose(double[] a, int aOff, int lda, int rows, int cols, double[] out, int oOff, int ldo) {
        for (int i0 = 0; i0 < rows; i0 += T)
            for (int j0 = 0; j0 < cols; j0 += T) {
                int h = Math.min(T, rows - i0), w = Math.min(T, cols - j0);
                int s = aOff + i0 * lda + j0, d = oOff + j0 * ldo + i0;
                if (h == T && w == T && hasTile8()) {
                    for (int i = 0; i < T; i += 8)
                        for (int j = 0; j < T; j += 8) tile8(a, s + i * lda + j, lda, out, d + j * ldo + i, ldo);
                } else for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) out[d + j * ldo + i] = a[s + i * lda + j];
            }
    }

    public static void transposeScalar(double[] a, int aOff, int lda, int rows, int cols, double[] out, int oOff, int ldo) {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) out[oOff + j * ldo + i] = a[aOff + i * lda + j];
    }

    /**
     * One 16×16 tile: out[d + j·ldo + i] = a[s + i·lda + j]. Four rounds of
     * y[2i] = zipLo(x[i], x[i+8]), y[2i+1] = zipHi(x[i], x[i+8]) transpose the tile in registers.
     * Only for 16-lane vectors ({@link #hasTile16}).
     */
    static void tile16(float[] a, int s, int lda, float[] out, int d, int ldo) {
        FloatVector x0 = FloatVector.fromArray(FS, a, s), x1 = FloatVector.fromArray(FS, a, s + lda);
        FloatVector x2 = FloatVector.fromArray(FS, a, s + 2 * lda), x3 = FloatVector.fromArray(FS, a, s + 3 * lda);
        FloatVector x4 = FloatVector.fromArray(FS, a, s + 4 * lda), x5 = FloatVector.fromArray(FS, a, s + 5 * lda);
        FloatVector x6 = FloatVector.fromArray(FS, a, s + 6 * lda), x7 = FloatVector.fromArray(FS, a, s + 7 * lda);
        FloatVector x8 = FloatVector.fromArray(FS, a, s + 8 * lda), x9 = FloatVector.fromArray(FS, a, s + 9 * lda);
        FloatVector x10 = FloatVector.fromArray(FS, a, s + 10 * lda), x11 = FloatVector.fromArray(FS, a, s + 11 * lda);
        FloatVector x12 = FloatVector.fromArray(FS, a, s + 12 * lda), x13 = FloatVector.fromArray(FS, a, s + 13 * lda);
        FloatVector x14 = FloatVector.fromArray(FS, a, s + 14 * lda), x15 = FloatVector.fromArray(FS, a, s + 15 * lda);
        for (int round = 0; round < 4; round++) {
            FloatVector y0 = ZIP_LO.selectFrom(x0, x8), y1 = ZIP_HI.selectFrom(x0, x8);
            FloatVector y2 = ZIP_LO.selectFrom(x1, x9), y3 = ZIP_HI.selectFrom(x1, x9);
            FloatVector y4 = ZIP_LO.selectFrom(x2, x10), y5 = ZIP_HI.selectFrom(x2, x10);
            FloatVector y6 = ZIP_LO.selectFrom(x3, x11), y7 = ZIP_HI.selectFrom(x3, x11);
            FloatVector y8 = ZIP_LO.selectFrom(x4, x12), y9 = ZIP_HI.selectFrom(x4, x12);
            FloatVector y10 = ZIP_LO.selectFrom(x5, x13), y11 = ZIP_HI.selectFrom(x5, x13);
            FloatVector y12 = ZIP_LO.selectFrom(x6, x14), y13 = ZIP_HI.selectFrom(x6, x14);
            FloatVector y14 = ZIP_LO.selectFrom(x7, x15), y15 = ZIP_HI.selectFrom(x7, x15);
            x0 = y0; x1 = y1; x2 = y2; x3 = y3; x4 = y4; x5 = y5; x6 = y6; x7 = y7;
            x8 = y8; x9 = y9; x10 = y10; x11 = y11; x12 = y12; x13 = y13; x14 = y14; x15 = y15;
        }
        x0.intoArray(out, d); x1.intoArray(out, d + ldo); x2.intoArray(out, d + 2 * ldo); x3.intoArray(out, d + 3 * ldo);
        x4.intoArray(out, d + 4 * ldo); x5.intoArray(out, d + 5 * ldo); x6.intoArray(out, d + 6 * ldo); x7.intoArray(out, d + 7 * ldo);
        x8.intoArray(out, d + 8 * ldo); x9.intoArray(out, d + 9 * ldo); x10.intoArray(out, d + 10 * ldo); x11.intoArray(out, d + 11 * ldo);
        x12.intoArray(out, d + 12 * ldo); x13.intoArray(out, d + 13 * ldo); x14.intoArray(out, d + 14 * ldo); x15.intoArray(out, d + 15 * ldo);
    }

    /**
     * An 8×8 tile: out[d + j·ldo + i] = a[s + i·lda + j]. Three rounds of y[2i] = zipLo(x[i], x[i+4]),
     * y[2i+1] = zipHi(x[i], x[i+4]) transpose it in registers. Only for 8-lane double vectors ({@link #hasTile8}).
     */
    static void tile8(double[] a, int s, int lda, double[] out, int d, int ldo) {
        DoubleVector x0 = DoubleVector.fromArray(DS, a, s), x1 = DoubleVector.fromArray(DS, a, s + lda);
        DoubleVector x2 = DoubleVector.fromArray(DS, a, s + 2 * lda), x3 = DoubleVector.fromArray(DS, a, s + 3 * lda);
        DoubleVector x4 = DoubleVector.fromArray(DS, a, s + 4 * lda), x5 = DoubleVector.fromArray(DS, a, s + 5 * lda);
        DoubleVector x6 = DoubleVector.fromArray(DS, a, s + 6 * lda), x7 = DoubleVector.fromArray(DS, a, s + 7 * lda);
        for (int round = 0; round < 3; round++) {
            DoubleVector y0 = ZIP_LO_D.selectFrom(x0, x4), y1 = ZIP_HI_D.selectFrom(x0, x4);
            DoubleVector y2 = ZIP_LO_D.selectFrom(x1, x5), y3 = ZIP_HI_D.selectFrom(x1, x5);
            DoubleVector y4 = ZIP_LO_D.selectFrom(x2, x6), y5 = ZIP_HI_D.selectFrom(x2, x6);
            DoubleVector y6 = ZIP_LO_D.selectFrom(x3, x7), y7 = ZIP_HI_D.selectFrom(x3, x7);
            x0 = y0; x1 = y1; x2 = y2; x3 = y3; x4 = y4; x5 = y5; x6 = y6; x7 = y7;
        }
        x0.intoArray(out, d); x1.intoArray(out, d + ldo); x2.intoArray(out, d + 2 * ldo); x3.intoArray(out, d + 3 * ldo);
        x4.intoArray(out, d + 4 * ldo); x5.intoArray(out, d + 5 * ldo); x6.intoArray(out, d + 6 * ldo); x7.intoArray(out, d + 7 * ldo);
    }
}
