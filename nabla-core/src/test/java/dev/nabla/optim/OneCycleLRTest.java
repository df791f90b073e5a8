package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * OneCycleLR against numbers computed independently in python3 from PyTorch's documented formulas
 * (phase ends p·T − 1, 2·p·T − 2 and T − 1; cos: b + (a − b)/2·(cos(π f) + 1); linear: (b − a)·f + a;
 * η_init = η_max/divFactor, η_min = η_init/finalDivFactor), with a script of this shape:
 * <pre>
 * def onecycle(max_lr, T, t, pct=0.3, anneal='cos', div=25.0, final_div=1e4, three=False):
 *     init = max_lr / div; mn = init / final_div
 *     phases = ([(pct*T-1, init, max_lr), (2*pct*T-2, max_lr, init), (T-1, init, mn)] if three
 *               else [(pct*T-1, init, max_lr), (T-1, max_lr, mn)])
 *     start = 0.0
 *     for i, (end, a, b) in enumerate(phases):
 *         if t &lt;= end or i == len(phases) - 1:
 *             f = (t - start) / (end - start)
 *             return b + (a-b)/2*(math.cos(math.pi*f)+1) if anneal == 'cos' else (b-a)*f + a
 *         start = end
 * </pre>
 */
class OneCycleLRTest {

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-13, what);
    }

    @Test
    void defaultsAtThePhaseBoundariesAndTheLastStep() {
        SGD opt = sgd(123);   // the optimizer's own rate is not used
        OneCycleLR s = new OneCycleLR(opt, 0.1, 100);
        double[] lr = lrs(opt, s, 100);
        // python3: onecycle(0.1, 100, t) for t in (0, 10, 29, 30, 50, 64, 99)
        int[] at = {0, 10, 29, 30, 50, 64, 99};
        double[] expected = {0.0040000000000000036, 0.029516394846410082, 0.1, 0.09994965352845243, 0.0793893450575732, 0.0500002, 4e-07};
        for (int i = 0; i < at.length; i++) assertClose(expected[i], lr[at[i]], "step " + at[i]);
        for (int t = 1; t <= 29; t++) assertTrue(lr[t] > lr[t - 1], "rising up to step 29: " + t);
        for (int t = 30; t < 100; t++) assertTrue(lr[t] < lr[t - 1], "falling from step 29: " + t);
        // the 100th step() follows the last batch: allowed, and the rate stays at step 99's
        // (PyTorch extrapolates the cosine here, to 5.07e-05)
        assertEquals(100, s.steps());
        assertEquals(lr[99], opt.lr(), 0);
    }

    @Test
    void steppingPastTotalStepsFailsAndChangesNothing() {
        SGD opt = sgd(0.1);
        OneCycleLR s = new OneCycleLR(opt, 0.1, 10);
        for (int t = 0; t < 10; t++) s.step();
        double last = opt.lr();
        var e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("OneCycleLR: cannot step past totalSteps = 10 (this would be step 11); build it with totalSteps = the number "
            + "of step() calls in the whole run (epochs × batches per epoch)", e.getMessage());
        assertEquals(10, s.steps());
        assertEquals(last, opt.lr(), 0);
    }

    @Test
    void threePhaseLinearWithOtherFactors() {
        SGD opt = sgd(0.1);
        var options = OneCycleLR.Options.defaults().withPctStart(0.25).withAnneal(OneCycleLR.Anneal.LINEAR)
            .withDivFactor(10).withFinalDivFactor(100).withThreePhase(true);
        double[] lr = lrs(opt, new OneCycleLR(opt, 1.0, 20, options), 20);
        // python3: onecycle(1.0, 20, t, pct=0.25, anneal='linear', div=10.0, final_div=100.0, three=True), t = 0..19
        double[] expected = {0.1, 0.325, 0.55, 0.775, 1.0, 0.775, 0.55, 0.32499999999999996, 0.09999999999999998, 0.091, 0.082,
            0.07300000000000001, 0.064, 0.05500000000000001, 0.046000000000000006, 0.037000000000000005, 0.027999999999999997,
            0.019000000000000003, 0.010000000000000009, 0.0010000000000000009};
        for (int t = 0; t < 20; t++) assertClose(expected[t], lr[t], "step " + t);
    }

    @Test
    void threePhaseCosine() {
        SGD opt = sgd(0.1);
        double[] lr = lrs(opt, new OneCycleLR(opt, 0.5, 10, OneCycleLR.Options.defaults().withThreePhase(true)), 10);
        // python3: onecycle(0.5, 10, t, three=True), t = 0..9: up to step 2, back down to η_init at 4, then to η_min at 9
        double[] expected = {0.020000000000000018, 0.26, 0.5, 0.26, 0.02, 0.0180903609267551, 0.0130908609267551,
            0.0069111390732449025, 0.0019116390732449018, 2e-06};
        for (int t = 0; t < 10; t++) assertClose(expected[t], lr[t], "step " + t);
    }

    @Test
    void shortCyclesWhereThePhasesAreDegenerate() {
        // p·T = 0.9 < 1: the first phase ends before step 0, so step 0 is already on the way down
        SGD opt = sgd(0.1);
        double[] lr = lrs(opt, new OneCycleLR(opt, 0.2, 3), 3);
        double[] expected = {0.19888308709018238, 0.09252742053339501, 8e-07};   // python3: onecycle(0.2, 3, t)
        for (int t = 0; t < 3; t++) assertClose(expected[t], lr[t], "step " + t);

        // p·T = 1 exactly: a first phase of length zero (PyTorch divides 0 by 0) is at its end: η_max at step 0
        SGD opt2 = sgd(0.1);
        OneCycleLR s2 = new OneCycleLR(opt2, 0.7, 10, OneCycleLR.Options.defaults().withPctStart(0.1));
        assertEquals(0.7, opt2.lr(), 0);
        s2.step();
        assertTrue(opt2.lr() < 0.7);

        // a single step: η_min
        SGD opt3 = sgd(0.1);
        new OneCycleLR(opt3, 1.0, 1);
        assertClose(1.0 / 25 / 1e4, opt3.lr(), "T = 1");
    }

    @Test
    void linearAnnealNeverGoesNegativeAtTheLastStep() {
        // PyTorch's step T with LINEAR extrapolates below zero (-0.0143 here); the rate holds at step T − 1's instead
        SGD opt = sgd(0.1);
        OneCycleLR s = new OneCycleLR(opt, 0.1, 10, OneCycleLR.Options.defaults().withAnneal(OneCycleLR.Anneal.LINEAR));
        for (int t = 0; t < 10; t++) s.step();
        // python3: onecycle(0.1, 10, 9, anneal='linear'), η_min = 4e-07 up to the rounding of a + (b − a)·1
        assertClose(3.999999999976245e-07, opt.lr(), "step 10");
    }

    @Test
    void eachGroupHasItsOwnMaximum() {
        SGD opt = new SGD(List.of(new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(0.5)),
                                  new ParamGroup<>(List.of(param(1)), SGD.Options.defaults(0.5))));
        OneCycleLR s = new OneCycleLR(opt, new double[] {1.0, 0.1}, 8, OneCycleLR.Options.defaults());
        // python3: onecycle(1.0, 8, t) for t = 0..7; group 1 is the same cycle scaled by 0.1
        double[] expected = {0.040000000000000036, 0.819275104892192, 0.9719417773875232, 0.811745653949763, 0.5559840141227016,
            0.28306099820869923, 0.0766415938342564, 4e-06};
        for (int t = 0; t < 8; t++) {
            assertClose(expected[t], opt.lr(0), "group 0, step " + t);
            assertClose(expected[t] * 0.1, opt.lr(1), "group 1, step " + t);
            s.step();
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, new double[] {1.0}, 8, OneCycleLR.Options.defaults()));
        assertEquals("OneCycleLR: got 1 maximum learning rate for an optimizer with 2 groups; give one per group, or a single one for all",
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, new double[] {1.0, -1}, 8, OneCycleLR.Options.defaults()));
        assertEquals("OneCycleLR: maxLr of group 1 must be a finite number > 0, got -1.0", e.getMessage());
    }

    @Test
    void resumesMidCycleFromItsStateDict() {
        var options = OneCycleLR.Options.defaults().withThreePhase(true);
        SGD straightOpt = new SGD(List.of(param(1)), SGD.Options.defaults(0.1).withMomentum(0.9));
        double[] straight = lrs(straightOpt, new OneCycleLR(straightOpt, 0.3, 40, options), 40);

        SGD firstOpt = new SGD(List.of(param(1)), SGD.Options.defaults(0.1).withMomentum(0.9));
        OneCycleLR first = new OneCycleLR(firstOpt, 0.3, 40, options);
        double[] before = lrs(firstOpt, first, 17);
        Map<String, NdArray> saved = first.stateDict();
        assertEquals(17.0, saved.get("step").item());
        SGD resumedOpt = new SGD(List.of(param(1)), SGD.Options.defaults(0.1).withMomentum(0.9));
        OneCycleLR resumed = new OneCycleLR(resumedOpt, 0.3, 40, options);
        resumedOpt.loadStateDict(firstOpt.stateDict());
        resumed.loadStateDict(saved);
        double[] after = lrs(resumedOpt, resumed, 23);
        for (int t = 0; t < 40; t++) assertEquals(straight[t], t < 17 ? before[t] : after[t - 17], 0, "step " + t);
        assertEquals(0.9, ((SGD.Options) resumedOpt.paramGroups().get(0).options()).momentum(), "momentum is not cycled");

        Map<String, NdArray> past = new HashMap<>(saved);
        past.put("step", NdArray.scalar(DType.FLOAT64, 41));
        var e = assertThrows(IllegalArgumentException.class, () -> resumed.loadStateDict(past));
        assertEquals("OneCycleLR.loadState: the state is at step 41, past this schedule's totalSteps = 40", e.getMessage());
        assertEquals(40, resumed.steps(), "a rejected state changes nothing");
    }

    @Test
    void chainsAfterAConstantStart() {
        // a cycle that starts after 3 steps at a third of the optimizer's rate; the cycle counts its own steps from 0
        SGD opt = sgd(0.03);
        SequentialLR s = new SequentialLR(opt, List.of(new ConstantLR(opt, 1.0 / 3, 3), new OneCycleLR(opt, 1.0, 8)), 3);
        double[] lr = lrs(opt, s, 11);
        for (int t = 0; t < 3; t++) assertEquals(0.01, lr[t], 1e-17);
        assertClose(0.040000000000000036, lr[3], "the cycle's step 0");
        assertClose(0.9719417773875232, lr[5], "the cycle's step 2");
        assertClose(4e-06, lr[10], "the cycle's step 7");
    }

    @Test
    void validatesArguments() {
        SGD opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, 0.1, 0));
        assertEquals("OneCycleLR: totalSteps must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, 0, 10));
        assertEquals("OneCycleLR: maxLr must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, Double.POSITIVE_INFINITY, 10));
        assertEquals("OneCycleLR: maxLr must be a finite number > 0, got Infinity", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneCycleLR.Options.defaults().withPctStart(1.5));
        assertEquals("OneCycleLR: pctStart must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneCycleLR.Options.defaults().withDivFactor(0));
        assertEquals("OneCycleLR: divFactor must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneCycleLR.Options.defaults().withFinalDivFactor(Double.NaN));
        assertEquals("OneCycleLR: finalDivFactor must be a finite number > 0, got NaN", e.getMessage());
        var n = assertThrows(NullPointerException.class, () -> OneCycleLR.Options.defaults().withAnneal(null));
        assertEquals("OneCycleLR: anneal must not be null", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> new OneCycleLR(null, 0.1, 10));
        assertEquals("OneCycleLR: optimizer must not be null", n.getMessage());
    }
}
