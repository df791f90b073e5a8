package dev.nabla.explain.derive;

import dev.nabla.autograd.Op;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.kernels.UnaryOp;

/** Each activation of a spec as a derivation writes it: its name, its symbol, its definition and its derivative. */
final class ActivationFormulas {
    private ActivationFormulas() {}

    static String words(LayerSpec.Kind k) {
        return switch (k) {
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case RELU -> "ReLU";
            case SOFTMAX -> "softmax";
            case IDENTITY -> "identity";
        };
    }

    static Formula symbol(LayerSpec.Kind k) {
        return switch (k) {
            case SIGMOID -> Formula.of("σ", "\\sigma");
            case TANH -> Formula.of("tanh", "\\tanh");
            case RELU -> Formula.of("ReLU", "\\operatorname{ReLU}");
            case SOFTMAX -> Formula.of("softmax", "\\operatorname{softmax}");
            case IDENTITY -> Formula.of("id", "\\operatorname{id}");
        };
    }

    static Formula apply(LayerSpec.Kind k, Formula arg) {
        Formula f = symbol(k);
        return Formula.call(f.text(), f.latex(), arg);
    }

    static Formula definition(LayerSpec.Kind k) {
        return switch (k) {
            case SIGMOID -> Formula.of("1/(1 + e^(-z))", "\\frac{1}{1 + e^{-z}}");
            case TANH -> Formula.of("(e^z - e^(-z))/(e^z + e^(-z))", "\\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}");
            case RELU -> Formula.of("max(0, z)", "\\max(0, z)");
            case SOFTMAX -> Formula.of("e^(z_k) / Σ_j e^(z_j), over each row", "\\frac{e^{z_k}}{\\sum_j e^{z_j}} \\text{ (over each row)}");
            case IDENTITY -> Formula.of("z", "z");
        };
    }

    static Formula slope(LayerSpec.Kind k, Formula z, Formula a) {
        return switch (k) {
            case SIGMOID -> Formula.compound("σ(" + z.text() + ")(1 - σ(" + z.text() + ")) = " + a.text() + " ⊙ (1 - " + a.text() + ")",
                "\\sigma(" + z.latex() + ")\\,(1 - \\sigma(" + z.latex() + ")) = " + a.latex() + " \\odot (1 - " + a.latex() + ")");
            case TANH -> Formula.compound("1 - tanh²(" + z.text() + ") = 1 - " + a.text() + "²",
                "1 - \\tanh^2(" + z.latex() + ") = 1 - {" + a.latex() + "}^{2}");
            case RELU -> Formula.compound("[" + z.text() + " > 0] (1 where positive, else 0)",
                "[" + z.latex() + " > 0] \\text{ (1 where positive, else 0)}");
            case IDENTITY, SOFTMAX -> Formula.of("1", "1");
        };
    }

    /** g · f′ with the numbers written the way the local derivative is computed. */
    static Formula slopeProduct(LayerSpec.Kind k, double g, double z, double a) {
        Formula gf = Formula.num(g), af = Formula.num(a);
        return switch (k) {
            case SIGMOID -> gf.dot(af).dot(Formula.num(1).minus(af).paren());
            case TANH -> gf.dot(Formula.num(1).minus(af.squared()).paren());
            case RELU -> gf.dot(Formula.num(z > 0 ? 1 : 0));
            case IDENTITY, SOFTMAX -> gf;
        };
    }

    /** The autograd primitive the activation records (softmax over each row). */
    static Op op(LayerSpec.Kind k) {
        return switch (k) {
            case SIGMOID -> new Op.Unary(UnaryOp.SIGMOID, 0, 0);
            case TANH -> new Op.Unary(UnaryOp.TANH, 0, 0);
            case RELU -> new Op.Unary(UnaryOp.RELU, 0, 0);
            case IDENTITY -> new Op.Unary(UnaryOp.IDENTITY, 0, 0);
            case SOFTMAX -> new Op.Softmax(1);
        };
    }
}
