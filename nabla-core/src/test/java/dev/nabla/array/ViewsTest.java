package dev.nabla.array;

import dev.nabla.array.ArrayFixtures.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.nabla.array.ArrayFixtures.assertSameValues;
import static dev.nabla.array.ArrayFixtures.indices;
import static dev.nabla.array.ArrayFixtures.shares;
import static org.junit.jupiter.api.Assertions.*;

/** Views share storage and copy nothing; their elements are the ones index arithmetic says. */
class ViewsTest {
    private static NdArray iota(int... shape) {
        return NdArray.arange(DType.FLOAT64, 0, Shapes.numel(shape), 1).reshape(shape);
    }

    @Test
    void reshapeOfContiguousIsAView() {
        NdArray a = iota(2, 3, 4);
        NdArray r = a.reshape(4, -1);
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertSame(a.doubleData(), r.doubleData());
        assertTrue(shares(a, new int[] {1, 2, 3}, r, new int[] {3, 5}));
        assertArrayEquals(a.toDoubleArray(), r.toDoubleArray());
    }

    @Test
    void reshapeOfTransposedInsertingUnitDimsIsAView() {
        NdArray t = iota(3, 4).transpose(0, 1);           // [4, 3], strides [1, 4]
        NdArray r = t.reshape(4, 1, 3, 1);
        assertSame(t.doubleData(), r.doubleData());
        assertArrayEquals(t.toDoubleArray(), r.toDoubleArray());
        NdArray base = iota(6, 4).transpose(0, 1);
        NdArray split = base.reshape(4, 2, 3);   // splitting a strided dimension: still a view
        assertSame(base.doubleData(), split.doubleData());
        assertArrayEquals(new int[] {1, 12, 4}, split.strides());
        assertArrayEquals(base.toDoubleArray(), split.toDoubleArray());
    }

    @Test
    void reshapeThatMergesTransposedDimsCopies() {
        NdArray a = iota(3, 4);
        NdArray r = a.transpose(0, 1).reshape(12);
        assertNotSame(a.doubleData(), r.doubleData());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toDoubleArray());
    }

    /** Chains of random views, then reshapes to random factorizations: same elements in row-major order. */
    @ParameterizedTest(name = "random view chain {0}")
    @MethodSource("seeds")
    void reshapeAfterAnyViewKeepsRowMajorOrder(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        NdArray a = NdArray.uniform(rng, DType.FLOAT64, -1, 1, 4, 6, 2);
        for (int step = 0; step < 3; step++) {
            a = switch (rng.nextInt(4)) {
                case 0 -> a.transpose(rng.nextInt(a.rank()), rng.nextInt(a.rank()));
                case 1 -> { int d = rng.nextInt(a.rank()); int len = a.size(d); yield len > 1 ? a.narrow(d, 1, len - 1) : a; }
                case 2 -> a.unsqueeze(rng.nextInt(a.rank() + 1));
                default -> a;
            };
        }
        double[] expected = a.toDoubleArray();
        for (int[] target : factorizations(a.numel())) {
            NdArray r = a.reshape(target);
            assertArrayEquals(target, r.shape());
            assertArrayEquals(expected, r.toDoubleArray(), 0.0, "reshape to " + java.util.Arrays.toString(target));
            if (r.doubleData() == a.doubleData() && a.numel() > 0) {   // a view: writes must show through
                int[] last = indices(target).get(a.numel() - 1), lastA = indices(a.shape()).get(a.numel() - 1);
                assertTrue(shares(r, last, a, lastA), "view " + java.util.Arrays.toString(target) + " does not alias its base");
            }
        }
    }

    static Stream<Long> seeds() { return Stream.iterate(1L, s -> s + 1).limit(30); }

    private static List<int[]> factorizations(int n) {
        List<int[]> out = new ArrayList<>(List.of(new int[] {n}, new int[] {1, n, 1}));
        for (int d = 2; d <= n; d++) if (n % d == 0) { out.add(new int[] {d, n / d}); out.add(new int[] {n / d, 1, d}); }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeAndPermuteAreViews(DType dtype) {
        NdArray a = NdArray.uniform(new SplittableRandom(3), dtype, -1, 1, 2, 3, 4);
        NdArray p = a.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        int[] st = a.strides();
        assertArrayEquals(new int[] {st[2], st[0], st[1]}, p.strides());
        for (int[] i : indices(p.shape())) assertEquals(a.get(i[1], i[2], i[0]), p.get(i), 0.0);
        assertTrue(shares(p, new int[] {3, 1, 2}, a, new int[] {1, 2, 3}));
        assertSameValues(a, p.permute(1, 2, 0), 0.0);   // the inverse permutation gives a back
        NdArray t = a.transpose(-1, 0);
        for (int[] i : indices(t.shape())) assertEquals(a.get(i[2], i[1], i[0]), t.get(i), 0.0);
        assertFalse(t.isContiguous());
    }

    @Test
    void narrowAndSelectAreViewsWithAnOffset() {
        NdArray a = iota(4, 5);
        NdArray n = a.narrow(1, 2, 3);
        assertArrayEquals(new int[] {4, 3}, n.shape());
        assertEquals(2, n.offset());
        for (int[] i : indices(n.shape())) assertEquals(a.get(i[0], i[1] + 2), n.get(i), 0.0);
        assertTrue(shares(n, new int[] {3, 0}, a, new int[] {3, 2}));
        NdArray s = a.select(0, 2);
        assertArrayEquals(new int[] {5}, s.shape());
        assertArrayEquals(new double[] {10, 11, 12, 13, 14}, s.toDoubleArray());
        assertTrue(shares(s, new int[] {4}, a, new int[] {2, 4}));
        NdArray nn = a.transpose(0, 1).narrow(0, 1, 2).narrow(1, 1, 2);   // a view of a view of a view
        for (int[] i : indices(nn.shape())) assertEquals(a.get(i[1] + 1, i[0] + 1), nn.get(i), 0.0);
    }

    @Test
    void expandRepeatsWithStrideZero() {
        NdArray row = iota(1, 3);
        NdArray e = row.expand(2, 4, 3);
        assertArrayEquals(new int[] {2, 4, 3}, e.shape());
        assertArrayEquals(new int[] {0, 0, 1}, e.strides());
        for (int[] i : indices(e.shape())) assertEquals(i[2], e.get(i), 0.0);
        assertTrue(shares(row, new int[] {0, 1}, e, new int[] {1, 3, 1}));
        assertArrayEquals(new int[] {5, 1, 3}, row.expand(5, -1, -1).shape(), "-1 keeps a size");
    }

    @Test
    void squeezeAndUnsqueezeAreViews() {
        NdArray a = iota(3, 1, 4);
        NdArray s = a.squeeze(1);
        assertArrayEquals(new int[] {3, 4}, s.shape());
        assertTrue(shares(s, new int[] {2, 3}, a, new int[] {2, 0, 3}));
        NdArray u = s.unsqueeze(-1);
        assertArrayEquals(new int[] {3, 4, 1}, u.shape());
        assertTrue(shares(u, new int[] {1, 2, 0}, a, new int[] {1, 0, 2}));
        assertArrayEquals(new int[] {1, 3, 4}, s.unsqueeze(0).shape());
        assertArrayEquals(new int[] {3, 1, 4}, s.unsqueeze(-2).shape());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void contiguousCopiesOnlyWhenNeeded(Layout layout) {
        NdArray a = ArrayFixtures.random(DType.FLOAT32, layout, 9, 3, 5);
        NdArray c = a.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(a.toFloatArray(), c.toFloatArray());
        if (layout == Layout.CONTIGUOUS) assertSame(a, c);
        else {
            assertNotSame(a.floatData(), c.floatData());
            assertFalse(shares(c, new int[] {0, 0}, a, new int[] {0, 0}));
        }
        NdArray copy = a.copy();
        assertNotSame(a.floatData(), copy.floatData());
        assertArrayEquals(a.toFloatArray(), copy.toFloatArray());
    }

    @Test
    void fillOverwritesNaNAndInfinity() {
        NdArray a = NdArray.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY}, 2, 2);
        a.fill(3);
        assertArrayEquals(new double[] {3, 3, 3, 3}, a.toDoubleArray());
        NdArray t = iota(3, 4).transpose(0, 1).narrow(0, 1, 2);   // fill through a strided view
        t.fill(-1);
        assertArrayEquals(new double[] {-1, -1, -1, -1, -1, -1}, t.toDoubleArray());
    }

    @Test
    void dtypeConversionRoundsToFloat() {
        NdArray a = NdArray.of(new double[] {0.1, 1e-50, 3}, 3);
        NdArray f = a.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {0.1f, 0f, 3f}, f.toFloatArray());
        assertSame(a, a.to(DType.FLOAT64));
    }
}
