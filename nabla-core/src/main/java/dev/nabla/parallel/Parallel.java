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
 * calling thread does one share itself, so a loop never runs on more threads than asked for.
 *
 * <p>{@link #run} hands out parts 0..parts-1 and returns when all are done. Workers spin briefly
 * after a part (a training step issues many loops in a row, and waking a parked thread costs tens of
 * microseconds), then park. Only one loop runs on the pool at a time: a call made while the pool is
 * busy (from another user thread, or nested inside a part) runs all its parts on the calling thread,
 * so the pool never oversubscribes the cores and never deadlocks.
 */
public final class Parallel {
    private Parallel() {}

    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 200_000;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile Pool pool = new Pool(configuredThreads());

    /** The number of threads a parallel loop uses (at least 1). */
    public static int threads() { return pool.size; }

    /**
     * Resizes the pool to n threads (n &ge; 1); the old workers stop. Takes effect for loops started
     * afterwards.
     */
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
     * Runs {@code body.accept(p)} for p = 0..parts-1, part 0 on the calling thread and the others on
     * workers, and returns when all are done. parts must not exceed {@link #threads()}. An exception
     * thrown by a part is rethrown here (the first one, after all parts have finished).
     */
    public static void run(int parts, IntConsumer body) {
        if (parts <= 1 || LOCK.isHeldByCurrentThread() || !LOCK.tryLock()) {
            for (int p = 0; p < parts; p++) body.accept(p);
            return;
        }
        try {
            Pool current = pool;
            if (parts > current.size)
                throw new IllegalArgumentException("run: " + parts + " parts for a pool of " + current.size + " threads");
            current.run(parts, body);
        } finally {
            LOCK.unlock();
        }
    }

    static int configuredThreads() {
        String s = System.getProperty("nabla.threads");
        String source = "system property nabla.threads";
        if (s == null || s.isBlank()) { s = System.getenv("NABLA_THREADS"); source = "environment variable NABLA_THREADS"; }
        if (s == null || s.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(source + " must be a whole number of threads >= 1, got '" + s + "'");
    }

    /** The workers and the hand-off state of the loop in flight. */
    private static final class Pool {
        final int size;
        final Worker[] workers;
        volatile IntConsumer body;
        volatile int parts;
        final AtomicInteger pending = new AtomicInteger();
        volatile Throwable failure;

        Pool(int size) {
            this.size = size;
            workers = new Worker[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(int parts, IntConsumer body) {
            this.body = body;
            this.parts = parts;
            failure = null;
            pending.set(parts - 1);
            for (int i = 0; i < parts - 1; i++) workers[i].go();
            Throwable own = null;
            try {
                body.accept(0);
            } catch (Throwable t) {
                own = t;
            }
            while (pending.get() > 0) Thread.onSpinWait();
            this.body = null;
            Throwable t = own != null ? own : failure;
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
        private final int part;
        private volatile long generation;
        private long seen;
        private volatile boolean parked;
        private volatile boolean stopped;

        Worker(Pool pool, int part) {
            super("nabla-worker-" + part);
            this.pool = pool;
            this.part = part;
            setDaemon(true);
        }

        void go() {
            generation = generation + 1;
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
                while (generation == seen && !stopped) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == seen && !stopped) LockSupport.park(this);
                        parked = false;
                    }
                }
                if (stopped) return;
                seen = generation;
                try {
                    pool.body.accept(part);
                } catch (Throwable t) {
                    pool.failure = t;
                } finally {
                    pool.pending.decrementAndGet();
                }
            }
        }
    }
}
