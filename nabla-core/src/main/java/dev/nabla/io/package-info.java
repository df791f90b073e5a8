/**
 * Files in and out: the safetensors format ({@link dev.nabla.io.Safetensors}) for tensors and
 * their metadata, a small strict JSON reader and writer ({@link dev.nabla.io.Json}), and atomic
 * writes ({@link dev.nabla.io.AtomicFile}: a temporary file in the same folder, then a rename), so
 * that nothing is ever left half-written. Depends only on {@code dev.nabla.array}.
 */
package dev.nabla.io;
