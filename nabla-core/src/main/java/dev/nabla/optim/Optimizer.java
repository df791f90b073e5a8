package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;
import dev.nabla.parallel.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Updates parameters from their gradients. The lifecycle of one training step:
 * <ol>
 *   <li>{@link #zeroGrad()} clears every parameter's gradient (sets it to null);</li>
 *   <li>the caller computes a loss and calls {@code loss.backward()}, which fills {@code p.grad()};</li>
 *   <li>{@link #step()} applies the update rule to every parameter that has a gradient, in place on
 *       {@code p.data()}; a parameter whose gradient is null is skipped, and its state left as it was.</li>
 * </ol>
 * A schedule ({@link LRScheduler}) may change the learning rate between steps through
 * {@link #setLr(double)}.
 *
 * <p><b>State.</b> Each parameter has a step count t (the number of updates it has received) and the
 * buffers its rule keeps (momentum, running averages), created at its first update with the
 * parameter's shape and dtype and reused after. {@link #stateDict()} returns copies of them as
 * {@code state.<i>.step} (a 0-d float64 array), {@code state.<i>.<buffer>}, and each group's options
 * as {@code param_groups.<g>.lr}, {@code param_groups.<g>.momentum}, ... (0-d float64), where i numbers
 * the parameters across the groups in order; {@link #loadStateDict} puts them back, so that a run
 * stopped and resumed ends with the same numbers, bit for bit, as one that never stopped.
 *
 * <p><b>Arithmetic.</b> An update rule computes in double precision and rounds once, when it stores a
 * value. Each rule is written twice, as twins with the same text: over double arrays for float64
 * parameters and over float arrays for float32 ones (read, widened to double, computed, rounded back),
 * so that both run as tight loops over the backing arrays with no copy. A parameter or gradient that
 * starts at a non-zero offset in its storage is updated in blocks of {@value #BLOCK} elements through
 * double scratch arrays allocated once, with the double twin; the result is the same, bit for bit,
 * because a rule reads each value once and keeps what it computes in locals. No step records a graph:
 * the rule works on the arrays, not on tensors, and allocates nothing in steady state. An optimizer is
 * not thread-safe.
 *
 * <p>A subclass supplies the names of its per-parameter buffers ({@link #bufferNames}), their initial
 * value ({@link #initialValue}, 0 unless overridden) and the element-wise rule as its two twins
 * ({@link #update(Hyperparameters, long, double[], double[], double[][], int, int) update}).
 */
public abstract class Optimizer {
    /** Elements per block when a parameter at an offset is updated through double scratch arrays. */
    static final int BLOCK = 1024;
    /**
     * Elements of a parameter worth a thread of their own: below 2 · this, one thread updates it (the
     * hand-off costs a few microseconds; plain SGD does about 4 elements per nanosecond).
     */
    static final int PARALLEL_GRAIN = 1 << 14;

    private final String name;
    private final List<ParamGroup<?>> groups;
    private final double[] initialLrs;
    private final Tensor[] params;
    private final int[] groupOf;
    private final State[] states;
    private double[] scratchParam, scratchGrad;
    private double[][] scratchState = new double[0][];

    /** The per-parameter state: the step count and the rule's buffers (same shape and dtype as the parameter). */
    private static final class State {
        long step;
        final NdArray[] buffers;
        /** The buffers' backing arrays (dense, offset 0): one of the two is set, by the parameter's dtype. */
        final double[][] doubles;
        final float[][] floats;

        State(DType dtype, NdArray[] buffers) {
            this.buffers = buffers;
            this.doubles = dtype == DType.FLOAT64 ? Arrays.stream(buffers).map(NdArray::doubleData).toArray(double[][]::new) : null;
            this.floats = dtype == DType.FLOAT32 ? Arrays.stream(buffers).map(NdArray::floatData).toArray(float[][]::new) : null;
        }
    }

    /**
     * @param name   the optimizer's name, used in messages ({@code "SGD"})
     * @param groups one or more parameter groups; a parameter may appear only once
     */
    protected Optimizer(String name, List<? extends ParamGroup<?>> groups) {
        this.name = Objects.requireNonNull(name);
        Objects.requireNonNull(groups, name + ": parameter groups must not be null");
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": needs at least one parameter group");
        this.groups = new ArrayList<>(groups);
        this.initialLrs = groups.stream().mapToDouble(g -> g.options().lr()).toArray();
        List<Tensor> all = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (Tensor p : groups.get(g).params()) {
                if (!p.isLeaf())
                    throw new IllegalArgumentException(name + ": parameter " + all.size() + " of shape " + Shapes.str(p.shape())
                        + " was computed by " + p.op().name() + "; an optimizer can only update leaf tensors");
                Integer before = seen.putIfAbsent(p, all.size());
                if (before != null)
                    throw new IllegalArgumentException(name + ": parameter " + all.size() + " is the same tensor as parameter "
                        + before + "; a parameter may appear only once across the groups");
                all.add(p);
                owner.add(g);
            }
        }
        if (all.isEmpty()) throw new IllegalArgumentException(name + ": got an empty parameter list");
        this.params = all.toArray(Tensor[]::new);
        this.groupOf = owner.stream().mapToInt(Integer::intValue).toArray();
        this.states = new State[params.length];
    }

    // ================================================================ what a subclass supplies

    /** The names of the buffers the rule keeps for each parameter of a group with these options, in order. */
    protected abstract List<String> bufferNames(Hyperparameters<?> options);

    /** The value a buffer starts with (0 unless the rule says otherwise, like Adagrad's accumulator). */
    protected double initialValue(Hyperparameters<?> options, String buffer) { return 0; }

    /**
     * The update rule, element by element for i in [from, to): reads the gradient g[i], updates the
     * parameter p[i] and the buffers state[k][i] (in the order of {@link #bufferNames}) in place.
     * It must read each stored value once and use locals after storing, so that it gives the same
     * numbers whether its arrays are the parameter's own or scratch copies. A large parameter is
     * updated in disjoint ranges on several threads at once (see {@code Parallel#forRange}), so the
     * rule must touch only elements of its range and keep no state outside the arrays.
     *
     * @param options the hyper-parameters of the parameter's group
     * @param t       the step count including this update (1 at the first update)
     */
    protected abstract void update(Hyperparameters<?> options, long t, double[] p, double[] g, double[][] state, int from, int to);

    /** The float32 twin of {@link #update(Hyperparameters, long, double[], double[], double[][], int, int)}: the same arithmetic in double, rounded on store. */
    protected abstract void update(Hyperparameters<?> options, long t, float[] p, float[] g, float[][] state, int from, int to);

    // ================================================================ the lifecycle

    /** Updates every parameter that has a gradient, in place; parameters whose gradient is null are skipped. */
    public void step() {
        for (int i = 0; i < params.length; i++) {
            Tensor p = params[i];
            if (p.grad() == null) continue;
            NdArray w = p.data();
            if (!w.isContiguous())
                throw new IllegalStateException(name + ".step: parameter " + i + " of shape " + Shapes.str(w.shape())
                    + " is a non-contiguous view; optimizers update contiguous parameters only");
            NdArray g = p.grad().data();
            if (!g.sameShape(w))
                throw new IllegalStateException(name + ".step: parameter " + i + " has shape " + Shapes.str(w.shape())
                    + " but its gradient has shape " + Shapes.str(g.shape()));
            if (g.dtype() != w.dtype()) g = g.to(w.dtype());
            if (!g.isContiguous()) g = g.contiguous();
            Hyperparameters<?> options = groups.get(groupOf[i]).options();
            State s = states[i];
            if (s == null) s = states[i] = newState(options, w);
            s.step++;
            apply(options, s, w, g);
        }
    }

    /** Clears the gradient of every parameter (sets it to null, so that the next backward starts afresh). */
    public void zeroGrad() { zeroGrad(true); }

    /**
     * Clears the gradient of every parameter. With setToNone (as {@link #zeroGrad()}) each becomes null;
     * without (PyTorch's {@code set_to_none=False}) the gradient arrays are kept and filled with zeros, and
     * the next backward adds into them in place, so that steady-state steps allocate no gradient arrays
     * (see {@link Tensor#zeroGrad(boolean)}).
     */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : params) p.zeroGrad(setToNone);
    }

    // ================================================================ groups and learning rate

    /** The current parameter groups (a snapshot; {@link #setLr} replaces a group's options). */
    public List<ParamGroup<?>> paramGroups() { return List.copyOf(groups); }

    /** The learning rate of the first group. */
    public double lr() { return groups.get(0).options().lr(); }

    /** The learning rate of group g. */
    public double lr(int group) { return groups.get(checkGroup("lr", group)).options().lr(); }

    /** Sets every group's learning rate. */
    public void setLr(double lr) {
        for (int g = 0; g < groups.size(); g++) setLr(g, lr);
    }

    /** Sets group g's learning rate. */
    public void setLr(int group, double lr) {
        checkGroup("setLr", group);
        groups.set(group, groups.get(group).withLr(lr));
    }

    /** The learning rate group g was built with (the base that closed-form schedules scale). */
    public double initialLr(int group) { return initialLrs[checkGroup("initialLr", group)]; }

    /** The optimizer's name, as used in messages. */
    public String name() { return name; }

    private int checkGroup(String op, int group) {
        if (group < 0 || group >= groups.size())
            throw new IndexOutOfBoundsException(name + "." + op + ": group " + group + " does not exist; the optimizer has "
                + groups.size() + " group" + (groups.size() == 1 ? "" : "s"));
        return group;
    }

    // ================================================================ applying a rule

    private State newState(Hyperparameters<?> options, NdArray w) {
        List<String> names = bufferNames(options);
        NdArray[] buffers = new NdArray[names.size()];
        for (int k = 0; k < buffers.length; k++) buffers[k] = NdArray.full(w.dtype(), initialValue(options, names.get(k)), w.shape());
        return new State(w.dtype(), buffers);
    }

    private void apply(Hyperparameters<?> options, State s, NdArray w, NdArray g) {
        int n = w.numel();
        if (n == 0) return;
        if (w.offset() == 0 && g.offset() == 0) {
            // the rule is element-wise: a large parameter is updated in ranges on the worker pool
            long t = s.step;
            if (w.dtype() == DType.FLOAT32) {
                float[] p = w.floatData(), gr = g.floatData();
                float[][] st = s.floats;
                Parallel.forRange(n, PARALLEL_GRAIN, 16, (from, to) -> update(options, t, p, gr, st, from, to));
            } else {
                double[] p = w.doubleData(), gr = g.doubleData();
                double[][] st = s.doubles;
                Parallel.forRange(n, PARALLEL_GRAIN, 16, (from, to) -> update(options, t, p, gr, st, from, to));
            }
            return;
        }
        int k = s.buffers.length;
        if (scratchParam == null) { scratchParam = new double[BLOCK]; scratchGrad = new double[BLOCK]; }
        if (scratchState.length < k) scratchState = new double[k][BLOCK];
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            load(w, from, scratchParam, len);
            load(g, from, scratchGrad, len);
            for (int j = 0; j < k; j++) load(s.buffers[j], from, scratchState[j], len);
            update(options, s.step, scratchParam, scratchGrad, scratchState, 0, len);
            store(scratchParam, w, from, len);
            for (int j = 0; j < k; j++) store(scratchState[j], s.buffers[j], from, len);
        }
    }

    /** Elements from..from+len-1 of a contiguous array into dst[0..len). */
    private static void load(NdArray a, int from, double[] dst, int len) {
        int o = a.offset() + from;
        float[] f = a.floatData();
        if (f != null) for (int i = 0; i < len; i++) dst[i] = f[o + i];
        else System.arraycopy(a.doubleData(), o, dst, 0, len);
    }

    private static void store(double[] src, NdArray a, int from, int len) {
        int o = a.offset() + from;
        float[] f = a.floatData();
        if (f != null) for (int i = 0; i < len; i++) f[o + i] = (float) src[i];
        else System.arraycopy(src, 0, a.doubleData(), o, len);
    }

    // ================================================================ state dict

    /**
     * Copies of the optimizer's state: every group's options, {@code param_groups.<g>.lr} and the
     * others under PyTorch-style names ({@code weight_decay}, {@code nesterov} as 0 or 1; see
     * {@link OptionFields}), and for every parameter i that has been updated {@code state.<i>.step} and
     * {@code state.<i>.<buffer>}. Scalars are 0-d float64 arrays; buffers have the parameter's shape and dtype.
     */
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            out.put("param_groups." + g + ".lr", StateDicts.scalar(lr(g)));
            for (var f : OptionFields.of(groups.get(g).options()).entrySet())
                out.put("param_groups." + g + "." + f.getKey(), StateDicts.scalar(f.getValue()));
        }
        for (int i = 0; i < params.length; i++) {
            State s = states[i];
            if (s == null) continue;
            out.put("state." + i + ".step", StateDicts.scalar(s.step));
            List<String> names = bufferNames(groups.get(groupOf[i]).options());
            for (int k = 0; k < names.size(); k++) out.put("state." + i + "." + names.get(k), s.buffers[k].copy());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores a state written by {@link #stateDict()} of an optimizer of the same kind over parameters
     * of the same shapes: the groups' options, as PyTorch's {@code load_state_dict} does (an option the
     * state lacks, as in state dicts written before options other than lr were saved, keeps the value
     * this optimizer was built with), and each parameter's step count and buffers, checked against the
     * restored options (copied in; a parameter without entries starts afresh). Everything is checked before anything
     * changes: a missing, unexpected or mis-shaped entry raises an error naming it.
     */
    public void loadStateDict(Map<String, NdArray> state) {
        Objects.requireNonNull(state, name + ".loadStateDict: state must not be null");
        String op = name + ".loadStateDict";
        double[] lrs = new double[groups.size()];
        List<Map<String, Double>> fields = new ArrayList<>();
        List<Set<String>> known = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            fields.add(new LinkedHashMap<>());
            known.add(OptionFields.of(groups.get(g).options()).keySet());
        }
        Map<Integer, Map<String, NdArray>> perParam = new TreeMap<>();
        for (var e : new TreeMap<>(state).entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            int index = parts.length == 3 ? parseIndex(parts[1]) : -1;
            if (parts.length == 3 && parts[0].equals("param_groups") && index >= 0) {
                if (index >= groups.size())
                    throw new IllegalArgumentException(op + ": entry '" + key + "' refers to group " + index + ", but the optimizer has "
                        + groups.size() + " group" + (groups.size() == 1 ? "" : "s"));
                if (parts[2].equals("lr")) {
                    lrs[index] = Check.nonNegative(op, "entry '" + key + "'", StateDicts.scalar(op, key, e.getValue()));
                } else {
                    Set<String> names = known.get(index);
                    if (!names.contains(parts[2]))
                        throw new IllegalArgumentException(op + ": unexpected entry '" + key + "'; the options of " + name + "'s group " + index
                            + " are lr" + (names.isEmpty() ? "" : ", " + String.join(", ", names)));
                    fields.get(index).put(parts[2], StateDicts.scalar(op, key, e.getValue()));
                }
            } else if (parts.length == 3 && parts[0].equals("state") && index >= 0) {
                if (index >= params.length)
                    throw new IllegalArgumentException(op + ": entry '" + key + "' refers to parameter " + index + ", but the optimizer has "
                        + params.length + " parameters");
                perParam.computeIfAbsent(index, x -> new LinkedHashMap<>()).put(parts[2], e.getValue());
            } else {
                throw new IllegalArgumentException(op + ": unexpected entry '" + key
                    + "' (expected param_groups.<g>.lr, state.<i>.step and state.<i>.<buffer>)");
            }
        }
        for (int g = 0; g < groups.size(); g++)
            if (!state.containsKey("param_groups." + g + ".lr"))
                throw new IllegalArgumentException(op + ": missing entry 'param_groups." + g + ".lr'");
        // the groups' options as saved (fields a state dict lacks, as older ones do, keep their values)
        List<Hyperparameters<?>> restored = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++)
            restored.add(OptionFields.with(groups.get(g).options().withLr(lrs[g]), fields.get(g), op, "param_groups." + g + "."));
        State[] loaded = new State[params.length];
        for (var e : perParam.entrySet()) {
            int i = e.getKey();
            Map<String, NdArray> entries = e.getValue();
            Hyperparameters<?> options = restored.get(groupOf[i]);
            List<String> names = bufferNames(options);
            for (String k : entries.keySet())
                if (!k.equals("step") && !names.contains(k))
                    throw new IllegalArgumentException(op + ": unexpected entry 'state." + i + "." + k + "'; " + name
                        + " with these options keeps " + (names.isEmpty() ? "no buffers" : String.join(", ", names)) + " and step");
            String stepKey = "state." + i + ".step";
            if (!entries.containsKey("step")) throw new IllegalArgumentException(op + ": missing entry '" + stepKey + "'");
            long step = StateDicts.count(op, stepKey, entries.get("step"));
            NdArray w = params[i].data();
            State s = newState(options, w);
            s.step = step;
            for (int k = 0; k < names.size(); k++) {
                String key = "state." + i + "." + names.get(k);
                NdArray b = entries.get(names.get(k));
                if (b == null) throw new IllegalArgumentException(op + ": missing entry '" + key + "' for parameter " + i + " of shape " + Shapes.str(w.shape()));
                if (!Arrays.equals(b.shape(), w.shape()))
                    throw new IllegalArgumentException(op + ": entry '" + key + "' has shape " + Shapes.str(b.shape()) + ", but parameter "
                        + i + " has shape " + Shapes.str(w.shape()));
                s.buffers[k].copyFrom(b);
            }
            loaded[i] = s;
        }
        for (int g = 0; g < groups.size(); g++) groups.set(g, withOptions(groups.get(g), restored.get(g)));
        System.arraycopy(loaded, 0, states, 0, states.length);
    }

    /** The group's parameters with options of its own kind (rebuilt by {@link OptionFields#with}). */
    @SuppressWarnings("unchecked")
    private static <O extends Hyperparameters<O>> ParamGroup<O> withOptions(ParamGroup<O> group, Hyperparameters<?> options) {
        return new ParamGroup<>(group.params(), (O) options);
    }

    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) return -1;
        return Integer.parseInt(s);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int g = 0; g < groups.size(); g++) {
            if (g > 0) sb.append(", ");
            sb.append("group ").append(g).append(": ").append(groups.get(g).params().size()).append(" params, ").append(groups.get(g).options());
        }
        return sb.append(')').toString();
    }
}
