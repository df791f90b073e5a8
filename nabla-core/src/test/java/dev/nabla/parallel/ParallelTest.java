package dev.nabla.parallel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    private static final int SAVED = Parallel.threads();

    @AfterAll
    static void restore() { Parallel.setThreads(SAVED); }

    @Test
    void everyTaskRunsExactlyOnce() {
        Parallel.setThreads(3);
        for (int round = 0; round < 300; round++) {
            int tasks = 1 + round % 17;
            AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
            Parallel.forEach(tasks, hits::incrementAndGet);
            for (int t = 0; t < tasks; t++) assertEquals(1, hits.get(t), "task " + t + " of " + tasks + " in round " + round);
        }
    }

    @Test
    void tasksRunOnMoreThanOneThread() {
        Parallel.setThreads(2);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 200 && seen.size() < 2; round++)
            Parallel.forEach(8, t -> {
                seen.add(Thread.currentThread());
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
            });
        assertEquals(2, seen.size(), "only " + seen + " ran tasks");
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStillWorks() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(6, t -> {
            if (t == 3) throw new IllegalStateException("task three failed");
        }));
        assertEquals("task three failed", e.getMessage());
        AtomicIntegerArray hits = new AtomicIntegerArray(5);
        Parallel.forEach(5, hits::incrementAndGet);
        for (int t = 0; t < 5; t++) assertEquals(1, hits.get(t));
    }

    @Test
    void nestedLoopsRunOnTheCallingThread() {
        Parallel.setThreads(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(12);
        Parallel.forEach(4, p -> Parallel.forEach(3, q -> inner.incrementAndGet(p * 3 + q)));
        for (int i = 0; i < 12; i++) assertEquals(1, inner.get(i), "inner task " + i);
    }

    @Test
    void loopsFromSeveralUserThreadsAtOnceAllComplete() throws InterruptedException {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(4 * 50);
        Thread[] users = new Thread[4];
        for (int u = 0; u < users.length; u++) {
            int base = u * 50;
            users[u] = new Thread(() -> {
                for (int r = 0; r < 50; r++) { int at = base + r; Parallel.forEach(3, t -> { if (t == 0) hits.incrementAndGet(at); }); }
            });
            users[u].start();
        }
        for (Thread t : users) t.join();
        for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i), "loop " + i);
    }

    @Test
    void aBadThreadCountIsRejectedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
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

    @Test
    void forRangeCoversEveryIndexOnceInAlignedRanges() {
        Parallel.setThreads(3);
        for (int n : new int[] {0, 1, 99, 100, 199, 200, 201, 1000, 4099, 100_003}) {
            int[] hits = new int[n];
            java.util.List<int[]> ranges = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Parallel.forRange(n, 100, 16, (from, to) -> {
                ranges.add(new int[] {from, to});
                for (int i = from; i < to; i++) hits[i]++;
            });
            for (int i = 0; i < n; i++) assertEquals(1, hits[i], "index " + i + " of " + n);
            for (int[] r : ranges) {
                assertTrue(r[0] < r[1], "empty range " + java.util.Arrays.toString(r) + " of " + n);
                assertEquals(0, r[0] % 16, "range " + java.util.Arrays.toString(r) + " of " + n + " starts unaligned");
            }
            if (n < 200) assertEquals(n == 0 ? 0 : 1, ranges.size(), "n = " + n + " is below two grains: one call");
            else assertTrue(ranges.size() > 1 && ranges.size() <= 12, ranges.size() + " ranges for n = " + n);
        }
    }

    @Test
    void forRangeRejectsABadGrainOrAlignment() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(10, 0, 1, (a, b) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(10, 1, 0, (a, b) -> {}));
    }
}
