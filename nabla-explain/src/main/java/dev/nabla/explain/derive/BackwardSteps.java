package dev.nabla.explain.derive;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Op;
import dev.nabla.explain.Numbers;
import dev.nabla.explain.compute.GradResult;
import dev.nabla.explain.compute.SpecModel;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.LossSpec;
import dev.nabla.explain.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The backward half of a {@link Derivation}: the error signal at the output, then, layer by layer
 * from the last, each error signal as a chain-rule product of its factors and each parameter
 * gradient, with the numbers of the computed pass.
 */
final class BackwardSteps {
    private final GradResult r;
    private final NetworkSpec spec;
    private final Symbols s;
    private final SpecModel model;
    private final GradResult dataOnly;
    private final List<Step> steps;
    private final int n;

    /** dataOnly: the pass without the L2 penalty (the same as r when there is none); steps are appended to. */
    BackwardSteps(GradResult r, Symbols s, SpecModel model, GradResult dataOnly, List<Step> steps) {
        this.r = r;
        this.spec = r.spec();
        this.s = s;
        this.model = model;
        this.dataOnly = dataOnly;
        this.steps = steps;
        this.n = spec.batchSize();
    }

    void outputGradient() {
        LossSpec loss = spec.loss();
        int last = spec.layers().size() - 1;
        double c = loss.scale() / loss.divisor(n, spec.outputSize());
        List<Step.Line> lines = new ArrayList<>();
        lines.add(new Step.Prose("Backpropagation starts from the derivative of the loss with respect to each output entry."
            + (c != 1 ? " The factor " + Numbers.format(c) + " is the scale " + Numbers.format(loss.scale())
                + " divided by " + Numbers.format(loss.divisor(n, spec.outputSize())) + " (the reduction)." : "")));
        List<Formula> rhs = new ArrayList<>();
        Formula d = LossFormulas.derivative(loss);
        rhs.add(c != 1 ? Formula.num(c).dot(d) : d);
        if (loss.type() == LossSpec.Type.SQUARED_ERROR) {
            Formula diff = Formula.mat(r.output()).minus(Formula.mat(model.target().data()));
            Formula two = Formula.num(2).dot(diff.paren());
            rhs.add(c != 1 ? Formula.num(c).dot(two) : two);
        }
        rhs.add(Formula.mat(r.deltas().get(last)));
        lines.add(new Step.Equation(Formula.partial(s.loss(), s.output()), rhs, "deltas." + last));
        steps.add(new Step("Backward: the error signal at the output", lines));
    }

    /** The backward step through layer i. */
    void layer(int i) {
        LayerSpec l = spec.layers().get(i);
        switch (l) {
            case LayerSpec.Activation a -> backwardActivation(i, a);
            case LayerSpec.Linear lin -> backwardLinear(i, lin);
        }
    }

    /** The error signal arriving at layer i's input: δ_t when that input is a linear layer's output. */
    private Formula inputGradSymbol(int i) {
        if (i == 0) return Formula.partial(s.loss(), s.input());
        Formula g = s.grad(i - 1);
        if (spec.layers().get(i - 1) instanceof LayerSpec.Linear) {
            Formula dl = s.delta(i - 1);
            return Formula.of(dl.text() + " = " + g.text(), dl.latex() + " = " + g.latex());
        }
        return g;
    }

    private NdArray inputGrad(int i) { return i == 0 ? r.inputGrad() : r.deltas().get(i - 1); }

    private String inputNote(int i) { return i == 0 ? null : "deltas." + (i - 1); }

    private void backwardActivation(int i, LayerSpec.Activation a) {
        List<Step.Line> lines = new ArrayList<>();
        NdArray g = r.deltas().get(i), out = r.activations().get(i), result = inputGrad(i);
        NdArray in = i == 0 ? NdArray.fromNested(spec.dtype(), spec.input()) : r.activations().get(i - 1);
        Formula zi = s.in(i), ai = s.out(i);
        String title = "Backward, layer " + i + ": through the " + ActivationFormulas.words(a.kind()) + Derivation.named(a);
        switch (a.kind()) {
            case IDENTITY -> lines.add(new Step.Equation(inputGradSymbol(i), List.of(s.grad(i), Formula.mat(result)), inputNote(i)));
            case SOFTMAX -> {
                lines.add(new Step.Prose("Softmax mixes the entries of a row, so its Jacobian s_i(δ_ij − s_j) is not diagonal; "
                    + "applied to the incoming error signal g it gives a ⊙ (g − Σ_j g_j a_j) for each row."));
                NdArray dot = g.mul(out).sum(true, 1);
                Formula sdot = Formula.of("s", "s");
                lines.add(new Step.Equation(sdot, List.of(Formula.sum("j", Formula.of("(∂L/∂a)_j a_j", "\\left(\\frac{\\partial L}{\\partial a}\\right)_j a_j")),
                    Formula.mat(dot)), null));
                lines.add(new Step.Equation(inputGradSymbol(i), List.of(ai.odot(s.grad(i).minus(sdot)),
                    Formula.mat(out).odot(Formula.mat(g).minus(Formula.mat(dot))), Formula.mat(result)), inputNote(i)));
                lines.add(Derivation.rule(ActivationFormulas.op(a.kind())));
            }
            default -> {
                NdArray slope = r.slopes().get(i);
                Formula fprime = Formula.of(ActivationFormulas.symbol(a.kind()).text() + "′(" + zi.text() + ")",
                    ActivationFormulas.symbol(a.kind()).latex() + "'\\left(" + zi.latex() + "\\right)");
                lines.add(new Step.Prose("The local derivative of the " + ActivationFormulas.words(a.kind()) + ", entry by entry:"));
                lines.add(new Step.Equation(fprime, List.of(ActivationFormulas.slope(a.kind(), zi, ai), Formula.mat(slope)), null));
                lines.add(new Step.Prose("Chain rule: the error signal at the input is the one at the output times the local derivative."));
                lines.add(new Step.Equation(inputGradSymbol(i), List.of(s.grad(i).odot(fprime),
                    Formula.mat(g).odot(Formula.mat(slope)), Formula.mat(result)), inputNote(i)));
                if (n == 1 && g.size(1) <= Derivation.SMALL_IN) {
                    for (int j = 0; j < g.size(1); j++) {
                        Formula lhs = i > 0 && spec.layers().get(i - 1) instanceof LayerSpec.Linear ? s.delta(i - 1).at(j)
                            : Formula.partial(s.loss(), zi.at(j));
                        lines.add(new Step.Equation(lhs, List.of(ActivationFormulas.slopeProduct(a.kind(), g.get(0, j), in.get(0, j), out.get(0, j)),
                            Formula.num(result.get(0, j))), null));
                    }
                }
                lines.add(Derivation.rule(ActivationFormulas.op(a.kind())));
            }
        }
        steps.add(new Step(title, lines));
    }

    private void backwardLinear(int i, LayerSpec.Linear lin) {
        List<Step.Line> lines = new ArrayList<>();
        NdArray delta = r.deltas().get(i);
        NdArray in = i == 0 ? NdArray.fromNested(spec.dtype(), spec.input()) : r.activations().get(i - 1);
        NdArray w = r.parameters().get(i + ".weight");
        Formula d = s.delta(i);
        int last = spec.layers().size() - 1;
        lines.add(new Step.Prose(d.text() + " = ∂L/∂" + s.out(i).text() + " is known " + (i == last ? "(the output's error signal)" : "from the step before")
            + "; the layer's parameters get their gradients from it, and the error signal moves on to the layer's input."));
        lines.add(new Step.Equation(d, List.of(Formula.mat(delta)), "deltas." + i));

        NdArray gW = r.gradients().get(i + ".weight"), gWdata = dataOnly.gradients().get(i + ".weight");
        Formula sym = d.t().times(s.in(i));
        Formula nums = Formula.mat(delta).t().times(Formula.mat(in));
        List<Formula> rhs = new ArrayList<>();
        if (spec.l2() != 0) {
            Formula two = Formula.of("2λ", "2\\lambda").times(s.weight(i));
            rhs.add(sym.plus(two));
            rhs.add(nums.plus(Formula.num(2 * spec.l2()).dot(Formula.mat(w))));
            rhs.add(Formula.mat(gWdata).plus(Formula.mat(gW.sub(gWdata))));
        } else {
            rhs.add(sym);
            rhs.add(nums);
        }
        rhs.add(Formula.mat(gW));
        lines.add(new Step.Equation(Formula.partial(s.loss(), s.weight(i)), rhs, "gradients." + i + ".weight"));
        int out = lin.outFeatures(), inF = lin.inFeatures();
        boolean entries = (n == 1 && out * inF <= 12) || (n <= 4 && out * inF <= 9);
        if (entries) {
            lines.add(new Step.Prose(n == 1 ? "Entry by entry, ∂L/∂W[j][k] = δ[j] · (input)[k]" + (spec.l2() != 0 ? " (data term)" : "") + ":"
                : "Entry by entry, a sum over the samples n" + (spec.l2() != 0 ? " (data term)" : "") + ":"));
            for (int j = 0; j < out; j++)
                for (int k = 0; k < inF; k++) {
                    List<Formula> va = new ArrayList<>();
                    for (int m = 0; m < n; m++) va.add(Derivation.product(delta.get(m, j), in.get(m, k)));
                    Formula symbolic = n == 1 ? d.at(j).times(s.in(i).at(k))
                        : Formula.sum("n", Formula.of(d.text() + "[n][" + j + "] " + s.in(i).text() + "[n][" + k + "]",
                            d.latex() + "[n][" + j + "]\\, " + s.in(i).latex() + "[n][" + k + "]"));
                    lines.add(new Step.Equation(Formula.partial(s.loss(), s.weight(i).at(j, k)),
                        List.of(symbolic, Formula.joinPlus(va), Formula.num(gWdata.get(j, k))), null));
                }
        }
        if (lin.hasBias()) {
            NdArray gb = r.gradients().get(i + ".bias");
            List<Formula> brhs = new ArrayList<>();
            brhs.add(n == 1 ? d : Formula.sum("n", Formula.of(d.text() + "[n]", d.latex() + "[n]")));
            brhs.add(Formula.mat(gb));
            lines.add(new Step.Equation(Formula.partial(s.loss(), s.bias(i)), brhs, "gradients." + i + ".bias"));
        }
        NdArray gin = inputGrad(i);
        Formula inSym = i == 0 ? Formula.partial(s.loss(), s.input()) : s.grad(i - 1);
        lines.add(new Step.Prose(i == 0 ? "For completeness, the error signal at the input (not needed for the update):"
            : "The error signal passes to the layer's input through the weights:"));
        lines.add(new Step.Equation(inSym, List.of(d.times(s.weight(i)), Formula.mat(delta).times(Formula.mat(w)), Formula.mat(gin)), inputNote(i)));
        if (i > 0 && n == 1 && out <= Derivation.SMALL && inF <= Derivation.SMALL_IN) {
            for (int k = 0; k < inF; k++) {
                List<Formula> sy = new ArrayList<>(), va = new ArrayList<>();
                for (int j = 0; j < out; j++) {
                    sy.add(d.at(j).times(s.weight(i).at(j, k)));
                    va.add(Derivation.product(delta.get(0, j), w.get(j, k)));
                }
                lines.add(new Step.Equation(Formula.partial(s.loss(), s.in(i).at(k)),
                    List.of(Formula.joinPlus(sy), Formula.joinPlus(va), Formula.num(gin.get(0, k))), null));
            }
        }
        lines.add(Derivation.rule(new Op.MatMul()));
        steps.add(new Step("Backward, layer " + i + ": linear" + Derivation.named(lin) + ", gradients of " + s.weight(i).text()
            + (lin.hasBias() ? " and " + s.bias(i).text() : ""), lines));
    }
}
