/**
 * Autograd: the differentiable {@link dev.nabla.autograd.Tensor} and a define-by-run, reverse-mode
 * engine.
 *
 * <p>Vocabulary, defined once here:
 * <ul>
 *   <li><b>leaf</b>: a tensor made by the user (not by a recorded op). A leaf with
 *       {@code requiresGrad(true)} is a <b>parameter</b> whose gradient backward computes.</li>
 *   <li><b>graph</b>: recorded as operations run (define-by-run). An op on inputs of which at least
 *       one requires a gradient, outside a no-grad scope, records a <b>node</b>: the {@link
 *       dev.nabla.autograd.Op} and its input tensors. Its output then requires a gradient too.</li>
 *   <li><b>primitive</b>: one of the few ops in {@link dev.nabla.autograd.Op}, each stating its forward
 *       on arrays, its VJP on tensors and the VJP's formula, side by side. Everything else on Tensor
 *       is composed from primitives (mean is sum times 1/n, select is narrow then reshape).</li>
 *   <li><b>VJP</b> (vector-Jacobian product): given g = ∂L/∂out, the rule returns ∂L/∂x_i = J_iᵀ g
 *       for each input. A VJP is written with tensor ops, so it can be recorded and differentiated
 *       again: that is how second derivatives and Hessian-vector products work.</li>
 *   <li><b>broadcasting</b> is an explicit expand op whose VJP sums the gradient back to the input's
 *       shape (the only place that knows about broadcasting); binary primitives see equal shapes.
 *       Mixed dtypes are <b>promoted</b> to float64 by an explicit, differentiable cast, so every
 *       gradient has its input's shape and dtype.</li>
 *   <li><b>backward</b>: orders the graph above a tensor topologically and walks it in reverse,
 *       starting from ∂L/∂L = 1 for a one-element tensor (or from a given gradient), calling each
 *       node's VJP and summing the contributions that reach each tensor (so a tensor used twice gets
 *       both). Leaves that require a gradient receive it in {@code grad()}, added to what is there:
 *       gradients <b>accumulate</b> across backward calls until {@code zeroGrad()}. A stored
 *       gradient is a contiguous array that its tensor alone owns. A gradient that does not flow
 *       is absent (null), not zeros.</li>
 *   <li><b>retainGraph</b>: without it, backward frees the nodes it walked (they drop their inputs,
 *       so a tensor kept afterwards does not keep the graph's activations alive), and a later
 *       backward through any of them, or {@code inputs()} of a tensor they made, fails with a message
 *       that says so. <b>createGraph</b>: the backward pass is itself recorded, so the gradients can
 *       be differentiated.</li>
 *   <li><b>no-grad scope</b>: {@code try (var s = Tensor.noGrad()) { ... }} records nothing inside
 *       (inference, optimizer updates); closing it restores the previous mode. {@code detach()} gives
 *       the same data outside the graph.</li>
 *   <li><b>gradcheck</b>: {@link dev.nabla.autograd.GradCheck} compares analytic Jacobians with
 *       central finite differences in float64, and second derivatives likewise.</li>
 * </ul>
 */
package dev.nabla.autograd;
