/**
 * Kernels: loops over primitive arrays with offsets and strides. This is the only package that
 * imports {@code jdk.incubator.vector}; it knows nothing of arrays with shapes, tensors or autograd.
 *
 * <p>Vocabulary: a <em>run</em> is {@code n} elements at {@code off, off + stride, ...}; a stride of
 * 0 repeats one element (a broadcast operand). Every SIMD kernel has a scalar twin (its name ends in
 * {@code Scalar}) with the same signature, which defines the result and which the tests hold the SIMD
 * path to, on odd sizes and strided inputs.
 */
package dev.nabla.kernels;
