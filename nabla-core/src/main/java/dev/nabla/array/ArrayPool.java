package dev.nabla.array;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage that is lent out and taken back instead of allocated and collected: the memory behind
 * {@code dev.nabla.autograd.Workspace}, which is what users open. While a pool is lending on a
 * thread ({@link #beginLending()} … {@link #endLending()}, nested calls allowed), every array that
 * {@link NdArray#zeros} makes on that thread is a zero-filled array of exactly the requested length
 * taken from the pool's free lists (or newly allocated when none is free), and is recorded as lent;
 * {@link NdArray#empty} takes one the same way without filling it.
 * {@link #recycle()} puts every lent array back on the free lists except those {@link #keep kept}.
 * Arrays made while the pool is not lending, or on other threads, are ordinary arrays.
 *
 * <p>A pool belongs to one thread at a time and is not thread-safe. It holds at most what one cycle
 * lent (a training step's arrays), until {@link #clear()}.
 */
public final class ArrayPool {
    private static final ThreadLocal<ArrayPool> LENDING = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> freeFloats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> freeDoubles = new HashMap<>();
    /** Storage lent since the last recycle (float[] or double[]), mapped to whether it is kept. */
    private final IdentityHashMap<Object, Boolean> lent = new IdentityHashMap<>();
    private final List<Object> lentOrder = new ArrayList<>();
    private int depth;
    private long reused, allocated;

    /** The pool lending on this thread, or null. */
    static ArrayPool lendingOnThisThread() { return LENDING.get(); }

    /**
     * Starts (or nests) a stretch in which this thread's new arrays come from this pool. Fails when
     * another pool is lending on the thread.
     */
    public void beginLending() {
        ArrayPool current = LENDING.get();
        if (current != null && current != this)
            throw new IllegalStateException("ArrayPool: another pool is already lending on thread " + Thread.currentThread().getName());
        if (depth++ == 0) LENDING.set(this);
    }

    /** Ends the stretch begun by the matching {@link #beginLending()}. */
    public void endLending() {
        if (depth == 0) throw new IllegalStateException("ArrayPool: endLending without beginLending");
        if (--depth == 0) LENDING.remove();
    }

    /** True when a's storage was lent by this pool since the last recycle. */
    public boolean isLent(NdArray a) { return lent.containsKey(storage(a)); }

    /** True when a's storage was lent by this pool and is kept. */
    public boolean isKept(NdArray a) { return Boolean.TRUE.equals(lent.get(storage(a))); }

    /** Exempts a's storage from the next {@link #recycle()}: it stays the caller's for good. No effect on other arrays. */
    public void keep(NdArray a) {
        Object s = storage(a);
        if (lent.containsKey(s)) lent.put(s, Boolean.TRUE);
    }

    /** Takes back every array lent since the last recycle, except kept ones, for reuse. */
    public void recycle() {
        for (Object s : lentOrder) {
            if (Boolean.TRUE.equals(lent.get(s))) continue;
            if (s instanceof float[] f) freeFloats.computeIfAbsent(f.length, k -> new ArrayDeque<>()).push(f);
            else if (s instanceof double[] d) freeDoubles.computeIfAbsent(d.length, k -> new ArrayDeque<>()).push(d);
        }
        lent.clear();
        lentOrder.clear();
    }

    /** Drops the free arrays (the garbage collector takes them). Lent arrays are not affected. */
    public void clear() {
        freeFloats.clear();
        freeDoubles.clear();
    }

    /** How many arrays were lent from the free lists, and how many had to be allocated, since the pool was made. */
    public long reusedCount() { return reused; }

    public long allocatedCount() { return allocated; }

    /** An array of n floats: zero-filled when {@code zero}, else with whatever a reused array holds. */
    float[] floats(int n, boolean zero) {
        ArrayDeque<float[]> q = freeFloats.get(n);
        float[] f = q == null ? null : q.poll();
        if (f == null) { f = new float[n]; allocated++; }
        else { if (zero) Arrays.fill(f, 0f); reused++; }
        lend(f);
        return f;
    }

    double[] doubles(int n, boolean zero) {
        ArrayDeque<double[]> q = freeDoubles.get(n);
        double[] d = q == null ? null : q.poll();
        if (d == null) { d = new double[n]; allocated++; }
        else { if (zero) Arrays.fill(d, 0.0); reused++; }
        lend(d);
        return d;
    }

    private void lend(Object s) {
        lent.put(s, Boolean.FALSE);
        lentOrder.add(s);
    }

    private static Object storage(NdArray a) { return a.f != null ? a.f : a.d; }
}
