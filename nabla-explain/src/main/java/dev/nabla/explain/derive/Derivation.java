package dev.nabla.explain.derive;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Op;
import dev.nabla.explain.Numbers;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.GradResult;
import dev.nabla.explain.compute.SpecModel;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.LossSpec;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.Target;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The derivation a teaching assistant would write for a spec, step by step, with every number put in:
 * each layer's forward formula, the loss, the error signal at the output, each backward step as a
 * chain-rule product of its factors, each parameter gradient, the SGD update and the loss after it.
 * The numbers are those of {@link GradResult}, computed by the library; this class only arranges them.
 * Small layers are also written out entry by entry; large matrices are shown by shape with a few entries.
 */
public final class Derivation {
    /** Layers up to this many outputs (and inputs) are written out entry by entry. */
    static final int SMALL = 4;
    static final int SMALL_IN = 6;

    private final GradResult r;
    private final NetworkSpec spec;
    private final Symbols s;
    private final SpecModel model;
    private final GradResult dataOnly;
    private final List<Step> steps = new ArrayList<>();
    private final Set<LayerSpec.Kind> defined = EnumSet.noneOf(LayerSpec.Kind.class);
    private final int n;

    private Derivation(GradResult r) {
        this.r = r;
        this.spec = r.spec();
        this.s = new Symbols(spec);
        this.model = SpecModel.build(spec);
        this.n = spec.batchSize();
        // with an L2 penalty, the data term's own gradients, to show the 2λW term apart
        this.dataOnly = spec.l2() == 0 ? r : Backprop.run(new NetworkSpec(spec.file(), spec.name(), spec.input(), spec.target(),
            spec.layers(), spec.loss(), 0.0, null, spec.dtype()));
    }

    /** The derivation of a computed spec. */
    public static List<Step> of(GradResult r) {
        Derivation d = new Derivation(r);
        d.overview();
        for (int i = 0; i < d.spec.layers().size(); i++) d.forward(i);
        d.loss();
        BackwardSteps back = new BackwardSteps(r, d.s, d.model, d.dataOnly, d.steps);
        back.outputGradient();
        for (int i = d.spec.layers().size() - 1; i >= 0; i--) back.layer(i);
        if (r.hasUpdate()) {
            d.update();
            d.after();
        }
        d.summary();
        return List.copyOf(d.steps);
    }

    // ================================================================ overview

    private void overview() {
        List<Step.Line> lines = new ArrayList<>();
        lines.add(new Step.Prose("Input " + s.input().text() + ": " + (n == 1 ? "one sample" : n + " samples") + " with "
            + spec.inputSize() + " features, one row per sample. Target " + s.target().text() + ": "
            + (spec.target() instanceof Target.Classes ? "one class index per sample." : "a row of " + spec.outputSize() + (spec.outputSize() == 1 ? " value" : " values") + " per sample.")));
        List<List<String>> rows = new ArrayList<>();
        int width = spec.inputSize();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            int out = l instanceof LayerSpec.Linear lin ? lin.outFeatures() : width;
            Formula f = switch (l) {
                case LayerSpec.Linear lin -> s.out(i).eq(linearFormula(i, lin));
                case LayerSpec.Activation a -> s.out(i).eq(ActivationFormulas.apply(a.kind(), s.in(i)));
            };
            rows.add(List.of(String.valueOf(i), l.type() + (l.name() != null ? " \"" + l.name() + "\"" : ""), f.text(),
                n + "×" + width + " → " + n + "×" + out));
            width = out;
        }
        lines.add(new Step.Table(List.of("layer", "type", "computes", "shape"), rows));
        LossSpec loss = spec.loss();
        lines.add(new Step.Prose("Loss: `" + loss.type().jsonName() + "`, " + LossFormulas.reductionWords(loss, n, spec.outputSize())
            + (loss.scale() != 1 ? ", times " + Numbers.format(loss.scale()) : "")
            + (spec.l2() != 0 ? ", plus the L2 penalty λ·Σ‖W‖² with λ = " + Numbers.format(spec.l2()) : "")
            + (spec.hasSgd() ? ". Then one SGD step with learning rate η = " + Numbers.format(spec.sgd().lr()) + "." : ".")));
        lines.add(new Step.Prose("Conventions (as in PyTorch): rows are samples; a linear layer computes z = x Wᵀ + b with W of shape "
            + "out × in; indices count from 0, as in the paths of `nabla grad` and `nabla check` (shown in brackets after each result). "
            + "Numbers are shown to " + Numbers.DIGITS + " significant digits; they are computed in " + spec.dtype() + "."));
        steps.add(new Step("The network", lines));
    }

    private Formula linearFormula(int i, LayerSpec.Linear lin) {
        Formula f = s.in(i).times(s.weight(i).t());
        return lin.hasBias() ? f.plus(s.bias(i)) : f;
    }

    // ================================================================ forward

    private void forward(int i) {
        LayerSpec l = spec.layers().get(i);
        List<Step.Line> lines = new ArrayList<>();
        NdArray in = i == 0 ? NdArray.fromNested(spec.dtype(), spec.input()) : r.activations().get(i - 1);
        NdArray out = r.activations().get(i);
        String title;
        switch (l) {
            case LayerSpec.Linear lin -> {
                title = "Forward, layer " + i + ": linear" + named(l) + " (" + lin.inFeatures() + " → " + lin.outFeatures() + ")";
                NdArray w = r.parameters().get(i + ".weight"), b = r.parameters().get(i + ".bias");
                Formula numbers = Formula.mat(in).times(Formula.mat(w).t());
                if (b != null) numbers = numbers.plus(Formula.mat(b));
                lines.add(new Step.Equation(s.out(i), List.of(linearFormula(i, lin), numbers, Formula.mat(out)), "activations." + i));
                if (n == 1 && lin.outFeatures() <= SMALL && lin.inFeatures() <= SMALL_IN) {
                    lines.add(new Step.Prose("Entry by entry:"));
                    for (int j = 0; j < lin.outFeatures(); j++) {
                        List<Formula> sym = new ArrayList<>(), val = new ArrayList<>();
                        for (int k = 0; k < lin.inFeatures(); k++) {
                            sym.add(s.weight(i).at(j, k).times(s.in(i).at(k)));
                            val.add(product(w.get(j, k), in.get(0, k)));
                        }
                        if (b != null) {
                            sym.add(s.bias(i).at(j));
                            val.add(Formula.num(b.get(j)).operand());
                        }
                        lines.add(new Step.Equation(s.out(i).at(j), List.of(Formula.joinPlus(sym), Formula.joinPlus(val),
                            Formula.num(out.get(0, j))), null));
                    }
                }
            }
            case LayerSpec.Activation a -> {
                title = "Forward, layer " + i + ": " + ActivationFormulas.words(a.kind()) + named(l);
                if (defined.add(a.kind())) lines.add(new Step.Equation(ActivationFormulas.apply(a.kind(), Formula.of("z", "z")),
                    List.of(ActivationFormulas.definition(a.kind())), null));
                lines.add(new Step.Equation(s.out(i), List.of(ActivationFormulas.apply(a.kind(), s.in(i)),
                    ActivationFormulas.apply(a.kind(), Formula.mat(in)), Formula.mat(out)), "activations." + i));
                if (n == 1 && a.kind().elementWise() && a.kind() != LayerSpec.Kind.IDENTITY && out.size(1) <= SMALL_IN) {
                    for (int j = 0; j < out.size(1); j++) {
                        List<Formula> rhs = new ArrayList<>();
                        rhs.add(ActivationFormulas.apply(a.kind(), Formula.num(in.get(0, j))));
                        rhs.add(Formula.num(out.get(0, j)));
                        lines.add(new Step.Equation(s.out(i).at(j), rhs, null));
                    }
                }
            }
        }
        if (i == spec.layers().size() - 1)
            lines.add(new Step.Equation(s.output(), List.of(s.out(i), Formula.mat(out)), "output"));
        steps.add(new Step(title, lines));
    }

    // ================================================================ loss

    private void loss() {
        LossSpec loss = spec.loss();
        List<Step.Line> lines = new ArrayList<>();
        Formula ell = Formula.of("ℓ_n", "\\ell_n");
        lines.add(new Step.Prose("The loss of sample n compares its output row ŷ with its target "
            + (spec.target() instanceof Target.Classes ? "class c" : "row y") + ":"));
        lines.add(new Step.Equation(ell, List.of(LossFormulas.perSample(loss)), null));
        if (spec.target() instanceof Target.Classes c)
            lines.add(new Step.Prose("The target classes are c = " + java.util.Arrays.toString(c.indices()) + "."));
        else
            lines.add(new Step.Equation(s.target(), List.of(Formula.mat(model.target().data())), null));

        NdArray per = model.perSample(r.output());
        double divisor = loss.divisor(n, spec.outputSize());
        Formula sym = factor(Formula.sum("n", ell), loss.scale(), divisor);
        List<Formula> rhs = new ArrayList<>();
        rhs.add(sym);
        List<Formula> terms = new ArrayList<>();
        for (int k = 0; k < per.numel(); k++) terms.add(Formula.num(per.get(k)));
        boolean byEntry = loss.type() == LossSpec.Type.SQUARED_ERROR || loss.type() == LossSpec.Type.ABS_ERROR;
        if (byEntry && n * spec.outputSize() <= SMALL_IN) {
            NdArray y = model.target().data();
            List<Formula> entries = new ArrayList<>();
            for (int m = 0; m < n; m++)
                for (int k = 0; k < spec.outputSize(); k++) {
                    Formula diff = Formula.num(r.output().get(m, k)).minus(Formula.num(y.get(m, k)));
                    entries.add(loss.type() == LossSpec.Type.SQUARED_ERROR ? diff.paren().squared()
                        : Formula.of("|" + diff.text() + "|", "\\left|" + diff.latex() + "\\right|"));
                }
            rhs.add(factor(Formula.joinPlus(entries), loss.scale(), divisor));
        }
        if (per.numel() <= SMALL_IN) rhs.add(factor(Formula.joinPlus(terms), loss.scale(), divisor));
        else rhs.add(factor(Formula.sum("n", Formula.mat(per)), loss.scale(), divisor));
        rhs.add(Formula.num(r.dataLoss()));
        Formula lhs = spec.l2() != 0 ? Formula.of("L_data", "L_{\\text{data}}") : s.loss();
        lines.add(new Step.Prose("Per sample: ℓ = " + Formula.mat(per).text() + "; the batch loss is "
            + LossFormulas.reductionWords(loss, n, spec.outputSize()) + (loss.scale() != 1 ? ", times " + Numbers.format(loss.scale()) : "") + ":"));
        lines.add(new Step.Equation(lhs, rhs, spec.l2() != 0 ? null : "loss"));
        if (spec.l2() != 0) {
            List<Formula> norms = new ArrayList<>(), values = new ArrayList<>();
            for (int i = 0; i < spec.layers().size(); i++) {
                if (!(spec.layers().get(i) instanceof LayerSpec.Linear)) continue;
                NdArray w = r.parameters().get(i + ".weight");
                norms.add(Formula.of("‖" + s.weight(i).text() + "‖²", "\\|" + s.weight(i).latex() + "\\|^2"));
                values.add(Formula.num(w.mul(w).sumAll()));
            }
            Formula lam = Formula.num(spec.l2());
            lines.add(new Step.Equation(Formula.of("L_L2", "L_{\\text{L2}}"), List.of(
                Formula.of("λ", "\\lambda").dot(Formula.joinPlus(norms)), lam.dot(Formula.joinPlus(values)),
                Formula.num(r.penalty())), null));
            lines.add(new Step.Equation(s.loss(), List.of(Formula.of("L_data + L_L2", "L_{\\text{data}} + L_{\\text{L2}}"),
                Formula.num(r.dataLoss()).plus(Formula.num(r.penalty())), Formula.num(r.loss())), "loss"));
        }
        steps.add(new Step("Loss", lines));
    }

    /** scale · (1/divisor) · body, leaving out factors equal to 1. */
    private static Formula factor(Formula body, double scale, double divisor) {
        Formula f = body;
        if (divisor != 1) f = Formula.of("(1/" + Numbers.format(divisor) + ")", "\\frac{1}{" + Numbers.format(divisor) + "}").dot(f);
        if (scale != 1) f = Formula.num(scale).dot(f);
        return f;
    }

    // ================================================================ update and after

    private void update() {
        double lr = spec.sgd().lr();
        List<Step.Line> lines = new ArrayList<>();
        lines.add(new Step.Prose("Every parameter moves against its gradient, all at once (the gradients are those at the old parameters): "
            + "p ← p − η ∂L/∂p with η = " + Numbers.format(lr) + "."));
        Formula eta = Formula.of("η", "\\eta");
        for (var e : r.parameters().entrySet()) {
            String name = e.getKey();
            int i = Integer.parseInt(name.substring(0, name.indexOf('.')));
            Formula p = name.endsWith("weight") ? s.weight(i) : s.bias(i);
            Formula pNew = Formula.of(p.text() + "′", p.latex() + "'");
            NdArray old = e.getValue(), g = r.gradients().get(name), upd = r.updated().get(name);
            lines.add(new Step.Equation(pNew, List.of(p.minus(eta.times(Formula.partial(s.loss(), p))),
                Formula.mat(old).minus(Formula.num(lr).dot(Formula.mat(g))), Formula.mat(upd)), "updated." + name));
            if (old.numel() <= SMALL_IN) {
                for (int k = 0; k < old.numel(); k++) {
                    int[] idx = old.rank() == 1 ? new int[] {k} : new int[] {k / old.size(1), k % old.size(1)};
                    lines.add(new Step.Equation(pNew.at(idx), List.of(Formula.num(old.get(idx)).minus(Formula.num(lr).dot(Formula.num(g.get(idx)))),
                        Formula.num(upd.get(idx))), null));
                }
            }
        }
        steps.add(new Step("SGD step (η = " + Numbers.format(lr) + ")", lines));
    }

    private void after() {
        List<Step.Line> lines = new ArrayList<>();
        lines.add(new Step.Prose("The forward pass and the loss again, on the same batch, with the updated parameters:"));
        lines.add(new Step.Equation(Formula.of(s.output().text() + "′", s.output().latex() + "'"), List.of(Formula.mat(r.outputAfter())), null));
        lines.add(new Step.Equation(Formula.of("L′", "L'"), List.of(Formula.num(r.lossAfter())), "loss_after"));
        double change = r.lossAfter() - r.loss();
        lines.add(new Step.Prose("The loss went from " + Numbers.format(r.loss()) + " to " + Numbers.format(r.lossAfter()) + " (a change of "
            + Numbers.format(change) + (change < 0 ? ", down: the step helped)." : ", up: the step was too large or the problem too curved).")));
        steps.add(new Step("After the step", lines));
    }

    private void summary() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("L", "loss", Numbers.format(r.loss())));
        for (var e : r.gradients().entrySet()) {
            String name = e.getKey();
            int i = Integer.parseInt(name.substring(0, name.indexOf('.')));
            Formula p = name.endsWith("weight") ? s.weight(i) : s.bias(i);
            rows.add(List.of(Formula.partial(s.loss(), p).text(), "gradients." + name, Formula.mat(e.getValue()).text()));
        }
        if (r.hasUpdate()) {
            for (var e : r.updated().entrySet()) {
                String name = e.getKey();
                int i = Integer.parseInt(name.substring(0, name.indexOf('.')));
                Formula p = name.endsWith("weight") ? s.weight(i) : s.bias(i);
                rows.add(List.of(p.text() + "′", "updated." + name, Formula.mat(e.getValue()).text()));
            }
            rows.add(List.of("L′", "loss_after", Numbers.format(r.lossAfter())));
        }
        steps.add(new Step("Summary", List.of(new Step.Table(List.of("quantity", "path", "value"), rows))));
    }

    // ================================================================ pieces

    static String named(LayerSpec l) { return l.name() != null ? " \"" + l.name() + "\"" : ""; }

    static Formula product(double a, double b) {
        Formula x = Formula.num(a), y = Formula.num(b);
        return Formula.of("(" + x.text() + ")(" + y.text() + ")", "(" + x.latex() + ")(" + y.latex() + ")");
    }

    /** The autograd rule the library applies here, as its Op states it. */
    static Step.Prose rule(Op op) {
        return new Step.Prose("The library's autograd rule for `" + op.name() + "` (Op.formula): `" + op.formula() + "`.");
    }
}
