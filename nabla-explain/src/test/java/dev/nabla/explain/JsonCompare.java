package dev.nabla.explain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Compares an expected JSON tree of numbers with an actual one, to a relative tolerance. */
public final class JsonCompare {
    private JsonCompare() {}

    /**
     * The differences between expected and actual: every number of expected must be matched by the
     * number at the same place in actual with |a − e| ≤ rel·max(|e|, |a|) + abs. Objects in actual
     * may hold more keys than expected. Returns one line per mismatch (empty when they agree).
     */
    public static List<String> differences(JsonNode expected, JsonNode actual, double rel, double abs) {
        List<String> out = new ArrayList<>();
        walk("", expected, actual, rel, abs, out);
        return out;
    }

    private static void walk(String path, JsonNode e, JsonNode a, double rel, double abs, List<String> out) {
        if (a == null || a.isMissingNode()) { out.add(path + ": missing"); return; }
        if (e.isNumber()) {
            if (!a.isNumber()) { out.add(path + ": expected a number, got " + a); return; }
            double x = e.doubleValue(), y = a.doubleValue();
            if (!(Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) + abs))
                out.add(path + ": expected " + x + ", got " + y);
        } else if (e.isArray()) {
            if (!a.isArray() || a.size() != e.size()) { out.add(path + ": expected an array of " + e.size() + ", got " + a); return; }
            for (int i = 0; i < e.size(); i++) walk(path + "[" + i + "]", e.get(i), a.get(i), rel, abs, out);
        } else if (e.isObject()) {
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                walk(path.isEmpty() ? k : path + "." + k, e.get(k), a.get(k), rel, abs, out);
            }
        } else if (!e.equals(a)) {
            out.add(path + ": expected " + e + ", got " + a);
        }
    }
}
