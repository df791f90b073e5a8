package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * im2col and col2im against the definition written as one nested loop per output entry (every
 * window position, inside the image or in the padding), in both dtypes, at offsets into larger
 * arrays, on geometries with strides, padding wider than the kernel, dilation, 1 × 1 kernels and
 * non-square everything; and on a batch large enough to be split over several threads.
 */
class Im2colTest {
    static final int X_OFF = 5, COLS_OFF = 3;

    /** (channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw) */
    static Stream<Im2col.Geometry> geometries() {
        return Stream.of(
            new Im2col.Geometry(1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1),
            new Im2col.Geometry(2, 5, 4, 3, 2, 1, 1, 1, 0, 1, 1),
            new Im2col.Geometry(2, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1),
            new Im2col.Geometry(3, 6, 7, 2, 3, 1, 2, 0, 2, 2, 1),
            new Im2col.Geometry(1, 5, 5, 5, 5, 1, 1, 2, 2, 1, 1),
            new Im2col.Geometry(2, 4, 9, 1, 1, 3, 2, 0, 0, 1, 1),
            new Im2col.Geometry(1, 8, 8, 3, 3, 3, 1, 3, 3, 2, 2),   // whole windows in the padding
            new Im2col.Geometry(2, 1, 10, 1, 4, 1, 3, 0, 1, 1, 2),
            // stride 1 with as many output columns as input columns: one shifted copy per tap
            new Im2col.Geometry(2, 6, 5, 3, 3, 1, 1, 2, 2, 2, 2),
            new Im2col.Geometry(1, 4, 7, 3, 1, 1, 1, 1, 0, 1, 1),
            new Im2col.Geometry(1, 3, 2, 5, 5, 1, 1, 2, 2, 1, 1),   // taps that reach only padding
            new Im2col.Geometry(3, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1),
            new Im2col.Geometry(2, 5, 17, 3, 5, 1, 1, 1, 2, 1, 1),    // rows wider than a vector of floats
            new Im2col.Geometry(1, 4, 33, 3, 3, 1, 1, 2, 2, 2, 2));
    }

    /** cols by the definition: one entry at a time, pad where the position is outside the image. */
    static double[] reference(Im2col.Geometry g, int images, double[] x, double pad) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, rows = g.channels() * g.kh() * g.kw();
        double[] cols = new double[images * rows * l];
        for (int n = 0; n < images; n++)
            for (int c = 0; c < g.channels(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++) {
                                int iy = oy * g.sh() - g.ph() + i * g.dh(), ix = ox * g.sw() - g.pw() + j * g.dw();
                                boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                                int row = (c * g.kh() + i) * g.kw() + j;
                                cols[(n * rows + row) * l + oy * ow + ox] =
                                    inside ? x[((n * g.channels() + c) * g.height() + iy) * g.width() + ix] : pad;
                            }
        return cols;
    }

    static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-2, 2);
        return v;
    }

    static int imageSize(Im2col.Geometry g, int images) { return images * g.channels() * g.height() * g.width(); }

    static int colsSize(Im2col.Geometry g, int images) { return images * g.channels() * g.kh() * g.kw() * g.outHeight() * g.outWidth(); }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colIsTheDefinition(Im2col.Geometry g) {
        int images = 2;
        double[] x = random(imageSize(g, images), 1);
        double[] want = reference(g, images, x, -7.5);
        double[] xd = new double[X_OFF + x.length], cd = new double[COLS_OFF + want.length + 2];
        System.arraycopy(x, 0, xd, X_OFF, x.length);
        java.util.Arrays.fill(cd, Double.NaN);   // every entry must be written
        Im2col.im2col(g, images, xd, X_OFF, -7.5, cd, COLS_OFF);
        for (int k = 0; k < want.length; k++) assertEquals(want[k], cd[COLS_OFF + k], 0.0, "double entry " + k);
        assertTrue(Double.isNaN(cd[COLS_OFF + want.length]), "nothing written past the end");

        float[] xf = new float[X_OFF + x.length], cf = new float[COLS_OFF + want.length];
        for (int k = 0; k < x.length; k++) xf[X_OFF + k] = (float) x[k];
        java.util.Arrays.fill(cf, Float.NaN);
        Im2col.im2col(g, images, xf, X_OFF, -7.5f, cf, COLS_OFF);
        for (int k = 0; k < want.length; k++) assertEquals((float) want[k], cf[COLS_OFF + k], 0f, "float entry " + k);
    }

    /** col2im is the transpose: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩, and it adds into x rather than overwriting. */
    @ParameterizedTest
    @MethodSource("geometries")
    void col2imIsTheTransposeAndAccumulates(Im2col.Geometry g) {
        int images = 2;
        double[] x = random(imageSize(g, images), 2), y = random(colsSize(g, images), 3);
        double[] cols = reference(g, images, x, 0);
        double lhs = 0;
        for (int k = 0; k < y.length; k++) lhs += cols[k] * y[k];

        double[] base = random(X_OFF + x.length, 4), into = base.clone();
        double[] yd = new double[COLS_OFF + y.length];
        System.arraycopy(y, 0, yd, COLS_OFF, y.length);
        Im2col.col2im(g, images, yd, COLS_OFF, into, X_OFF);
        double rhs = 0;
        for (int k = 0; k < x.length; k++) rhs += x[k] * (into[X_OFF + k] - base[X_OFF + k]);
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
        for (int k = 0; k < X_OFF; k++) assertEquals(base[k], into[k], 0.0, "before the offset untouched");

        // col2im by the definition: scatter each entry to its pixel, in the same order as the kernel adds
        double[] want = new double[x.length];
        scatter(g, images, y, want);
        float[] yf = new float[COLS_OFF + y.length], xf = new float[X_OFF + x.length];
        for (int k = 0; k < y.length; k++) yf[COLS_OFF + k] = (float) y[k];
        Im2col.col2im(g, images, yf, COLS_OFF, xf, X_OFF);
        for (int k = 0; k < x.length; k++) {
            assertEquals(want[k], into[X_OFF + k] - base[X_OFF + k], 1e-12, "double pixel " + k);
            assertEquals(want[k], xf[X_OFF + k], 1e-5, "float pixel " + k);
        }
    }

    static void scatter(Im2col.Geometry g, int images, double[] cols, double[] x) {
        int oh = g.outHeight(), ow = g.outWidth(), l = oh * ow, rows = g.channels() * g.kh() * g.kw();
        for (int n = 0; n < images; n++)
            for (int c = 0; c < g.channels(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++) {
                                int iy = oy * g.sh() - g.ph() + i * g.dh(), ix = ox * g.sw() - g.pw() + j * g.dw();
                                if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                                int row = (c * g.kh() + i) * g.kw() + j;
                                x[((n * g.channels() + c) * g.height() + iy) * g.width() + ix] += cols[(n * rows + row) * l + oy * ow + ox];
                            }
    }

    /** A batch of 4 × 8 planes of 16 × 16: more than two grains of work, so split over the pool's threads. */
    @Test
    void aLargeBatchSplitOverThreadsGivesTheSameResult() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            Im2col.Geometry g = new Im2col.Geometry(8, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            int images = 4;
            double[] x = random(imageSize(g, images), 5), cols = new double[colsSize(g, images)];
            Im2col.im2col(g, images, x, 0, 0.0, cols, 0);
            assertArrayEquals(reference(g, images, x, 0), cols, 0.0);
            double[] back = new double[x.length], want = new double[x.length];
            Im2col.col2im(g, images, cols, 0, back, 0);
            scatter(g, images, cols, want);
            assertArrayEquals(want, back, 1e-12);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void outputSizeIsThePyTorchFormula() {
        assertEquals(3, Im2col.outputSize(5, 3, 1, 0, 1));
        assertEquals(3, Im2col.outputSize(5, 3, 2, 1, 1));      // ⌊(5 + 2 − 2 − 1) / 2⌋ + 1
        assertEquals(1, Im2col.outputSize(5, 3, 1, 0, 2));      // dilated kernel spans 5
        assertEquals(0, Im2col.outputSize(2, 3, 1, 0, 1));      // does not fit: ⌊−1 / 1⌋ + 1
        assertEquals(0, Im2col.outputSize(2, 4, 3, 0, 1));      // floor, not truncation toward 0: ⌊−2 / 3⌋ + 1
    }
}
