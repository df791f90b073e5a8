package dev.nabla.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.explain.check.CheckReport;
import dev.nabla.explain.check.Claim;
import dev.nabla.explain.check.ClaimChecker;
import dev.nabla.explain.check.ClaimsFile;
import dev.nabla.explain.check.Slip;
import dev.nabla.explain.check.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeds' own claims: which are wrong follows from the rule (agree with the exact value rounded to
 * the printed decimals, one unit in the last place allowed) applied here, independently, to the exact
 * values of worked-examples.json.
 */
class ClaimCheckTest {

    /** The exact output of an example as worked-examples.json gives it, deltas included. */
    static ObjectNode exactTree(String example) throws IOException {
        JsonNode ex = WorkedExamplesTest.example(example);
        ObjectNode t = ((ObjectNode) ex.get("expected")).deepCopy();
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        if (example.equals("seed-003")) {
            JsonNode im = ex.get("exact_intermediates");
            d.set("0", WorkedExamplesTest.row(im.get("delta_hidden = dE/dz_h")));
            d.set("1", WorkedExamplesTest.row(im.get("dE/dh")));
            d.set("2", WorkedExamplesTest.row(im.get("delta_out = dE/dz_theta")));
            d.set("3", WorkedExamplesTest.row(im.get("dE/dtheta")));
        } else {
            JsonNode im = ex.get("exact_intermediates_seed_layout");
            d.set("0", WorkedExamplesTest.transpose(im.get("Delta_1")));
            d.set("2", WorkedExamplesTest.transpose(im.get("Delta_out")));
        }
        t.set("deltas", d);
        return t;
    }

    /** The rule, written out independently of the checker. */
    static boolean rightByRule(String claimed, double exact) {
        BigDecimal c = new BigDecimal(claimed);
        BigDecimal r = new BigDecimal(exact).setScale(c.scale(), RoundingMode.HALF_UP);
        return c.subtract(r).abs().compareTo(BigDecimal.ONE.movePointLeft(c.scale())) <= 0;
    }

    static Set<String> wrongByRule(ClaimsFile f, JsonNode exact) {
        Set<String> wrong = new TreeSet<>();
        for (Claim c : f.claims()) {
            double e = c.path().valueIn(exact);
            assertFalse(Double.isNaN(e), "worked-examples.json has no value for " + c.path());
            if (!rightByRule(c.text(), e)) wrong.add(c.path().text());
        }
        return wrong;
    }

    @Test
    void seed003WrongClaimsAreTheSignSlipAndTheRoundingDrift() throws IOException {
        ClaimsFile f = ClaimsFile.example("seed-003");
        Set<String> expectedWrong = wrongByRule(f, exactTree("seed-003"));
        // the catalog's list (C28): z_theta and the eight hidden-layer gradients
        assertEquals(new TreeSet<>(Set.of("activations.2[0][0]", "gradients.0.weight[0][0]", "gradients.0.weight[0][1]",
            "gradients.0.weight[0][2]", "gradients.0.weight[1][0]", "gradients.0.weight[1][1]", "gradients.0.weight[1][2]",
            "gradients.0.bias[0]", "gradients.0.bias[1]")), expectedWrong);

        CheckReport report = ClaimChecker.check(f);
        Set<String> found = report.wrong().stream().map(v -> v.claim().path().text()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expectedWrong, found);
        assertFalse(report.allRight());
        for (Verdict v : report.wrong()) {
            Slip want = v.claim().path().text().equals("gradients.0.weight[0][0]") ? Slip.SIGN : Slip.ROUNDING_DRIFT;
            assertEquals(want, v.slip(), v.claim().name() + ": " + v.explanation());
        }
        // h1 = 0.6767 against the exact 0.676646 (0.6766 rounded): one unit in the last place, allowed
        Verdict h1 = report.verdicts().stream().filter(v -> v.claim().name().equals("h1")).findFirst().orElseThrow();
        assertTrue(h1.right());
        assertTrue(h1.lastDigitOff());
        String table = report.render();
        assertTrue(table.contains("dE/dw1") && table.contains("sign slip") && table.contains("rounding drift"), table);
    }

    @Test
    void seed004EveryClaimIsRight() throws IOException {
        ClaimsFile f = ClaimsFile.example("seed-004");
        assertEquals(Set.of(), wrongByRule(f, exactTree("seed-004")));
        CheckReport report = ClaimChecker.check(f);
        assertTrue(report.allRight(), report.render());
        assertEquals(64, report.verdicts().size());
    }
}
