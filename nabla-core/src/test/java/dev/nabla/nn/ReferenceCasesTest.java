package dev.nabla.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The 35 reference cases of shared/seeds/reference-cases.json (30 random, 5 exactly on a kink),
 * computed independently in float64: each network is built from Linear and activation modules,
 * and every number of the forward pass, the backward pass and one SGD step is compared.
 */
class ReferenceCasesTest {
    static final double RTOL = 1e-9, ATOL = 1e-13;

    static Stream<Arguments> cases() {
        JsonNode root = SpecRun.resource("reference-cases.json");
        List<Arguments> out = new ArrayList<>();
        for (String group : List.of("cases", "kink_convention_cases"))
            for (JsonNode c : root.get(group)) out.add(Arguments.of(c.get("id").asText(), c));
        return out.stream();
    }

    @Test
    void thereAre35Cases() {
        assertEquals(35, cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesEveryNumber(String id, JsonNode c) {
        SpecRun run = new SpecRun(c.get("spec")).run();
        JsonNode exp = c.get("expected");
        assertClose(exp.get("loss").asDouble(), run.lossValue.item(), id + " loss");
        assertClose(exp.get("output"), run.activations.getLast(), id + " output");
        for (int i = 0; i < run.activations.size(); i++) {
            assertClose(exp.get("activations").get(String.valueOf(i)), run.activations.get(i), id + " activations." + i);
            assertClose(c.get("extra").get("output_grads").get(String.valueOf(i)), run.activations.get(i).grad(), id + " deltas." + i);
        }
        var params = run.net.namedParameters();
        assertEquals(fieldNames(exp.get("gradients")), params.keySet().stream().sorted().toList(), id + " parameter names");
        params.forEach((name, p) -> assertClose(exp.get("gradients").get(name), p.grad(), id + " gradients." + name));

        run.sgdStep(c.get("spec").get("sgd").get("lr").asDouble());
        params.forEach((name, p) -> assertClose(exp.get("updated").get(name), Tensor.of(p.data()), id + " updated." + name));
        assertClose(exp.get("loss_after").asDouble(), run.lossOnly(), id + " loss_after");
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    static void assertClose(double expected, double actual, String what) {
        assertTrue(Double.isFinite(actual) && Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected),
            what + ": expected " + expected + ", got " + actual);
    }

    static void assertClose(JsonNode expected, Tensor actual, String what) {
        assertNotNull(actual, what + ": no value (no gradient reached it)");
        NdArray e = SpecRun.tensor(expected).data();
        if (expected.size() > 0 && expected.get(0).isArray() || actual.rank() == 1)
            assertArrayEquals(e.shape(), actual.shape(), what + ": shape");
        double[] ev = e.toDoubleArray(), av = actual.data().toDoubleArray();
        assertEquals(ev.length, av.length, what + ": size");
        for (int i = 0; i < ev.length; i++) assertClose(ev[i], av[i], what + " element " + i);
    }
}
