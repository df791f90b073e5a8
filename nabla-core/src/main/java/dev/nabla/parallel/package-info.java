/**
 * The fixed worker pool that kernels split large loops over ({@link dev.nabla.parallel.Parallel}):
 * sized once to the cores ({@code nabla.threads}, {@code NABLA_THREADS}), the calling thread working
 * as one of them, tasks claimed dynamically, never more threads than asked for. Depends on the JDK only.
 */
package dev.nabla.parallel;
