/**
 * Computing a spec: {@link dev.nabla.explain.compute.SpecModel} is the spec as a {@code Sequential}
 * plus a loss from {@code Losses}; {@link dev.nabla.explain.compute.Backprop} runs forward, backward
 * and the SGD step into a {@link dev.nabla.explain.compute.GradResult};
 * {@link dev.nabla.explain.compute.RoundedPass} redoes the pass the way a hand calculation rounds.
 */
package dev.nabla.explain.compute;
