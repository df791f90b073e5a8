package dev.nabla.explain.compute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.array.DType;
import dev.nabla.array.NdArray;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The output object of docs/spec-format.md for a {@link GradResult}: loss, output, activations and deltas by
 * layer index, gradients (and updated, loss_after with sgd) by parameter name. Numbers are written
 * with every digit (the shortest text that reads back to the same float64, or float32 for a float32
 * spec). Claims are addressed by paths into this tree.
 */
public final class ResultJson {
    private ResultJson() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static ObjectNode toTree(GradResult r) {
        boolean f32 = r.spec().dtype() == DType.FLOAT32;
        ObjectNode o = F.objectNode();
        o.set("loss", number(r.loss(), f32));
        o.set("output", array(r.output(), f32));
        o.set("activations", byLayer(r.activations(), f32));
        o.set("deltas", byLayer(r.deltas(), f32));
        o.set("gradients", byName(r.gradients(), f32));
        if (r.hasUpdate()) {
            o.set("updated", byName(r.updated(), f32));
            o.set("loss_after", number(r.lossAfter(), f32));
        }
        return o;
    }

    /** The tree as indented JSON text, with each innermost row on one line. */
    public static String write(GradResult r) { return write(toTree(r)); }

    public static String write(JsonNode tree) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        pp.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
        try {
            return MAPPER.writer(pp).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode byLayer(List<NdArray> arrays, boolean f32) {
        ObjectNode o = F.objectNode();
        for (int i = 0; i < arrays.size(); i++) o.set(String.valueOf(i), array(arrays.get(i), f32));
        return o;
    }

    private static ObjectNode byName(Map<String, NdArray> arrays, boolean f32) {
        ObjectNode o = F.objectNode();
        arrays.forEach((k, v) -> o.set(k, array(v, f32)));
        return o;
    }

    /** An array as nested JSON arrays of float64 numbers. */
    public static JsonNode toJson(NdArray a) { return array(a, false); }

    /** A 1-d or 2-d array as nested JSON arrays. */
    static JsonNode array(NdArray a, boolean f32) {
        if (a.rank() == 0) return number(a.item(), f32);
        ArrayNode out = F.arrayNode();
        for (int i = 0; i < a.size(0); i++)
            out.add(a.rank() == 1 ? number(a.get(i), f32) : array(a.select(0, i), f32));
        return out;
    }

    private static JsonNode number(double v, boolean f32) {
        return f32 ? F.numberNode((float) v) : F.numberNode(v);
    }
}
