package dev.nabla.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers of one epoch. Losses are means over the epoch's samples; the training loss and
 * accuracy are accumulated batch by batch while the weights change (as Keras reports them), the
 * validation ones are computed after the epoch with the weights it ended with. A value that does
 * not apply (no validation data, no accuracy for regression) is NaN.
 *
 * @param epoch         1 for the first epoch
 * @param lr            the learning rate during the epoch (of the optimizer's first group)
 * @param seconds       wall-clock time of the epoch, training and validation
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                           double lr, double seconds) {

    /** True when the run had validation data. */
    public boolean hasValidation() { return !Double.isNaN(valLoss); }

    /** The value early stopping and plateau schedules watch: the validation loss, else the training loss. */
    public double monitored() { return hasValidation() ? valLoss : trainLoss; }

    /** The fields as a JSON-ready map (NaN as null). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", (long) epoch);
        m.put("train_loss", orNull(trainLoss));
        m.put("train_accuracy", orNull(trainAccuracy));
        m.put("val_loss", orNull(valLoss));
        m.put("val_accuracy", orNull(valAccuracy));
        m.put("lr", orNull(lr));
        m.put("seconds", orNull(seconds));
        return m;
    }

    static EpochMetrics fromJson(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("epoch metrics: expected an object, found " + o);
        return new EpochMetrics((int) number(m, "epoch"), number(m, "train_loss"), number(m, "train_accuracy"), number(m, "val_loss"),
            number(m, "val_accuracy"), number(m, "lr"), number(m, "seconds"));
    }

    private static Object orNull(double v) { return Double.isFinite(v) ? v : null; }

    private static double number(Map<?, ?> m, String key) {
        if (!m.containsKey(key)) throw new IllegalArgumentException("epoch metrics: missing \"" + key + "\"");
        Object v = m.get(key);
        if (v == null) return Double.NaN;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("epoch metrics: \"" + key + "\" is " + v + ", expected a number");
    }
}
