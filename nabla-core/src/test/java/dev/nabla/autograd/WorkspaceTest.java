package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Workspace steps: the same training, bit for bit, with reused arrays; released tensors fail clearly. */
class WorkspaceTest {

    private static Sequential mlp(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(6, 16, true, dtype, rng), new ReLU(), new Linear(16, 16, true, dtype, rng), new ReLU(),
            new Linear(16, 3, true, dtype, rng));
    }

    /** Trains for the given steps, each inside a step of ws when ws is given; returns the final parameters. */
    private static List<double[]> train(DType dtype, Function<Sequential, Optimizer> optimizer, Workspace ws, int steps) {
        Sequential model = mlp(dtype, 1);
        Optimizer opt = optimizer.apply(model);
        SplittableRandom data = new SplittableRandom(2);
        for (int s = 0; s < steps; s++) {
            int n = s % 3 == 2 ? 5 : 8;   // a partial batch now and then: other sizes
            Tensor x = Tensor.randn(data, dtype, n, 6);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) y[i] = data.nextInt(3);
            Tensor target = Tensor.of(dtype, y);
            try (Workspace.Step ignored = ws == null ? null : ws.step()) {
                Tensor loss = Losses.crossEntropy(model.forward(x), target, Reduction.MEAN);
                opt.zeroGrad(false);
                loss.backward();
                opt.step();
            }
        }
        return model.parameters().stream().map(p -> p.data().toDoubleArray()).toList();
    }

    @Test
    void trainingInWorkspaceStepsGivesTheSameParametersBitForBit() {
        List<Function<Sequential, Optimizer>> optimizers = List.of(
            m -> new SGD(m.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9).withNesterov(true)),
            m -> new Adam(m.parameters(), 0.01));
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64))
            for (Function<Sequential, Optimizer> opt : optimizers) {
                List<double[]> plain = train(dtype, opt, null, 12);
                Workspace ws = new Workspace();
                List<double[]> reused = train(dtype, opt, ws, 12);
                for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), reused.get(i), 0.0, dtype + " parameter " + i);
                assertTrue(ws.reusedArrays() > 4 * ws.allocatedArrays(), "reused " + ws.reusedArrays() + ", allocated " + ws.allocatedArrays());
            }
    }

    /**
     * After the first steps every array comes from the workspace (the bytes a step allocates are shown
     * by the JMH benchmark MlpStepBench with -prof gc: a unit test runs the kernels before the JIT has
     * compiled them, when the Vector API itself allocates).
     */
    @Test
    void afterTheFirstStepsNoNewArraysAreAllocated() {
        Sequential model = mlp(DType.FLOAT32, 3);
        SGD sgd = new SGD(model.parameters(), 0.05);
        Workspace ws = new Workspace();
        Tensor x = Tensor.randn(new SplittableRandom(4), DType.FLOAT32, 8, 6);
        Tensor y = Tensor.of(DType.FLOAT32, new double[] {0, 1, 2, 0, 1, 2, 0, 1});
        long after2 = 0;
        for (int s = 0; s < 6; s++) {
            try (Workspace.Step ignored = ws.step()) {
                Tensor loss = Losses.crossEntropy(model.forward(x), y, Reduction.MEAN);
                sgd.zeroGrad(false);
                loss.backward();
                sgd.step();
            }
            if (s == 1) after2 = ws.allocatedArrays();
        }
        assertTrue(after2 > 0);
        assertEquals(after2, ws.allocatedArrays(), "steps 3 to 6 took every array from the workspace");
    }

    @Test
    void aTensorUsedAfterItsStepClosedFailsWithAMessage() {
        Workspace ws = new Workspace();
        Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor h, kept;
        try (Workspace.Step ignored = ws.step()) {
            h = w.mul(3.0);
            kept = Workspace.keep(w.add(1.0));
            h.sum().backward(null, true, false);
            assertEquals(9, h.sum().item());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, h::item);
        assertEquals("this [2] tensor was made inside a Workspace step that has closed, and its memory now holds other values; "
            + "read what you need inside the step, or keep the tensor with Workspace.keep(tensor) before the step closes", e.getMessage());
        assertThrows(IllegalStateException.class, () -> h.add(1.0), "as an operand");
        assertThrows(IllegalStateException.class, h::data);
        assertThrows(IllegalStateException.class, () -> h.sum(), "a new op on it");
        assertTrue(h.toString().contains("released"), h.toString());
        // the kept tensor and the stored gradient survive another step that reuses the arrays
        try (Workspace.Step ignored = ws.step()) {
            w.mul(100.0).add(-7.0).sum();
        }
        assertArrayEquals(new double[] {2, 3}, kept.data().toDoubleArray());
        assertArrayEquals(new double[] {3, 3}, w.grad().data().toDoubleArray());
    }

    @Test
    void backwardThroughAClosedStepsGraphFails() {
        Workspace ws = new Workspace();
        Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor loss;
        try (Workspace.Step ignored = ws.step()) {
            loss = w.square().sum();
        }
        assertThrows(IllegalStateException.class, loss::backward);
        assertNull(w.grad());
    }

    @Test
    void stepsDoNotNestAndArraysOutsideOperationsAreOrdinary() {
        Workspace ws = new Workspace(), other = new Workspace();
        try (Workspace.Step ignored = ws.step()) {
            assertTrue(Workspace.inStep());
            IllegalStateException e = assertThrows(IllegalStateException.class, ws::step);
            assertTrue(e.getMessage().startsWith("Workspace: a step is already open on thread"), e.getMessage());
            e = assertThrows(IllegalStateException.class, other::step);
            assertEquals("Workspace: another workspace's step is open on this thread; steps do not nest", e.getMessage());
            NdArray plain = NdArray.zeros(DType.FLOAT64, 3);   // made outside any tensor operation: never lent
            Tensor t = Tensor.of(plain);
            try (Workspace.Step ignored2 = null) { /* a null resource is skipped */ }
            assertSame(plain, t.data());
        }
        assertFalse(Workspace.inStep());
        try (Workspace.Step ignored = other.step()) {
            assertTrue(Workspace.inStep());
        }
    }

    /** Arrays made inside lend(...) come from the step and go back to it; outside a step lend only runs the supplier. */
    @Test
    void lentArraysAreReusedByTheNextStep() {
        Workspace ws = new Workspace();
        NdArray first, second;
        try (Workspace.Step ignored = ws.step()) {
            first = Workspace.lend(() -> NdArray.zeros(DType.FLOAT32, 4, 5));
            first.floatData()[3] = 7f;
            assertNotSame(first.floatData(), NdArray.zeros(DType.FLOAT32, 4, 5).floatData(), "arrays made outside lend are ordinary");
        }
        assertEquals(1, ws.allocatedArrays());
        try (Workspace.Step ignored = ws.step()) {
            second = Workspace.lend(() -> NdArray.zeros(DType.FLOAT32, 20));
            assertSame(first.floatData(), second.floatData(), "the step before's array, of the same length");
            assertEquals(0f, second.floatData()[3], "zeros(...) fills a reused array");
            NdArray third = Workspace.lend(() -> NdArray.zeros(DType.FLOAT32, 20));
            assertNotSame(second.floatData(), third.floatData(), "an array is lent once per step");
        }
        assertEquals(1, ws.reusedArrays());
        NdArray outside = Workspace.lend(() -> NdArray.zeros(DType.FLOAT32, 20));
        assertNotSame(first.floatData(), outside.floatData(), "outside a step nothing is lent");
        assertEquals(2, ws.allocatedArrays(), "and the workspace was not asked");
    }
}
