package dev.nabla.array;

import dev.nabla.array.ArrayFixtures.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.nabla.array.ArrayFixtures.indices;
import static org.junit.jupiter.api.Assertions.*;

/** gather / scatterAdd, indexSelect / indexAdd, take / putAdd, concat / stack: values, adjointness, and worded errors. */
class IndexingTest {
    @ParameterizedTest
    @EnumSource(Layout.class)
    void gatherPicksByClassIndex(Layout layout) {
        NdArray x = ArrayFixtures.random(DType.FLOAT64, layout, 3, 4, 5);
        NdArray index = NdArray.of(new double[] {4, 0, 2, 2}, 4, 1);
        NdArray g = x.gather(1, index);
        assertArrayEquals(new int[] {4, 1}, g.shape());
        for (int i = 0; i < 4; i++) assertEquals(x.get(i, (int) index.get(i, 0)), g.get(i, 0));
        int[] rows = {3, 1, 0};
        NdArray g0 = x.gather(0, NdArray.of(new double[] {3, 1, 0}, 1, 3));   // along dim 0, index narrower than x
        for (int j = 0; j < 3; j++) assertEquals(x.get(rows[j], j), g0.get(0, j));
    }

    /** ⟨gather(x), y⟩ = ⟨x, scatterAdd(y)⟩ and likewise for indexSelect / indexAdd, with repeated positions. */
    @Test
    void scatterAddAndIndexAddAreTheAdjoints() {
        NdArray x = ArrayFixtures.random(DType.FLOAT64, Layout.CONTIGUOUS, 1, 3, 4);
        NdArray index = NdArray.of(new double[] {1, 1, 3, 0, 2, 0}, 3, 2);
        NdArray y = ArrayFixtures.random(DType.FLOAT64, Layout.CONTIGUOUS, 2, 3, 2);
        double lhs = x.gather(1, index).mul(y).sumAll();
        double rhs = x.mul(NdArray.scatterAdd(x.shape(), 1, index, y)).sumAll();
        assertEquals(lhs, rhs, 1e-13);
        int[] positions = {2, 0, 2};
        NdArray z = ArrayFixtures.random(DType.FLOAT64, Layout.CONTIGUOUS, 3, 3, 3);
        assertEquals(x.indexSelect(1, positions).mul(z).sumAll(),
            x.mul(NdArray.indexAdd(x.shape(), 1, positions, z)).sumAll(), 1e-13);
        NdArray added = NdArray.indexAdd(new int[] {3}, 0, new int[] {1, 1}, NdArray.of(new double[] {2, 5}, 2));
        assertArrayEquals(new double[] {0, 7, 0}, added.toDoubleArray(), "a repeated position receives the sum");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void takeReadsRowMajorPositionsAndPutAddIsItsAdjoint(Layout layout) {
        NdArray x = ArrayFixtures.random(DType.FLOAT64, layout, 7, 2, 3, 4);
        int[] positions = {23, 0, 5, 5, 12, 7};
        NdArray t = x.take(positions, 3, 2);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        double[] flat = x.toDoubleArray();   // row-major, whatever the layout
        for (int i = 0; i < positions.length; i++) assertEquals(flat[positions[i]], t.get(i / 2, i % 2));
        NdArray y = ArrayFixtures.random(DType.FLOAT64, layout, 8, 3, 2);
        assertEquals(t.mul(y).sumAll(), x.mul(NdArray.putAdd(x.shape(), positions, y)).sumAll(), 1e-13);
        NdArray f = x.to(DType.FLOAT32);
        assertArrayEquals(new float[] {(float) flat[23], (float) flat[0]}, f.take(new int[] {23, 0}, 2).toFloatArray());
        NdArray added = NdArray.putAdd(new int[] {2, 2}, new int[] {3, 3, 0}, NdArray.of(new float[] {2, 5, 1}, 3));
        assertEquals(DType.FLOAT32, added.dtype());
        assertArrayEquals(new float[] {1, 0, 0, 7}, added.toFloatArray(), "a repeated position receives the sum");
    }

    @Test
    void indexSelectTakesSlicesInOrder() {
        NdArray x = NdArray.arange(DType.FLOAT32, 0, 12, 1).reshape(3, 4);
        assertArrayEquals(new float[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, x.indexSelect(0, new int[] {2, 0, 2}).toFloatArray());
        assertArrayEquals(new float[] {3, 7, 11}, x.indexSelect(-1, new int[] {3}).toFloatArray());
    }

    @Test
    void concatAndStack() {
        NdArray a = NdArray.arange(DType.FLOAT64, 0, 6, 1).reshape(2, 3), b = NdArray.arange(DType.FLOAT32, 6, 8, 1).reshape(2, 1);
        NdArray c = NdArray.concat(List.of(a, b), 1);
        assertEquals(DType.FLOAT64, c.dtype());
        assertArrayEquals(new double[] {0, 1, 2, 6, 3, 4, 5, 7}, c.toDoubleArray());
        NdArray s = NdArray.stack(List.of(a, a.mul(10)), -1);
        assertArrayEquals(new int[] {2, 3, 2}, s.shape());
        for (int[] i : indices(s.shape())) assertEquals(a.get(i[0], i[1]) * (i[2] == 0 ? 1 : 10), s.get(i));
        assertArrayEquals(new int[] {2, 2, 3}, NdArray.stack(List.of(a, a), 0).shape());
    }

    @Test
    void errorsSayWhatAndWhere() {
        NdArray x = NdArray.zeros(DType.FLOAT64, 2, 3);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(1, NdArray.of(new double[] {0, 3}, 2, 1)));
        assertEquals("gather: index element [1, 0] is 3, out of range for dimension 1 of size 3 (expected 0 to 2)", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> x.gather(1, NdArray.of(new double[] {0.5, 1}, 2, 1)));
        assertEquals("gather: index element [0, 0] holds 0.5, which is not an integer position", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> x.gather(1, NdArray.of(new double[] {0, 1}, 2)));
        assertEquals("gather: index of shape [2] must have the rank of the input [2, 3]", e3.getMessage());
        var e4 = assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, new int[] {0, -1}));
        assertEquals("indexSelect: position 1 of the indices is -1, out of range for a dimension of size 2 (expected 0 to 1)", e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> NdArray.concat(List.of(x, NdArray.zeros(DType.FLOAT64, 3, 3)), 1));
        assertEquals("concat: array 1 has shape [3, 3], which differs from [2, 3] in dimension 0 (only dimension 1 may differ)", e5.getMessage());
        var e6 = assertThrows(IllegalArgumentException.class, () -> NdArray.stack(List.of(x, NdArray.zeros(DType.FLOAT64, 3, 2)), 0));
        assertEquals("stack: array 1 has shape [3, 2], array 0 has [2, 3]; stack needs equal shapes", e6.getMessage());
        var e8 = assertThrows(IndexOutOfBoundsException.class, () -> x.take(new int[] {0, 6}, 2));
        assertEquals("take: position 1 of the positions is 6, out of range for an array of shape [2, 3] (expected 0 to 5)", e8.getMessage());
        var e9 = assertThrows(IllegalArgumentException.class, () -> x.take(new int[] {0, 1, 2}, 2, 2));
        assertEquals("take: 3 positions do not fill shape [2, 2] (4 elements)", e9.getMessage());
        var e10 = assertThrows(IndexOutOfBoundsException.class, () -> NdArray.putAdd(new int[] {2}, new int[] {-1}, NdArray.ones(DType.FLOAT64, 1)));
        assertEquals("putAdd: position 0 of the positions is -1, out of range for an array of shape [2] (expected 0 to 1)", e10.getMessage());
        var e11 = assertThrows(IllegalArgumentException.class, () -> NdArray.putAdd(new int[] {4}, new int[] {0, 1}, NdArray.ones(DType.FLOAT64, 3)));
        assertEquals("putAdd: source of shape [3] has 3 elements for 2 positions", e11.getMessage());
        var e7 = assertThrows(IllegalArgumentException.class, () -> NdArray.stack(List.of(x, x), 3));
        assertEquals("stack: position 3 is out of range for inserting a dimension into a 2-d array (expected -3 to 2)", e7.getMessage());
    }
}
