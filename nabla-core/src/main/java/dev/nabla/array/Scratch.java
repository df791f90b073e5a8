package dev.nabla.array;

/**
 * Per-thread scratch buffers for work that lives within one call on one thread (the image columns
 * of {@link Convolution}): the buffer is kept between calls instead of allocated each time, which is
 * what kept a small CNN's training step making megabytes of garbage. A buffer is valid until the
 * next request for the same element type on the same thread, so a caller takes at most one of each
 * type at a time and never lets it escape. Requests larger than {@link #MAX_KEPT} elements get a
 * fresh array that is not kept, so a thread never holds more than a few megabytes.
 */
final class Scratch {
    private Scratch() {}

    /** Most elements a thread keeps per type (4 MiB of floats, 8 MiB of doubles). */
    static final int MAX_KEPT = 1 << 20;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[1][0]);

    /** An array of at least n floats, contents undefined. */
    static float[] floats(int n) {
        if (n > MAX_KEPT) return new float[n];
        float[][] held = FLOATS.get();
        if (held[0].length < n) held[0] = new float[n];
        return held[0];
    }

    /** An array of at least n doubles, contents undefined. */
    static double[] doubles(int n) {
        if (n > MAX_KEPT) return new double[n];
        double[][] held = DOUBLES.get();
        if (held[0].length < n) held[0] = new double[n];
        return held[0];
    }
}
