package dev.nabla.optim;

/**
 * The hyper-parameters of one optimizer, as an immutable record ({@link SGD.Options},
 * {@link Adam.Options}, ...). Every optimizer has a learning rate, which schedules change through
 * {@link #withLr}; the other values are fixed for the life of a {@link ParamGroup}.
 *
 * @param <O> the record type itself, so that {@code withLr} returns the same kind of options
 */
public interface Hyperparameters<O extends Hyperparameters<O>> {
    /** The learning rate η. */
    double lr();

    /** A copy with another learning rate (validated like the constructor). */
    O withLr(double lr);
}
