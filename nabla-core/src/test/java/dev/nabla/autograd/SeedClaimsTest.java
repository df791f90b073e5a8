package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seeds' claims about activations and Jacobians (shared/seeds/CATALOG.md, sections B and C:
 * C14–C19), each computed by the autograd engine and compared with the closed form. Jacobians are
 * built one row at a time: one backward pass per output element with a one-hot output gradient and
 * retainGraph, reading the input's grad and clearing it between passes.
 */
class SeedClaimsTest {
    static final double[] XS = {-30, -4.5, -1, -0.25, -1e-3, 1e-3, 0.3, 1, 2.75, 8, 30};

    /** J[i][j] = ∂out_i/∂in_j (numerator layout), by backward passes. */
    static double[][] jacobian(Tensor out, Tensor in) {
        int m = out.numel(), n = in.numel();
        double[][] j = new double[m][];
        for (int i = 0; i < m; i++) {
            NdArray e = NdArray.zeros(out.dtype(), out.shape());
            e.reshape(-1).set(1.0, i);
            in.zeroGrad();
            out.backward(Tensor.of(e), true, false);
            j[i] = in.grad() == null ? new double[n] : in.grad().data().toDoubleArray();
        }
        in.zeroGrad();
        return j;
    }

    static Tensor leaf(double... v) { return Tensor.of(v).requiresGrad(true); }

    static double sigma(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    @DisplayName("C14 sigmoid: σ′(x) = e^{−x}/(1+e^{−x})² = σ(x)(1 − σ(x)), and the chain rule σ(g(w))′ = σ(g)(1−σ(g)) g′")
    void c14Sigmoid() {
        Tensor x = leaf(XS);
        x.sigmoid().sum().backward();
        double[] g = x.grad().data().toDoubleArray();
        for (int i = 0; i < XS.length; i++) {
            double s = sigma(XS[i]);
            assertEquals(s * (1 - s), g[i], 1e-15, "σ(1−σ) at " + XS[i]);
            if (Math.abs(XS[i]) < 20)   // the seed's first form, e^{−x}/(1+e^{−x})², evaluated where it is well conditioned
                assertEquals(Math.exp(-XS[i]) / Math.pow(1 + Math.exp(-XS[i]), 2), g[i], 1e-15 * Math.max(1, g[i]) + 1e-17);
        }
        // chain rule through g(w) = w·c: ∂σ(g)/∂w = σ(g)(1 − σ(g)) c
        Tensor w = leaf(0.7, -1.2);
        Tensor c = Tensor.of(new double[] {2, 3});
        w.mul(c).sigmoid().sum().backward();
        for (int i = 0; i < 2; i++) {
            double gi = w.get(i) * c.get(i), s = sigma(gi);
            assertEquals(s * (1 - s) * c.get(i), w.grad().get(i), 1e-15);
        }
    }

    @Test
    @DisplayName("C15 tanh: d tanh(x)/dx = 1 − tanh²(x) = [(e^x+e^{−x})² − (e^x−e^{−x})²]/(e^x+e^{−x})²")
    void c15Tanh() {
        Tensor x = leaf(XS);
        x.tanh().sum().backward();
        for (int i = 0; i < XS.length; i++) {
            double t = Math.tanh(XS[i]), gi = x.grad().get(i);
            assertEquals(1 - t * t, gi, 1e-15, "1 − tanh² at " + XS[i]);
            if (Math.abs(XS[i]) < 10) {   // the corrected quotient-rule form (the seed's line 29 is garbled)
                double p = Math.exp(XS[i]) + Math.exp(-XS[i]), q = Math.exp(XS[i]) - Math.exp(-XS[i]);
                assertEquals((p * p - q * q) / (p * p), gi, 1e-13);
            }
        }
    }

    @Test
    @DisplayName("C16 ReLU: ReLU(x) = x if x ≥ 0 else 0; ReLU′(x) = 1 if x > 0 else 0, and ReLU′(0) = 0")
    void c16Relu() {
        double[] xs = {-2, -1e-300, 0, 1e-300, 0.5, 3};
        for (DType dtype : DType.values()) {
            Tensor x = Tensor.of(dtype, xs).requiresGrad(true);
            Tensor y = x.relu();
            y.sum().backward();
            for (int i = 0; i < xs.length; i++) {
                double xi = x.get(i);   // as stored in this dtype (1e-300 is 0 in float32)
                assertEquals(xi >= 0 ? xi : 0, y.get(i), 0.0, "ReLU(" + xi + ")");
                assertEquals(xi > 0 ? 1 : 0, x.grad().get(i), 0.0, "ReLU′(" + xi + ") in " + dtype);
            }
            assertEquals(0.0, x.grad().get(2), 0.0, "ReLU′(0) = 0 exactly");
        }
    }

    @ParameterizedTest(name = "C17 softmax Jacobian ∂s_i/∂a_j = s_i(δ_ij − s_j), n = {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8})
    @DisplayName("C17 softmax Jacobian")
    void c17SoftmaxJacobian(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextDouble(-3, 3);
        Tensor x = leaf(a);
        Tensor s = x.softmax(0);
        double[][] j = jacobian(s, x);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double si = s.get(i), sk = s.get(k);
                assertEquals(si * ((i == k ? 1 : 0) - sk), j[i][k], 1e-15, "∂s_" + i + "/∂a_" + k);
                assertEquals(j[k][i], j[i][k], 1e-16, "J is symmetric");
            }
        // diagonal s_i(1 − s_i), off-diagonal −s_i s_j, rows summing to 0 (softmax is shift-invariant)
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int k = 0; k < n; k++) row += j[i][k];
            assertEquals(0, row, 1e-15);
        }
    }

    @Test
    @DisplayName("C17 softmax per sample: over each row (dim 1, FORMAT.md) and over each column (dim 0, seed 004's layout)")
    void c17SoftmaxPerSample() {
        double[][] a = {{0.5, -1, 2}, {1, 1, -0.5}};
        for (int dim : new int[] {1, 0}) {
            Tensor x = Tensor.of(a).requiresGrad(true);
            Tensor s = x.softmax(dim);
            double[][] j = jacobian(s, x);   // 6 × 6: entries across samples must be 0
            for (int o = 0; o < 6; o++)
                for (int q = 0; q < 6; q++) {
                    int oi = o / 3, oj = o % 3, qi = q / 3, qj = q % 3;
                    boolean sameSample = dim == 1 ? oi == qi : oj == qj;
                    double expected = !sameSample ? 0 : s.get(oi, oj) * ((o == q ? 1 : 0) - s.get(qi, qj));
                    assertEquals(expected, j[o][q], 1e-15, "dim " + dim + ": ∂s" + o + "/∂a" + q);
                }
        }
    }

    @Test
    @DisplayName("C18 linear layer: for z = β + Ωh, ∂z_i/∂h_j = ω_ij, placed at row j, column i: the matrix is Ωᵀ; so ∂L/∂h = Ωᵀ ∂L/∂z")
    void c18LinearLayerJacobian() {
        double[][] omega = {{0.2, -1.1, 0.5, 2}, {1.5, 0.3, -0.7, 0.1}, {-0.4, 0.9, 1.2, -2.2}};   // out 3 × in 4
        Tensor om = Tensor.of(omega), beta = Tensor.of(new double[] {0.1, -0.2, 0.3});
        Tensor h = leaf(0.5, -1, 2, 0.25);
        Tensor z = beta.add(om.matmul(h));
        double[][] numerator = jacobian(z, h);   // J[i][j] = ∂z_i/∂h_j
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                assertEquals(omega[i][j], numerator[i][j], 0.0, "∂z_" + i + "/∂h_" + j + " = ω_ij");
                // the seed's denominator layout: row j, column i holds ∂z_i/∂h_j, i.e. the matrix Ωᵀ
                assertEquals(om.t().get(j, i), numerator[i][j], 0.0);
            }
        // chain rule ∂L/∂h = Ωᵀ ∂L/∂z for a given upstream gradient
        double[] dz = {0.3, -1.2, 0.8};
        z.backward(Tensor.of(dz), true, false);
        for (int j = 0; j < 4; j++) {
            double expected = 0;
            for (int i = 0; i < 3; i++) expected += omega[i][j] * dz[i];
            assertEquals(expected, h.grad().get(j), 1e-15);
        }
        // batch form with rows as samples, z = x Wᵀ + b: ∂L/∂x = (∂L/∂z) W
        Tensor x = Tensor.of(new double[][] {{0.5, -1, 2, 0.25}, {1, 0, -1, 3}}).requiresGrad(true);
        Tensor zb = x.matmul(om.t()).add(beta);
        double[][] dzb = {{0.3, -1.2, 0.8}, {1, 0.5, -0.5}};
        zb.backward(Tensor.of(dzb));
        for (int n = 0; n < 2; n++)
            for (int j = 0; j < 4; j++) {
                double expected = 0;
                for (int i = 0; i < 3; i++) expected += dzb[n][i] * omega[i][j];
                assertEquals(expected, x.grad().get(n, j), 1e-15);
            }
    }

    @ParameterizedTest(name = "C19 element-wise activation {0}: ∂Y/∂S is diagonal with f′(S), so ∂L/∂S = ∂L/∂Y ⊙ f′(S)")
    @ValueSource(strings = {"sigmoid", "tanh", "relu"})
    @DisplayName("C19 element-wise activation Jacobian")
    void c19ElementwiseActivationJacobian(String f) {
        double[][] sv = {{0.5, -1.5, 2}, {-0.3, 1.1, -2.4}};
        Tensor s = Tensor.of(sv).requiresGrad(true);
        Tensor y = switch (f) { case "sigmoid" -> s.sigmoid(); case "tanh" -> s.tanh(); default -> s.relu(); };
        double[][] j = jacobian(y, s);
        double[] fprime = new double[6];
        for (int k = 0; k < 6; k++) {
            double x = sv[k / 3][k % 3];
            fprime[k] = switch (f) {
                case "sigmoid" -> sigma(x) * (1 - sigma(x));
                case "tanh" -> 1 - Math.tanh(x) * Math.tanh(x);
                default -> x > 0 ? 1 : 0;
            };
        }
        for (int o = 0; o < 6; o++)
            for (int q = 0; q < 6; q++)
                assertEquals(o == q ? fprime[o] : 0, j[o][q], 1e-16, "∂Y" + o + "/∂S" + q);
        double[][] dy = {{1, -2, 0.5}, {0.25, 3, -1}};
        s.zeroGrad();
        y.backward(Tensor.of(dy));
        for (int k = 0; k < 6; k++) assertEquals(dy[k / 3][k % 3] * fprime[k], s.grad().data().toDoubleArray()[k], 1e-16);
    }

    @Test
    @DisplayName("C19 does not apply to softmax: its Jacobian has off-diagonal entries (C17)")
    void c19NotForSoftmax() {
        Tensor s = leaf(0.5, -1.5, 2);
        double[][] j = jacobian(s.softmax(0), s);
        assertNotEquals(0.0, j[0][1]);
        assertNotEquals(0.0, j[2][0]);
    }
}
