package dev.nabla.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads, sized once to the cores, that the kernels split large loops over.
 *
 * <p>The size is {@link #threads()}: the system property {@code nabla.threads}, else the environment
 * variable {@code NABLA_THREADS}, else {@link Runtime#availableProcessors()}; {@link #setThreads}
 * changes it (the command line's {@code --threads}). A pool of n threads has n - 1 workers: the
 * calling thread works too, so a loop never runs on more threads than asked for.
 *
 * <p>{@link #forEach} runs tasks 0..tasks-1, each exactly once, and returns when all are done. The
 * tasks are claimed one at a time from a shared counter by whichever thread is free, so a worker
 * that the operating system has descheduled (the cores are shared with other processes) delays the
 * loop by one task at most rather than by its whole share: give a loop a few times more tasks than
 * threads. Workers spin briefly after a loop (a training step issues many loops in a row, and waking
 * a parked thread costs tens of microseconds), then park. One loop runs on the pool at a time: a
 * loop started while the pool is busy (from another thread, or nested inside a task) runs all its
 * tasks on its own thread, so the pool never oversubscribes the cores and never deadlocks.
 */
public final class Parallel {
    private Parallel() {}

    /**
     * How long an idle worker spins before parking, in nanoseconds: about the gaps between the
     * parallel products of a training step (element-wise ops on a batch take tens of microseconds),
     * so that the workers are mostly awake when the next product starts. (Measured on the MLP step
     * with 2 threads: 100 µs was as fast as 0.5 or 2 ms, and 20 µs slower.)
     */
    private static final long SPIN_NANOS = 100_000;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile Pool pool = new Pool(configuredThreads());

    /** The number of threads a parallel loop uses (at least 1). */
    public static int threads() { return pool.size; }

    /** Resizes the pool to n threads (n &ge; 1); the old workers stop. Takes effect for later loops. */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: the number of threads must be at least 1, got " + n);
        LOCK.lock();
        try {
            if (n == pool.size) return;
            Pool old = pool;
            pool = new Pool(n);
            old.shutdown();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code body.accept(t)} for t = 0..tasks-1, each exactly once, on the calling thread and
     * the workers, and returns when all are done. Tasks must be independent. An exception thrown by
     * a task is rethrown here (the first one, after all tasks have finished or been skipped).
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        Pool current = pool;
        if (tasks == 1 || current.size == 1 || LOCK.isHeldByCurrentThread() || !LOCK.tryLock()) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        try {
            current.run(tasks, body);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * True on a thread that is running a task of a parallel loop (a worker, or the caller that
     * started the loop): a loop started here would run on this thread alone.
     */
    public static boolean insideLoop() {
        return LOCK.isHeldByCurrentThread() || Thread.currentThread() instanceof Worker;
    }

    /** A loop body over a range of indices, from inclusive to exclusive. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body.run(from, to)} over consecutive ranges that cover [0, n) exactly once, in
     * parallel when n is at least {@code 2 · grain} and the pool has more than one thread: the ranges
     * are then about {@link #TASKS_PER_THREAD} per thread and no shorter than {@code grain}, each
     * starting at a multiple of {@code align} (so that vector loops over float or double arrays
     * keep their lanes aligned and only the last range has a scalar tail). Below that, one call
     * {@code body.run(0, n)} on the calling thread. The ranges must be independent.
     *
     * @param grain the least elements worth handing to another thread (≥ 1)
     * @param align the multiple each range starts at (≥ 1)
     */
    public static void forRange(int n, int grain, int align, Range body) {
        if (grain < 1 || align < 1)
            throw new IllegalArgumentException("forRange: grain and align must be at least 1, got " + grain + " and " + align);
        if (n <= 0) return;
        int threads = pool.size;
        if (threads == 1 || n < 2L * grain) { body.run(0, n); return; }
        int tasks = (int) Math.min(n / grain, (long) TASKS_PER_THREAD * threads);
        long per = (n + tasks - 1) / tasks;
        int chunk = (int) Math.min(n, (per + align - 1) / align * align);
        int count = (n + chunk - 1) / chunk;
        forEach(count, t -> body.run(t * chunk, (int) Math.min(n, (long) t * chunk + chunk)));
    }

    /** Ranges per thread in {@link #forRange}: a descheduled thread then holds up a quarter of its share. */
    private static final int TASKS_PER_THREAD = 4;

    /** The configured pool size (see {@link ThreadsSetting#configured()}). */
    static int configuredThreads() { return ThreadsSetting.configured(); }

    /** One loop: its body, and the counters that hand out and count its tasks. */
    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int tasks) {
            this.body = body;
            this.tasks = tasks;
        }

        /** Claims and runs tasks until none are left. */
        void work() {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                try {
                    if (failure == null) body.accept(t);
                } catch (Throwable e) {
                    if (failure == null) failure = e;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private static final class Pool {
        final int size;
        final Worker[] workers;
        volatile Job job;

        Pool(int size) {
            this.size = size;
            workers = new Worker[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(int tasks, IntConsumer body) {
            Job j = new Job(body, tasks);
            job = j;
            for (Worker w : workers) w.wake();
            j.work();
            // the rest is in a worker's hands: spin a little, then yield the core at every turn, in
            // case the worker is waiting for it (the cores are shared with other processes)
            for (int spins = 0; j.done.get() < tasks; spins++) {
                if (spins < 64) Thread.onSpinWait(); else Thread.yield();
            }
            Throwable t = j.failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        void shutdown() {
            for (Worker w : workers) w.stopWorker();
        }
    }

    private static final class Worker extends Thread {
        private final Pool pool;
        private Job seen;
        private volatile boolean parked;
        private volatile boolean stopped;

        Worker(Pool pool, int index) {
            super("nabla-worker-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        void wake() {
            if (parked) LockSupport.unpark(this);
        }

        void stopWorker() {
            stopped = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!stopped) {
                long start = System.nanoTime();
                Job j;
                while ((j = pool.job) == seen && !stopped) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (pool.job == seen && !stopped) LockSupport.park(this);
                        parked = false;
                    }
                }
                if (stopped) return;
                seen = j;
                j.work();
            }
        }
    }
}
