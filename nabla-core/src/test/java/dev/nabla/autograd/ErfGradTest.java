package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.kernels.Erf;
import dev.nabla.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The erf primitive: its values, its derivatives of orders one to three against their closed forms,
 * gradcheck and gradgradcheck across [−3, 3], and the same checks failing on erf rules that are
 * deliberately wrong (a wrong constant; a first derivative right in value but not differentiable).
 */
class ErfGradTest {
    static final double C = 2 / Math.sqrt(Math.PI);
    static final double[] X = {-3, -2.2, -1.4, -0.7, -0.15, 0, 0.15, 0.7, 1.4, 2.2, 3};

    static Tensor leaf(double... v) { return Tensor.of(v).requiresGrad(true); }

    @Test
    void forwardIsTheKernel() {
        double[] y = Tensor.of(X).erf().data().toDoubleArray();
        for (int i = 0; i < X.length; i++) assertEquals(Erf.erf(X[i]), y[i], 0.0);
        Tensor f = Tensor.of(DType.FLOAT32, new double[][] {{0.5, -1}, {2, 7}}).erf();
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new int[] {2, 2}, f.shape());
        assertArrayEquals(new float[] {(float) Erf.erf(0.5), (float) Erf.erf(-1), (float) Erf.erf(2), 1f}, f.data().toFloatArray(), 0f);
    }

    /** erf′ = c·e^(−x²), erf″ = −2x·c·e^(−x²), erf‴ = (4x² − 2)·c·e^(−x²), with c = 2/√π, through createGraph. */
    @Test
    void derivativesOfOrdersOneToThreeMatchTheirClosedForms() {
        Tensor x = leaf(X);
        Tensor d1 = x.erf().sum().gradient(List.of(x), null, true, true).get(0);
        Tensor d2 = d1.sum().gradient(List.of(x), null, true, true).get(0);
        Tensor d3 = d2.sum().gradient(List.of(x), null, true, true).get(0);
        double[] g1 = d1.data().toDoubleArray(), g2 = d2.data().toDoubleArray(), g3 = d3.data().toDoubleArray();
        for (int i = 0; i < X.length; i++) {
            double e = C * Math.exp(-X[i] * X[i]);
            assertEquals(e, g1[i], 1e-15, "erf′(" + X[i] + ")");
            assertEquals(-2 * X[i] * e, g2[i], 1e-15, "erf″(" + X[i] + ")");
            assertEquals((4 * X[i] * X[i] - 2) * e, g3[i], 1e-14, "erf‴(" + X[i] + ")");
        }
    }

    @Test
    void gradcheckAndGradgradcheck() {
        GradCheck.Result first = GradCheck.gradcheck(xs -> xs.get(0).erf(), List.of(leaf(X)));
        assertTrue(first.passed(), first.toString());
        GradCheck.Result second = GradCheck.gradgradcheck(xs -> xs.get(0).erf(), List.of(leaf(X)));
        assertTrue(second.passed(), second.toString());
        // inside a composition, with a second input
        GradCheck.Result both = GradCheck.gradgradcheck(xs -> xs.get(0).mul(xs.get(1)).erf().mul(xs.get(0)),
            List.of(leaf(0.3, -1.1, 0.8), leaf(1.2, 0.5, -0.9)));
        assertTrue(both.passed(), both.toString());
    }

    @Test
    void float32GradientAgreesWithFloat64() {
        Tensor x32 = Tensor.of(DType.FLOAT32, X).requiresGrad(true), x64 = leaf(X);
        x32.erf().sum().backward();
        x64.erf().sum().backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        assertArrayEquals(x64.grad().data().toDoubleArray(), x32.grad().data().toDoubleArray(), 1e-6);
    }

    @Test
    void opNameAndFormula() {
        Op.Unary op = new Op.Unary(UnaryOp.ERF, 0, 0);
        assertEquals("erf", op.name());
        assertEquals("∂x = g ⊙ (2/√π) e^(−x²)", op.formula());
        assertSame(UnaryOp.ERF, ((Op.Unary) leaf(1).erf().op()).fn());
    }

    // ------------------------------------------------------------------ the checks fail on wrong rules

    /** erf with the VJP given: g·vjp(x), where vjp is written in tensor ops or computed as a constant. */
    static Op.Custom erfWithRule(String formula, Op.Custom.Rule rule) {
        return new Op.Custom("erf?", formula, xs -> xs[0].unary(UnaryOp.ERF), rule);
    }

    @Test
    void aWrongConstantInTheDerivativeFailsGradcheck() {
        // e^(−x²/2) in place of e^(−x²): right at 0 only
        Op.Custom wrong = erfWithRule("∂x = g ⊙ c e^(−x²/2) (wrong)",
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].square().mul(-0.5).exp().mul(C))});
        GradCheck.Result r = GradCheck.gradcheck(xs -> wrong.apply(xs.get(0)), List.of(leaf(X)));
        assertFalse(r.passed(), r.toString());
        // and a missing 2/√π
        Op.Custom noConstant = erfWithRule("∂x = g ⊙ e^(−x²) (wrong)", (g, xs, out) -> new Tensor[] {g.mul(xs[0].square().neg().exp())});
        assertFalse(GradCheck.gradcheck(xs -> noConstant.apply(xs.get(0)), List.of(leaf(X))).passed());
    }

    @Test
    void aFirstDerivativeThatIsNotDifferentiableFailsGradgradcheck() {
        // the right values, but as a constant: its own derivative (−2x·c·e^(−x²)) is lost
        Op.Custom flat = erfWithRule("∂x = g ⊙ const(c e^(−x²))", (g, xs, out) ->
            new Tensor[] {g.mul(Tensor.constant(xs[0].data().unary(UnaryOp.SQUARE).neg().unary(UnaryOp.EXP).mul(C)))});
        assertTrue(GradCheck.gradcheck(xs -> flat.apply(xs.get(0)), List.of(leaf(X))).passed(), "first order is right");
        GradCheck.Result r = GradCheck.gradgradcheck(xs -> flat.apply(xs.get(0)), List.of(leaf(X)));
        assertFalse(r.passed(), r.toString());
    }
}
