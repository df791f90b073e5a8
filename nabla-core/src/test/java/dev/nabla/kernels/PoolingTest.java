package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Max pooling's positions against PyTorch's rule written as one loop per window (visit the window's
 * entries inside the plane row by row; an entry replaces the maximum so far when it is larger or
 * NaN), on values drawn from {0, 1, 2} so that most windows tie, with NaNs sprinkled in; in both
 * dtypes, at an offset into a larger array, on geometries without padding (the vector path, with
 * planes whose outputs are and are not a whole number of vectors) and with padding, strides and
 * dilation; on one thread and split over two.
 */
class PoolingTest {
    static final int X_OFF = 3;

    /** (channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw) */
    static Stream<Im2col.Geometry> geometries() {
        return Stream.of(
            new Im2col.Geometry(3, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1),    // MaxPool2d(2) on MNIST: 196 outputs a plane
            new Im2col.Geometry(2, 14, 14, 2, 2, 2, 2, 0, 0, 1, 1),    // 49 outputs
            // windows two columns wide side by side (the float pair path): odd width, rows over several
            // vectors with a partial last one, taller windows, strided and dilated rows
            new Im2col.Geometry(2, 9, 11, 2, 2, 2, 2, 0, 0, 1, 1),
            new Im2col.Geometry(1, 6, 70, 2, 2, 2, 2, 0, 0, 1, 1),
            new Im2col.Geometry(2, 11, 12, 3, 2, 2, 2, 0, 0, 1, 1),
            new Im2col.Geometry(1, 12, 10, 2, 2, 3, 2, 0, 0, 2, 1),
            new Im2col.Geometry(2, 9, 11, 3, 3, 2, 2, 0, 0, 1, 1),     // overlapping windows
            new Im2col.Geometry(1, 8, 16, 2, 3, 1, 1, 0, 0, 1, 1),     // stride 1
            new Im2col.Geometry(2, 10, 12, 2, 2, 3, 2, 0, 0, 2, 3),    // dilation
            new Im2col.Geometry(2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1),      // padding: window by window
            new Im2col.Geometry(1, 5, 6, 2, 4, 1, 2, 1, 2, 1, 1),
            new Im2col.Geometry(1, 1, 3, 1, 2, 1, 1, 0, 0, 1, 1));
    }

    /** PyTorch's rule, one window at a time; positions are plane·H·W + y·W + x. */
    static int[] reference(Im2col.Geometry g, int planes, double[] x) {
        int oh = g.outHeight(), ow = g.outWidth(), hw = g.height() * g.width();
        int[] pos = new int[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int at = -1;
                    double best = 0;
                    for (int i = 0; i < g.kh(); i++)
                        for (int j = 0; j < g.kw(); j++) {
                            int iy = oy * g.sh() - g.ph() + i * g.dh(), ix = ox * g.sw() - g.pw() + j * g.dw();
                            if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                            int q = p * hw + iy * g.width() + ix;
                            if (at < 0 || x[q] > best || Double.isNaN(x[q])) { best = x[q]; at = q; }
                        }
                    pos[(p * oh + oy) * ow + ox] = at;
                }
        return pos;
    }

    /** Values in {0, 1, 2}, about one in twenty NaN. */
    static double[] tiesAndNaNs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextInt(20) == 0 ? Double.NaN : rng.nextInt(3);
        return v;
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void positionsFollowPyTorchsRule(Im2col.Geometry g) {
        // enough planes that two threads split them (a task gets at least 8192 outputs)
        int planes = Math.max(4 * g.channels(), 2 * (8192 / (g.outHeight() * g.outWidth())) + 2);
        double[] x = tiesAndNaNs(planes * g.height() * g.width(), 11);
        int[] want = reference(g, planes, x);
        double[] xd = new double[X_OFF + x.length];
        float[] xf = new float[X_OFF + x.length];
        for (int i = 0; i < x.length; i++) { xd[X_OFF + i] = x[i]; xf[X_OFF + i] = (float) x[i]; }
        int saved = Parallel.threads();
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            try {
                int[] d = new int[want.length], f = new int[want.length];
                Pooling.maxPositions(g, planes, xd, X_OFF, d);
                Pooling.maxPositions(g, planes, xf, X_OFF, f);
                assertArrayEquals(want, d, "double, " + threads + " thread(s)");
                assertArrayEquals(want, f, "float, " + threads + " thread(s)");
            } finally {
                Parallel.setThreads(saved);
            }
        }
    }
}
