package dev.nabla.array;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers: index enumeration, seeded arrays in several layouts, naive comparisons. */
final class ArrayFixtures {
    private ArrayFixtures() {}

    /** Every index of a shape, in row-major order. */
    static List<int[]> indices(int[] shape) {
        List<int[]> out = new ArrayList<>();
        int n = Shapes.numel(shape);
        for (int flat = 0; flat < n; flat++) {
            int[] idx = new int[shape.length];
            int rem = flat;
            for (int i = shape.length - 1; i >= 0; i--) { idx[i] = rem % shape[i]; rem /= shape[i]; }
            out.add(idx);
        }
        return out;
    }

    /** How an array of a given shape is laid out in storage. */
    enum Layout {
        /** Row-major, offset 0. */
        CONTIGUOUS,
        /** A permuted view: the storage holds the reversed shape, read through reversed strides. */
        TRANSPOSED,
        /** A view into a larger array: offset 1 and every dimension one longer (strides are not contiguous). */
        SLICED
    }

    /** A random array of the given shape in the given layout, values in [-2, 2). */
    static NdArray random(DType dtype, Layout layout, long seed, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        return switch (layout) {
            case CONTIGUOUS -> NdArray.uniform(rng, dtype, -2, 2, shape);
            case TRANSPOSED -> {
                int[] rev = new int[shape.length], order = new int[shape.length];
                for (int i = 0; i < shape.length; i++) { rev[i] = shape[shape.length - 1 - i]; order[i] = shape.length - 1 - i; }
                yield NdArray.uniform(rng, dtype, -2, 2, rev).permute(order);
            }
            case SLICED -> {
                int[] big = new int[shape.length];
                for (int i = 0; i < shape.length; i++) big[i] = shape[i] + 1;
                NdArray a = NdArray.uniform(rng, dtype, -2, 2, big);
                for (int i = 0; i < shape.length; i++) a = a.narrow(i, 1, shape[i]);
                yield a;
            }
        };
    }

    static void assertSameValues(NdArray expected, NdArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        for (int[] idx : indices(expected.shape()))
            assertEquals(expected.get(idx), actual.get(idx), tol, "element " + java.util.Arrays.toString(idx));
    }

    /** True when writing through a changes b (they share storage at that element). */
    static boolean shares(NdArray a, int[] aIdx, NdArray b, int[] bIdx) {
        double old = a.get(aIdx);
        a.set(old + 1000, aIdx);
        boolean seen = b.get(bIdx) == a.get(aIdx);
        a.set(old, aIdx);
        return seen;
    }
}
