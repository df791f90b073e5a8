package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.kernels.BinaryOp;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The engine's behaviour: backward variants, accumulation, detach, no-grad scopes, retained and recorded graphs, dtypes. */
class AutogradTest {
    static Tensor leaf(double... v) { return Tensor.of(v).requiresGrad(true); }

    static double[] grad(Tensor t) { return t.grad().data().toDoubleArray(); }

    @Test
    void backwardOnAScalarFillsLeafGrads() {
        Tensor x = leaf(1, 2, 3), w = leaf(0.5, -1, 2);
        Tensor loss = x.mul(w).sum();
        assertEquals(0.5 - 2 + 6, loss.item());
        loss.backward();
        assertArrayEquals(new double[] {0.5, -1, 2}, grad(x));
        assertArrayEquals(new double[] {1, 2, 3}, grad(w));
        assertFalse(loss.isLeaf());
        assertTrue(x.isLeaf());
        assertEquals("sum", loss.op().name());
    }

    @Test
    void backwardOnANonScalarTakesTheGivenGradient() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.square();
        y.backward(Tensor.of(new double[] {1, 0.5, -2}));
        assertArrayEquals(new double[] {2, 2, -12}, grad(x));
    }

    @Test
    void backwardOnANonScalarWithoutGradientSaysSo() {
        Tensor y = leaf(1, 2).mul(3);
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("backward: the output has shape [2]; backward() without an argument needs a one-element output (a loss). "
            + "Pass ∂L/∂output as backward(gradient).", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(new double[] {1, 2, 3})));
        assertEquals("backward: the output gradient has shape [3] but the output has shape [2]", e2.getMessage());
        var e3 = assertThrows(IllegalStateException.class, () -> Tensor.of(new double[] {1}).sum().backward());
        assertTrue(e3.getMessage().startsWith("backward: the tensor does not require grad"), e3.getMessage());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = leaf(1, -2);
        x.mul(3).sum().backward();
        x.square().sum().backward();
        assertArrayEquals(new double[] {3 + 2, 3 - 4}, grad(x));
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {3, 3}, grad(x));
    }

    @Test
    void aTensorUsedTwiceReceivesBothContributions() {
        Tensor x = leaf(3, -0.5);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {6, -1}, grad(x));
        Tensor y = leaf(2);   // a diamond: y feeds two branches that meet again
        Tensor a = y.mul(3), b = y.exp();
        a.mul(b).sum().backward();   // d/dy (3y e^y) = 3 e^y + 3y e^y
        assertEquals(3 * Math.exp(2) + 6 * Math.exp(2), y.grad().item(), 1e-12);
    }

    @Test
    void detachStopsTheGradientAndSharesTheData() {
        Tensor x = leaf(2, 5);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.data(), d.data());
        x.mul(d).sum().backward();   // d is a constant: ∂(x·c)/∂x = c, not 2x
        assertArrayEquals(new double[] {2, 5}, grad(x));
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresTheMode() {
        Tensor x = leaf(1, 2);
        try (var ignored = Tensor.noGrad()) {
            Tensor y = x.mul(2).add(1);
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            assertArrayEquals(new double[] {3, 5}, y.data().toDoubleArray());
            try (var nested = Tensor.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing a nested scope restores the outer one");
        }
        assertTrue(GradMode.isEnabled());
        assertThrows(IllegalStateException.class, () -> {
            try (var ignored = Tensor.noGrad()) {
                throw new IllegalStateException("boom");
            }
        });
        assertTrue(GradMode.isEnabled(), "an exception inside the scope still restores the mode");
        assertTrue(x.mul(2).requiresGrad());
    }

    @Test
    void retainGraphAllowsASecondBackwardAndWithoutItTheSecondFails() {
        Tensor x = leaf(1.5);
        Tensor y = x.tanh().mul(x);
        y.backward(null, true, false);
        double first = x.grad().item();
        y.backward(null, true, false);
        assertEquals(2 * first, x.grad().item(), 1e-15);
        y.backward();   // a third time, without retainGraph: allowed, and frees the graph
        assertEquals(3 * first, x.grad().item(), 1e-15);
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("backward: trying to backward through the graph a second time: its mul node (output shape [1]) was freed by "
            + "an earlier backward. Pass retainGraph = true to the first backward if you need to call it again.", e.getMessage());
        assertEquals(3 * first, x.grad().item(), 1e-15, "the refused backward accumulated nothing");
    }

    @Test
    void aPartlyFreedGraphIsRefusedBeforeAnyGradientAccumulates() {
        Tensor x = leaf(2), w = leaf(3);
        Tensor h = x.mul(2);
        h.sum().backward();   // frees h's node
        Tensor z = h.mul(w).sum();
        assertThrows(IllegalStateException.class, z::backward);
        assertNull(w.grad(), "w's gradient comes before h's freed node in the walk, yet nothing was accumulated");
    }

    /**
     * A loss kept after backward (for logging, say) no longer holds the graph's activations: the
     * freed nodes drop their inputs, so an intermediate tensor nobody else holds can be collected.
     * With retainGraph the graph, and so the intermediate, is kept.
     */
    @Test
    void backwardFreesTheActivationsAKeptLossWouldHold() throws InterruptedException {
        double[] xv = {0.5, -1, 2};
        Tensor x = leaf(xv);
        Tensor[] losses = new Tensor[2];
        List<WeakReference<Tensor>> hidden = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Tensor h = x.mul(3).tanh();   // held only by the graph once this block ends
            hidden.add(new WeakReference<>(h));
            losses[run] = h.square().sum();
        }
        losses[0].backward();
        losses[1].backward(null, true, false);
        for (int i = 0; i < 20 && hidden.get(0).get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(hidden.get(0).get(), "the freed graph still holds its activation");
        assertNotNull(hidden.get(1).get(), "a retained graph keeps its activation");
        assertSame(hidden.get(1).get(), losses[1].inputs().get(0).inputs().get(0), "the retained graph is walkable: sum ← square ← h");
        var e = assertThrows(IllegalStateException.class, () -> losses[0].inputs());
        assertEquals("inputs: the graph that made this tensor (its sum node) was freed by backward. "
            + "Pass retainGraph = true to backward to keep it.", e.getMessage());
        assertNotNull(losses[0].op(), "a freed tensor still names its op");
        assertThrows(IllegalStateException.class, () -> losses[0].backward());
        double[] expect = new double[3];
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(3 * xv[i]);
            expect[i] = 2 * 2 * t * (1 - t * t) * 3;   // both losses' gradients, accumulated
        }
        assertArrayEquals(expect, grad(x), 1e-12);
    }

    /** f(x) = (xᵀx)²: ∇f = 4(xᵀx)x and H = 4(xᵀx)I + 8xxᵀ. */
    @Test
    void createGraphGivesHessianVectorProducts() {
        double[] xv = {0.5, -1.25, 2}, v = {1, 0.5, -2};
        Tensor x = leaf(xv);
        Tensor f = x.square().sum().square();
        Tensor g = f.gradient(List.of(x), null, true, true).get(0);
        assertTrue(g.requiresGrad(), "the gradient has a graph of its own");
        double xx = 0, xdotv = 0;
        for (int i = 0; i < 3; i++) { xx += xv[i] * xv[i]; xdotv += xv[i] * v[i]; }
        for (int i = 0; i < 3; i++) assertEquals(4 * xx * xv[i], g.get(i), 1e-12);
        g.mul(Tensor.of(v)).sum().backward();   // ∂(g·v)/∂x = H v
        for (int i = 0; i < 3; i++) assertEquals(4 * xx * v[i] + 8 * xv[i] * xdotv, x.grad().get(i), 1e-12, "(Hv)_" + i);
    }

    /** f(x) = xᵀAx has the constant Hessian A + Aᵀ; built column by column from Hessian-vector products. */
    @Test
    void fullHessianOfAQuadraticForm() {
        double[][] a = {{1, 2, 0}, {-1, 3, 0.5}, {4, 0, -2}};
        Tensor am = Tensor.of(a), x = leaf(0.3, -0.7, 1.1);
        Tensor f = x.matmul(am.matmul(x));
        Tensor g = f.gradient(List.of(x), null, true, true).get(0);
        for (int col = 0; col < 3; col++) {
            double[] e = new double[3];
            e[col] = 1;
            Tensor hcol = g.gradient(List.of(x), Tensor.of(e), true, false).get(0);
            for (int row = 0; row < 3; row++) assertEquals(a[row][col] + a[col][row], hcol.get(row), 1e-14);
        }
    }

    @Test
    void backwardWithCreateGraphRecordsTheGradItself() {
        Tensor x = leaf(0.4);
        x.tanh().sum().backward(null, false, true);   // x.grad = 1 − tanh²(x), with a graph
        Tensor first = x.grad();
        assertTrue(first.requiresGrad());
        x.zeroGrad();
        first.backward();   // d/dx (1 − tanh² x) = −2 tanh x (1 − tanh² x)
        double t = Math.tanh(0.4);
        assertEquals(-2 * t * (1 - t * t), x.grad().item(), 1e-15);
    }

    @Test
    void mixedDtypesPromoteAndEachGradKeepsItsInputsDtype() {
        Tensor f = Tensor.of(DType.FLOAT32, new double[] {1.5, -2}).requiresGrad(true);
        Tensor d = leaf(0.25, 4);
        Tensor y = f.mul(d);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, f.grad().dtype());
        assertEquals(DType.FLOAT64, d.grad().dtype());
        assertArrayEquals(new double[] {0.25, 4}, grad(f));
        assertArrayEquals(new double[] {1.5, -2}, grad(d));
        // the other ops that combine operands promote too
        Tensor m32 = Tensor.of(DType.FLOAT32, new double[][] {{1, 2}}).requiresGrad(true);
        Tensor m64 = Tensor.of(new double[][] {{3}, {4}}).requiresGrad(true);
        m32.matmul(m64).sum().backward();
        assertEquals(DType.FLOAT32, m32.grad().dtype());
        assertArrayEquals(new double[] {3, 4}, grad(m32));
        Tensor a32 = Tensor.of(DType.FLOAT32, new double[] {1, 2}).requiresGrad(true), b64 = leaf(5, 6);
        Tensor.where(NdArray.of(new double[] {1, 0}, 2), a32, b64).sum().backward();
        assertEquals(DType.FLOAT32, a32.grad().dtype());
        assertArrayEquals(new double[] {1, 0}, grad(a32));
        a32.zeroGrad();
        Tensor.concat(List.of(a32, b64), 0).mul(Tensor.of(new double[] {1, 2, 3, 4})).sum().backward();
        assertEquals(DType.FLOAT32, a32.grad().dtype());
        assertArrayEquals(new double[] {1, 2}, grad(a32));
        Tensor c = Tensor.of(DType.FLOAT32, new double[] {2}).requiresGrad(true);
        c.to(DType.FLOAT64).square().sum().backward();
        assertEquals(DType.FLOAT32, c.grad().dtype());
        assertEquals(4, c.grad().item());
    }

    @Test
    void storedGradsAreContiguousAndOwnedByTheirTensor() {
        Tensor a = leaf(1, 2, 3), b = leaf(4, 5, 6);
        a.add(b).sum().backward();   // add's VJP hands the same g to both inputs; sum's VJP is a stride-0 view
        assertNotSame(a.grad().data(), b.grad().data());
        assertTrue(a.grad().data().isContiguous());
        assertEquals(3, a.grad().data().doubleData().length, "a real array, not a broadcast of one element");
        a.grad().data().addInPlace(NdArray.scalar(DType.FLOAT64, 10));   // an optimizer may update a grad in place
        assertArrayEquals(new double[] {11, 11, 11}, grad(a));
        assertArrayEquals(new double[] {1, 1, 1}, grad(b), "b's grad is not touched");
        Tensor g = Tensor.of(new double[] {7, 8, 9});
        Tensor leafOut = leaf(0, 0, 0);
        leafOut.backward(g);
        assertNotSame(g.data(), leafOut.grad().data(), "the caller's gradient tensor is copied, not adopted");
    }

    @Test
    void aWeightReadTransposedGetsItsGradientInItsOwnLayoutAndOwnsIt() {
        // y = x Wᵀ (as Linear computes it): ∂W = gᵀ x, stored without a copy but owned by W alone
        Tensor x = Tensor.of(DType.FLOAT32, new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor w = Tensor.of(DType.FLOAT32, new double[][] {{1, 0, -1}, {2, 1, 0}, {0, 0, 1}, {1, 1, 1}}).requiresGrad(true);
        Tensor c = Tensor.of(DType.FLOAT32, new double[][] {{1, 2, 3, 4}, {-1, 0, 1, 2}});
        x.matmul(w.t()).mul(c).sum().backward();
        // ∂W[j][p] = Σ_r c[r][j] x[r][p]
        assertArrayEquals(new double[] {-3, -3, -3, 2, 4, 6, 7, 11, 15, 12, 18, 24}, grad(w));
        assertTrue(w.grad().data().isContiguous());
        assertEquals(12, w.grad().data().floatData().length);
        // used twice: the two contributions are summed into W's own array
        Tensor w2 = Tensor.of(DType.FLOAT32, new double[][] {{1, 0, -1}, {2, 1, 0}, {0, 0, 1}, {1, 1, 1}}).requiresGrad(true);
        x.matmul(w2.t()).mul(c).sum().add(x.matmul(w2.t()).mul(c).sum()).backward();
        assertArrayEquals(new double[] {-6, -6, -6, 4, 8, 12, 14, 22, 30, 24, 36, 48}, grad(w2));
    }

    @Test
    void aFreshMatmulGradientHandedToTwoLeavesIsNotShared() {
        // z = a + b feeds a matmul, whose VJP makes a new array for z; add hands that one g to both a and b
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor b = Tensor.of(new double[][] {{0, 1}, {1, 0}}).requiresGrad(true);
        Tensor m = Tensor.of(new double[][] {{1, 1}, {2, 0}});
        m.matmul(a.add(b)).sum().backward();
        assertNotSame(a.grad().data(), b.grad().data());
        assertArrayEquals(new double[] {3, 3, 1, 1}, grad(a));
        a.grad().data().addInPlace(NdArray.scalar(DType.FLOAT64, 10));
        assertArrayEquals(new double[] {3, 3, 1, 1}, grad(b), "b's grad is not touched");
        // the same through transposed reads (Wᵀ of a sum of two leaves)
        Tensor p = Tensor.of(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor q = Tensor.of(new double[][] {{0, 1}, {1, 0}}).requiresGrad(true);
        m.matmul(p.add(q).t()).sum().backward();
        assertNotSame(p.grad().data(), q.grad().data());
        assertArrayEquals(grad(p), grad(q));
    }

    @Test
    void reluGradientOfFloat32MatchesTheMaskFromItsInput() {
        double[] v = {-2, -0.5, 0, 0.25, 3, -1, 7, 0.1, -3, 2};
        Tensor x32 = Tensor.of(DType.FLOAT32, v).requiresGrad(true), x64 = Tensor.of(v).requiresGrad(true);
        Tensor g = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        x32.relu().mul(g.to(DType.FLOAT32)).sum().backward();
        x64.relu().mul(g).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 4, 5, 0, 7, 8, 0, 10}, grad(x32));
        assertArrayEquals(grad(x64), grad(x32));
    }

    @Test
    void aGradientThatDoesNotFlowIsAbsent() {
        Tensor used = leaf(1), unused = leaf(2);
        used.mul(3).sum().backward();
        assertNull(unused.grad());
        Tensor z = leaf(1, 2);
        assertEquals(List.of(0.0, 0.0), java.util.Arrays.stream(
            used.mul(2).sum().gradient(List.of(z), null, false, false).get(0).data().toDoubleArray()).boxed().toList(),
            "gradient() returns zeros for an input the output does not depend on");
    }

    @Test
    void gradientReturnsWithoutAccumulating() {
        Tensor x = leaf(1, 2);
        List<Tensor> g = x.square().sum().gradient(List.of(x), null, false, false);
        assertArrayEquals(new double[] {2, 4}, g.get(0).data().toDoubleArray());
        assertNull(x.grad());
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3).retainGrad();
        Tensor other = x.mul(4);
        h.square().sum().backward();
        assertArrayEquals(new double[] {6, 12}, grad(h));
        assertNull(other.grad());
        assertThrows(IllegalStateException.class, () -> h.requiresGrad(false));
    }

    @Test
    void cloneCopiesStorageAndPassesTheGradient() {
        Tensor x = leaf(1, 2);
        Tensor c = x.clone();
        assertNotSame(x.data().doubleData(), c.data().doubleData());
        c.mul(Tensor.of(new double[] {5, 7})).sum().backward();
        assertArrayEquals(new double[] {5, 7}, grad(x));
    }

    /** A chain of 10,000 recorded ops, walked on a thread with a 256 KiB stack: the walk must not recurse. */
    @Test
    void aDeepChainDoesNotOverflowTheStack() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Double> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = leaf(0.5);
                Tensor y = x;
                for (int i = 0; i < 10_000; i++) y = (i % 2 == 0) ? y.mul(1.0001) : y.add(0.001);
                y.sum().backward();
                result.set(x.grad().item());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-chain", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) fail("deep chain failed: " + failure.get());
        assertEquals(Math.pow(1.0001, 5000), result.get(), 1e-9);
    }

    @Test
    void customOpRecordsItsOwnVjp() {
        Op.Custom cube = new Op.Custom("cube", "∂x = 3 g ⊙ x²",
            xs -> xs[0].mul(xs[0]).mul(xs[0]),
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].square()).mul(3)});
        Tensor x = leaf(2, -1);
        Tensor y = cube.apply(x);
        assertArrayEquals(new double[] {8, -1}, y.data().toDoubleArray());
        assertEquals("cube", y.op().name());
        y.sum().backward();
        assertArrayEquals(new double[] {12, 3}, grad(x));
        Op.Custom broken = new Op.Custom("broken", "?", xs -> xs[0], (g, xs, out) -> new Tensor[] {g.sum()});
        var e = assertThrows(IllegalStateException.class, () -> broken.apply(leaf(1, 2)).sum().backward());
        assertEquals("internal: broken produced a gradient of shape [] and dtype float64 for input 0 of shape [2] and dtype float64", e.getMessage());
    }

    @Test
    void maxSplitsTheGradientEvenlyOnTiesAndRoutesNaN() {
        Tensor x = Tensor.of(new double[][] {{1, 3, 3}, {2, 0, -1}}).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 0, 0}, grad(x));
        Tensor n = Tensor.of(DType.FLOAT32, new double[][] {{1, Double.NaN, 3}, {4, 5, 6}}).requiresGrad(true);
        n.max(1, false).sum().backward();   // a NaN max passes its gradient to the NaN, the other rows are untouched
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1}, grad(n));
        Tensor a = leaf(1, 2), b = leaf(1, 0);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 1}, grad(a));
        assertArrayEquals(new double[] {0.5, 0}, grad(b));
    }

    @Test
    void randomAndSeededTensorsReproduce() {
        Tensor a = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 3, 2), b = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 3, 2);
        assertArrayEquals(a.data().toFloatArray(), b.data().toFloatArray());
        assertEquals(0.0, Tensor.uniform(new SplittableRandom(6), DType.FLOAT64, -1, 1, 4).data()
            .maxAbsDiff(Tensor.uniform(new SplittableRandom(6), DType.FLOAT64, -1, 1, 4).data()));
        assertArrayEquals(new double[] {0, 2, 4}, Tensor.arange(DType.FLOAT64, 0, 5, 2).data().toDoubleArray());
        assertTrue(Tensor.rand(new SplittableRandom(1), DType.FLOAT64, 10).data().binary(BinaryOp.GE, NdArray.scalar(DType.FLOAT64, 0)).sumAll() == 10);
    }

    @Test
    void aSecondBackwardAddsIntoTheStoredGradientInPlace() {
        Tensor w = leaf(1, 2, 3);
        w.mul(Tensor.of(new double[] {2, 2, 2})).sum().backward();
        Tensor first = w.grad();
        NdArray storage = first.data();
        w.square().sum().backward();
        assertSame(first, w.grad(), "the same gradient tensor");
        assertSame(storage, w.grad().data(), "the same array, added into");
        assertArrayEquals(new double[] {4, 6, 8}, grad(w));
    }

    @Test
    void zeroGradWithoutSetToNoneKeepsTheArrayAndFillsItWithZeros() {
        Tensor w = Tensor.of(DType.FLOAT32, new double[] {1, -2}).requiresGrad(true);
        w.mul(3.0).sum().backward();
        NdArray storage = w.grad().data();
        w.zeroGrad(false);
        assertSame(storage, w.grad().data());
        assertArrayEquals(new double[] {0, 0}, grad(w));
        w.square().sum().backward();
        assertSame(storage, w.grad().data(), "the next backward reuses the kept array");
        assertArrayEquals(new double[] {2, -4}, grad(w));
        Tensor held = w.grad();
        w.zeroGrad(false);
        assertEquals("tensor([0., 0.])", held.toString().replaceAll(", dtype=float32", ""), "and prints zeros");
        assertEquals(0.0, held.get(1), "a gradient tensor held across zeroGrad(false) reads zeros");
        w.zeroGrad();
        assertNull(w.grad(), "zeroGrad() sets the gradient to none, as PyTorch's default does");
    }

    @Test
    void aGradientGivenWithSetGradIsNeverWrittenInPlace() {
        Tensor w = leaf(1, 2);
        Tensor mine = Tensor.of(new double[] {10, 20});
        w.setGrad(mine);
        w.sum().backward();
        assertArrayEquals(new double[] {10, 20}, mine.data().toDoubleArray(), "the caller's tensor is untouched");
        assertArrayEquals(new double[] {11, 21}, grad(w));
        w.setGrad(mine);
        w.zeroGrad(false);
        assertNull(w.grad(), "a given gradient is dropped, not zeroed");
        assertArrayEquals(new double[] {10, 20}, mine.data().toDoubleArray());
    }

    @Test
    void aGradientRecordedWithCreateGraphIsNotWrittenInPlace() {
        Tensor x = leaf(2);
        x.pow(3).backward(null, false, true);   // grad 3x² = 12, recorded
        Tensor g1 = x.grad();
        assertTrue(g1.requiresGrad());
        x.zeroGrad(false);
        assertNull(x.grad(), "a recorded gradient is dropped rather than zeroed");
        assertEquals(12, g1.item(), 0);
        x.pow(3).backward(null, false, true);
        Tensor g2 = x.grad();
        x.square().backward();                  // + 2x = 4, out of place: g2 keeps its value and graph
        assertEquals(12, g2.item(), 0);
        assertEquals(16, x.grad().item(), 0);
    }

    @Test
    void linearFirstOrderVjpMatchesTheGraphVjpExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = Tensor.randn(rng, dtype, 7, 5).requiresGrad(true);
            Tensor w = Tensor.randn(rng, dtype, 4, 5).requiresGrad(true);
            Tensor b = Tensor.randn(rng, dtype, 4).requiresGrad(true);
            Tensor g = Tensor.randn(rng, dtype, 7, 4);
            List<Tensor> fast = x.linear(w, b).gradient(List.of(x, w, b), g, false, false);
            List<Tensor> graph = x.linear(w, b).gradient(List.of(x, w, b), g, false, true);
            for (int i = 0; i < 3; i++) {
                assertFalse(fast.get(i).requiresGrad());
                assertEquals(i < 2, graph.get(i).requiresGrad(), "∂x and ∂W depend on W and x; ∂b = Σ g on g alone");
                assertArrayEquals(graph.get(i).data().toDoubleArray(), fast.get(i).data().toDoubleArray(), 0.0, dtype + " input " + i);
            }
            // the forward is the unfused matmul + add, bit for bit
            assertArrayEquals(x.matmul(w.t()).add(b).data().toDoubleArray(), x.linear(w, b).data().toDoubleArray(), 0.0);
        }
    }

    /**
     * A linear layer's weight and bias gradients go straight into kept gradient arrays (zeroGrad(false));
     * the result equals what the same steps give with fresh gradients, also for a weight used twice.
     */
    @Test
    void linearGradientsAddedIntoKeptArraysEqualFreshOnes() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            SplittableRandom rng = new SplittableRandom(11);
            Tensor w = Tensor.randn(rng, dtype, 4, 5).requiresGrad(true), b = Tensor.randn(rng, dtype, 4).requiresGrad(true);
            Tensor x1 = Tensor.randn(rng, dtype, 6, 5), x2 = Tensor.randn(rng, dtype, 3, 5);
            java.util.function.Supplier<Tensor> loss = () ->
                x1.linear(w, b).tanh().sum().add(x2.linear(w, b).square().sum());
            loss.get().backward();
            double[] freshW = grad(w), freshB = grad(b);
            NdArray kept = w.grad().data();
            for (int step = 0; step < 2; step++) {
                w.zeroGrad(false);
                b.zeroGrad(false);
                loss.get().backward();
                assertSame(kept, w.grad().data(), "the kept array is written");
                assertArrayEquals(freshW, grad(w), dtype == DType.FLOAT32 ? 1e-5 : 1e-12);
                assertArrayEquals(freshB, grad(b), dtype == DType.FLOAT32 ? 1e-5 : 1e-12);
            }
            loss.get().backward();   // without zeroing: the contributions add up
            for (int i = 0; i < freshW.length; i++) assertEquals(2 * freshW[i], grad(w)[i], dtype == DType.FLOAT32 ? 1e-4 : 1e-12);
        }
    }

    /**
     * A layer large enough that its products are split over a pool of 2 threads: the gradients (fresh,
     * and added into kept arrays) are bit for bit those of one thread and of the graph VJP.
     */
    @Test
    void linearGradientsOnTwoThreadsEqualOneThreadBitForBit() {
        int saved = dev.nabla.parallel.Parallel.threads();
        try {
            for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
                java.util.Map<Integer, List<double[]>> got = new java.util.HashMap<>();
                for (int threads : new int[] {1, 2}) {
                    dev.nabla.parallel.Parallel.setThreads(threads);
                    SplittableRandom rng = new SplittableRandom(17);
                    Tensor x = Tensor.randn(rng, dtype, 40, 64).requiresGrad(true);
                    Tensor w = Tensor.randn(rng, dtype, 48, 64).requiresGrad(true), b = Tensor.randn(rng, dtype, 48).requiresGrad(true);
                    Tensor g = Tensor.randn(rng, dtype, 40, 48);
                    List<Tensor> graph = x.linear(w, b).gradient(List.of(x, w, b), g, false, true);
                    x.linear(w, b).backward(g);                 // fresh gradients
                    double[] fx = grad(x), fw = grad(w);
                    for (int i = 0; i < 2; i++)
                        assertArrayEquals(graph.get(i).data().toDoubleArray(), i == 0 ? fx : fw, 0.0, dtype + " input " + i);
                    x.linear(w, b).backward(g);                 // added into the kept arrays
                    got.put(threads, List.of(fx, fw, grad(x), grad(w), grad(b)));
                }
                for (int i = 0; i < 5; i++)
                    assertArrayEquals(got.get(1).get(i), got.get(2).get(i), 0.0, dtype + " gradient " + i);
                for (int i = 0; i < got.get(1).get(1).length; i++)
                    assertEquals(2 * got.get(1).get(1)[i], got.get(1).get(3)[i], Math.abs(got.get(1).get(1)[i]) * 1e-6);
            }
        } finally {
            dev.nabla.parallel.Parallel.setThreads(saved);
        }
    }
}
