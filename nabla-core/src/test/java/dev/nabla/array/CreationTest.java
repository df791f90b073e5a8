package dev.nabla.array;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import static org.junit.jupiter.api.Assertions.*;

/** Creation: constants, ranges, nested Java arrays (and their ragged errors), seeded random arrays. */
class CreationTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void constants(DType dtype) {
        NdArray z = NdArray.zeros(dtype, 2, 3);
        assertEquals(dtype, z.dtype());
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertArrayEquals(new int[] {3, 1}, z.strides());
        assertEquals(0, z.offset());
        assertArrayEquals(new double[6], z.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 1}, NdArray.ones(dtype, 4).toDoubleArray());
        assertArrayEquals(new double[] {2.5, 2.5}, NdArray.full(dtype, 2.5, 2, 1).toDoubleArray());
        NdArray s = NdArray.scalar(dtype, 7);
        assertEquals(0, s.rank());
        assertEquals(7, s.item());
        assertEquals(0, NdArray.zeros(dtype, 3, 0).numel());
    }

    /**
     * empty: a dense array of the shape; outside a lending pool its storage is new (zeros); inside
     * one, reused storage keeps its old values (no filling pass), while zeros always fills.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyReusesStorageWithoutFilling(DType dtype) {
        NdArray e = NdArray.empty(dtype, 2, 3);
        assertArrayEquals(new int[] {2, 3}, e.shape());
        assertArrayEquals(new int[] {3, 1}, e.strides());
        assertArrayEquals(new double[6], e.toDoubleArray());
        ArrayPool pool = new ArrayPool();
        pool.beginLending();
        try {
            NdArray first = NdArray.full(dtype, 4, 2, 3);
            pool.recycle();
            NdArray reused = NdArray.empty(dtype, 3, 2);
            assertEquals(1, pool.reusedCount());
            assertArrayEquals(new double[] {4, 4, 4, 4, 4, 4}, reused.toDoubleArray(), "empty skips the fill");
            assertArrayEquals(new double[] {4, 4, 4, 4, 4, 4}, first.toDoubleArray(), "the same storage");
            pool.recycle();
            long before = pool.reusedCount();
            NdArray zeros = NdArray.zeros(dtype, 6);
            assertEquals(before + 1, pool.reusedCount(), "zeros reuses storage too");
            assertArrayEquals(new double[6], zeros.toDoubleArray(), "zeros fills reused storage");
        } finally {
            pool.endLending();
        }
    }

    @Test
    void arangeExcludesTheEnd() {
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, NdArray.arange(DType.FLOAT64, 0, 5, 1).toDoubleArray());
        assertArrayEquals(new double[] {1, 0.5, 0, -0.5}, NdArray.arange(DType.FLOAT64, 1, -1, -0.5).toDoubleArray());
        assertArrayEquals(new double[] {0, 0.1, 0.2}, NdArray.arange(DType.FLOAT64, 0, 0.3, 0.1).toDoubleArray(), 1e-15);
        assertEquals(0, NdArray.arange(DType.FLOAT32, 3, 1, 1).numel());
        assertEquals("arange: step must be non-zero, got 0.0",
            assertThrows(IllegalArgumentException.class, () -> NdArray.arange(DType.FLOAT32, 0, 1, 0)).getMessage());
    }

    @Test
    void fromNestedReadsShapeAndValues() {
        NdArray a = NdArray.fromNested(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.toDoubleArray());
        NdArray b = NdArray.fromNested(DType.FLOAT32, new float[][][] {{{1}, {2}}, {{3}, {4}}});
        assertArrayEquals(new int[] {2, 2, 1}, b.shape());
        assertEquals(DType.FLOAT32, b.dtype());
        assertArrayEquals(new double[] {0, 2, 1}, NdArray.fromNested(new int[] {0, 2, 1}).toDoubleArray());
        assertArrayEquals(new double[] {1, 2}, NdArray.fromNested(new Object[] {1, 2.0}).toDoubleArray());
        assertEquals(0, NdArray.fromNested(3.5).rank());
        assertEquals(3.5, NdArray.fromNested(3.5).item());
        assertArrayEquals(new int[] {2, 0}, NdArray.fromNested(new double[2][0]).shape());
    }

    @Test
    void fromNestedRaggedInputNamesTheElement() {
        var e = assertThrows(IllegalArgumentException.class, () -> NdArray.fromNested(new double[][] {{1, 2}, {3}}));
        assertEquals("fromNested: ragged input: element [1] should be an array of length 2 (as the first element at that depth), got length 1",
            e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> NdArray.fromNested(new Object[] {new double[] {1}, 2.0}));
        assertTrue(e2.getMessage().contains("element [1] should be an array of length 1"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> NdArray.fromNested(new Object[] {1.0, new double[] {2}}));
        assertEquals("fromNested: ragged input: element [1] should be a number, got an array of length 1", e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> NdArray.fromNested(new Object[] {"x"}));
        assertEquals("fromNested: ragged input: element [0] should be a number, got String", e4.getMessage());
    }

    @Test
    void ofWrapsWithoutCopyingAndChecksTheSize() {
        double[] data = {1, 2, 3, 4, 5, 6};
        NdArray a = NdArray.of(data, 3, 2);
        assertSame(data, a.doubleData());
        assertEquals("of: 6 values do not fill shape [4, 2]",
            assertThrows(IllegalArgumentException.class, () -> NdArray.of(data, 4, 2)).getMessage());
        assertEquals("shape [2, -3] has a negative size",
            assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(DType.FLOAT32, 2, -3)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aSeedReproducesRandomArrays(DType dtype) {
        assertArrayEquals(NdArray.randn(new SplittableRandom(42), dtype, 3, 4).toDoubleArray(),
            NdArray.randn(new SplittableRandom(42), dtype, 3, 4).toDoubleArray());
        assertArrayEquals(NdArray.rand(new SplittableRandom(42), dtype, 5).toDoubleArray(),
            NdArray.rand(new SplittableRandom(42), dtype, 5).toDoubleArray());
        assertFalse(java.util.Arrays.equals(NdArray.rand(new SplittableRandom(42), dtype, 5).toDoubleArray(),
            NdArray.rand(new SplittableRandom(43), dtype, 5).toDoubleArray()), "another seed, other numbers");
        RandomGenerator l64 = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        RandomGenerator again = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        assertArrayEquals(NdArray.uniform(l64, dtype, -3, 3, 10).toDoubleArray(), NdArray.uniform(again, dtype, -3, 3, 10).toDoubleArray());
    }

    @Test
    void randomDistributionsHaveTheirRangeAndMoments() {
        NdArray u = NdArray.uniform(new SplittableRandom(1), DType.FLOAT64, -3, 5, 20000);
        double[] v = u.toDoubleArray();
        double min = java.util.Arrays.stream(v).min().orElseThrow(), max = java.util.Arrays.stream(v).max().orElseThrow();
        assertTrue(min >= -3 && max < 5);
        assertEquals(1.0, u.mean(false).item(), 0.1);   // mean (lo + hi) / 2 = 1; its standard error is 0.016
        NdArray n = NdArray.randn(new SplittableRandom(2), DType.FLOAT64, 20000);
        double mean = n.mean(false).item();
        double var = n.sub(NdArray.scalar(DType.FLOAT64, mean)).unary(dev.nabla.kernels.UnaryOp.SQUARE).mean(false).item();
        assertEquals(0, mean, 0.05);
        assertEquals(1, var, 0.05);
        double[] r = NdArray.rand(new SplittableRandom(3), DType.FLOAT32, 1000).toDoubleArray();
        assertTrue(java.util.Arrays.stream(r).allMatch(x -> x >= 0 && x < 1));
    }

    @Test
    void uniformStaysBelowHiEvenWhenADrawRoundsUp() {
        RandomGenerator almostOne = () -> -1L;   // nextDouble() = 1 - 2^-53, which float32 rounds to 1
        assertTrue(NdArray.rand(almostOne, DType.FLOAT32, 4).toFloatArray()[0] < 1f);
        assertTrue(NdArray.rand(almostOne, DType.FLOAT64, 4).toDoubleArray()[0] < 1.0);
        assertTrue(NdArray.uniform(almostOne, DType.FLOAT32, -1, 0.1, 1).toFloatArray()[0] < 0.1f);
    }

    @Test
    void toStringShowsValuesAndDtype() {
        assertEquals("array([[1., 2.], [3., 4.5]], dtype=float64)", NdArray.fromNested(new double[][] {{1, 2}, {3, 4.5}}).toString());
        assertEquals("array(2., dtype=float32)", NdArray.scalar(DType.FLOAT32, 2).toString());
    }
}
