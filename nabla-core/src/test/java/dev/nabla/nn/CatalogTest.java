package dev.nabla.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.UnaryOp;
import dev.nabla.optim.SGD;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every entry C01–C29 of shared/seeds/CATALOG.md: the gradient Nabla's modules and losses give
 * (through autograd) is compared with the catalog's corrected closed form, and where a seed prints
 * a wrong form, that form is shown not to match.
 */
class CatalogTest {
    static final double TOL = 1e-12;

    // ================================================================ A. losses

    @Test
    @DisplayName("C01 least squares: ∂l/∂ŷ = −2(y − ŷ)")
    void c01() {
        Tensor yHat = leaf(0.4, -1.3, 2.2), y = Tensor.of(new double[] {1.0, 0.5, -0.7});
        Losses.mse(yHat, y, Reduction.SUM).backward();
        assertClose(map2(yHat, y, (a, b) -> -2 * (b - a)), grad(yHat));
        assertEquals(sum(map2(yHat, y, (a, b) -> (b - a) * (b - a))), Losses.mse(yHat, y, Reduction.SUM).item(), TOL);
    }

    @Test
    @DisplayName("C02 BCE on a sigmoid output: ∂ℓ/∂f = σ(f) − y; the seed's (1 − e^−f)² typo does not match")
    void c02() {
        double f = 0.7;
        for (double y : new double[] {0, 0.3, 1}) {
            Tensor fv = leaf(f), yt = Tensor.of(new double[] {y});
            Losses.bce(fv.sigmoid(), yt, Reduction.SUM).backward();
            double viaBce = grad(fv)[0];
            Tensor fl = leaf(f);
            Losses.bceWithLogits(fl, yt, Reduction.SUM).backward();
            double s = 1 / (1 + Math.exp(-f)), e = Math.exp(-f);
            assertEquals(s - y, viaBce, TOL);
            assertEquals(s - y, grad(fl)[0], TOL);
            double seedCorrect = (1 - y) / (1 - s) * e / Math.pow(1 + e, 2) - y / s * e / Math.pow(1 + e, 2);
            double seedTypo = (1 - y) / (1 - s) * e / Math.pow(1 - e, 2) - y / s * e / Math.pow(1 + e, 2);
            assertEquals(seedCorrect, viaBce, TOL);
            if (y == 1) assertEquals(seedTypo, viaBce, TOL, "the typo's term vanishes for y = 1");
            else assertTrue(Math.abs(seedTypo - viaBce) > 0.5 * Math.abs(viaBce), "typo off by " + (seedTypo / viaBce - 1));
        }
    }

    /** A squashing activation with its value and derivative, for C03/C04. */
    record Squash(String name, UnaryOperator<Tensor> f, DoubleUnaryOperator value, DoubleUnaryOperator deriv) {}

    static final List<Squash> SQUASHES = List.of(
        new Squash("sigmoid", Tensor::sigmoid, u -> 1 / (1 + Math.exp(-u)), u -> { double s = 1 / (1 + Math.exp(-u)); return s * (1 - s); }),
        // a non-sigmoid h with values in (0, 1): h(u) = ½ + u / (2√(1 + u²)), h′(u) = 1 / (2(1 + u²)^{3/2})
        new Squash("algebraic", u -> u.div(u.square().add(1.0).sqrt()).mul(0.5).add(0.5),
            u -> 0.5 + u / (2 * Math.sqrt(1 + u * u)), u -> 0.5 / Math.pow(1 + u * u, 1.5)));

    @Test
    @DisplayName("C03 generic h with BCE, output weights: ∂L/∂w_ji = ((1−y)/(1−h) − y/h)·h′(n_j)·x_ji")
    void c03() {
        double[] x = {0.4, -1.1, 0.8};
        double y = 0.3;
        for (Squash h : SQUASHES) {
            Tensor w = leaf(0.5, 0.2, -0.7);
            Tensor n = w.mul(Tensor.of(x)).sum().reshape(1);
            Losses.bce(h.f().apply(n), Tensor.of(new double[] {y}), Reduction.SUM).backward();
            double nv = 0.5 * 0.4 + 0.2 * -1.1 - 0.7 * 0.8, o = h.value().applyAsDouble(nv);
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) expected[i] = ((1 - y) / (1 - o) - y / o) * h.deriv().applyAsDouble(nv) * x[i];
            assertClose(expected, grad(w), h.name());
            if (h.name().equals("sigmoid"))
                for (int i = 0; i < 3; i++) assertEquals((o - y) * x[i], grad(w)[i], TOL, "for h = σ it is (h − y)x");
        }
    }

    @Test
    @DisplayName("C04 generic h with BCE, hidden weights: δ_j = h′(n_j) Σ_k w_kj δ_k; the seed's sign error does not match")
    void c04() {
        double[] x = {0.4, -1.1, 0.8}, y = {1.0, 0.2};
        double[][] w1 = {{0.5, 0.2, -0.7}, {-0.3, 0.9, 0.1}}, w2 = {{0.6, -0.4}, {0.3, 0.8}};
        for (Squash h : SQUASHES) {
            Tensor tw1 = leafMatrix(w1), tw2 = leafMatrix(w2);
            Tensor z = h.f().apply(tw1.matmul(Tensor.of(x)));
            Tensor o = h.f().apply(tw2.matmul(z));
            Losses.bce(o, Tensor.of(y), Reduction.SUM).backward();
            double[][] right = hiddenGradient(h, x, y, w1, w2, false), wrong = hiddenGradient(h, x, y, w1, w2, true);
            assertClose(flat(right), grad(tw1), h.name());
            assertTrue(maxDiff(flat(wrong), grad(tw1)) > 0.2 * maxAbs(grad(tw1)), "the seed's (1−y)/(1−h) − (−y)/h must not match (" + h.name() + ")");
        }
    }

    /** ∂L/∂w1 by the δ recursion; signError uses the seed's printed (1−y)/(1−h) − (−y)/h. */
    static double[][] hiddenGradient(Squash h, double[] x, double[] y, double[][] w1, double[][] w2, boolean signError) {
        double[] n1 = matVec(w1, x), z = new double[n1.length];
        for (int j = 0; j < z.length; j++) z[j] = h.value().applyAsDouble(n1[j]);
        double[] n2 = matVec(w2, z), dk = new double[n2.length];
        for (int k = 0; k < dk.length; k++) {
            double o = h.value().applyAsDouble(n2[k]);
            dk[k] = ((1 - y[k]) / (1 - o) - (signError ? -y[k] : y[k]) / o) * h.deriv().applyAsDouble(n2[k]);
        }
        double[][] g = new double[w1.length][x.length];
        for (int j = 0; j < w1.length; j++) {
            double back = 0;
            for (int k = 0; k < dk.length; k++) back += w2[k][j] * dk[k];
            double dj = h.deriv().applyAsDouble(n1[j]) * back;
            for (int i = 0; i < x.length; i++) g[j][i] = dj * x[i];
        }
        return g;
    }

    static final double[][] LOGITS = {{1.2, -0.3, 0.5}, {0.1, 2.0, -1.0}, {-0.5, 0.4, 0.3}, {2.2, 1.9, -0.4}};
    static final double[] CLASSES = {0, 1, 2, 1};

    @Test
    @DisplayName("C05 softmax cross-entropy averaged over N: ∂J/∂z = (1/N)(P − Y); softmax over the samples (the seed's range) does not match")
    void c05() {
        Tensor z = leafMatrix(LOGITS);
        Losses.crossEntropy(z, Tensor.of(CLASSES), Reduction.MEAN).backward();
        int n = LOGITS.length;
        double[] p = z.data().softmax(1).toDoubleArray(), expected = new double[p.length];
        for (int i = 0; i < p.length; i++) expected[i] = (p[i] - (i % 3 == (int) CLASSES[i / 3] ? 1 : 0)) / n;
        assertClose(expected, grad(z));
        // the seed's line 9 sums the denominator over j = 1 … N (samples): softmax over dim 0
        Tensor zw = leafMatrix(LOGITS);
        Losses.nll(zw.logSoftmax(0), Tensor.of(CLASSES), Reduction.MEAN).backward();
        assertTrue(maxDiff(expected, grad(zw)) > 0.05);
    }

    @Test
    @DisplayName("C06 softmax cross-entropy summed over samples: ∂J/∂ŷ = S − y, equal to −Σ_k y_k(δ_kj − S_j)")
    void c06() {
        Tensor z = leafMatrix(LOGITS);
        new CrossEntropyLoss(Reduction.SUM).forward(z, Tensor.of(CLASSES)).backward();
        double[] s = z.data().softmax(1).toDoubleArray(), simple = new double[s.length], seed = new double[s.length];
        for (int n = 0; n < 4; n++)
            for (int j = 0; j < 3; j++) {
                double acc = 0;
                for (int k = 0; k < 3; k++) acc -= (k == CLASSES[n] ? 1 : 0) * ((k == j ? 1 : 0) - s[n * 3 + j]);
                seed[n * 3 + j] = acc;
                simple[n * 3 + j] = s[n * 3 + j] - (j == CLASSES[n] ? 1 : 0);
            }
        assertClose(simple, grad(z));
        assertClose(seed, grad(z));
    }

    @Test
    @DisplayName("C07 binary hinge: ∂J/∂ŷ = −y where yŷ < 1, else 0 (0 exactly at yŷ = 1)")
    void c07() {
        double[] yHat = {0.3, -2.0, 1.0, -0.5, 1.5}, y = {1, -1, 1, 1, -1};   // yŷ = 0.3, 2, 1 (kink), −0.5, −1.5
        Tensor t = leaf(yHat);
        Losses.hinge(t, Tensor.of(y), Reduction.SUM).backward();
        assertClose(new double[] {-1, 0, 0, -1, 1}, grad(t));
        assertEquals(0.7 + 0 + 0 + 1.5 + 2.5, Losses.hinge(Tensor.of(yHat), Tensor.of(y), Reduction.SUM).item(), TOL);
    }

    @Test
    @DisplayName("C08 L1: ∂J/∂ŷ = sign(ŷ − y), 0 at ŷ = y; the seed's −1/(y − ŷ) step does not match")
    void c08() {
        double[] yHat = {0.4, -1.3, 2.0, 0.7}, y = {1.0, -2.0, 2.0, 0.2};
        Tensor t = leaf(yHat);
        new L1Loss(Reduction.SUM).forward(t, Tensor.of(y)).backward();
        assertClose(new double[] {-1, 1, 0, 1}, grad(t));
        double[] seedStep = map2(Tensor.of(yHat), Tensor.of(new double[] {1.0, -2.0, 2.5, 0.2}), (a, b) -> -1 / (b - a));
        Tensor t2 = leaf(yHat);
        Losses.l1(t2, Tensor.of(new double[] {1.0, -2.0, 2.5, 0.2}), Reduction.SUM).backward();
        assertTrue(maxDiff(seedStep, grad(t2)) > 0.5);
    }

    @Test
    @DisplayName("C09 Huber with δ, both regimes: ∂J/∂ŷ = ŷ − y for |r| ≤ δ, else δ·sign(ŷ − y)")
    void c09() {
        double delta = 0.8;
        double[] yHat = {0.3, 2.0, -1.5, 0.1, 1.0}, y = {0.0, 0.5, 0.2, 0.9, 0.2};   // r = 0.3, 1.5, −1.7, −0.8 (=δ), 0.8 (=δ)
        Tensor t = leaf(yHat);
        new HuberLoss(Reduction.SUM, delta).forward(t, Tensor.of(y)).backward();
        double[] expected = new double[5], value = new double[5];
        for (int i = 0; i < 5; i++) {
            double r = y[i] - yHat[i];
            expected[i] = Math.abs(r) <= delta ? yHat[i] - y[i] : -delta * (y[i] - yHat[i]) / Math.abs(r);
            value[i] = Math.abs(r) <= delta ? r * r / 2 : delta * Math.abs(r) - delta * delta / 2;
        }
        assertClose(expected, grad(t));
        assertEquals(sum(value), Losses.huber(Tensor.of(yHat), Tensor.of(y), delta, Reduction.SUM).item(), TOL);
    }

    @Test
    @DisplayName("C10 half squared error: ∂J/∂ŷ = ŷ − y; the seed's line 184 (half of it) does not match")
    void c10() {
        double[] yHat = {0.4, -1.3, 2.2}, y = {1.0, 0.5, -0.7};
        Tensor t = leaf(yHat);
        Losses.mse(t, Tensor.of(y), Reduction.SUM).mul(0.5).backward();
        double[] right = map2(Tensor.of(yHat), Tensor.of(y), (a, b) -> a - b);
        assertClose(right, grad(t));
        double[] seedLine184 = map2(Tensor.of(yHat), Tensor.of(y), (a, b) -> 0.5 * (a - b));
        assertTrue(maxDiff(seedLine184, grad(t)) > 0.4);
    }

    @Test
    @DisplayName("C11 cosine loss: ∂J/∂ŷ = −(y/(‖y‖‖ŷ‖) − (y·ŷ)ŷ/(‖y‖‖ŷ‖³)); the seed's one-hot form fails for a general y")
    void c11() {
        double[][] yHat = {{0.3, -1.2, 0.8}}, oneHot = {{0, 1, 0}}, general = {{0.5, 2.0, -1.0}};
        for (double[][] y : new double[][][] {oneHot, general}) {
            Tensor t = leafMatrix(yHat);
            new CosineLoss(Reduction.SUM).forward(t, Tensor.of(y)).backward();
            double ny = norm(y[0]), nh = norm(yHat[0]), dot = dot(y[0], yHat[0]);
            double[] right = new double[3], seed = new double[3];
            for (int j = 0; j < 3; j++) {
                right[j] = -(y[0][j] / (ny * nh) - dot * yHat[0][j] / (ny * Math.pow(nh, 3)));
                seed[j] = -(y[0][j] / nh - dot / Math.pow(nh, 3) * yHat[0][j]);
            }
            assertClose(right, grad(t));
            if (y == oneHot) assertClose(seed, grad(t));
            else assertTrue(maxDiff(seed, grad(t)) > 0.5 * maxAbs(grad(t)));
        }
    }

    @Test
    @DisplayName("C12 multi-class hinge on softmax probabilities, 3 active terms and 1 inactive")
    void c12() {
        double[] o = {1.0, 0.2, 0.9, -2.0, 0.5};
        double margin = 0.3;
        int y = 0;
        Tensor t = leafMatrix(new double[][] {o});
        Tensor p = new Softmax(1).forward(t);
        new MultiClassHingeLoss(Reduction.SUM, margin).forward(p, Tensor.of(new double[] {y})).backward();
        double[] pv = p.data().toDoubleArray(), expected = new double[5];
        int active = 0;
        for (int k = 0; k < 5; k++) {
            if (k == y || pv[k] - pv[y] + margin <= 0) continue;
            active++;
            for (int j = 0; j < 5; j++) expected[j] += pv[j] * ((j == k ? 1 : 0) - (j == y ? 1 : 0) - pv[k] + pv[y]);
        }
        assertEquals(3, active);
        assertClose(expected, grad(t));
    }

    @Test
    @DisplayName("C13 Frobenius loss in both forms: ½‖Y − Y_gt‖² → Y − Y_gt; (1/2N)‖Y − Y_gt‖² → (Y − Y_gt)/N")
    void c13() {
        double[][] yOut = {{0.09859}, {0.011215}, {0.06336}, {0.005945}}, yGt = {{1}, {1}, {-1}, {-1}};
        int n = 4;
        Tensor a = leafMatrix(yOut), b = leafMatrix(yOut);
        Tensor half = Losses.mse(a, Tensor.of(yGt), Reduction.SUM).mul(0.5);
        Tensor perN = Losses.mse(b, Tensor.of(yGt), Reduction.SUM).mul(0.5 / n);
        half.backward();
        perN.backward();
        double[] r = map2(Tensor.of(yOut), Tensor.of(yGt), (u, v) -> u - v);
        assertClose(r, grad(a));
        assertClose(scale(r, 1.0 / n), grad(b));
        assertEquals(1.966448, half.item(), 5e-7, "Exercise 1's ½‖·‖² on Exercise 2's numbers");
        assertEquals(0.4916, perN.item(), 5e-5, "only the 1/(2N) form gives the printed 0.4916");
    }

    // ================================================================ B. activations

    static final double[] XS = {-2.5, -0.4, 0.0, 0.3, 1.7};

    @Test
    @DisplayName("C14 sigmoid: σ′ = σ(1 − σ) = e^−x/(1 + e^−x)²")
    void c14() {
        double[] g = elementwiseDerivative(new Sigmoid());
        for (int i = 0; i < XS.length; i++) {
            double e = Math.exp(-XS[i]), s = 1 / (1 + e);
            assertEquals(s * (1 - s), g[i], TOL);
            assertEquals(e / ((1 + e) * (1 + e)), g[i], TOL);
        }
    }

    @Test
    @DisplayName("C15 tanh: tanh′ = 1 − tanh²")
    void c15() {
        double[] g = elementwiseDerivative(new Tanh());
        for (int i = 0; i < XS.length; i++) {
            double c = Math.cosh(XS[i]);
            assertEquals(1 - Math.pow(Math.tanh(XS[i]), 2), g[i], TOL);
            assertEquals(1 / (c * c), g[i], TOL, "[(e^x+e^−x)² − (e^x−e^−x)²]/(e^x+e^−x)²");
        }
    }

    @Test
    @DisplayName("C16 ReLU: derivative 1 for x > 0, 0 otherwise, ReLU′(0) = 0")
    void c16() {
        assertClose(new double[] {0, 0, 0, 1, 1}, elementwiseDerivative(new ReLU()));
    }

    @Test
    @DisplayName("C17 softmax Jacobian ∂s_i/∂a_j = s_i(δ_ij − s_j), symmetric")
    void c17() {
        double[] a = {0.5, -1.0, 2.0, 0.1};
        double[][] jac = jacobian(new Softmax(0), a);
        double[] s = Tensor.of(a).softmax(0).data().toDoubleArray();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                assertEquals(s[i] * ((i == j ? 1 : 0) - s[j]), jac[i][j], TOL);
                assertEquals(jac[j][i], jac[i][j], TOL);
            }
    }

    // ================================================================ C. layers, batch backprop

    @Test
    @DisplayName("C18 linear-layer Jacobian ∂z_i/∂h_j = ω_ij, laid out as Ωᵀ; ∂L/∂x = (∂L/∂z) W in rows")
    void c18() {
        Linear lin = new Linear(3, 2, true, DType.FLOAT64, new SplittableRandom(18));
        double[] h = {0.4, -1.0, 0.7};
        double[][] jac = jacobian(lin, h);   // jac[i][j] = ∂z_i/∂h_j
        double[][] omega = matrix(lin.weight());
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) assertEquals(omega[i][j], jac[i][j], TOL);
        // in the seed's denominator layout (row j, column i) that is the 3 × 2 matrix Ωᵀ, not Ω (2 × 3)
        Tensor x = leafMatrix(new double[][] {{0.4, -1.0, 0.7}, {0.2, 0.3, -0.5}});
        double[][] dz = {{1.5, -0.5}, {0.25, 2.0}};
        lin.forward(x).backward(Tensor.of(dz));
        assertClose(flat(Tensor.of(dz).data().matmul(lin.weight().data())), grad(x));
    }

    /** The 3-4-3-2 network of C19–C24 (tanh, ReLU, sigmoid), N = 5, L = ½‖Y − Y_gt‖². */
    static final class Backprop {
        final Linear l1, l2, l3;
        final Tensor x, s1, z1, s2, z2, s3, y;
        final NdArray yGt;

        Backprop() {
            SplittableRandom rng = new SplittableRandom(2024);
            l1 = new Linear(3, 4, true, DType.FLOAT64, rng);
            l2 = new Linear(4, 3, true, DType.FLOAT64, rng);
            l3 = new Linear(3, 2, true, DType.FLOAT64, rng);
            x = Tensor.of(NdArray.uniform(rng, DType.FLOAT64, -2, 2, 5, 3)).requiresGrad(true);
            yGt = NdArray.uniform(rng, DType.FLOAT64, 0, 1, 5, 2);
            s1 = l1.forward(x).retainGrad();
            z1 = new Tanh().forward(s1).retainGrad();
            s2 = l2.forward(z1).retainGrad();
            z2 = new ReLU().forward(s2).retainGrad();
            s3 = l3.forward(z2).retainGrad();
            y = new Sigmoid().forward(s3).retainGrad();
            Losses.mse(y, Tensor.of(yGt), Reduction.SUM).mul(0.5).backward();
            for (double v : s2.data().toDoubleArray()) assertTrue(Math.abs(v) > 1e-3, "no ReLU input near its kink");
        }

        NdArray w(Linear l) { return l.weight().data(); }
        NdArray delta3() { return y.data().sub(yGt).mul(fPrime(s3, UnaryOp.SIGMOID)); }                       // C20
        NdArray delta2() { return delta3().matmul(w(l3)).mul(s2.data().unary(UnaryOp.STEP)); }                  // C21
        NdArray delta1() { return delta2().matmul(w(l2)).mul(fPrime(s1, UnaryOp.TANH)); }                       // C21
    }

    static NdArray fPrime(Tensor s, UnaryOp f) {
        NdArray v = s.data().unary(f);
        return f == UnaryOp.SIGMOID ? v.mul(v.unary(UnaryOp.RSUB_SCALAR, 1, 0)) : v.unary(UnaryOp.SQUARE).unary(UnaryOp.RSUB_SCALAR, 1, 0);
    }

    @Test
    @DisplayName("C19 element-wise activation Jacobian: ∂L/∂S = ∂L/∂Z ⊙ f′(S), but not for softmax")
    void c19() {
        Backprop b = new Backprop();
        assertClose(flat(b.z1.grad().data().mul(fPrime(b.s1, UnaryOp.TANH))), grad(b.s1));
        assertClose(flat(b.z2.grad().data().mul(b.s2.data().unary(UnaryOp.STEP))), grad(b.s2));
        assertClose(flat(b.y.grad().data().mul(fPrime(b.s3, UnaryOp.SIGMOID))), grad(b.s3));
        // softmax couples the units: its Jacobian is not diagonal, so the ⊙ rule fails
        Tensor s = leafMatrix(new double[][] {{0.3, -0.2, 1.1}});
        Tensor z = s.softmax(1);
        NdArray gz = NdArray.of(new double[] {1, -2, 0.5}, 1, 3);
        z.backward(Tensor.of(gz));
        NdArray diagOnly = gz.mul(z.data().mul(z.data().unary(UnaryOp.RSUB_SCALAR, 1, 0)));
        assertTrue(maxDiff(flat(diagOnly), grad(s)) > 0.05);
    }

    @Test
    @DisplayName("C20 output error signal Δ_L = ∂L/∂Y ⊙ f_L′(S_L) = (Y − Y_gt) ⊙ σ′(S_L)")
    void c20() {
        Backprop b = new Backprop();
        assertClose(flat(b.delta3()), grad(b.s3));
    }

    @Test
    @DisplayName("C21 error-signal recursion Δ_k = (W_{k+1}ᵀ Δ_{k+1}) ⊙ f_k′(S_k) (rows: Δ_{k+1} W_{k+1}), ∂L/∂X = Δ_1 W_1")
    void c21() {
        Backprop b = new Backprop();
        assertClose(flat(b.delta2()), grad(b.s2));
        assertClose(flat(b.delta1()), grad(b.s1));
        assertClose(flat(b.delta1().matmul(b.w(b.l1))), grad(b.x));
    }

    @Test
    @DisplayName("C22 gradient of a hidden activation ∂L/∂Z_k = W_{k+1}ᵀ Δ_{k+1} (rows: Δ_{k+1} W_{k+1})")
    void c22() {
        Backprop b = new Backprop();
        assertClose(flat(b.delta3().matmul(b.w(b.l3))), grad(b.z2));
        assertClose(flat(b.delta2().matmul(b.w(b.l2))), grad(b.z1));
    }

    @Test
    @DisplayName("C23 weight gradient ∂L/∂W_k = Δ_k Z_{k−1}ᵀ (rows: Δ_kᵀ Z_{k−1}, out × in), Z_0 = X")
    void c23() {
        Backprop b = new Backprop();
        assertClose(flat(b.delta3().transpose(0, 1).matmul(b.z2.data())), grad(b.l3.weight()));
        assertClose(flat(b.delta2().transpose(0, 1).matmul(b.z1.data())), grad(b.l2.weight()));
        assertClose(flat(b.delta1().transpose(0, 1).matmul(b.x.data())), grad(b.l1.weight()));
    }

    @Test
    @DisplayName("C24 bias gradient = the column sums of Δ over the batch")
    void c24() {
        Backprop b = new Backprop();
        assertClose(flat(b.delta3().sum(false, 0)), grad(b.l3.bias()));
        assertClose(flat(b.delta2().sum(false, 0)), grad(b.l2.bias()));
        assertClose(flat(b.delta1().sum(false, 0)), grad(b.l1.bias()));
    }

    @Test
    @DisplayName("C25 seed 001's two-layer gradients with mean CE and L2; the seed's φ for φ′ and its unsummed ∂J/∂b² do not match")
    void c25() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 4;
        double lambda = 0.1;
        Linear first = new Linear(3, 5, true, DType.FLOAT64, rng), second = new Linear(5, 3, true, DType.FLOAT64, rng);
        Sequential net = new Sequential(first, new Tanh(), second);
        NdArray x = NdArray.uniform(rng, DType.FLOAT64, -1, 1, n, 3);
        double[] cls = {2, 0, 1, 2};
        Tensor loss = Losses.crossEntropy(net.forward(Tensor.of(x)), Tensor.of(cls), Reduction.MEAN).add(Regularization.l2Penalty(net, lambda));
        loss.backward();
        // the seed's row layout: z² = x w¹ + b¹ (w¹ = first.weightᵀ), a² = φ(z²), z³ = a² w² + b²
        NdArray w1 = first.weight().data().transpose(0, 1), w2 = second.weight().data().transpose(0, 1);
        NdArray z2 = x.matmul(w1).add(first.bias().data()), a2 = z2.unary(UnaryOp.TANH);
        NdArray z3 = a2.matmul(w2).add(second.bias().data());
        NdArray pMinusY = z3.softmax(1);
        for (int i = 0; i < n; i++) pMinusY.set(pMinusY.get(i, (int) cls[i]) - 1, i, (int) cls[i]);
        NdArray e3 = pMinusY.mul(1.0 / n);                                               // (1/N)(P − Y)
        NdArray back = e3.matmul(w2.transpose(0, 1));                                    // (1/N)(P − Y)(w²)ᵀ
        NdArray e2 = back.mul(fPrime(Tensor.of(z2), UnaryOp.TANH));                      // ⊙ φ′(z²)
        assertClose(flat(a2.transpose(0, 1).matmul(e3).add(w2.mul(2 * lambda)).transpose(0, 1)), grad(second.weight()));
        assertClose(flat(e3.sum(false, 0)), grad(second.bias()));
        assertClose(flat(e2.sum(false, 0)), grad(first.bias()));
        assertClose(flat(x.transpose(0, 1).matmul(e2).add(w1.mul(2 * lambda)).transpose(0, 1)), grad(first.weight()));
        double[] seedB1 = flat(back.mul(a2).sum(false, 0));                              // φ(z²) instead of φ′(z²)
        assertTrue(maxDiff(seedB1, grad(first.bias())) > 0.3 * maxAbs(grad(first.bias())));
        double[] seedB2 = flat(e3.narrow(0, 0, 1).reshape(3));                          // no sum over samples
        assertTrue(maxDiff(seedB2, grad(second.bias())) > 0.3 * maxAbs(grad(second.bias())));
    }

    @Test
    @DisplayName("C26 L2 penalty λΣ‖W‖²_F over weights only: gradient 2λW (not λW), biases untouched")
    void c26() {
        double lambda = 0.05;
        Sequential net = new Sequential(new Linear(3, 4, true, DType.FLOAT64, new SplittableRandom(26)), new ReLU(),
            new Linear(4, 2, true, DType.FLOAT64, new SplittableRandom(27)));
        Tensor penalty = Regularization.l2Penalty(net, lambda);
        double expected = 0;
        for (String w : List.of("0.weight", "2.weight"))
            for (double v : net.stateDict().get(w).toDoubleArray()) expected += lambda * v * v;
        assertEquals(expected, penalty.item(), TOL);
        penalty.backward();
        for (String w : List.of("0.weight", "2.weight")) {
            double[] weights = net.stateDict().get(w).toDoubleArray();
            assertClose(scale(weights, 2 * lambda), grad(net.namedParameters().get(w)), w);
            assertTrue(maxDiff(scale(weights, lambda), grad(net.namedParameters().get(w))) > 0);
        }
        assertNull(net.namedParameters().get("0.bias").grad(), "biases are not penalized");
        assertNull(net.namedParameters().get("2.bias").grad());
    }

    @Test
    @DisplayName("C27 SGD update W ← W − η∂L/∂W, all parameters from the old gradients; η = 0.5 reproduces seed 004")
    void c27() {
        JsonNode ex = workedExample("seed-004-exercise-2");
        SpecRun run = new SpecRun(ex.get("spec")).run();
        double lr = ex.get("learning_rate").get("value").asDouble();
        assertEquals(0.5, lr);
        var params = run.net.namedParameters();
        java.util.Map<String, double[]> byHand = new java.util.LinkedHashMap<>();
        params.forEach((name, p) -> {
            double[] w = p.data().toDoubleArray(), g = grad(p), out = new double[w.length];
            for (int i = 0; i < w.length; i++) out[i] = w[i] - lr * g[i];
            byHand.put(name, out);
        });
        new SGD(run.net.parameters(), lr).step();
        params.forEach((name, p) -> {
            assertClose(byHand.get(name), p.data().toDoubleArray(), name);
            assertClose(flat(SpecRun.tensor(ex.get("expected").get("updated").get(name)).data()), p.data().toDoubleArray(), name);
        });
        double[] printedW2 = {0.0715, 0.133, 0.0812};
        double[] w2 = params.get("2.weight").data().toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(printedW2[i], w2[i], 5e-5 + 1e-12);
        assertEquals(0.4657, run.lossOnly(), 5e-5);
    }

    // ================================================================ D. worked examples

    @Test
    @DisplayName("C28 seed 003's 3-2-1 sigmoid network: exact values, and the seed's printed numbers right or wrong as the catalog says")
    void c28() {
        JsonNode ex = workedExample("seed-003-hand-calculation");
        SpecRun run = new SpecRun(ex.get("spec")).run();
        checkExpected(ex, run);
        // the seed's numbers: each must agree with ours exactly when the catalog says it is within its rounding
        for (JsonNode row : ex.get("seed_vs_exact")) {
            double ours = seed003Quantity(row.get("quantity").asText(), run);
            boolean within = Math.abs(ours - row.get("seed_printed").asDouble()) <= 0.5 * Math.pow(10, -row.get("printed_decimals").asInt()) + 1e-12;
            assertEquals(row.get("within_printed_rounding").asBoolean(), within, row.get("quantity").asText() + ": ours " + ours);
        }
        double w1 = run.net.namedParameters().get("0.weight").grad().get(0, 0);
        assertEquals(-0.0044882, w1, 5e-8);
        assertTrue(w1 < 0, "the seed prints ∂E/∂w1 = +0.0043: a sign error");
    }

    /** A quantity of seed 003's hand calculation, by the seed's name, from the run. */
    static double seed003Quantity(String q, SpecRun run) {
        var p = run.net.namedParameters();
        List<Tensor> a = run.activations;
        String key = q.split(" ")[0];
        return switch (key) {
            case "z_h1" -> a.get(0).get(0, 0);
            case "z_h2" -> a.get(0).get(0, 1);
            case "h1" -> a.get(1).get(0, 0);
            case "h2" -> a.get(1).get(0, 1);
            case "z_theta" -> a.get(2).get(0, 0);
            case "theta" -> a.get(3).get(0, 0);
            case "E" -> run.lossValue.item();
            case "dE/dtheta" -> a.get(3).grad().get(0, 0);
            case "dE/dh1" -> a.get(1).grad().get(0, 0);
            case "dE/dh2" -> a.get(1).grad().get(0, 1);
            case "dE/dw7" -> p.get("2.weight").grad().get(0, 0);
            case "dE/dw8" -> p.get("2.weight").grad().get(0, 1);
            case "dE/db3" -> p.get("2.bias").grad().get(0);
            case "dE/db1" -> p.get("0.bias").grad().get(0);
            case "dE/db2" -> p.get("0.bias").grad().get(1);
            default -> {
                // w1…w6 = W1[i][j] of the seed's in × hidden matrix: w(2i + j + 1) = spec weight[j][i]
                Matcher m = Pattern.compile("dE/dw([1-6])").matcher(key);
                if (!m.matches()) throw new IllegalArgumentException("unknown quantity " + q);
                int k = Integer.parseInt(m.group(1)) - 1;
                yield p.get("0.weight").grad().get(k % 2, k / 2);
            }
        };
    }

    @Test
    @DisplayName("C29 seed 004's 2-3-1 ReLU network: exact values, and every printed number agrees to its decimals")
    void c29() {
        JsonNode ex = workedExample("seed-004-exercise-2");
        SpecRun run = new SpecRun(ex.get("spec")).run();
        checkExpected(ex, run);
        var p = run.net.namedParameters();
        double[][] w1 = matrix(p.get("0.weight").grad()), w2 = matrix(p.get("2.weight").grad());
        new SGD(run.net.parameters(), 0.5).step();
        double lossAfter = run.lossOnly();
        Pattern indexed = Pattern.compile("(.*)\\[(\\d)\\]\\[(\\d)\\]");
        int checked = 0;
        for (JsonNode row : ex.get("seed_vs_exact")) {
            String q = row.get("quantity").asText();
            Matcher m = indexed.matcher(q);
            int i = m.matches() ? Integer.parseInt(m.group(2)) : -1, j = m.matches() ? Integer.parseInt(m.group(3)) : -1;
            String name = m.matches() ? m.group(1) : q;
            // the seed's layout has samples as columns: its [i][n] is our [n][i]
            double ours = switch (name) {
                case "S1" -> run.activations.get(0).get(j, i);
                case "Z1" -> run.activations.get(1).get(j, i);
                case "S2 = Z2 = Y_out" -> run.activations.get(2).get(j, i);
                case "L" -> run.lossValue.item();
                case "Delta_out = dL/dY_out" -> run.activations.get(2).grad().get(j, i);
                case "Delta_1 = dL/dS1" -> run.activations.get(0).grad().get(j, i);
                case "dL/dW2" -> w2[i][j];
                case "dL/dW1" -> w1[i][j];
                case "W1 after update" -> p.get("0.weight").get(i, j);
                case "W2 after update" -> p.get("2.weight").get(i, j);
                case "L after update" -> lossAfter;
                default -> throw new IllegalArgumentException("unknown quantity " + q);
            };
            assertEquals(row.get("seed_printed").asDouble(), ours, 0.5 * Math.pow(10, -row.get("printed_decimals").asInt()) + 1e-12, q);
            checked++;
        }
        assertEquals(64, checked, "every printed number of Exercise 2");
    }

    /** Loss, activations, gradients, then one SGD step: updated and loss_after, all to 1e-12. */
    static void checkExpected(JsonNode example, SpecRun run) {
        JsonNode exp = example.get("expected");
        assertEquals(exp.get("loss").asDouble(), run.lossValue.item(), 1e-12);
        for (int i = 0; i < run.activations.size(); i++)
            assertClose(flat(SpecRun.tensor(exp.get("activations").get(String.valueOf(i))).data()), run.activations.get(i).data().toDoubleArray(), "activations." + i);
        var params = run.net.namedParameters();
        assertEquals(ReferenceCasesTest.fieldNames(exp.get("gradients")), params.keySet().stream().sorted().toList());
        params.forEach((name, p) -> assertClose(flat(SpecRun.tensor(exp.get("gradients").get(name)).data()), grad(p), "gradients." + name));
        SpecRun again = new SpecRun(example.get("spec")).run();
        again.sgdStep(example.get("spec").get("sgd").get("lr").asDouble());
        again.net.namedParameters().forEach((name, p) ->
            assertClose(flat(SpecRun.tensor(exp.get("updated").get(name)).data()), p.data().toDoubleArray(), "updated." + name));
        assertEquals(exp.get("loss_after").asDouble(), again.lossOnly(), 1e-12);
    }

    static JsonNode workedExample(String id) {
        for (JsonNode e : SpecRun.resource("worked-examples.json").get("examples"))
            if (e.get("id").asText().equals(id)) return e;
        throw new IllegalArgumentException("no worked example " + id);
    }

    // ================================================================ helpers

    static Tensor leaf(double... v) { return Tensor.of(v.clone()).requiresGrad(true); }

    static Tensor leafMatrix(double[][] v) { return Tensor.of(v).requiresGrad(true); }

    static double[] grad(Tensor t) {
        assertNotNull(t.grad(), "no gradient reached the tensor");
        return t.grad().data().toDoubleArray();
    }

    static double[] flat(NdArray a) { return a.toDoubleArray(); }

    static double[] flat(double[][] m) { return Tensor.of(m).data().toDoubleArray(); }

    static double[][] matrix(Tensor t) {
        double[][] m = new double[t.size(0)][t.size(1)];
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m[i].length; j++) m[i][j] = t.get(i, j);
        return m;
    }

    static double[] map2(Tensor a, Tensor b, java.util.function.DoubleBinaryOperator f) {
        double[] x = a.data().toDoubleArray(), y = b.data().toDoubleArray(), out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = f.applyAsDouble(x[i], y[i]);
        return out;
    }

    static double[] matVec(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) out[i] = dot(m[i], v);
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    static double sum(double[] a) { double s = 0; for (double v : a) s += v; return s; }

    static double[] scale(double[] a, double c) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) out[i] *= c;
        return out;
    }

    static double maxAbs(double[] a) { double m = 0; for (double v : a) m = Math.max(m, Math.abs(v)); return m; }

    static double maxDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static void assertClose(double[] expected, double[] actual) { assertClose(expected, actual, ""); }

    static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        double tol = TOL * Math.max(1, maxAbs(expected));
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol, what + " element " + i);
    }

    /** The derivative of an element-wise module at each of XS. */
    static double[] elementwiseDerivative(Module m) {
        Tensor x = leaf(XS);
        m.forward(x).sum().backward();
        return grad(x);
    }

    /** jac[i][j] = ∂out_i/∂in_j of a module on a vector input, one backward per output. */
    static double[][] jacobian(Module m, double[] in) {
        Tensor x = leaf(in);
        Tensor out = m.forward(x);
        double[][] jac = new double[out.numel()][];
        for (int i = 0; i < jac.length; i++) {
            double[] e = new double[out.numel()];
            e[i] = 1;
            jac[i] = out.gradient(List.of(x), Tensor.of(e), true, false).get(0).data().toDoubleArray();
        }
        return jac;
    }
}
