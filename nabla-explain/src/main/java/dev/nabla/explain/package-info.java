/**
 * The teaching side of Nabla: a small network written as a JSON spec (docs/spec-format.md) gets
 * every number of its backpropagation computed, derived step by step, drawn as a graph, and checked
 * against numbers worked out by hand.
 *
 * <p>Vocabulary, used throughout:
 * <ul>
 *   <li><b>spec</b>: one batch (input N x d0, target), layers, a loss, optional L2 and one SGD step
 *       ({@link dev.nabla.explain.spec});</li>
 *   <li><b>activation of layer i</b>: the output of layer i, N x width (a linear layer's z = x Wᵀ + b
 *       counts as one too);</li>
 *   <li><b>delta of layer i</b> (error signal): ∂L/∂(output of layer i), the seeds' Δ;</li>
 *   <li><b>path</b>: where a number lives in the output object, {@code gradients.0.weight[1][2]};</li>
 *   <li><b>claim</b>: a number someone worked out, as printed, addressed by its path;</li>
 *   <li><b>slip</b>: the kind of mistake a wrong claim looks like.</li>
 * </ul>
 *
 * <p>Packages: {@link dev.nabla.explain.spec} reads and validates specs; {@link dev.nabla.explain.compute}
 * builds the network with {@code dev.nabla.nn} and computes with autograd (no second implementation
 * of the math); {@link dev.nabla.explain.derive} arranges the numbers as a derivation and renders it as
 * text, Markdown or LaTeX; {@link dev.nabla.explain.check} checks claims; {@link dev.nabla.explain.graph}
 * draws the autograd graph in DOT.
 */
package dev.nabla.explain;
