package dev.nabla.array;

import dev.nabla.array.ArrayFixtures.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.nabla.array.ArrayFixtures.indices;
import static org.junit.jupiter.api.Assertions.*;

/**
 * sum, mean and max over every subset of the dimensions of rank-3 and rank-4 arrays, with and without
 * keepdim, in both dtypes and all layouts, against a naive loop over the index space; argmax over
 * each dimension.
 */
class ReductionsTest {
    enum Kind { SUM, MEAN, MAX }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        for (int[] shape : new int[][] {{2, 3, 4}, {3, 1, 2, 5}})
            for (int mask = 0; mask < (1 << shape.length); mask++)
                for (Layout layout : Layout.values())
                    c.add(Arguments.of(shape, dimsOf(mask, shape.length), layout));
        return c.stream();
    }

    private static int[] dimsOf(int mask, int rank) {
        return java.util.stream.IntStream.range(0, rank).filter(d -> (mask & (1 << d)) != 0).toArray();
    }

    @ParameterizedTest(name = "shape {0} dims {1} {2}")
    @MethodSource("cases")
    void reductionsMatchNaiveLoops(int[] shape, int[] dims, Layout layout) {
        for (DType dtype : DType.values()) {
            NdArray a = ArrayFixtures.random(dtype, layout, Arrays.hashCode(dims), shape);
            for (Kind kind : Kind.values())
                for (boolean keepdim : new boolean[] {true, false}) {
                    NdArray r = switch (kind) {
                        case SUM -> a.sum(keepdim, dims);
                        case MEAN -> a.mean(keepdim, dims);
                        case MAX -> a.max(keepdim, dims);
                    };
                    NdArray expected = naive(a, dims, kind, keepdim);
                    double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
                    ArrayFixtures.assertSameValues(expected, r, tol);
                    assertEquals(dtype, r.dtype());
                }
        }
    }

    /** The reduction by definition: visit every input index and fold it into its output cell. */
    static NdArray naive(NdArray a, int[] dims, Kind kind, boolean keepdim) {
        int[] shape = a.shape();
        int[] all = dims.length == 0 ? java.util.stream.IntStream.range(0, shape.length).toArray() : dims;
        boolean[] red = new boolean[shape.length];
        for (int d : all) red[d] = true;
        int[] kept = shape.clone();
        for (int d : all) kept[d] = 1;
        NdArray out = NdArray.full(DType.FLOAT64, kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0, kept);
        int count = 1;
        for (int d : all) count *= shape[d];
        for (int[] i : indices(shape)) {
            int[] o = i.clone();
            for (int d = 0; d < o.length; d++) if (red[d]) o[d] = 0;
            double v = a.get(i);
            out.set(kind == Kind.MAX ? Math.max(out.get(o), v) : out.get(o) + v, o);
        }
        if (kind == Kind.MEAN) out = out.mul(1.0 / count);
        if (keepdim) return out;
        int[] s = java.util.stream.IntStream.range(0, shape.length).filter(d -> !red[d]).map(d -> shape[d]).toArray();
        return out.reshape(s);
    }

    @Test
    void noDimsMeansAllAndGivesAScalar() {
        NdArray a = NdArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {}, a.sum(false).shape());
        assertEquals(21, a.sum(false).item());
        assertArrayEquals(new int[] {1, 1}, a.sum(true).shape());
        assertEquals(3.5, a.mean(false).item());
        assertEquals(6, a.max(false).item());
        assertEquals(21, a.sumAll());
        assertArrayEquals(new double[] {6, 15}, a.sum(false, -1).toDoubleArray(), "negative dims count from the end");
    }

    @Test
    void sumOverAnEmptyDimensionIsZeroAndMaxIsAnError() {
        NdArray e = NdArray.zeros(DType.FLOAT64, 3, 0);
        assertArrayEquals(new double[] {0, 0, 0}, e.sum(false, 1).toDoubleArray());
        var ex = assertThrows(IllegalArgumentException.class, () -> e.max(false, 1));
        assertTrue(ex.getMessage().contains("empty dimension 1"), ex.getMessage());
    }

    @Test
    void repeatedOrOutOfRangeDimsAreErrors() {
        NdArray a = NdArray.zeros(DType.FLOAT64, 2, 3);
        assertEquals("sum: dimension 1 appears twice in [1, -1]",
            assertThrows(IllegalArgumentException.class, () -> a.sum(false, 1, -1)).getMessage());
        assertEquals("sum: dimension 2 is out of range for a 2-d array (expected -2 to 1)",
            assertThrows(IllegalArgumentException.class, () -> a.sum(false, 2)).getMessage());
    }

    static Stream<Arguments> argmaxCases() {
        List<Arguments> c = new ArrayList<>();
        for (Layout layout : Layout.values()) for (int dim = -3; dim < 3; dim++) c.add(Arguments.of(layout, dim));
        return c.stream();
    }

    @ParameterizedTest(name = "argmax {0} dim {1}")
    @MethodSource("argmaxCases")
    void argmaxFindsTheFirstLargest(Layout layout, int dim) {
        NdArray a = ArrayFixtures.random(DType.FLOAT32, layout, 4, 3, 4, 5);
        a.unaryInPlace(dev.nabla.kernels.UnaryOp.MUL_SCALAR, 2, 0).unaryInPlace(dev.nabla.kernels.UnaryOp.CLAMP, -1, 1);   // many ties at ±1
        int d = Math.floorMod(dim, 3);
        for (boolean keepdim : new boolean[] {true, false}) {
            NdArray r = a.argmax(dim, keepdim);
            int[] kept = a.shape();
            kept[d] = 1;
            assertArrayEquals(keepdim ? kept : NdArray.zeros(DType.FLOAT32, kept).squeeze(d).shape(), r.shape());
            NdArray rk = keepdim ? r : r.unsqueeze(d);
            for (int[] o : indices(kept)) {
                int best = -1;
                double bestValue = Double.NEGATIVE_INFINITY;
                int[] i = o.clone();
                for (int k = 0; k < a.size(d); k++) {
                    i[d] = k;
                    if (a.get(i) > bestValue) { bestValue = a.get(i); best = k; }
                }
                assertEquals(best, rk.get(o), 0.0, "at " + Arrays.toString(o));
            }
        }
    }
}
