package dev.nabla.autograd;

import dev.nabla.array.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Reductions of a 0-d tensor over dimension 0 or -1, as PyTorch allows them: the scalar itself, gradient 1. */
class ScalarReductionTest {
    @Test
    void sumMeanAndMaxOverDimZeroOrMinusOneOfAScalar() {
        for (DType dtype : DType.values())
            for (int dim : new int[] {0, -1})
                for (boolean keepdim : new boolean[] {false, true}) {
                    String what = dtype + " dim " + dim + " keepdim " + keepdim;
                    Tensor x = Tensor.scalar(dtype, 2.5).requiresGrad(true);
                    Tensor s = x.sum(keepdim, dim), m = x.mean(keepdim, dim), mx = x.max(keepdim, dim);
                    for (Tensor r : new Tensor[] {s, m, mx}) {
                        assertEquals(0, r.rank(), what);
                        assertEquals(2.5, r.item(), 0.0, what);
                    }
                    s.add(m.mul(2.0)).add(mx.mul(4.0)).backward();
                    assertEquals(7.0, x.grad().item(), 0.0, "d(sum + 2 mean + 4 max)/dx = 1 + 2 + 4, " + what);
                }
    }

    @Test
    void otherDimensionsOfAScalarAreErrors() {
        Tensor x = Tensor.scalar(1.0);
        assertEquals("sum: dimension 1 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> x.sum(1)).getMessage());
        assertEquals("max: dimension -2 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> x.max(false, -2)).getMessage());
        assertEquals("sum: dimension 0 appears twice in [0, -1]",
            assertThrows(IllegalArgumentException.class, () -> x.sum(0, -1)).getMessage());
    }
}
