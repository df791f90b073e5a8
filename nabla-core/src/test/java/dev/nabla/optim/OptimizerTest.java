package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** The lifecycle shared by every optimizer: skipping, zeroGrad, groups, learning rate, state dict. */
class OptimizerTest {

    static Map<String, Function<List<Tensor>, Optimizer>> makers() {
        Map<String, Function<List<Tensor>, Optimizer>> makers = new LinkedHashMap<>();
        makers.put("SGD", ps -> new SGD(ps, SGD.Options.defaults(0.05).withMomentum(0.9).withDampening(0.1).withWeightDecay(1e-3)));
        makers.put("SGD-nesterov", ps -> new SGD(ps, SGD.Options.defaults(0.05).withMomentum(0.9).withNesterov(true)));
        makers.put("Adam", ps -> new Adam(ps, Adam.Options.defaults(0.01).withWeightDecay(1e-2)));
        makers.put("Adam-amsgrad", ps -> new Adam(ps, Adam.Options.defaults(0.01).withAmsgrad(true)));
        makers.put("AdamW", ps -> new AdamW(ps, 0.01));
        makers.put("RMSprop", ps -> new RMSprop(ps, RMSprop.Options.defaults(0.01).withWeightDecay(1e-3)));
        makers.put("RMSprop-centered-momentum", ps -> new RMSprop(ps, RMSprop.Options.defaults(0.01).withMomentum(0.9).withCentered(true)));
        makers.put("Adagrad", ps -> new Adagrad(ps, Adagrad.Options.defaults(0.1).withLrDecay(0.01).withInitialAccumulatorValue(0.1)));
        return makers;
    }

    static Stream<Arguments> rules() {
        return makers().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> optimizers() {
        List<Arguments> out = new ArrayList<>();
        for (var e : makers().entrySet())
            for (DType dtype : DType.values()) out.add(Arguments.of(e.getKey(), dtype, e.getValue()));
        return out.stream();
    }

    private static void train(Optimizer opt, List<Tensor> params, int from, int to) {
        for (int step = from; step < to; step++) {
            opt.zeroGrad();
            backward(params, step);
            opt.step();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void resumingFromAStateDictIsBitExact(String name, DType dtype, Function<List<Tensor>, Optimizer> make) {
        List<Tensor> straight = model(dtype, 7);
        train(make.apply(straight), straight, 0, 10);

        List<Tensor> first = model(dtype, 7);
        Optimizer before = make.apply(first);
        train(before, first, 0, 5);
        Map<String, NdArray> saved = before.stateDict();
        List<Tensor> resumed = model(dtype, 7);
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).data().copyFrom(first.get(i).data());
        Optimizer after = make.apply(resumed);
        after.loadStateDict(saved);
        train(after, resumed, 5, 10);

        for (int i = 0; i < straight.size(); i++) {
            if (dtype == DType.FLOAT32) assertArrayEquals(straight.get(i).data().floatData(), resumed.get(i).data().floatData(), 0f);
            else assertArrayEquals(straight.get(i).data().doubleData(), resumed.get(i).data().doubleData(), 0.0);
        }
        // and the state did matter: starting afresh after 5 steps ends elsewhere
        List<Tensor> fresh = model(dtype, 7);
        for (int i = 0; i < fresh.size(); i++) fresh.get(i).data().copyFrom(first.get(i).data());
        train(make.apply(fresh), fresh, 5, 10);
        assertTrue(fresh.get(0).data().maxAbsDiff(straight.get(0).data()) > 1e-6);
    }

    /**
     * The float32 twin of each rule (dense arrays) against the double twin run through scratch blocks
     * (a parameter that is a view at an offset): bit for bit the same; and both near the float64 run.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void float32TwinMatchesTheDoubleRuleBitForBit(String name, Function<List<Tensor>, Optimizer> make) {
        int n = 2 * Optimizer.BLOCK + 5;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.sin(0.37 * i);
        Tensor dense = Tensor.of(NdArray.of(x.clone(), n).to(DType.FLOAT32)).requiresGrad(true);
        NdArray storage = NdArray.zeros(DType.FLOAT32, n + 3);
        storage.narrow(0, 3, n).copyFrom(NdArray.of(x.clone(), n));
        Tensor view = Tensor.of(storage.narrow(0, 3, n)).requiresGrad(true);
        Tensor exact = Tensor.of(NdArray.of(x.clone(), n)).requiresGrad(true);
        Optimizer a = make.apply(List.of(dense)), b = make.apply(List.of(view)), c = make.apply(List.of(exact));
        for (int t = 0; t < 4; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = Math.cos(0.11 * i * (t + 1)) + 0.5 * x[i];
            dense.setGrad(Tensor.of(NdArray.of(g.clone(), n).to(DType.FLOAT32)));
            view.setGrad(Tensor.of(NdArray.of(g.clone(), n).to(DType.FLOAT32)));
            exact.setGrad(Tensor.of(NdArray.of(g.clone(), n)));
            a.step();
            b.step();
            c.step();
        }
        assertArrayEquals(dense.data().floatData(), view.data().toFloatArray(), 0f);
        assertEquals(0f, storage.floatData()[0]);
        assertTrue(dense.data().to(DType.FLOAT64).maxAbsDiff(exact.data()) < 1e-5);
        for (String k : a.stateDict().keySet())
            assertArrayEquals(a.stateDict().get(k).toFloatArray(), b.stateDict().get(k).toFloatArray(), 0f, k);
    }

    @Test
    void stateDictHoldsStepCountsBuffersAndLearningRates() {
        Tensor a = param(1, 2), b = param(3);
        Adam opt = new Adam(List.of(a, b), 0.1);
        grad(a, 0.5, -0.5);
        opt.step();
        opt.step();
        Map<String, NdArray> s = opt.stateDict();
        assertEquals(List.of("param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
            "param_groups.0.weight_decay", "param_groups.0.amsgrad", "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq"),
            List.copyOf(s.keySet()));
        assertEquals(0.999, s.get("param_groups.0.beta2").item());
        assertEquals(0.0, s.get("param_groups.0.amsgrad").item());
        assertEquals(0, s.get("state.0.step").rank());
        assertEquals(DType.FLOAT64, s.get("state.0.step").dtype());
        assertEquals(2.0, s.get("state.0.step").item());
        assertEquals(0.1, s.get("param_groups.0.lr").item());
        // m after two steps of g = 0.5: 0.1·0.5 → 0.9·0.05 + 0.05 = 0.095
        assertArrayEquals(new double[] {0.095, -0.095}, s.get("state.0.exp_avg").toDoubleArray(), 1e-15);
        // a copy: later steps do not change it
        opt.step();
        assertEquals(2.0, s.get("state.0.step").item());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = param(1), b = param(2);
        SGD opt = new SGD(List.of(a, b), SGD.Options.defaults(0.1).withMomentum(0.9));
        grad(a, 1);
        opt.step();
        assertEquals(0.9, a.item(), 1e-15);
        assertEquals(2.0, b.item());
        assertFalse(opt.stateDict().containsKey("state.1.step"));
        grad(b, 1);
        opt.step();
        // b's first update: its momentum buffer starts at g, as on a first step
        assertEquals(1.9, b.item(), 1e-15);
        assertEquals(2.0, opt.stateDict().get("state.0.step").item());
        assertEquals(1.0, opt.stateDict().get("state.1.step").item());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Tensor a = param(1), b = param(2);
        SGD opt = new SGD(List.of(a, b), 0.1);
        grad(a, 1);
        grad(b, 1);
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
        opt.step();
        assertEquals(1.0, a.item());
    }

    @Test
    void groupsHaveTheirOwnLearningRates() {
        Tensor a = param(1), b = param(1);
        SGD opt = new SGD(List.of(new ParamGroup<>(List.of(a), SGD.Options.defaults(0.1)),
                                  new ParamGroup<>(List.of(b), SGD.Options.defaults(0.01).withMomentum(0.5))));
        grad(a, 1);
        grad(b, 1);
        opt.step();
        opt.step();
        assertEquals(0.8, a.item(), 1e-15);
        assertEquals(1 - 0.01 - 0.015, b.item(), 1e-15);
        assertEquals(0.1, opt.lr());
        assertEquals(0.01, opt.lr(1));
        opt.setLr(0.5);
        assertEquals(0.5, opt.lr(0));
        assertEquals(0.5, opt.lr(1));
        assertEquals(0.5, ((SGD.Options) opt.paramGroups().get(1).options()).momentum());
        assertEquals(0.01, opt.initialLr(1));
        assertEquals(2, opt.paramGroups().size());
    }

    @Test
    void loadStateDictRestoresLearningRates() {
        Tensor a = param(1);
        SGD opt = new SGD(List.of(a), 0.1);
        opt.setLr(0.025);
        SGD other = new SGD(List.of(param(1)), 0.1);
        other.loadStateDict(opt.stateDict());
        assertEquals(0.025, other.lr());
    }

    @Test
    void loadStateDictNamesWhatIsWrong() {
        Tensor a = param(1, 2), b = param(3);
        Adam opt = new Adam(List.of(a, b), 0.1);
        grad(a, 1, 1);
        grad(b, 1);
        opt.step();
        Map<String, NdArray> good = opt.stateDict();
        Adam target = new Adam(List.of(param(1, 2), param(3)), 0.1);

        Map<String, NdArray> missing = new HashMap<>(good);
        missing.remove("state.1.exp_avg_sq");
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(missing));
        assertEquals("Adam.loadStateDict: missing entry 'state.1.exp_avg_sq' for parameter 1 of shape [1]", e.getMessage());

        Map<String, NdArray> misShaped = new HashMap<>(good);
        misShaped.put("state.0.exp_avg", NdArray.zeros(DType.FLOAT64, 3));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(misShaped));
        assertEquals("Adam.loadStateDict: entry 'state.0.exp_avg' has shape [3], but parameter 0 has shape [2]", e.getMessage());

        Map<String, NdArray> unexpected = new HashMap<>(good);
        unexpected.put("state.0.momentum_buffer", NdArray.zeros(DType.FLOAT64, 2));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(unexpected));
        assertEquals("Adam.loadStateDict: unexpected entry 'state.0.momentum_buffer'; Adam with these options keeps exp_avg, exp_avg_sq and step",
            e.getMessage());

        Map<String, NdArray> tooMany = new HashMap<>(good);
        tooMany.put("state.2.step", NdArray.scalar(DType.FLOAT64, 1));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(tooMany));
        assertEquals("Adam.loadStateDict: entry 'state.2.step' refers to parameter 2, but the optimizer has 2 parameters", e.getMessage());

        Map<String, NdArray> noLr = new HashMap<>(good);
        noLr.remove("param_groups.0.lr");
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(noLr));
        assertEquals("Adam.loadStateDict: missing entry 'param_groups.0.lr'", e.getMessage());

        Map<String, NdArray> noStep = new HashMap<>(good);
        noStep.remove("state.0.step");
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(noStep));
        assertEquals("Adam.loadStateDict: missing entry 'state.0.step'", e.getMessage());

        Map<String, NdArray> junk = new HashMap<>(good);
        junk.put("momentum", NdArray.scalar(DType.FLOAT64, 1));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(junk));
        assertTrue(e.getMessage().startsWith("Adam.loadStateDict: unexpected entry 'momentum'"), e.getMessage());

        // a failed load changed nothing; the good one then works
        assertEquals(Map.of("param_groups.0.lr", 0.1), Map.of("param_groups.0.lr", target.stateDict().get("param_groups.0.lr").item()));
        assertEquals(6, target.stateDict().size());   // lr and Adam's five other options; no per-parameter state
        target.loadStateDict(good);
        assertEquals(good.keySet(), target.stateDict().keySet());
    }

    /**
     * As PyTorch's load_state_dict: the groups' options come back with the state (and so do the
     * buffers they call for), whatever the optimizer was built with; a state dict without them (as
     * written before they were saved) leaves the built ones.
     */
    @Test
    void loadStateDictRestoresEveryOptionAndTheBuffersItImplies() {
        Tensor a = param(1, -2);
        SGD source = new SGD(List.of(a), SGD.Options.defaults(0.1).withMomentum(0.9).withNesterov(true).withWeightDecay(0.01));
        grad(a, 0.5, 0.25);
        source.step();
        Map<String, NdArray> saved = source.stateDict();
        assertEquals(0.9, saved.get("param_groups.0.momentum").item());
        assertEquals(1.0, saved.get("param_groups.0.nesterov").item());

        Tensor b = param(1, -2);
        SGD target = new SGD(List.of(b), 0.5);   // no momentum: no buffer of its own
        b.data().copyFrom(a.data());
        target.loadStateDict(saved);
        assertEquals(source.paramGroups().get(0).options(), target.paramGroups().get(0).options());
        for (int step = 0; step < 3; step++) {
            grad(a, 0.5, -0.75);
            grad(b, 0.5, -0.75);
            source.step();
            target.step();
        }
        assertArrayEquals(a.data().toDoubleArray(), b.data().toDoubleArray(), 0.0);

        Map<String, NdArray> lrOnly = new HashMap<>();
        lrOnly.put("param_groups.0.lr", NdArray.scalar(DType.FLOAT64, 0.2));
        SGD older = new SGD(List.of(param(1)), SGD.Options.defaults(0.1).withMomentum(0.5));
        older.loadStateDict(lrOnly);
        assertEquals(SGD.Options.defaults(0.2).withMomentum(0.5), older.paramGroups().get(0).options());
    }

    @Test
    void loadStateDictRejectsBadOptionsAndChangesNothing() {
        Adam target = new Adam(List.of(param(1)), 0.1);
        Map<String, NdArray> good = target.stateDict();

        Map<String, NdArray> notBoolean = new HashMap<>(good);
        notBoolean.put("param_groups.0.amsgrad", NdArray.scalar(DType.FLOAT64, 0.5));
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(notBoolean));
        assertEquals("Adam.loadStateDict: entry 'param_groups.0.amsgrad' must be 0 or 1 (false or true), got 0.5", e.getMessage());

        Map<String, NdArray> invalid = new HashMap<>(good);
        invalid.put("param_groups.0.beta1", NdArray.scalar(DType.FLOAT64, 1.5));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(invalid));
        assertTrue(e.getMessage().startsWith("Adam.loadStateDict: the entries under 'param_groups.0.' do not make valid options: "), e.getMessage());
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());

        Map<String, NdArray> unknown = new HashMap<>(good);
        unknown.put("param_groups.0.momentum", NdArray.scalar(DType.FLOAT64, 0.9));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(unknown));
        assertEquals("Adam.loadStateDict: unexpected entry 'param_groups.0.momentum'; the options of Adam's group 0 are lr, beta1, beta2, "
            + "eps, weight_decay, amsgrad", e.getMessage());

        assertEquals(Adam.Options.defaults(0.1), target.paramGroups().get(0).options());
    }

    @Test
    void constructorRejectsBadParameterLists() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertEquals("SGD: got an empty parameter list", e.getMessage());
        Tensor a = param(1);
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, a), 0.1));
        assertEquals("SGD: parameter 1 is the same tensor as parameter 0; a parameter may appear only once across the groups", e.getMessage());
        Tensor computed = a.mul(2.0);
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(computed), 0.1));
        assertTrue(e.getMessage().startsWith("Adam: parameter 0 of shape [1] was computed by"), e.getMessage());
    }

    @Test
    void float32StepWritesThroughAViewWithAnOffset() {
        // a parameter that is a contiguous slice of a larger array, updated through the block path
        NdArray storage = NdArray.of(new float[] {9, 1, 2, 3, 9}, 5);
        Tensor p = Tensor.of(storage.narrow(0, 1, 3)).requiresGrad(true);
        grad(p, 1, 1, 1);
        new SGD(List.of(p), 0.5).step();
        assertArrayEquals(new float[] {9, 0.5f, 1.5f, 2.5f, 9}, storage.floatData(), 0f);
    }

    @Test
    void largeFloat32ParametersSpanSeveralBlocks() {
        int n = 3 * Optimizer.BLOCK + 17;
        double[] x = new double[n], g = new double[n];
        for (int i = 0; i < n; i++) { x[i] = Math.sin(i); g[i] = Math.cos(0.7 * i); }
        Tensor p32 = Tensor.of(NdArray.of(x.clone(), n).to(DType.FLOAT32)).requiresGrad(true);
        Tensor p64 = Tensor.of(NdArray.of(x.clone(), n)).requiresGrad(true);
        p32.setGrad(Tensor.of(NdArray.of(g.clone(), n).to(DType.FLOAT32)));
        p64.setGrad(Tensor.of(NdArray.of(g.clone(), n)));
        Adam a32 = new Adam(List.of(p32), 0.01), a64 = new Adam(List.of(p64), 0.01);
        for (int t = 0; t < 3; t++) { a32.step(); a64.step(); }
        assertTrue(p32.data().to(DType.FLOAT64).maxAbsDiff(p64.data()) < 1e-6);
    }

    /**
     * A parameter large enough to be updated in ranges on several threads gives bit for bit what one
     * thread gives, parameter and buffers, for every rule and dtype (the ranges are disjoint and the
     * rule element-wise); the last range has a tail shorter than a vector.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void largeParametersUpdatedOnSeveralThreadsMatchOneThreadBitForBit(String name, DType dtype,
                                                                      Function<List<Tensor>, Optimizer> make) {
        int saved = dev.nabla.parallel.Parallel.threads();
        int n = 5 * Optimizer.PARALLEL_GRAIN + 13;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.sin(0.37 * i);
        Map<Integer, Tensor> result = new HashMap<>();
        Map<Integer, Map<String, NdArray>> state = new HashMap<>();
        try {
            for (int threads : new int[] {1, 3}) {
                dev.nabla.parallel.Parallel.setThreads(threads);
                Tensor p = Tensor.of(NdArray.of(x.clone(), n).to(dtype)).requiresGrad(true);
                Optimizer opt = make.apply(List.of(p));
                for (int t = 0; t < 3; t++) {
                    double[] g = new double[n];
                    for (int i = 0; i < n; i++) g[i] = Math.cos(0.11 * i * (t + 1)) + 0.5 * x[i];
                    p.setGrad(Tensor.of(NdArray.of(g, n).to(dtype)));
                    opt.step();
                }
                result.put(threads, p);
                state.put(threads, opt.stateDict());
            }
        } finally {
            dev.nabla.parallel.Parallel.setThreads(saved);
        }
        assertEquals(0.0, result.get(1).data().maxAbsDiff(result.get(3).data()), name + " " + dtype);
        assertFalse(result.get(1).data().to(DType.FLOAT64).maxAbsDiff(NdArray.of(x, n)) == 0, "the steps changed nothing");
        assertEquals(state.get(1).keySet(), state.get(3).keySet());
        for (String k : state.get(1).keySet())
            assertEquals(0.0, state.get(1).get(k).maxAbsDiff(state.get(3).get(k)), k);
    }
}
