package dev.nabla.explain.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.explain.Numbers;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.ResultJson;
import dev.nabla.explain.compute.RoundedPass;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks claimed numbers against the exact ones and says, for each wrong one, what kind of slip it
 * looks like.
 *
 * <p>The rule: a claim printed with d decimals is right when it differs from the exact value rounded
 * to d decimals by at most one unit in the last place (10^−d).
 *
 * <p>A wrong claim is diagnosed by trying, in order: rounding drift (the claim is near the exact
 * value, within 10 %, and agrees by the same rule with a pass recomputed the way a hand calculation
 * goes, its intermediate quantities rounded to 2, 3 or 4 decimals, see {@link RoundedPass}); a
 * flipped sign, a factor of 2 or of ½ (the claim agrees with −v, 2v or v/2 for v the exact value or
 * a rounded recomputation's value); a transposed or mislabelled entry (it agrees with the exact
 * value of another entry of the output, the transposed one first); and otherwise plainly wrong.
 */
public final class ClaimChecker {
    private ClaimChecker() {}

    /** Decimals tried for the rounded recomputations. */
    static final int[] DECIMALS = {2, 3, 4};

    /** A set of numbers to compare a claim with: the exact pass or a rounded recomputation. */
    private record Reference(String description, JsonNode tree) {}

    public static CheckReport check(ClaimsFile file) {
        NetworkSpec spec = file.spec();
        JsonNode exact = ResultJson.toTree(Backprop.run(spec));
        for (Claim c : file.claims()) {
            String problem = c.path().problem(exact, spec);
            if (problem != null) throw new SpecError(file.file(), c.where(), problem);
        }
        List<Reference> rounded = null;
        List<Verdict> verdicts = new ArrayList<>();
        for (Claim c : file.claims()) {
            double e = c.path().valueIn(exact);
            if (agrees(c, e)) {
                verdicts.add(new Verdict(c, e, true, !equalsRounded(c, e), null, null));
                continue;
            }
            if (rounded == null) rounded = roundedPasses(spec);
            verdicts.add(diagnose(c, e, exact, rounded, file));
        }
        return new CheckReport(file, verdicts);
    }

    /** |claim − round(v, d)| ≤ 10^−d, d the claim's decimals. */
    public static boolean agrees(Claim c, double v) {
        if (!Double.isFinite(v)) return false;
        BigDecimal r = new BigDecimal(v).setScale(c.decimals(), RoundingMode.HALF_UP);
        return c.value().subtract(r).abs().compareTo(c.ulp()) <= 0;
    }

    private static boolean equalsRounded(Claim c, double v) {
        return c.value().compareTo(new BigDecimal(v).setScale(c.decimals(), RoundingMode.HALF_UP)) == 0;
    }

    private static List<Reference> roundedPasses(NetworkSpec spec) {
        List<Reference> refs = new ArrayList<>();
        for (RoundedPass.Scheme s : RoundedPass.Scheme.values())
            for (int d : DECIMALS)
                refs.add(new Reference("the value one gets by carrying " + s.description() + " rounded to " + d + " decimals through the chain",
                    ResultJson.toTree(RoundedPass.run(spec, d, s))));
        return refs;
    }

    private static Verdict diagnose(Claim c, double e, JsonNode exact, List<Reference> rounded, ClaimsFile file) {
        double claimed = c.value().doubleValue();
        boolean near = Math.abs(claimed - e) <= 0.1 * Math.abs(e) + c.ulp().doubleValue();
        if (near) {
            for (Reference r : rounded) {
                double v = c.path().valueIn(r.tree);
                if (agrees(c, v))
                    return wrong(c, e, Slip.ROUNDING_DRIFT, "near the exact value (off by " + percent(claimed, e)
                        + "), and equal to " + r.description + " (" + Numbers.format(v) + ")");
            }
        }
        List<Reference> refs = new ArrayList<>();
        refs.add(new Reference("the exact value", exact));
        refs.addAll(rounded);
        for (Reference r : refs) {
            double v = c.path().valueIn(r.tree);
            String of = r.description + " (" + Numbers.format(v) + ")";
            if (agrees(c, -v)) return wrong(c, e, Slip.SIGN, "with its sign flipped it equals " + of);
            if (agrees(c, 2 * v)) return wrong(c, e, Slip.FACTOR_TWO, "it is twice " + of);
            if (agrees(c, v / 2)) return wrong(c, e, Slip.FACTOR_HALF, "it is half " + of);
        }
        if (c.value().signum() != 0) {
            ClaimPath other = otherEntry(c, exact);
            if (other != null) {
                String label = labelOf(other, file);
                boolean transposed = other.equals(c.path().transposed());
                return wrong(c, e, Slip.MISPLACED, "it is the exact value of " + other.text()
                    + (label != null ? " (" + label + ")" : "") + ", " + Numbers.format(other.valueIn(exact))
                    + (transposed ? ": the transposed entry" : ": another entry of the output"));
            }
        }
        return wrong(c, e, Slip.WRONG, "off by " + Numbers.format(claimed - e, 3) + " (" + percent(claimed, e)
            + "); no flipped sign, factor of 2, other entry or rounding of intermediates explains it");
    }

    /** Another output entry whose exact value the claim agrees with: the transposed one, then the same array, then any. */
    private static ClaimPath otherEntry(Claim c, JsonNode exact) {
        ClaimPath t = c.path().transposed();
        if (t != null && !t.equals(c.path()) && agrees(c, t.valueIn(exact))) return t;
        ClaimPath sameArray = null, any = null;
        for (ClaimPath p : ClaimPath.leaves(exact)) {
            if (p.equals(c.path()) || !agrees(c, p.valueIn(exact))) continue;
            if (p.sameArray(c.path()) && sameArray == null) sameArray = p;
            if (any == null) any = p;
        }
        return sameArray != null ? sameArray : any;
    }

    private static String labelOf(ClaimPath p, ClaimsFile file) {
        for (Claim c : file.claims()) if (c.path().equals(p)) return c.label();
        return null;
    }

    private static String percent(double claimed, double exact) {
        if (exact == 0) return "exact value 0";
        return Numbers.format(100 * Math.abs(claimed - exact) / Math.abs(exact), 2) + " %";
    }

    private static Verdict wrong(Claim c, double e, Slip slip, String why) {
        return new Verdict(c, e, false, false, slip, why);
    }
}
