package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class LossesTest {
    static final double TOL = 1e-12;

    /** A loss of (input, reduction) with its target fixed, applied to a named input. */
    record Case(String name, double[][] input, BiFunction<Tensor, Reduction, Tensor> loss) {
        @Override public String toString() { return name; }
    }

    static final double[][] X = {{0.3, -1.2, 0.7, 2.1}, {1.5, 0.1, -0.4, -0.9}, {-0.6, 0.8, 1.3, 0.2}};
    static final double[][] T = {{0.2, 0.9, -1.0, 1.4}, {1.0, -0.3, 0.6, -0.2}, {0.1, 0.5, 1.1, -0.7}};
    static final double[][] PM = {{1, -1, 1, 1}, {-1, -1, 1, -1}, {1, 1, -1, 1}};
    static final double[][] P01 = {{0.2, 0.9, 0.0, 1.0}, {1.0, 0.3, 0.6, 0.5}, {0.0, 0.7, 0.1, 0.4}};
    static final double[] CLS = {3, 0, 2};
    static final double[][] BIG = {{1e4, -1e4, 0.0, 5e3}, {-1e4, 1e4, -3e3, 1e4}, {2.0, -1e4, 1e4, -1.0}};

    static List<Case> cases(double[][] x) {
        Tensor t = Tensor.of(T), pm = Tensor.of(PM), p01 = Tensor.of(P01), cls = Tensor.of(CLS);
        return List.of(
            new Case("mse", x, (in, r) -> Losses.mse(in, t, r)),
            new Case("l1", x, (in, r) -> Losses.l1(in, t, r)),
            new Case("huber", x, (in, r) -> Losses.huber(in, t, 0.6, r)),
            new Case("bce", x, (in, r) -> Losses.bce(in.sigmoid(), p01, r)),
            new Case("bceWithLogits", x, (in, r) -> Losses.bceWithLogits(in, p01, r)),
            new Case("hinge", x, (in, r) -> Losses.hinge(in, pm, r)),
            new Case("crossEntropy", x, (in, r) -> Losses.crossEntropy(in, cls, r)),
            new Case("crossEntropy(ε=0.1)", x, (in, r) -> Losses.crossEntropy(in, cls, r, 0.1)),
            new Case("nll", x, (in, r) -> Losses.nll(in.logSoftmax(1), cls, r)),
            new Case("multiClassHinge", x, (in, r) -> Losses.multiClassHinge(in, cls, 1.0, r)),
            new Case("multiMargin", x, (in, r) -> Losses.multiMargin(in, cls, 0.4, r)),
            new Case("cosine", x, (in, r) -> Losses.cosine(in, t, r)));
    }

    static Stream<Arguments> everyLossAndReduction() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases(X)) for (Reduction r : Reduction.values()) out.add(Arguments.of(c, r));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyLossAndReduction")
    void gradcheckFloat64(Case c, Reduction r) {
        Function<List<Tensor>, Tensor> f = xs -> c.loss().apply(xs.get(0), r);
        GradCheck.Result first = GradCheck.gradcheck(f, List.of(Tensor.of(c.input()).requiresGrad(true)));
        assertTrue(first.passed(), first.toString());
        GradCheck.Result second = GradCheck.gradgradcheck(f, List.of(Tensor.of(c.input()).requiresGrad(true)));
        assertTrue(second.passed(), second.toString());
    }

    /** Losses that take logits: at ±1e4 the value and the gradient stay finite and correct. */
    static Stream<Arguments> largeLogits() {
        return cases(BIG).stream().filter(c -> List.of("bceWithLogits", "crossEntropy", "crossEntropy(ε=0.1)", "hinge", "mse", "l1", "huber",
            "multiClassHinge", "multiMargin", "cosine").contains(c.name()))
            .flatMap(c -> Stream.of(Reduction.values()).map(r -> Arguments.of(c, r)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("largeLogits")
    void largeLogitsStayFiniteAndPassGradcheck(Case c, Reduction r) {
        Tensor x = Tensor.of(BIG).requiresGrad(true);
        Tensor loss = c.loss().apply(x, r);
        for (double v : loss.data().toDoubleArray()) assertTrue(Double.isFinite(v), "loss " + v);
        loss.sum().backward();
        for (double v : x.grad().data().toDoubleArray()) assertTrue(Double.isFinite(v), "gradient " + v);
        // a step of 1e-2: with values near 1e4 (1e8 for mse) a smaller one drowns in rounding; the
        // losses are nearly piecewise linear or quadratic here, so the truncation error stays small
        GradCheck.Result res = GradCheck.gradcheck(xs -> c.loss().apply(xs.get(0), r), List.of(Tensor.of(BIG).requiresGrad(true)), 1e-2, 1e-5, 1e-5);
        assertTrue(res.passed(), res.toString());
    }

    @Test
    void crossEntropyAtLargeLogitsMatchesItsClosedForm() {
        Tensor x = Tensor.of(BIG).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, Tensor.of(CLS), Reduction.NONE);
        // −log softmax at class c: log Σ e^{x − max} + max − x_c, here exactly max − x_c up to e^{−5000}
        assertArrayEquals(new double[] {1e4 - 5e3, 2e4 + Math.log(2), 0}, loss.data().toDoubleArray(), 1e-9);
        loss.sum().backward();
        double[] p = x.data().softmax(1).toDoubleArray(), g = x.grad().data().toDoubleArray();
        for (int i = 0; i < p.length; i++) assertEquals(p[i] - (i % 4 == (int) CLS[i / 4] ? 1 : 0), g[i], TOL);
    }

    @Test
    void bceWithLogitsAtLargeLogitsIsStable() {
        Tensor x = Tensor.of(new double[] {1e4, -1e4, 1e4, -1e4, 0}).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {1, 0, 0, 1, 0.5});
        Tensor loss = Losses.bceWithLogits(x, y, Reduction.NONE);
        assertArrayEquals(new double[] {0, 0, 1e4, 1e4, Math.log(2)}, loss.data().toDoubleArray(), 1e-12);
        loss.sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, -1, 0}, x.grad().data().toDoubleArray(), 1e-12, "σ(x) − y");
    }

    @Test
    void bceClampsTheLogAtMinus100LikePyTorch() {
        Tensor p = Tensor.of(new double[] {0, 1, 0, 1}).requiresGrad(true);
        Tensor loss = Losses.bce(p, Tensor.of(new double[] {1, 0, 0, 1}), Reduction.NONE);
        assertArrayEquals(new double[] {100, 100, 0, 0}, loss.data().toDoubleArray(), 1e-9);
        loss.sum().backward();
        for (double g : p.grad().data().toDoubleArray()) assertTrue(Double.isFinite(g), "gradient " + g);
    }

    @Test
    void valuesMatchTheirDefinitions() {
        Tensor x = Tensor.of(X), t = Tensor.of(T);
        double mse = 0, l1 = 0, huber = 0, hinge = 0, bce = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                double r = X[i][j] - T[i][j], s = 1 / (1 + Math.exp(-X[i][j])), y = P01[i][j];
                mse += r * r;
                l1 += Math.abs(r);
                huber += Math.abs(r) <= 0.6 ? r * r / 2 : 0.6 * (Math.abs(r) - 0.3);
                hinge += Math.max(0, 1 - PM[i][j] * X[i][j]);
                bce -= y * Math.log(s) + (1 - y) * Math.log(1 - s);
            }
        assertEquals(mse / 12, Losses.mse(x, t, Reduction.MEAN).item(), TOL, "MEAN divides by the number of elements");
        assertEquals(mse, Losses.mse(x, t, Reduction.SUM).item(), TOL);
        assertEquals(l1 / 12, new L1Loss().forward(x, t).item(), TOL);
        assertEquals(huber, new HuberLoss(Reduction.SUM, 0.6).forward(x, t).item(), TOL);
        assertEquals(hinge, new HingeLoss(Reduction.SUM).forward(x, Tensor.of(PM)).item(), TOL);
        assertEquals(bce, new BCEWithLogitsLoss(Reduction.SUM).forward(x, Tensor.of(P01)).item(), 1e-11);
        assertEquals(bce, new BCELoss(Reduction.SUM).forward(x.sigmoid(), Tensor.of(P01)).item(), 1e-11);
        assertArrayEquals(new int[] {3, 4}, Losses.mse(x, t, Reduction.NONE).shape());

        double ce = 0, smooth = 0, mch = 0, cos = 0;
        for (int i = 0; i < 3; i++) {
            double lse = 0;
            for (double v : X[i]) lse += Math.exp(v);
            lse = Math.log(lse);
            int c = (int) CLS[i];
            ce += lse - X[i][c];
            double mean = 0;
            for (double v : X[i]) mean += (lse - v) / 4;
            smooth += 0.8 * (lse - X[i][c]) + 0.2 * mean;
            for (int j = 0; j < 4; j++) if (j != c) mch += Math.max(0, X[i][j] - X[i][c] + 1);
            cos -= CatalogTest.dot(X[i], T[i]) / (CatalogTest.norm(X[i]) * CatalogTest.norm(T[i]));
        }
        Tensor cls = Tensor.of(CLS);
        assertEquals(ce / 3, new CrossEntropyLoss().forward(x, cls).item(), TOL, "MEAN divides by N");
        assertEquals(smooth / 3, new CrossEntropyLoss(Reduction.MEAN, 0.2).forward(x, cls).item(), TOL, "label smoothing");
        assertEquals(ce, new NLLLoss(Reduction.SUM).forward(x.logSoftmax(1), cls).item(), TOL);
        assertEquals(mch / 3, new MultiClassHingeLoss().forward(x, cls).item(), TOL);
        assertEquals(mch / 3 / 4, new MultiMarginLoss().forward(x, cls).item(), TOL, "PyTorch's MultiMarginLoss divides by C");
        assertEquals(cos / 3, new CosineLoss().forward(x, t).item(), TOL);
        assertArrayEquals(new int[] {3}, Losses.crossEntropy(x, cls, Reduction.NONE).shape());
        assertArrayEquals(new int[] {3}, Losses.cosine(x, t, Reduction.NONE).shape());
    }

    @Test
    void kinksTakeDerivativeZero() {
        // |r| at r = 0
        Tensor a = Tensor.of(new double[] {1.0, 2.0}).requiresGrad(true);
        Losses.l1(a, Tensor.of(new double[] {1.0, 3.0}), Reduction.SUM).backward();
        assertArrayEquals(new double[] {0, -1}, a.grad().data().toDoubleArray(), 0.0);
        // binary hinge exactly at y·ŷ = 1
        Tensor h = Tensor.of(new double[] {1.0, -1.0, 0.5}).requiresGrad(true);
        Losses.hinge(h, Tensor.of(new double[] {1, -1, 1}), Reduction.SUM).backward();
        assertArrayEquals(new double[] {0, 0, -1}, h.grad().data().toDoubleArray(), 0.0);
        // multi-class hinge term exactly at its margin: ŷ_j − ŷ_y + margin = 0
        Tensor m = Tensor.of(new double[][] {{1.0, 0.5, 0.9}}).requiresGrad(true);
        Losses.multiClassHinge(m, Tensor.of(new double[] {0}), 0.5, Reduction.SUM).backward();
        assertArrayEquals(new double[] {-1, 0, 1}, m.grad().data().toDoubleArray(), TOL);
        // Huber at |r| = δ: both branches agree (r = δ·sign(r))
        Tensor u = Tensor.of(new double[] {1.5, -0.5}).requiresGrad(true);
        Losses.huber(u, Tensor.of(new double[] {1.0, 0.0}), 0.5, Reduction.SUM).backward();
        assertArrayEquals(new double[] {0.5, -0.5}, u.grad().data().toDoubleArray(), TOL);
    }

    @Test
    void float32InputsStayFloat32() {
        Tensor x = Tensor.of(DType.FLOAT32, X).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, Tensor.of(DType.FLOAT32, CLS), Reduction.MEAN);
        assertEquals(DType.FLOAT32, loss.dtype());
        loss.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(Losses.crossEntropy(Tensor.of(X), Tensor.of(CLS), Reduction.MEAN).item(), loss.item(), 1e-6);
        assertEquals(DType.FLOAT32, Losses.bce(Tensor.of(DType.FLOAT32, P01), Tensor.of(DType.FLOAT32, P01), Reduction.SUM).dtype());
    }

    // ================================================================ errors

    static String message(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    @Test
    void classIndexErrorsNameTheShapesAndThePosition() {
        Tensor logits = Tensor.zeros(DType.FLOAT64, 3, 5);
        assertEquals("cross_entropy: target has shape [3, 1], expected [3] class indices for input [3, 5]",
            message(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.FLOAT64, 3, 1), Reduction.MEAN)));
        assertEquals("cross_entropy: class index 7 at position 2 is out of range for 5 classes",
            message(() -> Losses.crossEntropy(logits, Tensor.of(new double[] {0, 4, 7}), Reduction.MEAN)));
        assertEquals("nll_loss: class index -1 at position 0 is out of range for 5 classes",
            message(() -> Losses.nll(logits, Tensor.of(new double[] {-1, 4, 2}), Reduction.MEAN)));
        assertEquals("multi_class_hinge: class index 1.5 at position 1 is not an integer",
            message(() -> Losses.multiClassHinge(logits, Tensor.of(new double[] {0, 1.5, 2}), 1, Reduction.MEAN)));
        assertEquals("cross_entropy: input has shape [5], expected [N, C] (one row of scores per sample)",
            message(() -> Losses.crossEntropy(Tensor.zeros(DType.FLOAT64, 5), Tensor.of(new double[] {1}), Reduction.MEAN)));
        assertEquals("cross_entropy: label smoothing 1.5 is not in [0, 1]",
            message(() -> Losses.crossEntropy(logits, Tensor.of(new double[] {0, 1, 2}), Reduction.MEAN, 1.5)));
    }

    @Test
    void elementwiseErrorsNameBothShapesAndTheBadValue() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 1);
        assertEquals("mse_loss: target has shape [3], expected the input's shape [3, 1]",
            message(() -> Losses.mse(x, Tensor.zeros(DType.FLOAT64, 3), Reduction.MEAN)));
        assertEquals("binary_cross_entropy_with_logits: target has shape [1, 3], expected the input's shape [3, 1]",
            message(() -> Losses.bceWithLogits(x, Tensor.zeros(DType.FLOAT64, 1, 3), Reduction.MEAN)));
        assertEquals("hinge_loss: target value 0.0 at position [1, 0] is not -1 or 1",
            message(() -> Losses.hinge(x, Tensor.of(new double[][] {{1}, {0}, {-1}}), Reduction.SUM)));
        assertEquals("binary_cross_entropy: input value 1.2 at position [2, 0] is not a probability in [0, 1] (use bceWithLogits for logits)",
            message(() -> Losses.bce(Tensor.of(new double[][] {{0.5}, {0.1}, {1.2}}), x, Reduction.SUM)));
        assertEquals("huber_loss: delta = 0.0 must be positive", message(() -> Losses.huber(x, x, 0, Reduction.SUM)));
        assertEquals("cosine_loss: target has shape [3], expected the input's shape [3, 1]",
            message(() -> Losses.cosine(x, Tensor.zeros(DType.FLOAT64, 3), Reduction.SUM)));
    }

    @Test
    void lossModulesPrintLikePyTorch() {
        assertEquals("MSELoss()", new MSELoss().toString());
        assertEquals("L1Loss(reduction=sum)", new L1Loss(Reduction.SUM).toString());
        assertEquals("HuberLoss(delta=0.5, reduction=none)", new HuberLoss(Reduction.NONE, 0.5).toString());
        assertEquals("CrossEntropyLoss(label_smoothing=0.1)", new CrossEntropyLoss(Reduction.MEAN, 0.1).toString());
        assertEquals("MultiMarginLoss(margin=1.0)", new MultiMarginLoss().toString());
        assertEquals(Reduction.SUM, new BCELoss(Reduction.SUM).reduction());
    }
}
