package dev.nabla.optim;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's options record read and rebuilt field by field, for state dicts: the fields other
 * than the learning rate, under PyTorch-style names (weightDecay is {@code weight_decay}), as numbers
 * (a boolean as 0 or 1). Options that are not a record of double, int, long and boolean fields have no
 * such fields here (their learning rate is still saved and restored).
 */
final class OptionFields {
    private OptionFields() {}

    /** The fields other than lr, by state-dict name, in the record's order. */
    static Map<String, Double> of(Hyperparameters<?> options) {
        Map<String, Double> out = new LinkedHashMap<>();
        RecordComponent[] components = components(options);
        if (components == null) return out;
        for (RecordComponent c : components) {
            if (c.getName().equals("lr")) continue;
            Object v;
            try {
                v = c.getAccessor().invoke(options);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new LinkedHashMap<>();
            }
            out.put(snake(c.getName()), v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue());
        }
        return out;
    }

    /**
     * The options with some fields replaced, through the record's constructor (which validates them).
     * An error names the entry: {@code prefix + name}.
     */
    static Hyperparameters<?> with(Hyperparameters<?> options, Map<String, Double> values, String op, String prefix) {
        if (values.isEmpty()) return options;
        RecordComponent[] components = components(options);
        if (components == null) throw new IllegalStateException(op + ": " + options.getClass().getName() + " has no named fields");
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                args[i] = c.getAccessor().invoke(options);
                Double v = values.get(snake(c.getName()));
                if (v == null) continue;
                String key = "'" + prefix + snake(c.getName()) + "'";
                if (types[i] == boolean.class) {
                    if (v != 0 && v != 1) throw new IllegalArgumentException(op + ": entry " + key + " must be 0 or 1 (false or true), got " + v);
                    args[i] = v == 1;
                } else if (types[i] == int.class || types[i] == long.class) {
                    if (v != Math.rint(v) || Math.abs(v) > (types[i] == int.class ? Integer.MAX_VALUE : 1L << 53))
                        throw new IllegalArgumentException(op + ": entry " + key + " must be a whole number, got " + v);
                    args[i] = types[i] == int.class ? (Object) (int) (double) v : (Object) (long) (double) v;
                } else {
                    args[i] = v;
                }
            }
            Constructor<?> ctor = options.getClass().getDeclaredConstructor(types);
            return (Hyperparameters<?>) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(op + ": the entries under '" + prefix + "' do not make valid options: "
                + (cause == null ? e : cause.getMessage()), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(op + ": cannot rebuild " + options.getClass().getName() + ": " + e, e);
        }
    }

    /** The record's components when every one is a double, int, long or boolean; else null. */
    private static RecordComponent[] components(Hyperparameters<?> options) {
        RecordComponent[] components = options.getClass().getRecordComponents();
        if (components == null) return null;
        for (RecordComponent c : components) {
            Class<?> t = c.getType();
            if (t != double.class && t != int.class && t != long.class && t != boolean.class) return null;
        }
        return components;
    }

    /** weightDecay → weight_decay. */
    static String snake(String name) {
        StringBuilder sb = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
            else sb.append(ch);
        }
        return sb.toString();
    }
}
