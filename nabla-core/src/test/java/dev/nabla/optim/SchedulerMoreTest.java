package dev.nabla.optim;

import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** MultiStepLR, LambdaLR, ConstantLR and LinearLR, alone and chained; all-or-nothing steps. */
class SchedulerMoreTest {

    private static SGD twoGroups(double lr0, double lr1) {
        return new SGD(List.of(new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(lr0)),
                               new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(lr1))));
    }

    /** Straight through n steps, and stopped after k, saved, rebuilt, loaded and run on: the same rates, bit for bit. */
    private static void assertResumes(Function<Optimizer, ClosedFormLR> make, int k, int n) {
        SGD straightOpt = twoGroups(0.1, 0.3);
        double[] straight = lrs(straightOpt, make.apply(straightOpt), n);
        SGD firstOpt = twoGroups(0.1, 0.3);
        ClosedFormLR first = make.apply(firstOpt);
        double[] before = lrs(firstOpt, first, k);
        Map<String, NdArray> saved = first.stateDict();
        assertEquals(List.of("step", "base_lrs"), List.copyOf(saved.keySet()));
        assertEquals(k, saved.get("step").item());
        SGD resumedOpt = twoGroups(0.1, 0.3);
        ClosedFormLR resumed = make.apply(resumedOpt);
        resumedOpt.loadStateDict(firstOpt.stateDict());
        resumed.loadStateDict(saved);
        assertEquals(firstOpt.lr(1), resumedOpt.lr(1), 0, "the second group too");
        double[] after = lrs(resumedOpt, resumed, n - k);
        for (int t = 0; t < n; t++) assertEquals(straight[t], t < k ? before[t] : after[t - k], 0, "step " + t);
    }

    // ================================================================ MultiStepLR

    @Test
    void multiStepDecaysAtEachMilestone() {
        // PyTorch's documented example: 0.05 below 30, 0.005 from 30, 0.0005 from 80
        SGD opt = sgd(0.05);
        double[] lr = lrs(opt, new MultiStepLR(opt, List.of(30, 80), 0.1), 100);
        for (int t = 0; t < 30; t++) assertEquals(0.05, lr[t], 1e-17, "step " + t);
        for (int t = 30; t < 80; t++) assertEquals(0.005, lr[t], 1e-17, "step " + t);
        for (int t = 80; t < 100; t++) assertEquals(0.0005, lr[t], 1e-18, "step " + t);
    }

    @Test
    void multiStepValidatesItsMilestones() {
        SGD opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(30, 30), 0.1));
        assertEquals("MultiStepLR: milestones must be positive and strictly increasing, got [30, 30] (a repeated milestone is not "
            + "allowed; each decays by gamma once)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(50, 20), 0.1));
        assertEquals("MultiStepLR: milestones must be positive and strictly increasing, got [50, 20]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(0, 20), 0.1));
        assertEquals("MultiStepLR: milestones must be positive and strictly increasing, got [0, 20]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(), 0.1));
        assertEquals("MultiStepLR: needs at least one milestone", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, Arrays.asList(10, null), 0.1));
        assertEquals("MultiStepLR: milestone 1 is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(10), -0.5));
        assertEquals("MultiStepLR: gamma must be >= 0, got -0.5", e.getMessage());
    }

    // ================================================================ ConstantLR and LinearLR

    @Test
    void constantHoldsAFractionThenTheFullRate() {
        // PyTorch's documented example: 0.025 for epochs 0-39, 0.05 from 40
        SGD opt = sgd(0.05);
        double[] lr = lrs(opt, new ConstantLR(opt, 0.5, 40), 45);
        for (int t = 0; t < 40; t++) assertEquals(0.025, lr[t], 0, "step " + t);
        for (int t = 40; t < 45; t++) assertEquals(0.05, lr[t], 0, "step " + t);
    }

    @Test
    void linearRampsUpOrDown() {
        SGD up = sgd(0.05);
        double[] lr = lrs(up, new LinearLR(up, 0.05, 1, 40), 42);
        assertEquals(0.05 * 0.05, lr[0], 1e-17);
        assertEquals(0.05 * (0.05 + 0.95 / 40), lr[1], 1e-17);    // 0.0036875
        assertEquals(0.05 * (0.05 + 0.95 * 20 / 40), lr[20], 1e-17);
        assertEquals(0.05, lr[40], 1e-17);
        assertEquals(0.05, lr[41], 1e-17);

        SGD down = sgd(1);
        assertArrayEquals(new double[] {1, 0.775, 0.55, 0.325, 0.1, 0.1}, lrs(down, new LinearLR(down, 1, 0.1, 4), 6), 1e-15);
    }

    @Test
    void linearWarmupIsLinearLRWithEndFactorOne() {
        SGD a = sgd(0.2), b = sgd(0.2);
        assertArrayEquals(lrs(a, new LinearWarmup(a, 7, 0.1), 12), lrs(b, new LinearLR(b, 0.1, 1, 7), 12), 0);
    }

    @Test
    void constantAndLinearValidate() {
        SGD opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new ConstantLR(opt, 1.5, 5));
        assertEquals("ConstantLR: factor must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConstantLR(opt, 0.5, 0));
        assertEquals("ConstantLR: totalIters must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, -0.1, 1, 5));
        assertEquals("LinearLR: startFactor must be in [0, 1], got -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.5, Double.NaN, 5));
        assertEquals("LinearLR: endFactor must be in [0, 1], got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.5, 1, -3));
        assertEquals("LinearLR: totalIters must be > 0, got -3", e.getMessage());
    }

    // ================================================================ LambdaLR

    @Test
    void lambdaScalesEachGroupByItsFunction() {
        // PyTorch's documented pair: epoch // 30 for one group, 0.95^epoch for the other
        SGD opt = twoGroups(0.1, 0.2);
        LambdaLR s = new LambdaLR(opt, List.<IntToDoubleFunction>of(t -> t / 30, t -> Math.pow(0.95, t)));
        for (int t = 0; t < 70; t++) {
            assertEquals(0.1 * (t / 30), opt.lr(0), 1e-16, "group 0, step " + t);
            assertEquals(0.2 * Math.pow(0.95, t), opt.lr(1), 1e-16, "group 1, step " + t);
            s.step();
        }

        SGD one = twoGroups(0.1, 0.2);
        new LambdaLR(one, t -> 0.5);
        assertEquals(0.05, one.lr(0), 0);
        assertEquals(0.1, one.lr(1), 0, "a single function applies to every group");
    }

    @Test
    void aBadFactorFailsTheStepAndChangesNothing() {
        SGD opt = sgd(0.1);
        LambdaLR s = new LambdaLR(opt, t -> 1 - t / 2.0);   // negative from step 3
        s.step();
        s.step();
        assertEquals(0.0, opt.lr(), 0);
        var e = assertThrows(IllegalArgumentException.class, s::step);
        assertEquals("LambdaLR: the factor of group 0 at step 3 is -0.5; it must be a finite number >= 0", e.getMessage());
        assertEquals(2, s.steps());
        assertEquals(0.0, opt.lr(), 0);

        e = assertThrows(IllegalArgumentException.class, () -> new LambdaLR(sgd(0.1), t -> Double.NaN));
        assertEquals("LambdaLR: the factor of group 0 at step 0 is NaN; it must be a finite number >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LambdaLR(twoGroups(0.1, 0.2), List.<IntToDoubleFunction>of(t -> 1)));
        assertEquals("LambdaLR: got 1 factor function for an optimizer with 2 groups; give one per group, or a single one for all",
            e.getMessage());
    }

    @Test
    void anyScheduleThatWouldGiveAnInfiniteRateFailsCleanly() {
        SGD opt = sgd(1);
        ExponentialLR s = new ExponentialLR(opt, 1e200);
        s.step();
        var e = assertThrows(IllegalArgumentException.class, s::step);
        assertEquals("ExponentialLR: the learning rate of group 0 at step 2 would be Infinity; a schedule must give a finite rate >= 0",
            e.getMessage());
        assertEquals(1, s.steps());
        assertEquals(1e200, opt.lr(), 0);
    }

    // ================================================================ state and composition

    @Test
    void everyNewScheduleResumesMidScheduleFromItsStateDict() {
        assertResumes(o -> new MultiStepLR(o, List.of(3, 7, 8), 0.5), 5, 12);
        assertResumes(o -> new ConstantLR(o, 0.25, 6), 4, 10);
        assertResumes(o -> new LinearLR(o, 1, 0.2, 9), 4, 12);
        assertResumes(o -> new LambdaLR(o, List.<IntToDoubleFunction>of(t -> 1.0 / (t + 1), t -> Math.exp(-0.1 * t))), 6, 12);
        assertResumes(o -> new OneCycleLR(o, new double[] {0.4, 0.8}, 12, OneCycleLR.Options.defaults()), 5, 12);
        assertResumes(o -> new LinearWarmup(o, 3, 0.1).then(new MultiStepLR(o, List.of(2, 5), 0.1)), 4, 12);
    }

    @Test
    void constantThenExponentialAsInPyTorchsExample() {
        // PyTorch's SequentialLR example: 0.005 for epochs 0-19, then 0.05, 0.045, 0.0405
        SGD opt = sgd(0.05);
        SequentialLR s = new SequentialLR(opt, List.of(new ConstantLR(opt, 0.1, 20), new ExponentialLR(opt, 0.9)), 20);
        double[] lr = lrs(opt, s, 23);
        for (int t = 0; t < 20; t++) assertEquals(0.005, lr[t], 1e-17, "step " + t);
        assertArrayEquals(new double[] {0.05, 0.045, 0.0405}, Arrays.copyOfRange(lr, 20, 23), 1e-16);
    }

    @Test
    void warmupThenMultiStep() {
        SGD opt = sgd(1);
        SequentialLR s = new LinearWarmup(opt, 2, 0.5).then(new MultiStepLR(opt, List.of(1, 3), 0.1));
        assertArrayEquals(new double[] {0.5, 0.75, 1, 0.1, 0.1, 0.01, 0.01}, lrs(opt, s, 7), 1e-15);
    }

    @Test
    void sequentialPassesEachGroupToAPerGroupSchedule() {
        SGD opt = twoGroups(1, 2);
        SequentialLR s = new SequentialLR(opt, List.of(new LinearLR(opt, 0.5, 1, 2),
            new LambdaLR(opt, List.<IntToDoubleFunction>of(t -> 0.1, t -> 0.01 * (t + 1)))), 2);
        List<double[]> got = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            got.add(new double[] {opt.lr(0), opt.lr(1)});
            s.step();
        }
        assertArrayEquals(new double[] {0.5, 1}, got.get(0), 1e-15);
        assertArrayEquals(new double[] {0.75, 1.5}, got.get(1), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.02}, got.get(2), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.04}, got.get(3), 1e-15);
    }
}
