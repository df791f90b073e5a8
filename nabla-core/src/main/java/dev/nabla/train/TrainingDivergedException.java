package dev.nabla.train;

/** The loss became NaN or infinite: the run cannot go on (a learning rate too high is the usual cause). */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) { super(message); }
}
