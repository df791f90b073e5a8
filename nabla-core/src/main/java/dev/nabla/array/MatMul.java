package dev.nabla.array;

import dev.nabla.kernels.Gemm;

import java.util.Arrays;

/**
 * The batched matrix product behind {@link NdArray#matmul}: promotes 1-d operands, broadcasts the
 * batch dimensions, and hands each trailing 2-d block to {@link Gemm}, reading transposed and
 * broadcast (stride-0) blocks in place through the leading dimension and copying only blocks with
 * no unit stride.
 */
final class MatMul {
    private MatMul() {}

    /** this @ other, as documented on {@link NdArray#matmul}. */
    static NdArray matmul(NdArray self, NdArray other) {
        int[] shape = self.shape;
        NdArray a = self, b = other;
        DType t = DType.promote(self.dtype, other.dtype);
        a = a.to(t);
        b = b.to(t);
        if (a.rank() == 0 || b.rank() == 0)
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape) + " @ " + Shapes.str(other.shape) + ": both operands need at least 1 dimension");
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        if (va) a = a.unsqueeze(0);
        if (vb) b = b.unsqueeze(1);
        int m = a.shape[a.rank() - 2], k = a.shape[a.rank() - 1], k2 = b.shape[b.rank() - 2], n = b.shape[b.rank() - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape) + " @ " + Shapes.str(other.shape) + ": inner dimensions " + k + " and " + k2 + " differ");
        int[] ba = Arrays.copyOf(a.shape, a.rank() - 2), bb = Arrays.copyOf(b.shape, b.rank() - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", ba, bb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape) + " @ " + Shapes.str(other.shape) + ": batch dimensions "
                + Shapes.str(ba) + " and " + Shapes.str(bb) + " cannot be broadcast");
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        NdArray ea = a.expand(concat(batch, m, k)), eb = b.expand(concat(batch, k, n));
        NdArray out = NdArray.empty(t, outShape);   // each block is overwritten (beta 0)
        int nb = Shapes.numel(batch);
        int[] idx = new int[batch.length];
        for (int bi = 0; bi < nb; bi++) {
            int ao = ea.offset, bo = eb.offset;
            for (int i = 0; i < batch.length; i++) { ao += idx[i] * ea.strides[i]; bo += idx[i] * eb.strides[i]; }
            gemm2d(ea, ao, eb, bo, out, bi * m * n, m, n, k, 0);
            for (int i = batch.length - 1; i >= 0; i--) { if (++idx[i] < batch[i]) break; idx[i] = 0; }
        }
        if (va && vb) return out.reshape(Arrays.copyOf(batch, batch.length));
        if (va) return out.squeeze(-2);
        if (vb) return out.squeeze(-1);
        return out;
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }

    /**
     * c = a b + beta c (beta 0 or 1) for 2-d operands of one dtype: with c [m, n] dense row-major the
     * product accumulates through the GEMM, a and b read in place as {@link #matmul} reads them; a c
     * with other strides gets the product added (or copied) element-wise.
     */
    static NdArray addmm(NdArray c, NdArray a, NdArray b, double beta) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || a.shape[1] != b.shape[0] || c.shape[0] != a.shape[0] || c.shape[1] != b.shape[1])
            throw new IllegalArgumentException("addMatmulInPlace: " + Shapes.str(c.shape) + " += " + Shapes.str(a.shape) + " @ "
                + Shapes.str(b.shape) + ": expected [m, n] += [m, k] @ [k, n]");
        if (a.dtype != c.dtype || b.dtype != c.dtype)
            throw new IllegalArgumentException("addMatmulInPlace: " + c.dtype + " += " + a.dtype + " @ " + b.dtype + ": one dtype expected");
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        if (!(c.strides[1] == 1 || n == 1) || !(c.strides[0] == n || m == 1))
            return beta == 0 ? c.copyFrom(matmul(a, b)) : c.addInPlace(matmul(a, b));
        gemm2d(a, a.offset, b, b.offset, c, c.offset, m, n, k, beta);
        return c;
    }

    private static void gemm2d(NdArray a, int ao, NdArray b, int bo, NdArray out, int oo, int m, int n, int k, double beta) {
        int ra = a.rank();
        int ars = a.strides[ra - 2], acs = a.strides[ra - 1];
        int brs = b.strides[b.rank() - 2], bcs = b.strides[b.rank() - 1];
        boolean ta, tb;
        int lda, ldb;
        float[] af = a.f, bf = b.f;
        double[] ad = a.d, bd = b.d;
        // A block is read in place when one of its strides is 1 (or its dimension has one element, so
        // that stride is never used); the other stride becomes the leading dimension as it is, even 0
        // for a broadcast operand whose rows all alias one row.
        if (acs == 1 || k == 1) { ta = false; lda = ars; }
        else if (ars == 1 || m == 1) { ta = true; lda = acs; }
        else { NdArray c = narrowBlock(a, ao, m, k); ta = false; lda = k; ao = 0; af = c.f; ad = c.d; }
        if (bcs == 1 || n == 1) { tb = false; ldb = brs; }
        else if (brs == 1 || k == 1) { tb = true; ldb = bcs; }
        else { NdArray c = narrowBlock(b, bo, k, n); tb = false; ldb = n; bo = 0; bf = c.f; bd = c.d; }
        if (out.f != null) Gemm.gemm(ta, tb, m, n, k, af, ao, lda, bf, bo, ldb, (float) beta, out.f, oo, n);
        else Gemm.gemm(ta, tb, m, n, k, ad, ao, lda, bd, bo, ldb, beta, out.d, oo, n);
    }

    /** A contiguous copy of the trailing 2-d block of a that starts at storage offset o. */
    private static NdArray narrowBlock(NdArray a, int o, int rows, int cols) {
        int r = a.rank();
        NdArray view = new NdArray(a.dtype, a.f, a.d, new int[] {rows, cols}, new int[] {a.strides[r - 2], a.strides[r - 1]}, o);
        return view.copy();
    }
}
