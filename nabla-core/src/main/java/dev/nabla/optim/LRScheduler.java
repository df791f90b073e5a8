package dev.nabla.optim;

import dev.nabla.array.NdArray;

import java.util.Map;

/**
 * A learning-rate schedule: it owns the learning rate of an optimizer's groups and changes it as
 * training goes. The lifecycle, once per epoch (or per iteration, as the caller chooses to count):
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9));
 * var schedule = new StepLR(opt, 30, 0.1);     // sets the lr for step 0 at once
 * for (int epoch = 0; epoch < 90; epoch++) {
 *     train(model, opt);                          // many opt.step() calls at lr = schedule.lr()
 *     schedule.step();                            // the lr for the next epoch
 * }
 * }</pre>
 * A schedule's whole state (its step count and what it needs besides) is in {@link #stateDict()}, as
 * 0-d float64 arrays (and a 1-d array of per-group base learning rates where the schedule has
 * them), so that a checkpoint holds it beside the model's and the optimizer's state. To resume,
 * build the optimizer and the schedule as before, then load the optimizer's state and the schedule's.
 */
public interface LRScheduler {
    /** Advances the schedule by one step and sets the optimizer's learning rate(s) for the next one. */
    void step();

    /** The learning rate of the first group, as the schedule last set it. */
    double lr();

    /** The schedule's state, as scalars (0-d float64 arrays) and small vectors. */
    Map<String, NdArray> stateDict();

    /** Restores a state written by {@link #stateDict()}; a missing or unexpected entry raises an error naming it. */
    void loadStateDict(Map<String, NdArray> state);
}
