package dev.nabla.nn;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A building block of a network: it holds parameters (tensors that require a gradient), buffers
 * (arrays of state that are saved but not learned, such as {@link BatchNorm1d}'s running
 * statistics) and child modules, each under a name, and maps an input tensor to an output in
 * {@link #forward}.
 *
 * <p>Parameters and buffers are named as in PyTorch: a module's own by their name ({@code weight},
 * {@code running_mean}), those of its children with the child's name and a dot in front
 * ({@code 0.weight}, {@code 2.bias}), in registration order. {@link #stateDict()} maps those names
 * to the arrays, in PyTorch's order (each module's parameters, then its buffers, then its children's
 * entries); {@link #loadStateDict} copies arrays in. An optimizer sees only the parameters.
 *
 * <p>A module is in training mode when made; {@link #eval()} switches it and all its descendants to
 * evaluation mode (which only some modules, such as {@link Dropout}, look at).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, NdArray> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the output for an input; modules record their operations on the autograd graph. */
    public abstract Tensor forward(Tensor input);

    /**
     * Registers p as this module's parameter under name and marks it as requiring a gradient.
     * Returns p.
     */
    protected Tensor registerParameter(String name, Tensor p) {
        checkName(name);
        if (p == null) throw new IllegalArgumentException(kind() + ": parameter '" + name + "' is null");
        if (!p.isLeaf())
            throw new IllegalArgumentException(kind() + ": parameter '" + name + "' was computed by " + p.op().name()
                + "; a parameter must be a leaf tensor (use detach())");
        p.requiresGrad(true);
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers b as this module's buffer under name: state that {@link #stateDict()} holds and
     * {@link #loadStateDict} restores, but that has no gradient and that no optimizer updates (a
     * module changes it itself, in place). Returns b.
     */
    protected NdArray registerBuffer(String name, NdArray b) {
        checkName(name);
        if (b == null) throw new IllegalArgumentException(kind() + ": buffer '" + name + "' is null");
        buffers.put(name, b);
        return b;
    }

    /** Registers m as a child module under name. Returns m. */
    protected <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        if (m == null) throw new IllegalArgumentException(kind() + ": child module '" + name + "' is null");
        if (m == this) throw new IllegalArgumentException(kind() + ": a module cannot be its own child ('" + name + "')");
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(kind() + ": invalid name '" + name + "': names must be non-empty and contain no '.'");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(kind() + ": the name '" + name + "' is already taken");
    }

    /**
     * Every parameter of this module and its descendants, by dotted name, in registration order.
     * A tensor reachable under several names (a shared layer, tied weights) is listed once, under
     * the first, as in PyTorch, so that an optimizer updates it once.
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen) {
        parameters.forEach((n, p) -> { if (seen.add(p)) out.put(prefix + n, p); });
        children.forEach((n, c) -> c.collect(prefix + n + ".", out, seen));
    }

    /** The values of {@link #namedParameters()}, in the same order. */
    public List<Tensor> parameters() { return List.copyOf(namedParameters().values()); }

    /** The direct children, by name, in registration order. */
    public Map<String, Module> namedChildren() { return Collections.unmodifiableMap(new LinkedHashMap<>(children)); }

    /**
     * Every buffer of this module and its descendants, by dotted name, in registration order (an
     * array reachable under several names listed once, under the first).
     */
    public Map<String, NdArray> namedBuffers() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        collectState("", null, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The parameters' and buffers' arrays by dotted name, in PyTorch's order: a module's own
     * parameters, then its own buffers, then its children's entries, each child in turn. The arrays
     * are shared, not copied: an optimizer step shows in an earlier state dict; copy them
     * (NdArray.copy) to keep a snapshot.
     */
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        collectState("", out, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Collections.unmodifiableMap(out);
    }

    /** Puts the parameters' arrays (when params is not null) and the buffers into their maps, module by module. */
    private void collectState(String prefix, Map<String, NdArray> params, Map<String, NdArray> bufs, Set<Object> seen) {
        if (params != null) parameters.forEach((n, p) -> { if (seen.add(p)) params.put(prefix + n, p.data()); });
        buffers.forEach((n, b) -> { if (seen.add(b)) bufs.put(prefix + n, b); });
        children.forEach((n, c) -> c.collectState(prefix + n + ".", params, bufs, seen));
    }

    /**
     * Copies the given arrays into the parameters and buffers of the same names (converting the
     * dtype if needed). Every entry must match a parameter or buffer and each of those must have an
     * entry, with the same shape; otherwise nothing is copied and the error lists every missing,
     * unexpected and mis-shaped entry (with both shapes).
     */
    public void loadStateDict(Map<String, NdArray> state) {
        Map<String, NdArray> own = stateDict();
        List<String> problems = keyProblems(own.keySet(), state.keySet());
        own.forEach((n, p) -> {
            NdArray a = state.get(n);
            if (a != null && !Arrays.equals(a.shape(), p.shape()))
                problems.add("entry '" + n + "' has shape " + Shapes.str(a.shape()) + " but the "
                    + (namedBuffers().containsKey(n) ? "buffer" : "parameter") + " has shape " + Shapes.str(p.shape()));
        });
        if (!problems.isEmpty())
            throw new IllegalArgumentException("loadStateDict: " + kind() + ": " + String.join("; ", problems));
        own.forEach((n, p) -> p.copyFrom(state.get(n)));
    }

    /**
     * The state of the random generators inside this module and its descendants (dropout's), by
     * dotted name ({@code "2.generator"} for the third child's): what a checkpoint needs so that a
     * resumed run draws the same masks as an uninterrupted one. Not part of {@link #stateDict()}
     * (PyTorch's state dicts hold no generator state). Empty for a module without randomness.
     */
    public Map<String, NdArray> randomState() {
        Map<String, NdArray> out = new LinkedHashMap<>(ownRandomState());
        children.forEach((name, c) -> c.randomState().forEach((k, v) -> out.put(name + "." + k, v)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores a state written by {@link #randomState()} of a module of the same structure. Every
     * entry must match a generator and every generator must have an entry; otherwise nothing
     * changes and the error lists the missing and unexpected entries.
     */
    public void loadRandomState(Map<String, NdArray> state) {
        List<String> problems = keyProblems(randomState().keySet(), state.keySet());
        if (!problems.isEmpty())
            throw new IllegalArgumentException("loadRandomState: " + kind() + ": " + String.join("; ", problems));
        List<Runnable> apply = new ArrayList<>();
        collectRandomLoads("", state, apply);   // validates every entry before any is applied
        apply.forEach(Runnable::run);
    }

    private void collectRandomLoads(String prefix, Map<String, NdArray> state, List<Runnable> apply) {
        Map<String, NdArray> mine = new LinkedHashMap<>();
        for (String k : ownRandomState().keySet()) mine.put(k, state.get(prefix + k));
        if (!mine.isEmpty()) apply.add(checkRandomState(prefix, mine));
        children.forEach((name, c) -> c.collectRandomLoads(prefix + name + ".", state, apply));
    }

    /** "missing entries [...]" and "unexpected entries [...]" for the names a state lacks or adds; empty when they match. */
    private static List<String> keyProblems(Set<String> own, Set<String> given) {
        List<String> problems = new ArrayList<>();
        List<String> missing = own.stream().filter(n -> !given.contains(n)).toList();
        List<String> unexpected = given.stream().filter(n -> !own.contains(n)).toList();
        if (!missing.isEmpty()) problems.add("missing entries " + missing);
        if (!unexpected.isEmpty()) problems.add("unexpected entries " + unexpected);
        return problems;
    }

    /** This module's own generator state (not its children's); empty unless the module draws random numbers. */
    protected Map<String, NdArray> ownRandomState() { return Map.of(); }

    /**
     * Checks this module's own entries of a state from {@link #ownRandomState()} (named with
     * {@code prefix} in errors) and returns what puts them in place. Modules with randomness override it.
     */
    protected Runnable checkRandomState(String prefix, Map<String, NdArray> state) { return () -> {}; }

    /** Sets training mode on this module and all its descendants. Returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Training mode (the default), recursively. Returns this. */
    public Module train() { return train(true); }

    /** Evaluation mode, recursively (dropout passes its input through). Returns this. */
    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** Clears the gradient of every parameter (sets it to none, as PyTorch does by default). */
    public void zeroGrad() { zeroGrad(true); }

    /**
     * Clears the gradient of every parameter; without setToNone the gradient arrays are kept, filled
     * with zeros, and the next backward adds into them (see {@link Tensor#zeroGrad(boolean)}).
     */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : namedParameters().values()) p.zeroGrad(setToNone);
    }

    /** The text inside this module's parentheses when printed, such as {@code in_features=3}. */
    protected String extraRepr() { return ""; }

    /** The name printed for this module: its class name. */
    protected String kind() { return getClass().getSimpleName(); }

    /**
     * The structure as PyTorch prints it: {@code Linear(in_features=3, out_features=2, bias=True)}
     * for a leaf, and for a container one line per child, indented:
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=3, out_features=2, bias=True)
     *   (1): Sigmoid()
     * )
     * </pre>
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty() && !extra.contains("\n")) return kind() + "(" + extra + ")";
        List<String> lines = new ArrayList<>();
        if (!extra.isEmpty()) lines.addAll(List.of(extra.split("\n")));
        children.forEach((n, c) -> lines.add("(" + n + "): " + c.toString().replace("\n", "\n  ")));
        return kind() + "(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
