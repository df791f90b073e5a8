/**
 * Explanations: {@link dev.nabla.explain.derive.Derivation} turns a computed spec into
 * {@link dev.nabla.explain.derive.Step}s of prose, equations ({@link dev.nabla.explain.derive.Formula},
 * held as text and LaTeX at once) and tables; {@link dev.nabla.explain.derive.Format} renders them.
 */
package dev.nabla.explain.derive;
