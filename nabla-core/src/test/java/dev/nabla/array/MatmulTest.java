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
 * NdArray.matmul with PyTorch's rules (1-d promotion, broadcast batch dimensions) on operands in
 * every layout, including broadcast (stride-0) ones, against the definition Σ_p a[.., i, p] b[.., p, j].
 */
class MatmulTest {
    static Stream<Arguments> cases() {
        int[][][] shapes = {
            {{3, 4}, {4, 5}}, {{1, 7}, {7, 1}}, {{17, 1}, {1, 9}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4, 5}},
            {{3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{4}, {4}}, {{2, 3, 4}, {4}},
            {{20, 30}, {30, 40}}};
        List<Arguments> c = new ArrayList<>();
        for (int[][] s : shapes)
            for (Layout la : Layout.values())
                for (Layout lb : Layout.values())
                    c.add(Arguments.of(s[0], s[1], la, lb));
        return c.stream();
    }

    @ParameterizedTest(name = "{0} {2} @ {1} {3}")
    @MethodSource("cases")
    void matchesTheDefinition(int[] sa, int[] sb, Layout la, Layout lb) {
        for (DType dtype : DType.values()) {
            NdArray a = ArrayFixtures.random(dtype, la, 11, sa), b = ArrayFixtures.random(dtype, lb, 12, sb);
            check(a, b, dtype == DType.FLOAT32 ? 1e-5 : 1e-13);
        }
    }

    /** Operands whose rows or columns all alias one row (expanded from size 1): read in place with a 0 stride. */
    @ParameterizedTest(name = "expanded operands {0}")
    @MethodSource("expandedCases")
    void broadcastOperandsReadCorrectly(String name, NdArray a, NdArray b) {
        check(a, b, 1e-13);
    }

    static Stream<Arguments> expandedCases() {
        NdArray col = NdArray.of(new double[] {2}, 1, 1), row = NdArray.of(new double[] {1, -2, 3}, 1, 3);
        NdArray m34 = NdArray.arange(DType.FLOAT64, 0, 12, 1).reshape(3, 4), m13 = NdArray.of(new double[] {1, 2, 3}, 1, 3);
        return Stream.of(
            Arguments.of("[1,1]→[3,1] @ [1,3]", col.expand(3, 1), row),
            Arguments.of("[1,3] @ [1,1]→[3,1]", row, col.expand(3, 1)),
            Arguments.of("[1,3]→[4,3] @ [3,4]", row.expand(4, 3), m34),
            Arguments.of("[3,4] @ [4,1]→[4,3] (k×n, column repeated)", m34, NdArray.of(new double[] {1, 2, 3, 4}, 4, 1).expand(4, 3)),
            Arguments.of("[1,1]→[2,3] @ [3,2] (every element aliases one)", col.expand(2, 3), m34.narrow(1, 0, 2)),
            Arguments.of("[1,1]→[2,1] @ [1,1]→[1,4]", col.expand(2, 1), col.expand(1, 4)),
            Arguments.of("[4,1] @ [1,3] (outer product)", NdArray.of(new double[] {1, 2, 3, 4}, 4, 1), m13));
    }

    private static void check(NdArray a, NdArray b, double tol) {
        NdArray r = a.matmul(b);
        NdArray a2 = a.rank() == 1 ? a.unsqueeze(0) : a, b2 = b.rank() == 1 ? b.unsqueeze(1) : b;
        int[] batch = Shapes.broadcast("test", Arrays.copyOf(a2.shape(), a2.rank() - 2), Arrays.copyOf(b2.shape(), b2.rank() - 2));
        int m = a2.size(-2), k = a2.size(-1), n = b2.size(-1);
        int[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = m;
        full[batch.length + 1] = n;
        NdArray ea = a2.expand(concat(batch, m, k)), eb = b2.expand(concat(batch, k, n));
        NdArray expected = NdArray.zeros(DType.FLOAT64, full);
        for (int[] i : indices(full)) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = i.clone(), ib = i.clone();
                ia[ia.length - 1] = p;
                ib[ib.length - 2] = p;
                s += ea.get(ia) * eb.get(ib);
            }
            expected.set(s, i);
        }
        int[] outShape = expected.shape();
        if (a.rank() == 1) outShape = expected.squeeze(-2).shape();
        if (b.rank() == 1) outShape = NdArray.zeros(DType.FLOAT64, outShape).squeeze(-1).shape();
        assertArrayEquals(outShape, r.shape(), "result shape");
        assertArrayEquals(expected.toDoubleArray(), r.toDoubleArray(), tol * Math.max(1, k));
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }

    @Test
    void handComputedProduct() {
        NdArray a = NdArray.fromNested(new double[][] {{1, 2}, {3, 4}}), b = NdArray.fromNested(new double[][] {{5, 6}, {7, 8}});
        assertArrayEquals(new double[] {19, 22, 43, 50}, a.matmul(b).toDoubleArray());
        assertArrayEquals(new double[] {23, 34, 31, 46}, a.transpose(0, 1).matmul(b.transpose(0, 1)).transpose(0, 1).toDoubleArray());
        assertEquals(DType.FLOAT64, a.to(DType.FLOAT32).matmul(b).dtype(), "promotion");
    }

    @Test
    void errorsNameBothShapes() {
        NdArray a = NdArray.zeros(DType.FLOAT32, 3, 4), b = NdArray.zeros(DType.FLOAT32, 5, 2);
        assertEquals("matmul: [3, 4] @ [5, 2]: inner dimensions 4 and 5 differ",
            assertThrows(IllegalArgumentException.class, () -> a.matmul(b)).getMessage());
        NdArray c = NdArray.zeros(DType.FLOAT32, 2, 3, 4), d = NdArray.zeros(DType.FLOAT32, 3, 4, 2);
        assertEquals("matmul: [2, 3, 4] @ [3, 4, 2]: batch dimensions [2] and [3] cannot be broadcast",
            assertThrows(IllegalArgumentException.class, () -> c.matmul(d)).getMessage());
        assertEquals("matmul: [] @ [3]: both operands need at least 1 dimension",
            assertThrows(IllegalArgumentException.class, () -> NdArray.scalar(DType.FLOAT32, 1).matmul(NdArray.zeros(DType.FLOAT32, 3))).getMessage());
    }

    /** c += a @ b accumulates inside the GEMM for every layout of a, b and c, as c + matmul(a, b) does. */
    @Test
    void addMatmulInPlaceAddsTheProductForEveryLayout() {
        for (DType dtype : DType.values())
            for (Layout la : Layout.values())
                for (Layout lb : Layout.values())
                    for (Layout lc : Layout.values()) {
                        NdArray a = ArrayFixtures.random(dtype, la, 1, 13, 9), b = ArrayFixtures.random(dtype, lb, 2, 9, 11);
                        NdArray c = ArrayFixtures.random(dtype, lc, 3, 13, 11);
                        NdArray expected = c.add(a.matmul(b));
                        assertSame(c, c.addMatmulInPlace(a, b));
                        ArrayFixtures.assertSameValues(expected, c, dtype == DType.FLOAT32 ? 1e-5 : 1e-12);
                    }
    }

    @Test
    void addMatmulInPlaceRefusesShapesAndDtypesThatDoNotFit() {
        NdArray c = NdArray.zeros(DType.FLOAT64, 3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> c.addMatmulInPlace(NdArray.zeros(DType.FLOAT64, 3, 4), NdArray.zeros(DType.FLOAT64, 3, 5)));
        assertEquals("addMatmulInPlace: [3, 5] += [3, 4] @ [3, 5]: expected [m, n] += [m, k] @ [k, n]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> c.addMatmulInPlace(NdArray.zeros(DType.FLOAT32, 3, 4), NdArray.zeros(DType.FLOAT64, 4, 5)));
        assertEquals("addMatmulInPlace: float64 += float32 @ float64: one dtype expected", e.getMessage());
    }
}
