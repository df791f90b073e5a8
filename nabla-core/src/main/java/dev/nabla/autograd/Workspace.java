package dev.nabla.autograd;

import dev.nabla.array.ArrayPool;
import dev.nabla.array.NdArray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reuses the memory of a training loop's steps instead of allocating it anew each step. Inside a
 * {@link #step()} scope, the arrays that tensor operations produce (forward outputs and everything
 * backward computes) come from the workspace; when the scope closes they go back to it, and the
 * next step gets the same arrays again. A steady-state step then allocates almost nothing, which
 * keeps the garbage collector out of training and the memory flat.
 *
 * <pre>{@code
 * Workspace ws = new Workspace();
 * for (Batch b : loader) {
 *     try (Workspace.Step step = ws.step()) {
 *         Tensor loss = lossFn.apply(model.forward(Tensor.of(b.features())), b.labels());
 *         lossSum += loss.item();           // read what you need inside the step
 *         opt.zeroGrad(false);              // keep the gradient arrays too
 *         loss.backward();
 *         opt.step();
 *     }
 * }
 * }</pre>
 *
 * <p>What stays valid after the scope closes: parameters and everything made outside the scope;
 * gradients that backward stores in {@code grad()} (kept automatically); optimizer state (made
 * outside tensor operations); plain numbers read inside the scope; tensors passed to {@link #keep}.
 * Every other tensor made by an operation inside the scope is <em>released</em>: using it afterwards
 * (its values, as an operand, or backward through its graph) fails with an error that says so. An
 * {@link NdArray} taken from such a tensor with {@code data()} inside the scope must not be used
 * after it: its storage is reused (the error cannot reach it).
 *
 * <p>A shuffled loader copies every batch into new arrays (400 KB for 128 MNIST images). Fetched
 * inside the step through {@link #lend}, it copies into the arrays of the step before instead:
 * <pre>{@code
 * Iterator<Batch> batches = loader.iterator();
 * while (batches.hasNext()) {
 *     try (Workspace.Step step = ws.step()) {
 *         Batch b = Workspace.lend(batches::next);   // valid until the step closes
 *         ...
 * }</pre>
 * {@code dev.nabla.train.Trainer} runs its steps this way.
 *
 * <p>A workspace serves one thread and one open scope at a time; it holds about one step's arrays
 * between steps ({@link #clear()} lets them go).
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> OPEN = new ThreadLocal<>();

    private final ArrayPool pool = new ArrayPool();
    private final List<Tensor> made = new ArrayList<>();
    private final Step step = new Step();
    private Thread thread;

    /** The workspace whose scope is open on this thread, or null. */
    static Workspace open() { return OPEN.get(); }

    /** True when a workspace step is open on this thread. */
    public static boolean inStep() { return OPEN.get() != null; }

    /**
     * Opens a step scope on this thread. Fails when this workspace already has an open scope or
     * another workspace has one on this thread (scopes do not nest).
     */
    public Step step() {
        if (thread != null)
            throw new IllegalStateException("Workspace: a step is already open on thread " + thread.getName() + "; close it first");
        if (OPEN.get() != null)
            throw new IllegalStateException("Workspace: another workspace's step is open on this thread; steps do not nest");
        thread = Thread.currentThread();
        OPEN.set(this);
        return step;
    }

    /**
     * Keeps a tensor made inside the open step valid after it closes (its storage is not reused).
     * Returns the tensor. A tensor made outside any step needs nothing and is returned as it is.
     */
    public static Tensor keep(Tensor t) {
        Workspace w = OPEN.get();
        if (w != null) w.pool.keep(t.data());
        return t;
    }

    /**
     * Runs {@code make} with the open step lending: the arrays it creates (through {@link NdArray},
     * outside tensor operations too) come from the workspace and go back to it when the step closes,
     * as an operation's outputs do. For data that lives exactly one step, such as a batch that a
     * loader gathers: {@code Batch b = Workspace.lend(batches::next)} inside the step copies the
     * samples into the arrays of the step before instead of new ones. Those arrays must not be used
     * after the step closes, and unlike a tensor nothing reports it if they are. So {@code make} must
     * keep none of the arrays it creates: a dataset or transform that caches an array, or keeps a
     * buffer, would find it handed to the next step's operations (a {@code TensorDataset} and
     * {@code RandomShift} keep none). Outside any step {@code make} runs as it is.
     */
    public static <T> T lend(Supplier<T> make) {
        Workspace w = OPEN.get();
        if (w == null) return make.get();
        w.pool.beginLending();
        try {
            return make.get();
        } finally {
            w.pool.endLending();
        }
    }

    /** Lets the arrays held between steps go (the garbage collector takes them). */
    public void clear() { pool.clear(); }

    /** How many arrays steps took from the workspace, and how many it had to allocate (after the first step, few). */
    public long reusedArrays() { return pool.reusedCount(); }

    public long allocatedArrays() { return pool.allocatedCount(); }

    /** The open scope of a workspace; closing it takes back the step's arrays. */
    public final class Step implements AutoCloseable {
        private Step() {}

        @Override
        public void close() {
            if (thread == null) return;   // closed twice: nothing more to do
            if (thread != Thread.currentThread())
                throw new IllegalStateException("Workspace: the step was opened on thread " + thread.getName()
                    + " and must be closed there");
            for (Tensor t : made)
                if (!pool.isKept(t.rawData())) t.release();
            made.clear();
            pool.recycle();
            OPEN.remove();
            thread = null;
        }
    }

    // ---------------------------------------------------------------- for Tensor and the engine

    /** Starts a stretch of tensor-operation work whose new arrays are lent (nests). */
    void beginLending() { pool.beginLending(); }

    void endLending() { pool.endLending(); }

    /** Records a new tensor whose storage this step lent, to release it when the step closes. */
    void track(Tensor t) {
        if (pool.isLent(t.rawData())) made.add(t);
    }

    /** Keeps an array that has become lasting state (a stored gradient). */
    void keepData(NdArray a) { pool.keep(a); }
}
