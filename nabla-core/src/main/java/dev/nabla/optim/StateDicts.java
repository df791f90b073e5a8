package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Helpers for state dicts made of 0-d float64 scalars and small vectors, with clear errors. */
final class StateDicts {
    private StateDicts() {}

    static NdArray scalar(double value) { return NdArray.scalar(DType.FLOAT64, value); }

    static NdArray vector(double[] values) { return NdArray.of(values.clone(), values.length); }

    /** The value of a one-element entry. */
    static double scalar(String op, String key, NdArray a) {
        if (a == null) throw new IllegalArgumentException(op + ": entry '" + key + "' is null");
        if (a.numel() != 1) throw new IllegalArgumentException(op + ": entry '" + key + "' must be a scalar, got shape " + Shapes.str(a.shape()));
        return a.item();
    }

    /** A whole, non-negative number held as a scalar entry (a step count). */
    static long count(String op, String key, NdArray a) {
        double v = scalar(op, key, a);
        if (!(v >= 0) || v != Math.rint(v) || v > (double) (1L << 53))
            throw new IllegalArgumentException(op + ": entry '" + key + "' must be a non-negative whole number, got " + v);
        return (long) v;
    }

    /** Checks that the state has exactly the given keys. */
    static void requireKeys(String op, Map<String, NdArray> state, List<String> keys) {
        if (state == null) throw new IllegalArgumentException(op + ": state must not be null");
        for (String k : keys)
            if (!state.containsKey(k)) throw new IllegalArgumentException(op + ": missing entry '" + k + "'");
        for (String k : new TreeSet<>(state.keySet()))
            if (!keys.contains(k)) throw new IllegalArgumentException(op + ": unexpected entry '" + k + "' (expected " + String.join(", ", keys) + ")");
    }
}
