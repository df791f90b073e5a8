package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {
    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(3, 2, true, DType.FLOAT64, rng), new Sigmoid(), new Linear(2, 1, false, DType.FLOAT64, rng));
    }

    @Test
    void parameterNamesAreDottedInRegistrationOrder() {
        Sequential m = net(1);
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(3, m.parameters().size());
        assertSame(((Linear) m.get(0)).weight(), m.parameters().get(0));
        assertTrue(m.parameters().stream().allMatch(Tensor::requiresGrad));
        assertEquals(List.of("0", "1", "2"), List.copyOf(m.namedChildren().keySet()));
    }

    @Test
    void aSharedLayerIsListedOnce() {
        Linear shared = new Linear(2, 2, true, DType.FLOAT64, new SplittableRandom(1));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.namedParameters().keySet()));
        m.forward(Tensor.of(new double[][] {{1, 2}})).sum().backward();
        assertNotNull(shared.weight().grad(), "both uses accumulate into the one gradient");
    }

    @Test
    void toStringPrintsTheStructureLikePyTorch() {
        Sequential m = new Sequential(new Linear(3, 2), new Sigmoid());
        assertEquals("Sequential(\n  (0): Linear(in_features=3, out_features=2, bias=True)\n  (1): Sigmoid()\n)", m.toString());
        Sequential nested = new Sequential(new Sequential(new Linear(2, 2, false, DType.FLOAT32, new SplittableRandom(1)), new ReLU()),
            new Dropout(0.25), new LeakyReLU(0.1), new Softmax(1));
        assertEquals("""
            Sequential(
              (0): Sequential(
                (0): Linear(in_features=2, out_features=2, bias=False)
                (1): ReLU()
              )
              (1): Dropout(p=0.25)
              (2): LeakyReLU(negative_slope=0.1)
              (3): Softmax(dim=1)
            )""", nested.toString());
    }

    @Test
    void stateDictRoundTrip() {
        Sequential a = net(1), b = net(2);
        assertNotEquals(a.stateDict().get("0.weight").get(0, 0), b.stateDict().get("0.weight").get(0, 0));
        Map<String, NdArray> copy = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        b.loadStateDict(copy);
        for (String k : a.stateDict().keySet())
            assertEquals(0.0, a.stateDict().get(k).maxAbsDiff(b.stateDict().get(k)), k);
        Tensor x = Tensor.of(new double[][] {{0.1, 0.2, 0.3}});
        assertEquals(a.forward(x).item(), b.forward(x).item(), 0.0);
        // shared, not copied: a state dict sees later changes of the parameters
        NdArray w = a.stateDict().get("0.weight");
        ((Linear) a.get(0)).weight().data().set(42.0, 0, 0);
        assertEquals(42.0, w.get(0, 0));
    }

    @Test
    void loadStateDictNamesMissingUnexpectedAndMisshapedEntries() {
        Sequential m = net(1);
        Map<String, NdArray> s = new LinkedHashMap<>();
        s.put("0.weight", NdArray.zeros(DType.FLOAT64, 3, 2));
        s.put("2.weight", NdArray.zeros(DType.FLOAT64, 1, 2));
        s.put("3.bias", NdArray.zeros(DType.FLOAT64, 1));
        double before = m.stateDict().get("2.weight").get(0, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(s));
        assertEquals("loadStateDict: Sequential: missing entries [0.bias]; unexpected entries [3.bias]; "
            + "entry '0.weight' has shape [3, 2] but the parameter has shape [2, 3]", e.getMessage());
        assertEquals(before, m.stateDict().get("2.weight").get(0, 0), "nothing is copied on error");
    }

    @Test
    void trainAndEvalAreRecursive() {
        Sequential inner = new Sequential(new Dropout(0.5));
        Sequential m = new Sequential(new Linear(2, 2), inner);
        assertTrue(m.isTraining() && inner.get(0).isTraining());
        assertSame(m, m.eval());
        assertFalse(m.isTraining() || inner.isTraining() || inner.get(0).isTraining() || m.get(0).isTraining());
        m.train();
        assertTrue(inner.get(0).isTraining());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Sequential m = net(3);
        m.forward(Tensor.of(new double[][] {{1, 2, 3}})).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void dropoutIsTheIdentityInEvalMode() {
        Dropout d = new Dropout(0.5, new SplittableRandom(1));
        Tensor x = Tensor.ones(DType.FLOAT64, 4, 5);
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0.0, new SplittableRandom(1)).forward(x), "p = 0 passes through in training too");
    }

    @Test
    void dropoutGeneratorStateResumesTheMaskSequence() {
        Tensor x = Tensor.ones(DType.FLOAT64, 8, 50);
        Sequential a = new Sequential(new Linear(50, 50, true, DType.FLOAT64, new SplittableRandom(1)), new Dropout(0.4, new SplittableRandom(2)));
        Sequential b = new Sequential(new Linear(50, 50, true, DType.FLOAT64, new SplittableRandom(1)), new Dropout(0.4, new SplittableRandom(99)));
        assertEquals(List.of("1.generator"), List.copyOf(a.randomState().keySet()), "only dropout has a generator; named like the state dict");
        a.forward(x);
        a.forward(x);
        Map<String, NdArray> saved = a.randomState();
        assertArrayEquals(new double[] {2}, new double[] {saved.get("1.generator").get(2)}, "two masks drawn");
        double[] third = a.forward(x).data().toDoubleArray();
        double[] fourth = a.forward(x).data().toDoubleArray();
        assertFalse(java.util.Arrays.equals(third, fourth), "each forward pass draws a new mask");

        assertFalse(java.util.Arrays.equals(third, b.forward(x).data().toDoubleArray()), "another seed, other masks");
        b.loadRandomState(saved);
        assertArrayEquals(third, b.forward(x).data().toDoubleArray(), "restored: the third mask again");
        assertArrayEquals(fourth, b.forward(x).data().toDoubleArray(), "and then the fourth");

        b.eval();
        b.forward(x);
        assertEquals(4.0, b.randomState().get("1.generator").get(2), "evaluation mode draws no mask");
    }

    @Test
    void loadRandomStateRejectsWhatDoesNotFitAndChangesNothing() {
        Sequential m = new Sequential(new Dropout(0.5, new SplittableRandom(1)), new Dropout(0.5, new SplittableRandom(2)));
        Map<String, NdArray> before = m.randomState();
        NdArray good = NdArray.of(new double[] {1, 2, 3}, 3);
        assertEquals("loadRandomState: Sequential: missing entries [1.generator]; unexpected entries [2.generator]",
            assertThrows(IllegalArgumentException.class, () -> m.loadRandomState(Map.of("0.generator", good, "2.generator", good))).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> m.loadRandomState(Map.of("0.generator", good, "1.generator", NdArray.of(new double[] {1, 2}, 2))));
        assertEquals("loadRandomState: entry '1.generator' has shape [2] but Dropout's generator state has shape [3] "
            + "(seed high bits, seed low bits, masks drawn)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> m.loadRandomState(Map.of("0.generator", good, "1.generator", NdArray.of(new double[] {1, 2.5, 3}, 3))));
        assertTrue(e.getMessage().startsWith("loadRandomState: entry '1.generator' holds 1.0, 2.5, 3.0"), e.getMessage());
        assertEquals(0.0, m.randomState().get("0.generator").get(2), "the valid first entry was not applied either");
        for (String k : before.keySet())
            assertArrayEquals(before.get(k).toDoubleArray(), m.randomState().get(k).toDoubleArray(), k);
        assertTrue(new Sequential(new Linear(2, 2)).randomState().isEmpty());
    }

    @Test
    void dropoutInTrainingKeepsAFractionAndScalesIt() {
        double p = 0.3;
        Tensor x = Tensor.full(DType.FLOAT64, 2.0, 100, 100).requiresGrad(true);
        Tensor y = new Dropout(p, new SplittableRandom(7)).forward(x);
        double[] v = y.data().toDoubleArray();
        int kept = 0;
        for (double e : v) {
            if (e != 0) { kept++; assertEquals(2.0 / (1 - p), e, 1e-12, "kept elements are scaled by 1/(1 − p)"); }
        }
        double sd = Math.sqrt(v.length * p * (1 - p));
        assertEquals(v.length * (1 - p), kept, 4 * sd, "about 1 − p of the elements are kept");
        y.sum().backward();
        double[] g = x.grad().data().toDoubleArray();
        for (int i = 0; i < v.length; i++) assertEquals(v[i] == 0 ? 0 : 1 / (1 - p), g[i], 1e-12, "the gradient uses the same mask");
        Tensor again = new Dropout(p, new SplittableRandom(7)).forward(x);
        assertArrayEquals(v, again.data().toDoubleArray(), "the same seed gives the same mask");
        assertEquals(0.0, new Dropout(1.0, new SplittableRandom(1)).forward(x).data().sumAll());
        assertEquals("Dropout: probability p = 1.5 is not in [0, 1]",
            assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5)).getMessage());
    }

    @Test
    void linearInitializationFollowsPyTorchAndIsSeeded() {
        int in = 50, out = 40;
        Linear a = new Linear(in, out, true, DType.FLOAT64, new SplittableRandom(3));
        Linear b = new Linear(in, out, true, DType.FLOAT64, new SplittableRandom(3));
        Linear c = new Linear(in, out, true, DType.FLOAT64, new SplittableRandom(4));
        double bound = 1 / Math.sqrt(in);
        for (Tensor t : List.of(a.weight(), a.bias())) {
            double max = 0;
            for (double v : t.data().toDoubleArray()) { assertTrue(Math.abs(v) <= bound, v + " outside ±1/√in"); max = Math.max(max, Math.abs(v)); }
            assertTrue(max > 0.8 * bound, "the values fill U(−1/√in, 1/√in)");
        }
        // U(−b, b) has variance b²/3
        double[] w = a.weight().data().toDoubleArray();
        double var = 0;
        for (double v : w) var += v * v / w.length;
        assertEquals(bound * bound / 3, var, 0.1 * bound * bound / 3);
        assertEquals(0.0, a.weight().data().maxAbsDiff(b.weight().data()), "same seed, same weights");
        assertEquals(0.0, a.bias().data().maxAbsDiff(b.bias().data()));
        assertTrue(a.weight().data().maxAbsDiff(c.weight().data()) > 0);
        assertArrayEquals(new int[] {out, in}, a.weight().shape());
        assertEquals(in, a.inFeatures());
        assertEquals(out, a.outFeatures());
        Init.manualSeed(11);
        Linear d = new Linear(in, out);
        Init.manualSeed(11);
        Linear e = new Linear(in, out);
        assertEquals(DType.FLOAT32, d.weight().dtype());
        assertEquals(0.0, d.weight().data().maxAbsDiff(e.weight().data()), "manualSeed makes default construction reproducible");
    }

    @Test
    void linearComputesXWTransposedPlusBAndChecksItsInput() {
        Linear l = new Linear(3, 2, true, DType.FLOAT64, new SplittableRandom(5));
        double[][] w = {{1, 2, 3}, {-1, 0.5, 0}};
        l.weight().data().copyFrom(NdArray.fromNested(DType.FLOAT64, w));
        l.bias().data().copyFrom(NdArray.fromNested(DType.FLOAT64, new double[] {0.1, -0.2}));
        Tensor y = l.forward(Tensor.of(new double[][] {{1, 1, 1}, {0, 2, -1}}));
        assertArrayEquals(new double[] {6.1, -0.7, 1.1, 0.8}, y.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {6.1, -0.7}, l.forward(Tensor.of(new double[] {1, 1, 1})).data().toDoubleArray(), 1e-12);
        assertEquals("Linear(in_features=3, out_features=2): input of shape [4, 5] should have 3 features in its last dimension",
            assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(DType.FLOAT64, 4, 5))).getMessage());
        assertEquals("Linear(in_features=3, out_features=2): input is float32 but the weight is float64; convert the input with to(float64)",
            assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(DType.FLOAT32, 4, 3))).getMessage());
        Linear noBias = new Linear(3, 2, false, DType.FLOAT64, new SplittableRandom(5));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
    }

    @Test
    void initializersFillWithTheirBoundsAndSpreads() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor t = Tensor.zeros(DType.FLOAT64, 200, 300);
        int fanIn = 300, fanOut = 200;
        assertSame(t, Init.xavierUniform(t, rng));
        checkSpread(t, Math.sqrt(6.0 / (fanIn + fanOut)), true);
        Init.xavierNormal(t, rng);
        checkSpread(t, Math.sqrt(2.0 / (fanIn + fanOut)), false);
        Init.kaimingUniform(t, rng);
        checkSpread(t, Math.sqrt(6.0 / fanIn), true);
        Init.kaimingNormal(t, rng);
        checkSpread(t, Math.sqrt(2.0 / fanIn), false);
        Init.kaimingUniform(t, Math.sqrt(5), rng);
        checkSpread(t, 1 / Math.sqrt(fanIn), true);
        Init.xavierUniform(t, 2.0, rng);
        checkSpread(t, 2 * Math.sqrt(6.0 / (fanIn + fanOut)), true);
        Tensor conv = Tensor.zeros(DType.FLOAT32, 8, 4, 3, 3);    // fan_in = 4·9, fan_out = 8·9
        Init.xavierUniform(conv, rng);
        checkSpread(conv, Math.sqrt(6.0 / (36 + 72)), true);
        assertEquals(0.0, Init.zeros(t).data().sumAll());
        assertEquals(t.numel(), Init.ones(t).data().sumAll());
        assertEquals("kaimingUniform: fan in and fan out need a tensor with at least 2 dimensions, got shape [5]",
            assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform(Tensor.zeros(DType.FLOAT64, 5), rng)).getMessage());
    }

    /** Uniform U(−b, b): every |v| ≤ b and variance b²/3; normal N(0, s²): variance s². */
    private static void checkSpread(Tensor t, double boundOrStd, boolean uniform) {
        double[] v = t.data().toDoubleArray();
        double mean = 0, var = 0;
        for (double e : v) { mean += e / v.length; var += e * e / v.length; }
        double expectedVar = uniform ? boundOrStd * boundOrStd / 3 : boundOrStd * boundOrStd;
        if (uniform) for (double e : v) assertTrue(Math.abs(e) <= boundOrStd * (1 + 1e-6), e + " outside ±" + boundOrStd);
        assertEquals(0, mean, 0.05 * boundOrStd);
        assertEquals(expectedVar, var, 0.05 * expectedVar);
    }

    @Test
    void registrationErrorsAreWorded() {
        class Twice extends Module {
            Twice() {
                registerParameter("w", Tensor.zeros(DType.FLOAT64, 2));
                registerModule("w", new ReLU());
            }
            @Override public Tensor forward(Tensor x) { return x; }
        }
        assertEquals("Twice: the name 'w' is already taken", assertThrows(IllegalArgumentException.class, Twice::new).getMessage());
        class Dotted extends Module {
            Dotted() { registerParameter("a.b", Tensor.zeros(DType.FLOAT64, 2)); }
            @Override public Tensor forward(Tensor x) { return x; }
        }
        assertEquals("Dotted: invalid name 'a.b': names must be non-empty and contain no '.'",
            assertThrows(IllegalArgumentException.class, Dotted::new).getMessage());
        assertEquals("Sequential.get: index 2 is out of range for 2 layers",
            assertThrows(IndexOutOfBoundsException.class, () -> new Sequential(new ReLU(), new Tanh()).get(2)).getMessage());
    }

    @Test
    void l2PenaltyCountsWeightsOnly() {
        Sequential m = net(4);
        double expected = 0;
        for (String w : List.of("0.weight", "2.weight"))
            for (double v : m.stateDict().get(w).toDoubleArray()) expected += 0.1 * v * v;
        assertEquals(expected, Regularization.l2Penalty(m, 0.1).item(), 1e-12);
        assertEquals(0.0, Regularization.l2Penalty(new Sequential(new ReLU()), 0.1).item());
    }
}
