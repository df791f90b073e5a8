package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * GradCheck itself: it passes right gradients and reports where it looked; and it FAILS, naming the
 * worst entry, on gradients that are deliberately wrong. The wrong gradients are real ones, not
 * mocks: user-defined primitives ({@link Op.Custom}) whose VJP states a wrong formula, and a
 * function that hides a dependence from the engine with detach().
 */
class GradCheckTest {
    static Tensor leaf(double... v) { return Tensor.of(v).requiresGrad(true); }

    /** x³ with the VJP given: right (3x²) or wrong (2x²). */
    static Op.Custom cube(boolean right) {
        return new Op.Custom("cube", right ? "∂x = 3 g ⊙ x²" : "∂x = 2 g ⊙ x² (wrong)",
            xs -> xs[0].mul(xs[0]).mul(xs[0]),
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].square()).mul(right ? 3 : 2)});
    }

    @Test
    void passesARightGradient() {
        GradCheck.Result r = GradCheck.gradcheck(xs -> cube(true).apply(xs.get(0)), List.of(leaf(0.5, -1.5, 2)));
        assertTrue(r.passed(), r.toString());
        assertTrue(r.toString().startsWith("passed gradcheck: worst entry is ∂out["), r.toString());
        assertTrue(r.error() <= r.allowed());
    }

    @Test
    void failsAWrongVjpAndNamesTheWorstEntry() {
        double[] x = {0.5, -1.5, 2};
        GradCheck.Result r = GradCheck.gradcheck(xs -> cube(false).apply(xs.get(0)), List.of(leaf(x)));
        assertFalse(r.passed());
        // the worst entry is the largest |x|: ∂out[2]/∂x[2], analytic 2·2² = 8, numeric 3·2² = 12
        assertEquals(0, r.input());
        assertArrayEquals(new int[] {2}, r.index());
        assertArrayEquals(new int[] {2}, r.outputIndex());
        assertEquals(8, r.analytic(), 1e-12);
        assertEquals(12, r.numeric(), 1e-6);
        assertEquals(4, r.error(), 1e-6);
        assertTrue(r.toString().startsWith("FAILED gradcheck: worst entry is ∂out[2]/∂input 0[2]: analytic 8.0, numeric 12.0"), r.toString());
    }

    @Test
    void failsWhenDetachHidesADependence() {
        // f(x) = x ⊙ detach(x): the engine sees ∂f/∂x = detach(x) = x, the true derivative is 2x
        GradCheck.Result r = GradCheck.gradcheck(xs -> xs.get(0).mul(xs.get(0).detach()), List.of(leaf(1, -3)));
        assertFalse(r.passed());
        assertArrayEquals(new int[] {1}, r.index());
        assertEquals(-3, r.analytic(), 1e-12);
        assertEquals(-6, r.numeric(), 1e-6);
    }

    /** A VJP that is right on the diagonal and wrong off it: only a check of the whole Jacobian sees it. */
    @Test
    void failsAVjpThatMissesOffDiagonalTerms() {
        // out_i = Σ_{j ≤ i} x_j (a cumulative sum); the wrong VJP returns g, as if out_i depended on x_i alone
        Op.Custom cumsum = new Op.Custom("cumsum", "∂x = g (wrong)",
            xs -> {
                double[] v = xs[0].toDoubleArray();
                for (int i = 1; i < v.length; i++) v[i] += v[i - 1];
                return NdArray.of(v, v.length);
            },
            (g, xs, out) -> new Tensor[] {g});
        GradCheck.Result r = GradCheck.gradcheck(xs -> cumsum.apply(xs.get(0)), List.of(leaf(1, 2, 3, 4)));
        assertFalse(r.passed());
        assertTrue(r.outputIndex()[0] > r.index()[0], "the worst entry lies below the diagonal: " + r);
        assertEquals(0, r.analytic(), 0.0);
        assertEquals(1, r.numeric(), 1e-6);
    }

    @Test
    void reportsWhichInputIsWrong() {
        Op.Custom mul = new Op.Custom("mul", "∂a = g b, ∂b = g (wrong)",
            xs -> xs[0].mul(xs[1]),
            (g, xs, out) -> new Tensor[] {g.mul(xs[1]), g});
        GradCheck.Result r = GradCheck.gradcheck(xs -> mul.apply(xs.get(0), xs.get(1)), List.of(leaf(2, 3), leaf(5, 7)));
        assertFalse(r.passed());
        assertEquals(1, r.input(), r.toString());
    }

    @Test
    void failsOnNaNNeverPassesIt() {
        Op.Custom nanGrad = new Op.Custom("nan", "∂x = NaN",
            xs -> xs[0].mul(2),
            (g, xs, out) -> new Tensor[] {g.mul(Double.NaN)});
        GradCheck.Result r = GradCheck.gradcheck(xs -> nanGrad.apply(xs.get(0)), List.of(leaf(1, 2)));
        assertFalse(r.passed(), r.toString());
        assertTrue(Double.isNaN(r.analytic()));
    }

    @Test
    void gradgradcheckPassesRightSecondDerivatives() {
        GradCheck.Result r = GradCheck.gradgradcheck(xs -> xs.get(0).tanh().mul(xs.get(1)).exp(), List.of(leaf(0.3, -0.8), leaf(1.1, 0.4)));
        assertTrue(r.passed(), r.toString());
        assertTrue(r.toString().startsWith("passed gradgradcheck"), r.toString());
    }

    /** A square whose VJP is numerically right but built from detach(x): first order passes, second order fails. */
    @Test
    void gradgradcheckFailsAVjpThatIsNotItselfDifferentiable() {
        Op.Custom square = new Op.Custom("square", "∂x = 2 g ⊙ detach(x)",
            xs -> xs[0].mul(xs[0]),
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].detach()).mul(2)});
        List<Tensor> in = List.of(leaf(0.5, -1.25));
        assertTrue(GradCheck.gradcheck(xs -> square.apply(xs.get(0)), in).passed());
        GradCheck.Result r = GradCheck.gradgradcheck(xs -> square.apply(xs.get(0)), in);
        assertFalse(r.passed(), r.toString());
        assertEquals(0, r.analytic(), 0.0, "the engine sees no second derivative");
        // the checked function is x ↦ ∂⟨x², v⟩/∂x = 2 v ⊙ x, whose true Jacobian is diag(2v), |v_i| in [0.5, 1.5]
        assertTrue(Math.abs(r.numeric()) >= 1 && Math.abs(r.numeric()) <= 3, r.toString());
        assertArrayEquals(r.index(), r.outputIndex(), "a diagonal entry");
    }

    @Test
    void leavesTheInputsAsTheyWere() {
        Tensor a = leaf(0.1, 0.2, 0.3);
        double[] before = a.data().toDoubleArray();
        GradCheck.gradcheck(xs -> xs.get(0).sigmoid(), List.of(a));
        GradCheck.gradgradcheck(xs -> xs.get(0).sigmoid(), List.of(a));
        assertArrayEquals(before, a.data().toDoubleArray(), 0.0);
        assertNull(a.grad(), "the check returns gradients, it does not accumulate them");
    }

    @Test
    void refusesInputsItCannotCheck() {
        Tensor f32 = Tensor.of(DType.FLOAT32, new double[] {1}).requiresGrad(true);
        assertEquals("gradcheck: inputs must be float64 for finite differences to be meaningful, got float32",
            assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(xs -> xs.get(0), List.of(f32))).getMessage());
        assertEquals("gradgradcheck: no input requires grad, so there is nothing to check",
            assertThrows(IllegalArgumentException.class, () -> GradCheck.gradgradcheck(xs -> xs.get(0), List.of(Tensor.of(new double[] {1})))).getMessage());
    }

    @Test
    void checksOnlyTheInputsThatRequireGrad() {
        Tensor x = leaf(1, 2), c = Tensor.of(new double[] {3, 4});
        GradCheck.Result r = GradCheck.gradcheck(xs -> xs.get(0).mul(xs.get(1)), List.of(x, c));
        assertTrue(r.passed());
        assertEquals(0, r.input());
    }
}
