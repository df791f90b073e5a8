package dev.nabla.explain;

import dev.nabla.explain.check.CheckReport;
import dev.nabla.explain.check.ClaimChecker;
import dev.nabla.explain.check.ClaimsFile;
import dev.nabla.explain.check.Slip;
import dev.nabla.explain.check.Verdict;
import dev.nabla.explain.spec.JsonAt;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of slip, planted in claims about seed 004 (whose own claims are all right). */
class SlipDiagnosisTest {

    private static Map<String, Verdict> check(String claims) {
        ClaimsFile f = ClaimsFile.parse(JsonAt.parse("planted.claims.json", "{\"spec\": \"seed-004.json\", \"claims\": " + claims + "}"),
            name -> Examples.spec(name.replace(".json", "")));
        CheckReport r = ClaimChecker.check(f);
        return r.verdicts().stream().collect(Collectors.toMap(v -> v.claim().path().text(), v -> v));
    }

    @Test
    void eachSlipIsRecognized() {
        Map<String, Verdict> v = check("""
            {"gradients.0.weight[0][0]": "0.0034",
             "loss": "0.9832",
             "loss_after": "0.2329",
             "gradients.0.weight[0][1]": "-0.0050",
             "activations.1[0][0]": "0.0986",
             "activations.0[0][0]": "0.7777",
             "gradients.2.weight[0][0]": "-0.1029"}""");
        assertEquals(Slip.SIGN, v.get("gradients.0.weight[0][0]").slip());          // exact -0.0033631
        assertEquals(Slip.FACTOR_TWO, v.get("loss").slip());                        // 2 × 0.491612
        assertEquals(Slip.FACTOR_HALF, v.get("loss_after").slip());                 // 0.465712 / 2
        Verdict t = v.get("gradients.0.weight[0][1]");                              // the value of [1][0]
        assertEquals(Slip.MISPLACED, t.slip());
        assertTrue(t.explanation().contains("gradients.0.weight[1][0]") && t.explanation().contains("transposed"), t.explanation());
        Verdict m = v.get("activations.1[0][0]");                                   // the network output's value
        assertEquals(Slip.MISPLACED, m.slip());
        assertTrue(m.explanation().contains("output[0][0]") || m.explanation().contains("activations.2[0][0]"), m.explanation());
        assertEquals(Slip.WRONG, v.get("activations.0[0][0]").slip());
        assertTrue(v.get("gradients.2.weight[0][0]").right());
        assertFalse(v.get("gradients.2.weight[0][0]").lastDigitOff());
    }

    @Test
    void oneUnitInTheLastPlaceIsAllowedAndTwoAreNot() {
        // loss 0.4916119...: 0.4916 exact to 4 decimals, 0.4917 and 0.4915 one unit off, 0.4918 two
        Map<String, Verdict> v = check("{\"loss\": \"0.4917\", \"loss_after\": \"0.4659\", \"output[0][0]\": \"0.09859000\"}");
        assertTrue(v.get("loss").right());
        assertTrue(v.get("loss").lastDigitOff());
        assertFalse(v.get("loss_after").right());                                   // 0.465712: 0.4657, two units off
        assertTrue(v.get("output[0][0]").right());                                  // more decimals than needed: exact
    }

    @Test
    void claimsMayUseTheUnicodeMinusAndAnExponent() {
        Map<String, Verdict> v = check("{\"gradients.2.weight[0][1]\": \"\u22120.2060\", \"gradients.0.weight[2][1]\": \"1.80e-3\"}");
        assertTrue(v.get("gradients.2.weight[0][1]").right());
        assertTrue(v.get("gradients.0.weight[2][1]").right());
    }
}
