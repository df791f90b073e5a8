package dev.nabla.explain;

import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.derive.Derivation;
import dev.nabla.explain.derive.Format;
import dev.nabla.explain.spec.NetworkSpec;

/** The derivation of a spec's backpropagation, rendered as text, Markdown or LaTeX. */
public final class Explainer {
    private Explainer() {}

    public static String explain(NetworkSpec spec, Format format) {
        String title = "Backpropagation, step by step" + (spec.name() != null ? ": " + spec.name() : "");
        return format.render(title, Derivation.of(Backprop.run(spec)));
    }
}
