package dev.nabla.docs;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Window2d;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Op;
import dev.nabla.autograd.Tensor;
import dev.nabla.autograd.Workspace;
import dev.nabla.data.Batch;
import dev.nabla.data.Csv;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Idx;
import dev.nabla.data.Mnist;
import dev.nabla.data.RandomShift;
import dev.nabla.data.Split;
import dev.nabla.data.Synthetic;
import dev.nabla.data.TensorDataset;
import dev.nabla.io.Safetensors;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Convolutions;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Init;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Loss;
import dev.nabla.nn.Losses;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.MSELoss;
import dev.nabla.nn.Module;
import dev.nabla.nn.MultiClassHingeLoss;
import dev.nabla.nn.MultiMarginLoss;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.Regularization;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.LRScheduler;
import dev.nabla.optim.LinearWarmup;
import dev.nabla.optim.OneCycleLR;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ParamGroup;
import dev.nabla.optim.ReduceLROnPlateau;
import dev.nabla.optim.SGD;
import dev.nabla.optim.StepLR;
import dev.nabla.parallel.Parallel;
import dev.nabla.train.Callback;
import dev.nabla.train.Checkpoint;
import dev.nabla.train.Cnn;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import dev.nabla.train.Mlp;
import dev.nabla.train.ModelFile;
import dev.nabla.train.Objective;
import dev.nabla.train.Trainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every code snippet of docs/guide.md, run as the guide shows it (the snippet first, then the
 * assertions that check what the guide says it prints or computes). The section comments name the
 * guide's sections; when a snippet changes there, change it here too.
 */
class GuideExamplesTest {
    @TempDir Path dir;

    // ================================================================ 1. Arrays

    @Test
    void creatingArrays() {
        NdArray a = NdArray.fromNested(new double[][] {{1, 2, 3}, {4, 5, 6}});    // float64, copied in
        NdArray b = NdArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);             // float32, wraps the array
        NdArray z = NdArray.zeros(DType.FLOAT32, 2, 3);
        NdArray r = NdArray.arange(DType.FLOAT64, 0, 6, 1).reshape(2, 3);         // [[0, 1, 2], [3, 4, 5]]
        NdArray n = NdArray.randn(new SplittableRandom(7), DType.FLOAT32, 4, 4);  // the same numbers every run
        System.out.println(a.add(b));   // array([[2., 4., 6.], [8., 10., 12.]], dtype=float64)

        assertEquals("array([[2., 4., 6.], [8., 10., 12.]], dtype=float64)", a.add(b).toString());
        assertEquals(DType.FLOAT32, b.dtype());
        assertEquals(0.0, z.sumAll());
        assertEquals(5.0, r.get(1, 2));
        assertArrayEquals(n.toFloatArray(), NdArray.randn(new SplittableRandom(7), DType.FLOAT32, 4, 4).toFloatArray());
        float[] backing = new float[] {1, 2, 3, 4};
        NdArray wrapped = NdArray.of(backing, 2, 2);
        backing[0] = 9;
        assertEquals(9.0, wrapped.get(0, 0), "of(...) wraps the Java array, it does not copy it");
    }

    @Test
    void viewsShareStorage() {
        NdArray m = NdArray.arange(DType.FLOAT64, 0, 6, 1).reshape(2, 3);   // [[0, 1, 2], [3, 4, 5]]
        NdArray t = m.transpose(0, 1);          // [3, 2], no copy
        NdArray row = m.select(0, 1);           // [3, 4, 5]
        NdArray cols = m.narrow(1, 1, 2);       // [[1, 2], [4, 5]]
        row.fill(-1);                           // writes into m's storage
        System.out.println(m);                  // array([[0., 1., 2.], [-1., -1., -1.]], dtype=float64)
        System.out.println(t.isContiguous());   // false; t.contiguous() or t.copy() makes a packed copy

        assertEquals("array([[0., 1., 2.], [-1., -1., -1.]], dtype=float64)", m.toString());
        assertFalse(t.isContiguous());
        assertEquals(-1.0, t.get(2, 1));
        assertEquals(2.0, cols.get(0, 1));
        assertTrue(t.contiguous().isContiguous());
        NdArray copy = m.copy();
        copy.fill(7);
        assertEquals(0.0, m.get(0, 0), "copy() owns its storage");
    }

    @Test
    void broadcastingAndMath() {
        NdArray x = NdArray.fromNested(new double[][] {{1, 2, 3}, {4, 5, 6}});   // [2, 3]
        NdArray bias = NdArray.fromNested(new double[] {10, 20, 30});             // [3]
        NdArray scale = NdArray.fromNested(new double[][] {{1}, {2}});            // [2, 1]
        NdArray shifted = x.add(bias);                    // [[11, 22, 33], [14, 25, 36]]
        NdArray scaled = x.mul(scale);                    // [[1, 2, 3], [8, 10, 12]]
        NdArray rowSums = x.sum(false, 1);                // [6, 15]
        NdArray colMeans = x.mean(true, 0);               // [[2.5, 3.5, 4.5]]
        NdArray gram = x.matmul(x.transpose(0, 1));       // [[14, 32], [32, 77]]

        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, shifted.toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3, 8, 10, 12}, scaled.toDoubleArray());
        assertArrayEquals(new double[] {6, 15}, rowSums.toDoubleArray());
        assertArrayEquals(new int[] {1, 3}, colMeans.shape());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, colMeans.toDoubleArray());
        assertArrayEquals(new double[] {14, 32, 32, 77}, gram.toDoubleArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.add(NdArray.zeros(DType.FLOAT64, 2)));
        assertEquals("add: shapes [2, 3] and [2] cannot be broadcast: dimension -1 is 3 and 2 (sizes must match or one of them be 1)",
            e.getMessage());
    }

    // ================================================================ 2. Tensors and autograd

    @Test
    void backwardAndAccumulation() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        Tensor y = x.mul(x).sum();          // y = Σ x²
        y.backward();
        System.out.println(x.grad());       // tensor([2., 4., 6.], dtype=float64)
        assertEquals("tensor([2., 4., 6.], dtype=float64)", x.grad().toString());

        x.mul(x).sum().backward();          // a second loss: its gradient is added
        System.out.println(x.grad());       // tensor([4., 8., 12.], dtype=float64)
        assertEquals("tensor([4., 8., 12.], dtype=float64)", x.grad().toString());
        x.zeroGrad();                       // x.grad() is null again
        assertNull(x.grad());
    }

    @Test
    void noGradAndDetach() {
        Tensor w = Tensor.of(new double[] {0.5, -1.0}).requiresGrad(true);
        try (var ignored = Tensor.noGrad()) {
            Tensor p = w.mul(2);            // computed, but not recorded
            System.out.println(p.requiresGrad());   // false
            assertFalse(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
        Tensor frozen = w.detach();         // same numbers, outside the graph
        Tensor loss = w.mul(frozen).sum();  // the gradient flows through w only
        loss.backward();
        System.out.println(w.grad());       // tensor([0.5, -1.], dtype=float64), not 2w

        assertEquals("tensor([0.5, -1.], dtype=float64)", w.grad().toString());
        assertTrue(w.mul(2).requiresGrad(), "the scope restores recording when closed");
    }

    @Test
    void retainGraphAndRetainGrad() {
        Tensor w = Tensor.of(new double[] {0.5, -1.0}).requiresGrad(true);
        Tensor h = w.tanh().retainGrad();   // keep ∂L/∂h too (h is not a leaf)
        Tensor loss = h.square().sum();
        loss.backward(null, true, false);   // retainGraph: the graph survives
        loss.backward();                    // a second pass: w.grad() doubles
        // a third loss.backward() fails: "trying to backward through the graph a second time ..."

        double[] once = new double[2];
        double[] wv = {0.5, -1.0};
        for (int i = 0; i < 2; i++) {
            double t = Math.tanh(wv[i]);
            once[i] = 2 * t * (1 - t * t);
        }
        assertArrayEquals(new double[] {2 * once[0], 2 * once[1]}, w.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4 * Math.tanh(0.5), 4 * Math.tanh(-1.0)}, h.grad().data().toDoubleArray(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void gradientReturnsInsteadOfAccumulating() {
        Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor f = a.pow(3).sum();
        List<Tensor> g = f.gradient(List.of(a), null, false, false);   // [3a²] = [3, 12]
        System.out.println(a.grad());                                  // null: nothing was accumulated

        assertArrayEquals(new double[] {3, 12}, g.get(0).data().toDoubleArray(), 1e-12);
        assertNull(a.grad());
    }

    @Test
    void secondDerivativesAndHessianVectorProducts() {
        // d²/ds² tanh(s), by differentiating the first derivative
        Tensor s = Tensor.scalar(0.5).requiresGrad(true);
        Tensor ds = s.tanh().gradient(List.of(s), null, true, true).get(0);   // 1 − tanh²(s), with its own graph
        ds.backward();                                                        // s.grad() = −2 tanh(s)(1 − tanh²(s))

        // H·v for f(p) = (p₀ p₁)² at p = (1, 2), v = (1, −1), without forming H
        Tensor p = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor v = Tensor.of(new double[] {1, -1});
        Tensor f = p.select(0, 0).mul(p.select(0, 1)).square();
        Tensor grad = f.gradient(List.of(p), null, true, true).get(0);        // ∇f, recorded
        Tensor hv = grad.mul(v).sum().gradient(List.of(p), null, false, false).get(0);
        System.out.println(hv);   // tensor([0., 6.], dtype=float64): H = [[8, 8], [8, 2]]

        double t = Math.tanh(0.5);
        assertEquals(-2 * t * (1 - t * t), s.grad().item(), 1e-12);
        assertArrayEquals(new double[] {0, 6}, hv.data().toDoubleArray(), 1e-12);
        assertEquals("tensor([0., 6.], dtype=float64)", hv.toString());
    }

    @Test
    void gradcheckAndGradgradcheck() {
        Tensor a = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 4, 2).requiresGrad(true);
        GradCheck.Result first = GradCheck.gradcheck(xs -> xs.get(0).tanh().matmul(xs.get(1)), List.of(a, b));
        GradCheck.Result second = GradCheck.gradgradcheck(xs -> xs.get(0).tanh().matmul(xs.get(1)), List.of(a, b));
        System.out.println(first.passed() + " " + second.passed());   // true true; toString() names the worst entry

        assertTrue(first.passed(), first.toString());
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void customOp() {
        Op.Custom cube = new Op.Custom("cube", "∂x = 3 g ⊙ x²",
            xs -> xs[0].mul(xs[0]).mul(xs[0]),                          // forward, on arrays
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].square()).mul(3)}); // VJP, on tensors
        Tensor x = Tensor.of(new double[] {1, -2}).requiresGrad(true);
        cube.apply(x).sum().backward();
        System.out.println(x.grad());                                                  // tensor([3., 12.], dtype=float64)
        System.out.println(GradCheck.gradcheck(in -> cube.apply(in.get(0)), List.of(x)).passed());   // true

        assertEquals("tensor([3., 12.], dtype=float64)", x.grad().toString());
        assertTrue(GradCheck.gradcheck(in -> cube.apply(in.get(0)), List.of(x)).passed());
        assertTrue(GradCheck.gradgradcheck(in -> cube.apply(in.get(0)), List.of(x)).passed(),
            "a VJP written with tensor ops can be differentiated again");

        // the guide's point: gradcheck catches a VJP that forgot the factor 3
        Op.Custom wrong = new Op.Custom("cube", "∂x = g ⊙ x²", xs -> xs[0].mul(xs[0]).mul(xs[0]),
            (g, xs, out) -> new Tensor[] {g.mul(xs[0].square())});
        assertFalse(GradCheck.gradcheck(in -> wrong.apply(in.get(0)), List.of(x)).passed());
    }

    // ================================================================ 3. Modules

    @Test
    void sequentialAndParameters() {
        Init.manualSeed(42);                     // modules built without a generator draw from here
        Sequential net = new Sequential(new Linear(2, 8), new ReLU(), new Dropout(0.1), new Linear(8, 3));
        System.out.println(net);
        System.out.println(net.namedParameters().keySet());   // [0.weight, 0.bias, 3.weight, 3.bias]

        Tensor x = Tensor.of(DType.FLOAT32, new double[][] {{0.5, -1.0}, {2.0, 0.0}});   // Linear(in, out) is float32
        Tensor logits = net.forward(x);          // [2, 3]; dropout is active in training mode
        net.eval();                              // dropout passes its input through
        Tensor again = net.forward(x);

        assertEquals("""
            Sequential(
              (0): Linear(in_features=2, out_features=8, bias=True)
              (1): ReLU()
              (2): Dropout(p=0.1)
              (3): Linear(in_features=8, out_features=3, bias=True)
            )""", net.toString());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(net.namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 3}, logits.shape());
        assertArrayEquals(new int[] {2, 3}, again.shape());
        assertFalse(net.isTraining());
        assertEquals(2 * 8 + 8 + 8 * 3 + 3, net.parameters().stream().mapToInt(Tensor::numel).sum());

        Init.manualSeed(42);
        Sequential twin = new Sequential(new Linear(2, 8), new ReLU(), new Dropout(0.1), new Linear(8, 3));
        assertArrayEquals(net.stateDict().get("0.weight").toFloatArray(), twin.stateDict().get("0.weight").toFloatArray(),
            "manualSeed makes the initialization reproducible");
    }

    @Test
    void normalization() {
        Sequential net = new Sequential(new Linear(4, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 3), new LayerNorm(3));
        Tensor batch = Tensor.randn(new SplittableRandom(1), DType.FLOAT32, 32, 4);
        net.forward(batch);                                      // training mode: batch statistics, running ones updated
        System.out.println(net.namedBuffers().keySet());         // [1.running_mean, 1.running_var, 1.num_batches_tracked]
        net.eval();
        Tensor one = net.forward(batch.narrow(0, 0, 1));         // evaluation mode: the running statistics; one sample is fine

        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(1, net.stateDict().get("1.num_batches_tracked").item());
        assertTrue(net.stateDict().get("1.running_mean").maxAbsDiff(NdArray.zeros(DType.FLOAT32, 16)) > 0, "the running mean moved");
        assertArrayEquals(new int[] {1, 3}, one.shape());
        assertEquals(0, one.data().sumAll(), 1e-5, "LayerNorm(3) without a learned shift: each row sums to 0");
    }

    /** The guide's custom module. */
    static final class Residual extends Module {
        private final Linear inner;

        Residual(int width) { inner = registerModule("inner", new Linear(width, width)); }

        @Override
        public Tensor forward(Tensor x) { return x.add(inner.forward(x).tanh()); }
    }

    @Test
    void customModule() {
        Sequential net = new Sequential(new Linear(4, 16), new Residual(16), new Linear(16, 1));
        System.out.println(net.namedParameters().keySet());   // [0.weight, 0.bias, 1.inner.weight, 1.inner.bias, 2.weight, 2.bias]

        assertEquals(List.of("0.weight", "0.bias", "1.inner.weight", "1.inner.bias", "2.weight", "2.bias"),
            List.copyOf(net.namedParameters().keySet()));
        Tensor out = net.forward(Tensor.ones(DType.FLOAT32, 5, 4));
        out.sum().backward();
        assertNotNull(net.namedParameters().get("1.inner.weight").grad());
    }

    @Test
    void stateDicts() {
        Linear layer = new Linear(3, 2, true, DType.FLOAT64, new SplittableRandom(0));   // float64, seeded
        Map<String, NdArray> live = layer.stateDict();                                  // shares the arrays
        NdArray snapshot = live.get("weight").copy();                                   // a copy keeps the values
        layer.weight().data().fill(0);
        System.out.println(live.get("weight").sumAll());                                // 0.0: the live view changed
        layer.loadStateDict(Map.of("weight", snapshot, "bias", NdArray.zeros(DType.FLOAT64, 2)));   // copies in

        assertEquals(0.0, NdArray.zeros(DType.FLOAT64, 1).sumAll());
        assertArrayEquals(snapshot.toDoubleArray(), layer.weight().data().toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, layer.bias().data().toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> layer.loadStateDict(Map.of("weight", NdArray.zeros(DType.FLOAT64, 2, 2))));
        assertEquals("loadStateDict: Linear: missing entries [bias]; entry 'weight' has shape [2, 2] but the parameter has shape [2, 3]",
            e.getMessage());
    }

    @Test
    void convolutionAndPooling() {
        Init.manualSeed(0);
        Sequential cnn = new Sequential(
            new Conv2d(1, 8, 3, 1, 1), new ReLU(),  // [N, 1, 28, 28] -> [N, 8, 28, 28]
            new MaxPool2d(2),                       // -> [N, 8, 14, 14]
            new Flatten(),                          // -> [N, 1568]
            new Linear(8 * 14 * 14, 10));
        Tensor images = Tensor.zeros(DType.FLOAT32, 4, 1, 28, 28);
        Tensor logits = cnn.forward(images);         // [4, 10]
        System.out.println(cnn.get(0));              // Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))

        assertArrayEquals(new int[] {4, 10}, logits.shape());
        assertEquals("Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", cnn.get(0).toString());
        assertArrayEquals(new int[] {4, 8, 28, 28}, cnn.get(0).forward(images).shape());
        assertArrayEquals(new int[] {4, 8, 14, 14}, new MaxPool2d(2).forward(cnn.get(0).forward(images)).shape());
        double bound = 1 / Math.sqrt(1 * 3 * 3);   // ±1/√(in·kh·kw)
        for (double w : ((Conv2d) cnn.get(0)).weight().data().toDoubleArray()) assertTrue(Math.abs(w) <= bound);

        // the prose: a convolution is the weight as an [out, C·kh·kw] matrix times unfold's columns
        Window2d window = Window2d.kernel(3).stride(2).padding(1);
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 2, 3, 7, 7);
        Tensor w = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 5, 3, 3, 3);
        Tensor cols = x.unfold(window);                                                 // [2, 27, 16]
        assertArrayEquals(new int[] {2, 27, 16}, cols.shape());
        Tensor viaColumns = w.reshape(5, 27).matmul(cols).reshape(2, 5, 4, 4);
        assertTrue(Convolutions.conv2d(x, w, null, 2, 1).data().maxAbsDiff(viaColumns.data()) < 1e-12);
        assertArrayEquals(new int[] {2, 3, 7, 7}, cols.fold(7, 7, window).shape());     // fold adds the columns back
        // Tensor.conv2d is one primitive with those gradients
        Tensor xg = x.detach().requiresGrad(true), wg = w.detach().requiresGrad(true);
        Tensor xc = x.detach().requiresGrad(true), wc = w.detach().requiresGrad(true);
        xg.conv2d(wg, null, window).square().sum().backward();
        wc.reshape(5, 27).matmul(xc.unfold(window)).square().sum().backward();
        assertTrue(xg.grad().data().maxAbsDiff(xc.grad().data()) < 1e-12);
        assertTrue(wg.grad().data().maxAbsDiff(wc.grad().data()) < 1e-12);
        // ties in max pooling: the gradient goes to the first maximal entry
        Tensor flat = Tensor.ones(DType.FLOAT64, 1, 1, 2, 2).requiresGrad(true);
        Convolutions.maxPool2d(flat, 2).sum().backward();
        assertArrayEquals(new double[] {1, 0, 0, 0}, flat.grad().data().toDoubleArray());
        Tensor withNaN = Tensor.of(new double[][][][] {{{{1, Double.NaN}, {3, 4}}}});
        assertTrue(Double.isNaN(Convolutions.maxPool2d(withNaN, 2).item()));
    }

    // ================================================================ 4. Losses

    @Test
    void lossObjectsAndFunctions() {
        Tensor logits = Tensor.of(new double[][] {{2.0, 0.5, -1.0}, {0.1, 0.2, 3.0}});
        Tensor classes = Tensor.of(new double[] {0, 2});                        // class indices, stored as numbers
        Tensor ce = new CrossEntropyLoss().forward(logits, classes);             // mean over the N = 2 samples
        Tensor same = Losses.crossEntropy(logits, classes, Reduction.MEAN);      // the function behind it
        Tensor each = Losses.crossEntropy(logits, classes, Reduction.NONE);      // shape [2], one term per sample

        Tensor yHat = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor y = Tensor.of(new double[][] {{1, 0}, {0, 4}});
        double mean = new MSELoss().forward(yHat, y).item();                  // (0 + 4 + 9 + 0) / 4 = 3.25: N·d terms
        double sum = new MSELoss(Reduction.SUM).forward(yHat, y).item();      // 13

        double l0 = -Math.log(Math.exp(2.0) / (Math.exp(2.0) + Math.exp(0.5) + Math.exp(-1.0)));
        double l1 = -Math.log(Math.exp(3.0) / (Math.exp(0.1) + Math.exp(0.2) + Math.exp(3.0)));
        assertEquals((l0 + l1) / 2, ce.item(), 1e-12);
        assertEquals(ce.item(), same.item(), 0.0);
        assertArrayEquals(new double[] {l0, l1}, each.data().toDoubleArray(), 1e-12);
        assertEquals(3.25, mean, 1e-12);
        assertEquals(13.0, sum, 1e-12);
    }

    @Test
    void multiMarginIsMultiClassHingeOverC() {
        Tensor scores = Tensor.of(new double[][] {{0.2, 1.5, -0.3}, {2.0, 0.1, 0.4}});
        Tensor target = Tensor.of(new double[] {0, 0});
        double hinge = new MultiClassHingeLoss().forward(scores, target).item();   // Σ_{j≠c} max(0, s_j − s_c + 1), mean over N
        double torch = new MultiMarginLoss().forward(scores, target).item();       // the same divided by C = 3

        double s0 = Math.max(0, 1.5 - 0.2 + 1) + Math.max(0, -0.3 - 0.2 + 1);
        double s1 = Math.max(0, 0.1 - 2.0 + 1) + Math.max(0, 0.4 - 2.0 + 1);
        assertEquals((s0 + s1) / 2, hinge, 1e-12);
        assertEquals(hinge / 3, torch, 1e-12);
    }

    @Test
    void l2PenaltyEqualsWeightDecayOnWeights() {
        Linear a = new Linear(3, 2, false, DType.FLOAT64, new SplittableRandom(5));
        Linear b = new Linear(3, 2, false, DType.FLOAT64, new SplittableRandom(5));
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {-1, 0, 2}});
        Tensor y = Tensor.of(new double[][] {{0.5, 0}, {0, 1}});
        double lambda = 0.01;

        // the guide: penalty in the loss
        Tensor loss = new MSELoss().forward(a.forward(x), y).add(Regularization.l2Penalty(a, lambda));
        loss.backward();
        new SGD(a.parameters(), 0.1).step();

        // the same step as weight decay 2λ on the weights
        new MSELoss().forward(b.forward(x), y).backward();
        new SGD(b.parameters(), SGD.Options.defaults(0.1).withWeightDecay(2 * lambda)).step();

        assertArrayEquals(b.weight().data().toDoubleArray(), a.weight().data().toDoubleArray(), 1e-15);
    }

    // ================================================================ 5. Optimizers and schedules

    /** The guide's eight points with y = x₀ − 2x₁ (the same lines open the training-step snippet). */
    private static Tensor[] eightPoints() {
        Tensor x = Tensor.of(DType.FLOAT32, new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 0.5}, {0.5, -1}, {2, 1}, {-0.5, -0.5}});
        Tensor y = x.narrow(1, 0, 1).sub(x.narrow(1, 1, 1).mul(2));   // y = x₀ − 2x₁, [8, 1]
        return new Tensor[] {x, y};
    }

    @Test
    void theTrainingStep() {
        Tensor x = Tensor.of(DType.FLOAT32, new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 0.5}, {0.5, -1}, {2, 1}, {-0.5, -0.5}});
        Tensor y = x.narrow(1, 0, 1).sub(x.narrow(1, 1, 1).mul(2));   // y = x₀ − 2x₁, [8, 1]
        Init.manualSeed(0);
        Sequential model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 1));
        Optimizer opt = new Adam(model.parameters(), 0.01);
        Loss mse = new MSELoss();
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();                             // 1. clear the old gradients
            Tensor loss = mse.forward(model.forward(x), y);
            loss.backward();                            // 2. fill p.grad() for every parameter
            opt.step();                                 // 3. update the parameters in place
            if (step == 0) first = loss.item();
            last = loss.item();
        }

        assertArrayEquals(new float[] {0, 1, -2, -1, -2, 2.5f, 0, 0.5f}, y.data().toFloatArray());
        assertTrue(first > 1, "initial loss " + first);
        assertTrue(last < 0.01 * first, "the loop should fit the line: " + first + " -> " + last);
    }

    @Test
    void aLoopThatAllocatesAlmostNothing() {
        Tensor x = Tensor.of(DType.FLOAT32, new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 0.5}, {0.5, -1}, {2, 1}, {-0.5, -0.5}});
        Tensor y = x.narrow(1, 0, 1).sub(x.narrow(1, 1, 1).mul(2));
        Loss mse = new MSELoss();
        double[] plainLosses = new double[300];
        double[] plainWeight;
        {   // the plain loop of the guide, for comparison
            Init.manualSeed(0);
            Sequential model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 1));
            Optimizer opt = new Adam(model.parameters(), 0.01);
            for (int step = 0; step < 300; step++) {
                opt.zeroGrad();
                Tensor loss = mse.forward(model.forward(x), y);
                loss.backward();
                opt.step();
                plainLosses[step] = loss.item();
            }
            plainWeight = model.parameters().get(0).data().toDoubleArray();
        }
        Init.manualSeed(0);
        Sequential model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 1));
        Optimizer opt = new Adam(model.parameters(), 0.01);

        Workspace ws = new Workspace();
        double lastLoss = Double.NaN;
        for (int step = 0; step < 300; step++) {
            try (Workspace.Step s = ws.step()) {        // arrays made in here are reused next step
                Tensor loss = mse.forward(model.forward(x), y);
                opt.zeroGrad(false);                    // keep the gradient arrays
                loss.backward();
                opt.step();
                lastLoss = loss.item();                 // read what you need inside the step
            }
        }

        assertEquals(plainLosses[299], lastLoss, 0.0, "the same training, bit for bit");
        assertArrayEquals(plainWeight, model.parameters().get(0).data().toDoubleArray(), 0.0);
        assertTrue(ws.reusedArrays() > 100 * ws.allocatedArrays(), ws.reusedArrays() + " reused, " + ws.allocatedArrays() + " allocated");
    }

    @Test
    void batchesGatheredInsideTheStep() {
        Init.manualSeed(2);
        DataLoader shuffled = new DataLoader(Synthetic.spirals(600, 3, 0.04, 42), 32, true, 42, false);
        Sequential net = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 3));
        Optimizer sgd = new SGD(net.parameters(), 0.1);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Workspace steps = new Workspace();
        Iterator<Batch> batches = shuffled.iterator();      // one epoch
        List<float[]> features = new ArrayList<>();
        while (batches.hasNext()) {
            try (Workspace.Step s = steps.step()) {
                Batch b = Workspace.lend(batches::next);    // valid until the step closes
                Tensor loss = ce.forward(net.forward(Tensor.of(b.features())), Tensor.of(b.labels()));
                sgd.zeroGrad(false);
                loss.backward();
                sgd.step();
                features.add(b.features().floatData());
            }
        }

        assertEquals(19, features.size(), "600 samples in batches of 32");
        for (int i = 1; i < 18; i++) assertSame(features.get(0), features.get(i), "batch " + (i + 1) + " reuses the first batch's array");
        assertNotSame(features.get(0), features.get(18), "the last batch (24 samples) has a length of its own");
    }

    @Test
    void parameterGroups() {
        Init.manualSeed(1);
        Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        List<Tensor> weights = new ArrayList<>(), biases = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> (name.endsWith("weight") ? weights : biases).add(p));
        Optimizer opt = new AdamW(List.of(
            new ParamGroup<>(weights, AdamW.Options.defaults(1e-3)),                     // weight decay 0.01
            new ParamGroup<>(biases, AdamW.Options.defaults(1e-3).withWeightDecay(0))));  // none on biases
        System.out.println(opt);   // AdamW(group 0: 2 params, Options[lr=0.001, ... weightDecay=0.01 ...], group 1: ...)

        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.01, ((AdamW.Options) opt.paramGroups().get(0).options()).weightDecay());
        assertEquals(0.0, ((AdamW.Options) opt.paramGroups().get(1).options()).weightDecay());
        assertTrue(opt.toString().startsWith("AdamW(group 0: 2 params, "), opt.toString());
        // a bias with a zero gradient stays put under AdamW when its group has no decay
        for (Tensor p : model.parameters()) p.setGrad(Tensor.zeros(p.dtype(), p.shape()));
        double[] before = biases.get(0).data().toDoubleArray();
        opt.step();
        assertArrayEquals(before, biases.get(0).data().toDoubleArray());
    }

    @Test
    void optimizerStateDictResumesExactly() {
        Tensor[] xy = eightPoints();
        Tensor x = xy[0], y = xy[1];
        Init.manualSeed(3);
        Sequential model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
        Map<String, NdArray> start = copyOf(model.stateDict());
        Optimizer opt = new Adam(model.parameters(), 0.05);
        for (int i = 0; i < 3; i++) step(model, opt, x, y);
        Map<String, NdArray> saved = opt.stateDict();   // copies: param_groups.0.lr, state.0.step, state.0.exp_avg, ...
        System.out.println(saved.keySet());

        Optimizer fresh = new Adam(model.parameters(), 0.05);
        fresh.loadStateDict(saved);                     // continues exactly where opt was

        assertTrue(saved.keySet().containsAll(List.of("param_groups.0.lr", "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq")),
            saved.keySet().toString());
        assertEquals(3.0, saved.get("state.0.step").item());
        // continuing with `fresh` gives the same weights as continuing with `opt`
        Map<String, NdArray> afterThree = copyOf(model.stateDict());
        step(model, fresh, x, y);
        Map<String, NdArray> viaFresh = copyOf(model.stateDict());
        model.loadStateDict(afterThree);
        step(model, opt, x, y);
        for (String k : viaFresh.keySet())
            assertArrayEquals(viaFresh.get(k).toFloatArray(), model.stateDict().get(k).toFloatArray(), k);
        assertNotEquals(start.get("0.weight").toFloatArray()[0], model.stateDict().get("0.weight").toFloatArray()[0]);
    }

    private static void step(Module model, Optimizer opt, Tensor x, Tensor y) {
        opt.zeroGrad();
        new MSELoss().forward(model.forward(x), y).backward();
        opt.step();
    }

    private static Map<String, NdArray> copyOf(Map<String, NdArray> state) {
        Map<String, NdArray> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    @Test
    void schedules() {
        Linear model = new Linear(2, 1);
        Optimizer opt = new SGD(model.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9));
        LRScheduler schedule = new LinearWarmup(opt, 5, 0.1).then(new CosineAnnealingLR(opt, 95, 0));
        List<Double> lrs = new ArrayList<>();
        for (int epoch = 0; epoch < 100; epoch++) {
            lrs.add(opt.lr());
            // ... one epoch of opt.step() calls, at opt.lr(): 0.01, 0.028, ..., 0.1 at epoch 5, then down the cosine
            schedule.step();
        }

        assertEquals(0.01, lrs.get(0), 1e-15);
        assertEquals(0.01 + 0.09 * 1 / 5, lrs.get(1), 1e-15);
        assertEquals(0.1, lrs.get(5), 1e-15);
        assertEquals(0.05, lrs.get(5 + 95 / 2), 0.002);
        assertTrue(lrs.get(99) < 1e-3, "near η_min at the end: " + lrs.get(99));

        Optimizer other = new SGD(new Linear(2, 1).parameters(), 0.1);
        StepLR step = new StepLR(other, 30, 0.1);   // 0.1 for steps 0–29, 0.01 for 30–59, ...
        for (int i = 0; i < 30; i++) step.step();
        assertEquals(0.01, other.lr(), 1e-15);
    }

    @Test
    void plateauSchedule() {
        Optimizer opt = new Adam(new Linear(2, 1).parameters(), 0.01);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt,
            ReduceLROnPlateau.Options.defaults().withFactor(0.5).withPatience(2));
        for (double valLoss : new double[] {1.0, 0.8, 0.8, 0.8, 0.8}) plateau.step(valLoss);   // 3 epochs without progress
        System.out.println(opt.lr());   // 0.005 (it was 0.01)

        assertEquals(0.005, opt.lr(), 1e-15);
        assertThrows(UnsupportedOperationException.class, plateau::step, "a plateau schedule needs the metric");
    }

    @Test
    void oneCycleSchedule() {
        Linear model = new Linear(2, 1);
        int epochs = 10, batches = 50;
        Optimizer sgd = new SGD(model.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9));
        OneCycleLR cycle = new OneCycleLR(sgd, 0.1, epochs * batches);   // 0.004 at step 0, 0.1 at step 149, 4e-7 at 499
        List<Double> lrs = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b = 0; b < batches; b++) {
                lrs.add(sgd.lr());
                // ... one batch: sgd.zeroGrad(), backward, sgd.step()
                cycle.step();
            }
        }

        assertEquals(0.004, lrs.get(0), 1e-15);
        assertEquals(0.1, lrs.get(149), 1e-15);
        assertEquals(Collections.max(lrs), lrs.get(149));
        assertEquals(4e-7, lrs.get(499), 1e-20);
        assertThrows(IllegalStateException.class, cycle::step, "a 501st step is past the cycle");
        assertEquals(0.9, ((SGD.Options) sgd.paramGroups().get(0).options()).momentum(), "the momentum is not cycled");
    }

    // ================================================================ 6. Data

    @Test
    void datasetsAndLoaders() {
        TensorDataset spirals = Synthetic.spirals(600, 3, 0.04, 42);   // features [600, 2], labels [600], float32
        Split split = Split.random(spirals, 0.2, 42);                   // 480 to train, 120 to validate
        DataLoader loader = new DataLoader(split.train(), 32, true, 42, false);   // shuffled, seed 42
        int batches = 0;
        for (Batch b : loader) {        // one epoch; the next loop runs the next epoch, in a new order
            // b.features(): [32, 2] (the last batch may be smaller), b.labels(): [32]
            batches++;
        }
        System.out.println(batches + " " + loader.numBatches());   // 15 15

        assertEquals(15, batches);
        assertEquals(15, loader.numBatches());
        assertEquals(480, split.train().size());
        assertEquals(120, split.validation().size());
        assertEquals(3, spirals.numClasses());
        assertArrayEquals(new int[] {2}, spirals.featureShape());
        assertEquals(1, loader.nextEpoch());
        DataLoader twin = new DataLoader(split.train(), 32, true, 42, false);
        assertArrayEquals(loader.permutation(3), twin.permutation(3), "epoch e's order depends on (seed, e) alone");
        assertFalse(java.util.Arrays.equals(loader.permutation(0), loader.permutation(1)));
    }

    @Test
    void ownArraysAsDataset() {
        NdArray features = NdArray.fromNested(DType.FLOAT32, new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        NdArray labels = NdArray.fromNested(DType.FLOAT32, new double[] {0, 1, 1, 0});
        TensorDataset xor = new TensorDataset(features, labels);
        DataLoader inOrder = new DataLoader(xor, 3);   // no shuffling: [0, 1, 2], then [3]

        List<Integer> sizes = new ArrayList<>();
        for (Batch b : inOrder) sizes.add(b.size());
        assertEquals(List.of(3, 1), sizes);
        assertEquals(2, xor.numClasses());
    }

    @Test
    void csvFiles() throws IOException {
        Path file = dir.resolve("flowers.csv");
        Files.writeString(file, """
            sepal,petal,species
            5.1,1.4,0
            6.2,4.5,1
            7.7,6.7,2
            """);
        Csv.Table table = Csv.read(file, "species");   // label column by name, or "2", or "-1" for the last
        TensorDataset data = table.dataset();          // features [3, 2], labels [3]
        System.out.println(table.featureNames());      // [sepal, petal]

        assertEquals(List.of("sepal", "petal"), table.featureNames());
        assertEquals("species", table.labelName());
        assertEquals(3, data.size());
        assertEquals(4.5, data.features().get(1, 1), 1e-6);
        assertEquals(3, data.numClasses());
        assertEquals(table.labels().toDoubleArray()[2], Csv.read(file, "-1").labels().toDoubleArray()[2]);

        Files.writeString(file, "a,b\n1,2\n3,x\n");
        IOException e = assertThrows(IOException.class, () -> Csv.read(file, "a"));
        assertTrue(e.getMessage().endsWith("flowers.csv:3: column 2 (\"b\"): \"x\" is not a number, expected a decimal number"), e.getMessage());
    }

    @Test
    void idxFiles() throws IOException {
        // a 2 x 3 IDX array of unsigned bytes, as MNIST stores its images
        Path file = dir.resolve("tiny-idx2-ubyte");
        Files.write(file, new byte[] {0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, (byte) 250, 5, 6});
        NdArray a = Idx.read(file);      // raw or gzip, values as stored (not scaled)
        System.out.println(a);           // array([[1., 2., 3.], [250., 5., 6.]], dtype=float32)

        assertEquals("array([[1., 2., 3.], [250., 5., 6.]], dtype=float32)", a.toString());
    }

    @Test
    void mnistWhenPresent() throws IOException {
        Path mnistDir = locateMnist();
        Assumptions.assumeTrue(mnistDir != null,
            "MNIST not found: set NABLA_MNIST_DIR or put the files in ../shared/data/mnist beside the repository");
        Mnist.Data mnist = Mnist.load(mnistDir);      // both sets, or only the test set
        TensorDataset digits = mnist.test();          // images [10000, 28, 28] in [0, 1], labels [10000]
        DataLoader loader = new DataLoader(digits.flattened(), 64, true, 1, false)   // [B, 784]
            .withTransform(new RandomShift(28, 28, 1, 0f));                        // move each digit by up to 1 pixel

        assertArrayEquals(new int[] {28, 28}, digits.featureShape());
        assertEquals(10_000, digits.size());
        Batch first = loader.iterator().next();
        assertArrayEquals(new int[] {64, 784}, first.features().shape());
        assertEquals(10, digits.numClasses());
    }

    private static Path locateMnist() {
        String env = System.getenv("NABLA_MNIST_DIR");
        if (env != null && !env.isBlank() && Mnist.isPresent(Path.of(env))) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("run-tests")) || Files.isDirectory(p.resolve(".git"))) {
                Path candidate = p.resolve("../shared/data/mnist").normalize();
                return Mnist.isPresent(candidate) ? candidate : null;
            }
        }
        return null;
    }

    // ================================================================ 7. Training

    @Test
    void trainerFit() {
        Split data = Split.random(Synthetic.moons(1000, 0.1, 7), 0.2, 7);
        Mlp arch = new Mlp(2, List.of(16, 16), 2, "relu");              // 2-16-16-2, ReLU between
        Sequential model = arch.build(new SplittableRandom(7));
        Optimizer opt = new Adam(model.parameters(), 0.01);
        Objective objective = new Objective.ClassIndices(new CrossEntropyLoss());
        List<String> log = new ArrayList<>();
        Trainer trainer = new Trainer(model, opt, objective)
            .schedule(new CosineAnnealingLR(opt, 20, 0))                 // stepped once per epoch
            .earlyStopping(EarlyStopping.patience(5))                    // on the validation loss; best weights restored
            .addCallback(new Callback() {
                @Override public void onEpochEnd(EpochMetrics m) {
                    System.out.printf("epoch %d: loss %.4f, val acc %.3f%n", m.epoch(), m.trainLoss(), m.valAccuracy());
                    log.add(String.format("epoch %d: loss %.4f, val acc %.3f", m.epoch(), m.trainLoss(), m.valAccuracy()));
                }
            });
        History history = trainer.fit(new DataLoader(data.train(), 32, true, 7, false), data.validation(), 20);
        Trainer.Evaluation ev = Trainer.evaluate(model, objective, data.validation(), 256);
        System.out.println(history.fin().valAccuracy() + " " + ev.accuracy());   // the same: the final model's numbers

        assertTrue(history.fin().valAccuracy() > 0.95, "moons should be learned: " + history.fin());
        assertEquals(history.fin().valAccuracy(), ev.accuracy(), 1e-12);
        assertEquals(history.fin().valLoss(), ev.loss(), 1e-6);
        assertEquals(history.epochs().size(), log.size());
        assertTrue(log.get(0).startsWith("epoch 1: loss "), log.get(0));
    }

    @Test
    void cnnArchitecture() {
        Cnn cnn = new Cnn(1, 28, 28, List.of(16, 32), List.of(), 10, "relu", "batch");  // image C, H, W; channels; hidden; outputs
        Sequential net = cnn.build(new SplittableRandom(0));
        Tensor logits = net.forward(Tensor.zeros(DType.FLOAT32, 4, 784));    // rows in, [4, 10] out
        System.out.println(cnn);                 // CNN 1×28×28, conv 16-32, linear 1568-10 (relu, batch norm)
        System.out.println(net.get(0));          // Unflatten(dim=1, unflattened_size=(1, 28, 28))

        assertArrayEquals(new int[] {4, 10}, logits.shape());
        assertEquals("CNN 1×28×28, conv 16-32, linear 1568-10 (relu, batch norm)", cnn.toString());
        assertEquals("Unflatten(dim=1, unflattened_size=(1, 28, 28))", net.get(0).toString());
        // the prose: a block is convolution, BatchNorm2d, activation, max pooling; then Flatten and the output layer
        assertEquals(List.of("Unflatten", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d",
            "Flatten", "Linear"), net.layers().stream().map(m -> m.getClass().getSimpleName()).toList());
    }

    @Test
    void callbackCanStop() {
        Split data = Split.random(Synthetic.xor(200, 0.0, 3), 0.2, 3);
        Sequential model = new Mlp(2, List.of(8), 2, "tanh").build(new SplittableRandom(3));
        Optimizer opt = new SGD(model.parameters(), 0.1);
        Trainer trainer = new Trainer(model, opt, new Objective.ClassIndices(new CrossEntropyLoss()));
        trainer.addCallback(new Callback() {
            @Override public void onEpochEnd(EpochMetrics m) {
                if (m.epoch() == 3) trainer.stop();   // ends the run after this epoch
            }
        });
        History h = trainer.fit(new DataLoader(data.train(), 16, true, 3, false), data.validation(), 50);
        assertEquals(3, h.epochs().size());
    }

    @Test
    void objectives() {
        NdArray out = NdArray.fromNested(DType.FLOAT32, new double[][] {{2, 0}, {0, 1}, {3, -1}});
        NdArray labels = NdArray.fromNested(DType.FLOAT32, new double[] {0, 1, 1});
        Objective byIndex = new Objective.ClassIndices(new CrossEntropyLoss());   // the loss takes the indices
        Objective byOneHot = new Objective.OneHot(new MSELoss(), 2);              // the loss sees [[1, 0], [0, 1], [0, 1]]
        Objective regression = new Objective.Targets(new MSELoss());              // labels are the targets

        assertEquals(2, byIndex.correct(out, labels));
        assertEquals(2, byOneHot.correct(out, labels));
        double oneHotMse = ((2 - 1) * (2 - 1) + 0 + 0 + 0 + 3 * 3 + (-1 - 1) * (-1 - 1)) / 6.0;
        assertEquals(oneHotMse, byOneHot.loss(Tensor.of(out), labels).item(), 1e-6);
        NdArray col = NdArray.fromNested(DType.FLOAT32, new double[][] {{1}, {2}});
        assertEquals(0.5, regression.loss(Tensor.of(col), NdArray.fromNested(DType.FLOAT32, new double[] {2, 2})).item(), 1e-6);
        assertEquals(-1, regression.correct(col, labels.narrow(0, 0, 2)));
    }

    /** The guide's resume example, checked against a run that never stopped. */
    @Test
    void checkpointAndResume() throws IOException {
        Split data = Split.random(Synthetic.spirals(400, 3, 0.04, 11), 0.2, 11);
        Mlp arch = new Mlp(2, List.of(32), 3, "relu");
        Objective objective = new Objective.ClassIndices(new CrossEntropyLoss());

        // first run: 3 of 6 epochs, a checkpoint after each
        Path ckpt = dir.resolve("checkpoint.safetensors");   // dir: the run's folder
        Sequential model = arch.build(new SplittableRandom(1));
        Optimizer opt = new Adam(model.parameters(), 0.01);
        new Trainer(model, opt, objective)
            .schedule(new CosineAnnealingLR(opt, 6, 0))
            .checkpointTo(ckpt, Map.of("run", "spirals demo"))   // extra metadata kept in the file
            .fit(new DataLoader(data.train(), 32, true, 11, false), data.validation(), 3);

        // later, maybe in another process: rebuild the same objects, restore, fit to the total
        Checkpoint c = Checkpoint.read(ckpt);
        Sequential model2 = arch.build(new SplittableRandom(99));        // any initial weights: restore replaces them
        Optimizer opt2 = new Adam(model2.parameters(), 0.01);
        Trainer resumed = new Trainer(model2, opt2, objective).schedule(new CosineAnnealingLR(opt2, 6, 0)).restore(c);
        History h = resumed.fit(new DataLoader(data.train(), 32, true, 11, false), data.validation(), 6);   // epochs 4, 5, 6
        System.out.println(c.epochsDone() + " " + h.epochs().size() + " " + c.metadata().get("run"));   // 3 6 spirals demo

        assertEquals(3, c.epochsDone());
        assertEquals(6, h.epochs().size());
        assertEquals("spirals demo", c.metadata().get("run"));

        Sequential straight = arch.build(new SplittableRandom(1));
        Optimizer optS = new Adam(straight.parameters(), 0.01);
        History hs = new Trainer(straight, optS, objective).schedule(new CosineAnnealingLR(optS, 6, 0))
            .fit(new DataLoader(data.train(), 32, true, 11, false), data.validation(), 6);
        // bit for bit: the float32 kernels give the same bits interpreted and JIT-compiled (VectorMath)
        for (String k : straight.stateDict().keySet())
            assertArrayEquals(straight.stateDict().get(k).toFloatArray(), model2.stateDict().get(k).toFloatArray(), k);
        assertEquals(hs.last().valLoss(), h.last().valLoss(), 0.0);
        assertEquals(hs.last().lr(), h.last().lr(), 0.0);
    }

    @Test
    void savingAndLoadingModels() throws IOException {
        Mlp arch = new Mlp(4, List.of(8), 3, "tanh");
        Sequential model = arch.build(new SplittableRandom(0));

        Path file = dir.resolve("model.safetensors");        // dir: any folder
        ModelFile.save(file, model, arch, Map.of("dataset", "my data"));   // weights + architecture + metadata
        ModelFile.Loaded loaded = ModelFile.load(file);                     // rebuilds the MLP, no code needed
        Sequential same = arch.build(new SplittableRandom(123));
        Map<String, String> meta = ModelFile.loadInto(file, same);          // into any module with the same names

        Safetensors.Contents raw = Safetensors.read(file);                  // the file itself: tensors by name
        System.out.println(raw.tensors().keySet());                         // [0.bias, 0.weight, 2.bias, 2.weight]

        assertEquals(arch, loaded.architecture());
        assertEquals("my data", meta.get("dataset"));
        Tensor x = Tensor.ones(DType.FLOAT32, 2, 4);
        assertArrayEquals(model.forward(x).data().toFloatArray(), loaded.model().forward(x).data().toFloatArray());
        assertArrayEquals(model.forward(x).data().toFloatArray(), same.forward(x).data().toFloatArray());
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight"), List.copyOf(raw.tensors().keySet()));

        // any module: its state dict as safetensors
        Path plain = dir.resolve("weights.safetensors");
        Safetensors.write(plain, model.stateDict(), Map.of());
        assertArrayEquals(model.stateDict().get("2.weight").toFloatArray(), Safetensors.read(plain).tensor("2.weight").toFloatArray());

        // inference
        model.eval();
        try (var ignored = Tensor.noGrad()) {
            Tensor scores = model.forward(x);
            assertFalse(scores.requiresGrad());
        }
    }

    // ================================================================ 8. Threads

    @Test
    void threads() {
        int before = Parallel.threads();   // nabla.threads, else NABLA_THREADS, else the number of cores
        try {
            Parallel.setThreads(2);        // what --threads 2 does
            System.out.println(Parallel.threads());   // 2
            assertEquals(2, Parallel.threads());
            assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        } finally {
            Parallel.setThreads(before);
        }
    }
}
