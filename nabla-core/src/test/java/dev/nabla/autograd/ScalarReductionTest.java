package dev.nabla.autograd;

import dev.nabla.array.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ops over dimension 0 or -1 of a 0-d tensor, as PyTorch allows them: reductions give the scalar
 * (gradient 1), softmax 1 and log-softmax 0 (gradient 0), argmax 0, squeeze the scalar.
 */
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
    void softmaxArgmaxAndSqueezeOverDimZeroOrMinusOneOfAScalar() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64})
            for (int dim : new int[] {0, -1}) {
                String what = dtype + " dim " + dim;
                Tensor x = Tensor.scalar(dtype, 2.5).requiresGrad(true);
                Tensor sm = x.softmax(dim), lsm = x.logSoftmax(dim), sq = x.squeeze(dim);
                assertEquals(0, sm.rank(), what);
                assertEquals(1.0, sm.item(), 0.0, what);
                assertEquals(0.0, lsm.item(), 0.0, what);
                assertEquals(2.5, sq.item(), 0.0, what);
                assertEquals(0, sq.rank(), what);
                Tensor am = x.argmax(dim, false), amKeep = x.argmax(dim, true);
                assertEquals(0.0, am.item(), 0.0, what);
                assertEquals(0, am.rank(), what);
                assertEquals(0, amKeep.rank(), what);
                sm.mul(3.0).add(lsm.mul(5.0)).add(sq.mul(7.0)).backward();
                assertEquals(7.0, x.grad().item(), 0.0, "softmax and log-softmax of one element are constant; squeeze passes 1, " + what);
                assertTrue(Double.isNaN(Tensor.scalar(dtype, Double.NaN).softmax(dim).item()), "NaN stays NaN, " + what);
            }
    }

    @Test
    void otherDimensionsOfAScalarAreErrors() {
        Tensor y = Tensor.scalar(1.0);
        assertEquals("softmax: dimension 1 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> y.softmax(1)).getMessage());
        assertEquals("argmax: dimension -2 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> y.argmax(-2, false)).getMessage());
        assertEquals("squeeze: dimension 2 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> y.squeeze(2)).getMessage());
        Tensor x = Tensor.scalar(1.0);
        assertEquals("sum: dimension 1 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> x.sum(1)).getMessage());
        assertEquals("max: dimension -2 is out of range for a 0-d array (expected 0 or -1)",
            assertThrows(IllegalArgumentException.class, () -> x.max(false, -2)).getMessage());
        assertEquals("sum: dimension 0 appears twice in [0, -1]",
            assertThrows(IllegalArgumentException.class, () -> x.sum(0, -1)).getMessage());
    }
}
