package dev.nabla.parallel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    private static final int SAVED = Parallel.threads();

    @AfterAll
    static void restore() { Parallel.setThreads(SAVED); }

    @Test
    void everyPartRunsOnceAndTheCallerRunsPartZero() {
        Parallel.setThreads(3);
        for (int round = 0; round < 200; round++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(3);
            AtomicReference<Thread> zero = new AtomicReference<>();
            Parallel.run(3, p -> { hits.incrementAndGet(p); if (p == 0) zero.set(Thread.currentThread()); });
            for (int p = 0; p < 3; p++) assertEquals(1, hits.get(p), "part " + p + " in round " + round);
            assertEquals(Thread.currentThread(), zero.get());
        }
    }

    @Test
    void partsRunOnOtherThreads() {
        Parallel.setThreads(2);
        AtomicReference<Thread> one = new AtomicReference<>();
        Parallel.run(2, p -> { if (p == 1) one.set(Thread.currentThread()); });
        assertNotSame(Thread.currentThread(), one.get());
    }

    @Test
    void aFailingPartIsRethrownAfterAllFinish() {
        Parallel.setThreads(2);
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(2, p -> {
            done.set(p, 1);
            if (p == 1) throw new IllegalStateException("part one failed");
        }));
        assertEquals("part one failed", e.getMessage());
        assertEquals(1, done.get(0));
        // the pool still works afterwards
        AtomicIntegerArray hits = new AtomicIntegerArray(2);
        Parallel.run(2, hits::incrementAndGet);
        assertEquals(1, hits.get(1));
    }

    @Test
    void nestedCallsRunOnTheCallingThread() {
        Parallel.setThreads(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(4);
        Parallel.run(2, p -> Parallel.run(2, q -> inner.incrementAndGet(p * 2 + q)));
        for (int i = 0; i < 4; i++) assertEquals(1, inner.get(i), "inner part " + i);
    }

    @Test
    void tooManyPartsOrThreadsAreRejectedWithAMessage() {
        Parallel.setThreads(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.run(3, p -> {}));
        assertTrue(e.getMessage().contains("3 parts for a pool of 2 threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @Test
    void threadCountComesFromTheSystemProperty() {
        String old = System.getProperty("nabla.threads");
        try {
            System.setProperty("nabla.threads", "3");
            assertEquals(3, Parallel.configuredThreads());
            System.setProperty("nabla.threads", "two");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Parallel::configuredThreads);
            assertTrue(e.getMessage().contains("nabla.threads") && e.getMessage().contains("'two'"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("nabla.threads"); else System.setProperty("nabla.threads", old);
        }
    }
}
