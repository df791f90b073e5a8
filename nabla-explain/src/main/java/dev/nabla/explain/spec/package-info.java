/**
 * Network specs: {@link dev.nabla.explain.spec.SpecParser} reads one completely before anything is
 * computed, and every problem becomes a {@link dev.nabla.explain.spec.SpecError} naming the file, the
 * JSON path and what was expected.
 */
package dev.nabla.explain.spec;
