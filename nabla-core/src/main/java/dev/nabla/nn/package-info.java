/**
 * Neural-network building blocks with PyTorch's names and semantics.
 *
 * <p>Vocabulary: a {@link dev.nabla.nn.Module} maps an input tensor to an output and owns
 * <em>parameters</em> (leaf tensors that require a gradient) and child modules, named with dots
 * ({@code 0.weight}); its <em>state dict</em> maps those names to arrays. A {@link dev.nabla.nn.Loss}
 * maps an output ŷ and a target y to a loss; {@link dev.nabla.nn.Losses} holds the same losses as
 * functions. A {@link dev.nabla.nn.Reduction} says how loss terms are combined.
 *
 * <p>Layout: a batch is N × features (one row per sample); a {@link dev.nabla.nn.Linear} weight is
 * out × in and computes y = x Wᵀ + b. Images are N × C × H × W (channels first, as in PyTorch); a
 * {@link dev.nabla.nn.Conv2d} weight is out_channels × in_channels × kh × kw, and
 * {@link dev.nabla.nn.Convolutions} holds convolution and pooling as functions.
 *
 * <p>Everything here is composed of {@link dev.nabla.autograd.Tensor} operations: no module or loss
 * writes its own backward, so gradients of any order come from autograd. At a kink the derivative
 * taken is 0 (ReLU at 0, |r| at 0, a hinge term exactly at its margin).
 */
package dev.nabla.nn;
