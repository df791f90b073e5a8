package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerTest {

    @Test
    void stepLRDecaysEveryStepSize() {
        SGD opt = sgd(0.1);
        double[] lr = lrs(opt, new StepLR(opt, 30, 0.1), 91);
        for (int t = 0; t < 30; t++) assertEquals(0.1, lr[t], 1e-15, "step " + t);
        for (int t = 30; t < 60; t++) assertEquals(0.01, lr[t], 1e-15, "step " + t);
        for (int t = 60; t < 90; t++) assertEquals(0.001, lr[t], 1e-15, "step " + t);
        assertEquals(1e-4, lr[90], 1e-17);
    }

    @Test
    void exponentialLRHalvesEachStep() {
        SGD opt = sgd(1);
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125, 0.0625}, lrs(opt, new ExponentialLR(opt, 0.5), 5), 0);
    }

    @Test
    void cosineEndpointsMidpointAndBeyond() {
        SGD opt = sgd(0.1);
        double[] lr = lrs(opt, new CosineAnnealingLR(opt, 10, 0.001), 21);
        assertEquals(0.1, lr[0], 1e-15);
        assertEquals((0.1 + 0.001) / 2, lr[5], 1e-15);
        assertEquals(0.001, lr[10], 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 3 / 10)) / 2, lr[3], 1e-15);
        for (int t = 1; t <= 10; t++) assertTrue(lr[t] < lr[t - 1], "decreasing up to tMax at " + t);
        assertEquals(0.1, lr[20], 1e-15);   // the closed form continues the cosine
    }

    @Test
    void linearWarmupRisesThenHolds() {
        SGD opt = sgd(0.1);
        LinearWarmup w = new LinearWarmup(opt, 4, 0.25);
        assertEquals(0.025, opt.lr(), 1e-15);   // construction sets step 0's rate
        assertArrayEquals(new double[] {0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1}, lrs(opt, w, 7), 1e-15);
    }

    @Test
    void warmupThenCosine() {
        SGD opt = sgd(0.1);
        SequentialLR s = new LinearWarmup(opt, 5, 0.0).then(new CosineAnnealingLR(opt, 10, 0));
        double[] lr = lrs(opt, s, 16);
        assertArrayEquals(new double[] {0, 0.02, 0.04, 0.06, 0.08}, java.util.Arrays.copyOf(lr, 5), 1e-15);
        assertEquals(0.1, lr[5], 1e-15);    // cosine's step 0
        assertEquals(0.05, lr[10], 1e-15);  // cosine's midpoint
        assertEquals(0.0, lr[15], 1e-15);   // cosine's end
    }

    @Test
    void sequentialLRWithThreeSchedules() {
        SGD opt = sgd(1);
        SequentialLR s = new SequentialLR(opt, List.of(new ExponentialLR(opt, 0.5), new StepLR(opt, 2, 0.1), new LinearWarmup(opt, 2, 0.5)), 2, 5);
        assertArrayEquals(new double[] {1, 0.5, 1, 1, 0.1, 0.5, 0.75, 1}, lrs(opt, s, 8), 1e-15);
    }

    @Test
    void schedulesScaleEachGroupFromItsOwnBase() {
        SGD opt = new SGD(List.of(new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(0.1)),
                                  new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(1.0))));
        StepLR s = new StepLR(opt, 1, 0.5);
        s.step();
        s.step();
        assertEquals(0.025, opt.lr(0), 1e-15);
        assertEquals(0.25, opt.lr(1), 1e-15);
    }

    @Test
    void closedFormSchedulesDoNotDependOnTheOrderTheyWereBuilt() {
        SGD opt = sgd(0.1);
        LinearWarmup w = new LinearWarmup(opt, 3, 0.5);   // sets lr to 0.05 ...
        CosineAnnealingLR c = new CosineAnnealingLR(opt, 10, 0);   // ... but cosine still starts from 0.1
        assertEquals(0.1, c.lr(), 1e-15);
        SequentialLR s = w.then(c);
        assertEquals(0.05, opt.lr(), 1e-15);
        assertEquals(0.05, s.lr(), 1e-15);
    }

    @Test
    void plateauReducesAfterPatience() {
        SGD opt = sgd(0.1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0, 0, 0);
        double[] metrics = {1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8};
        double[] expected = {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025};
        for (int t = 0; t < metrics.length; t++) {
            s.step(metrics[t]);
            assertEquals(expected[t], opt.lr(), 1e-15, "after metric " + t);
        }
        assertEquals(0.8, s.state().best());
        assertEquals(10, s.state().step());
    }

    @Test
    void plateauCooldownThresholdMaxModeAndMinLr() {
        // cool-down 2: after a reduction two bad steps are not counted
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withFactor(0.5).withPatience(0).withCooldown(2));
        double[] got = new double[6];
        for (int t = 0; t < 6; t++) { s.step(t == 0 ? 1 : 2); got[t] = opt.lr(); }
        assertArrayEquals(new double[] {1, 0.5, 0.5, 0.5, 0.25, 0.25}, got, 0);

        // relative threshold 0.1 in MAX mode: 1.05 is not better than 1·1.1
        SGD opt2 = sgd(1);
        var s2 = new ReduceLROnPlateau(opt2, ReduceLROnPlateau.Options.defaults().withMode(ReduceLROnPlateau.Mode.MAX)
            .withFactor(0.1).withPatience(0).withThreshold(0.1, ReduceLROnPlateau.ThresholdMode.REL));
        s2.step(1);
        s2.step(1.05);
        assertEquals(0.1, opt2.lr(), 1e-15);
        s2.step(1.2);
        assertEquals(0.1, opt2.lr(), 1e-15);
        assertEquals(1.2, s2.state().best());

        // absolute threshold and the floor minLr
        SGD opt3 = sgd(1);
        var s3 = new ReduceLROnPlateau(opt3, ReduceLROnPlateau.Options.defaults().withFactor(0.1).withPatience(0)
            .withThreshold(0.5, ReduceLROnPlateau.ThresholdMode.ABS).withMinLr(0.05));
        s3.step(10);
        s3.step(9.6);   // not 0.5 below 10
        assertEquals(0.1, opt3.lr(), 1e-15);
        s3.step(9.6);
        assertEquals(0.05, opt3.lr(), 1e-15);
        s3.step(9.6);
        assertEquals(0.05, opt3.lr(), 1e-15);
    }

    @Test
    void plateauNeedsTheMetric() {
        var s = new ReduceLROnPlateau(sgd(1), ReduceLROnPlateau.Options.defaults());
        var e = assertThrows(UnsupportedOperationException.class, s::step);
        assertEquals("ReduceLROnPlateau.step: needs the monitored metric; call step(metric)", e.getMessage());
    }

    @Test
    void closedFormScheduleResumesFromItsStateDict() {
        Function<Optimizer, ClosedFormLR> make = o -> new LinearWarmup(o, 3, 0.1).then(new CosineAnnealingLR(o, 12, 0.001));
        SGD straightOpt = sgd(0.2);
        double[] straight = lrs(straightOpt, make.apply(straightOpt), 15);

        SGD firstOpt = sgd(0.2);
        ClosedFormLR first = make.apply(firstOpt);
        double[] before = lrs(firstOpt, first, 7);
        Map<String, NdArray> schedState = first.stateDict(), optState = firstOpt.stateDict();
        assertEquals(7.0, schedState.get("step").item());
        SGD resumedOpt = sgd(0.2);
        ClosedFormLR resumed = make.apply(resumedOpt);
        resumedOpt.loadStateDict(optState);
        resumed.loadStateDict(schedState);
        double[] after = lrs(resumedOpt, resumed, 8);
        double[] joined = new double[15];
        System.arraycopy(before, 0, joined, 0, 7);
        System.arraycopy(after, 0, joined, 7, 8);
        assertArrayEquals(straight, joined, 0);
    }

    @Test
    void plateauResumesFromItsStateDict() {
        double[] metrics = {1, 0.9, 0.9, 0.9, 0.95, 0.9, 0.9, 0.9, 0.85, 0.9, 0.9, 0.9};
        SGD a = sgd(1);
        var sa = new ReduceLROnPlateau(a, ReduceLROnPlateau.Options.defaults().withPatience(1).withCooldown(1));
        double[] straight = new double[metrics.length];
        for (int t = 0; t < metrics.length; t++) { sa.step(metrics[t]); straight[t] = a.lr(); }

        SGD b = sgd(1);
        var sb = new ReduceLROnPlateau(b, ReduceLROnPlateau.Options.defaults().withPatience(1).withCooldown(1));
        double[] joined = new double[metrics.length];
        for (int t = 0; t < 5; t++) { sb.step(metrics[t]); joined[t] = b.lr(); }
        SGD c = sgd(1);
        var sc = new ReduceLROnPlateau(c, ReduceLROnPlateau.Options.defaults().withPatience(1).withCooldown(1));
        c.loadStateDict(b.stateDict());
        sc.loadStateDict(sb.stateDict());
        assertEquals(sb.state(), sc.state());
        for (int t = 5; t < metrics.length; t++) { sc.step(metrics[t]); joined[t] = c.lr(); }
        assertArrayEquals(straight, joined, 0);
        assertTrue(straight[metrics.length - 1] < 0.01, "several reductions happened");
    }

    @Test
    void trainingWithAScheduleResumesBitExactly() {
        Function<List<Tensor>, Optimizer> makeOpt = ps -> new Adam(ps, 0.01);
        List<Tensor> straight = model(DType.FLOAT32, 3);
        Optimizer o1 = makeOpt.apply(straight);
        LRScheduler s1 = new LinearWarmup(o1, 2, 0.1).then(new CosineAnnealingLR(o1, 8, 0));
        for (int t = 0; t < 10; t++) { o1.zeroGrad(); backward(straight, t); o1.step(); s1.step(); }

        List<Tensor> part = model(DType.FLOAT32, 3);
        Optimizer o2 = makeOpt.apply(part);
        LRScheduler s2 = new LinearWarmup(o2, 2, 0.1).then(new CosineAnnealingLR(o2, 8, 0));
        for (int t = 0; t < 4; t++) { o2.zeroGrad(); backward(part, t); o2.step(); s2.step(); }
        Optimizer o3 = makeOpt.apply(part);
        LRScheduler s3 = new LinearWarmup(o3, 2, 0.1).then(new CosineAnnealingLR(o3, 8, 0));
        o3.loadStateDict(o2.stateDict());
        s3.loadStateDict(s2.stateDict());
        for (int t = 4; t < 10; t++) { o3.zeroGrad(); backward(part, t); o3.step(); s3.step(); }
        for (int i = 0; i < 2; i++) assertArrayEquals(straight.get(i).data().floatData(), part.get(i).data().floatData(), 0f);
    }

    @Test
    void loadStateDictNamesWhatIsWrong() {
        SGD opt = sgd(0.1);
        StepLR s = new StepLR(opt, 2, 0.5);
        Map<String, NdArray> missing = new HashMap<>(s.stateDict());
        missing.remove("step");
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(missing));
        assertEquals("StepLR.loadStateDict: missing entry 'step'", e.getMessage());
        Map<String, NdArray> extra = new HashMap<>(s.stateDict());
        extra.put("gamma", NdArray.scalar(DType.FLOAT64, 0.5));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(extra));
        assertEquals("StepLR.loadStateDict: unexpected entry 'gamma' (expected step, base_lrs)", e.getMessage());
        Map<String, NdArray> groups = new HashMap<>(s.stateDict());
        groups.put("base_lrs", NdArray.of(new double[] {0.1, 0.2}, 2));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(groups));
        assertEquals("StepLR.loadState: the state has 2 base learning rates, but the optimizer has 1 groups", e.getMessage());
        Map<String, NdArray> fractional = new HashMap<>(s.stateDict());
        fractional.put("step", NdArray.scalar(DType.FLOAT64, 2.5));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(fractional));
        assertEquals("StepLR.loadStateDict: entry 'step' must be a non-negative whole number, got 2.5", e.getMessage());
    }

    @Test
    void validatesArguments() {
        SGD opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
        assertEquals("StepLR: step size must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 10, -1));
        assertEquals("CosineAnnealingLR: etaMin must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 1.5));
        assertEquals("LinearWarmup: start factor must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.Options.defaults().withFactor(1.0));
        assertEquals("ReduceLROnPlateau: factor must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 1, 1), new StepLR(opt, 1, 1)), 0));
        assertEquals("SequentialLR: milestones must be positive and increasing, got [0]", e.getMessage());
        SGD other = sgd(0.1);
        e = assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 1, 1), new StepLR(other, 1, 1)), 3));
        assertEquals("SequentialLR: schedule 1 (StepLR) was built over another optimizer", e.getMessage());
    }
}
