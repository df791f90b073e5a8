package dev.nabla.autograd;

/**
 * Whether operations record a graph on this thread. {@link Tensor#noGrad()} opens a scope in which
 * they do not:
 * <pre>{@code
 * try (var ignored = Tensor.noGrad()) {
 *     Tensor prediction = model.forward(x);   // no graph, no saved inputs
 * }
 * }</pre>
 */
public final class GradMode {
    private GradMode() {}

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Sets the mode and returns a scope that restores the previous one when closed. */
    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return new Scope(cell, previous);
    }

    /** A scope opened by {@link #set}; closing it restores the previous mode. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) { cell[0] = previous; closed = true; }
        }
    }
}
