package dev.nabla.array;

import dev.nabla.array.ArrayFixtures.Layout;
import dev.nabla.kernels.BinaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.nabla.array.ArrayFixtures.indices;
import static org.junit.jupiter.api.Assertions.*;

/** NumPy/PyTorch broadcasting: the rule, its errors, and element-wise math on broadcast operands of any layout. */
class BroadcastTest {
    static Stream<Arguments> compatible() {
        return Stream.of(
            Arguments.of(new int[] {3, 4}, new int[] {3, 4}, new int[] {3, 4}),
            Arguments.of(new int[] {3, 4}, new int[] {4}, new int[] {3, 4}),
            Arguments.of(new int[] {3, 1}, new int[] {1, 4}, new int[] {3, 4}),
            Arguments.of(new int[] {2, 1, 4}, new int[] {3, 1}, new int[] {2, 3, 4}),
            Arguments.of(new int[] {}, new int[] {2, 3}, new int[] {2, 3}),
            Arguments.of(new int[] {5, 1, 1}, new int[] {1, 6}, new int[] {5, 1, 6}),
            Arguments.of(new int[] {0, 3}, new int[] {1, 3}, new int[] {0, 3}),
            Arguments.of(new int[] {1}, new int[] {7}, new int[] {7}));
    }

    @ParameterizedTest(name = "{0} and {1} give {2}")
    @MethodSource("compatible")
    void broadcastShape(int[] a, int[] b, int[] expected) {
        assertArrayEquals(expected, Shapes.broadcast("add", a, b));
        assertArrayEquals(expected, Shapes.broadcast("add", b, a), "symmetric");
    }

    @Test
    void incompatibleShapesNameTheOpBothShapesAndTheDimension() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shapes.broadcast("mul", new int[] {2, 3}, new int[] {4}));
        assertEquals("mul: shapes [2, 3] and [4] cannot be broadcast: dimension -1 is 3 and 4 (sizes must match or one of them be 1)", e.getMessage());
        NdArray a = NdArray.zeros(DType.FLOAT32, 2, 3), b = NdArray.zeros(DType.FLOAT32, 3, 2);
        var e2 = assertThrows(IllegalArgumentException.class, () -> a.sub(b));
        assertTrue(e2.getMessage().startsWith("sub: shapes [2, 3] and [3, 2] cannot be broadcast"), e2.getMessage());
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> c = new ArrayList<>();
        int[][][] pairs = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 3}}, {{2, 3, 4}, {2, 1, 1}}};
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.GT};
        int k = 0;
        for (int[][] p : pairs)
            for (Layout la : Layout.values())
                for (Layout lb : Layout.values())
                    c.add(Arguments.of(ops[k++ % ops.length], p[0], p[1], la, lb));
        return c.stream();
    }

    @ParameterizedTest(name = "{0} {1} {3} with {2} {4}")
    @MethodSource("binaryCases")
    void binaryOpOnBroadcastOperandsMatchesIndexArithmetic(BinaryOp op, int[] sa, int[] sb, Layout la, Layout lb) {
        for (DType dtype : DType.values()) {
            NdArray a = ArrayFixtures.random(dtype, la, 1, sa), b = ArrayFixtures.random(dtype, lb, 2, sb);
            NdArray out = a.binary(op, b);
            int[] s = Shapes.broadcast("test", sa, sb);
            assertArrayEquals(s, out.shape());
            assertTrue(out.isContiguous());
            for (int[] i : indices(s)) {
                double x = a.get(sourceIndex(i, sa)), y = b.get(sourceIndex(i, sb));
                double expected = dtype == DType.FLOAT32 ? op.apply((float) x, (float) y) : op.apply(x, y);
                assertEquals(expected, out.get(i), 0.0, op + " at " + java.util.Arrays.toString(i));
            }
        }
    }

    /** The operand index that broadcasting reads for output index i: trailing-aligned, size-1 dimensions pinned to 0. */
    static int[] sourceIndex(int[] i, int[] shape) {
        int[] r = new int[shape.length];
        for (int d = 0; d < shape.length; d++) r[d] = shape[d] == 1 ? 0 : i[i.length - shape.length + d];
        return r;
    }

    @Test
    void mixedDtypesPromoteToFloat64() {
        NdArray f = NdArray.of(new float[] {1.5f, 2.5f}, 2), d = NdArray.of(new double[] {0.1}, 1);
        NdArray r = f.add(d);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {1.6, 2.6}, r.toDoubleArray(), 1e-15);
        assertEquals(DType.FLOAT64, d.mul(f).dtype());
        assertEquals(DType.FLOAT32, f.mul(f).dtype());
    }

    @Test
    void whereBroadcastsAllThree() {
        NdArray cond = NdArray.of(new double[] {1, 0, 1}, 3);
        NdArray a = NdArray.of(new double[] {10, 20}, 2, 1), b = NdArray.scalar(DType.FLOAT64, -1);
        NdArray w = NdArray.where(cond, a, b);
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(new double[] {10, -1, 10, 20, -1, 20}, w.toDoubleArray());
    }

    @Test
    void inPlaceOpsBroadcastTheOperandButNeverGrow() {
        NdArray acc = NdArray.zeros(DType.FLOAT32, 2, 3);
        acc.addInPlace(NdArray.of(new double[] {1, 2, 3}, 3)).addInPlace(NdArray.of(new float[] {10, 20}, 2, 1));
        assertArrayEquals(new float[] {11, 12, 13, 21, 22, 23}, acc.toFloatArray());
        NdArray t = NdArray.zeros(DType.FLOAT64, 3, 2).transpose(0, 1);   // in place through a strided view
        t.addInPlace(NdArray.of(new double[] {1, 2, 3}, 3));
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, t.toDoubleArray());
        var e = assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(DType.FLOAT32, 3).addInPlace(NdArray.zeros(DType.FLOAT32, 2, 3)));
        assertEquals("addInPlace: the operand of shape [2, 3] does not broadcast to this array's shape [3] (it would give [2, 3])", e.getMessage());
    }
}
