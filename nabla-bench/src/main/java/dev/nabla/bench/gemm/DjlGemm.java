package dev.nabla.bench.gemm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The GEMM workload in DJL with the PyTorch engine (CPU): {@code matMul} of two NDArrays, a transposed
 * operand being {@code transpose()} of the stored matrix (a view in PyTorch: its GEMM reads it with a
 * transpose flag). DJL's API has no product into an existing array, so each call makes a new C and
 * the previous one is closed. Threads: the JVM options and environment the side-by-side run sets.
 */
public final class DjlGemm implements GemmRun.Engine {
    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    private NDManager held;
    private NDArray a, b, c;
    private boolean f64;

    @Override public String name() { return "djl-pytorch"; }

    @Override
    public void prepare(boolean float64, int n, double[] a, double[] b, boolean transA, boolean transB) {
        f64 = float64;
        held = manager.newSubManager();
        Shape shape = new Shape(n, n);
        NDArray sa, sb;
        if (float64) {
            sa = held.create(a, shape);
            sb = held.create(b, shape);
        } else {
            float[] fa = new float[n * n], fb = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                fa[i] = (float) a[i];
                fb[i] = (float) b[i];
            }
            sa = held.create(fa, shape);
            sb = held.create(fb, shape);
        }
        this.a = transA ? sa.transpose() : sa;
        this.b = transB ? sb.transpose() : sb;
    }

    @Override
    public void multiply() {
        NDArray r = a.matMul(b);
        if (c != null) c.close();
        c = r;
    }

    @Override public double entry(int i, int j) { return f64 ? c.getDouble(i, j) : c.getFloat(i, j); }

    @Override
    public void release() {
        if (c != null) c.close();
        c = null;
        held.close();
    }

    @Override public void close() { manager.close(); }

    public static void main(String[] args) {
        GemmRun.Options o = GemmRun.Options.parse(args);
        try (DjlGemm engine = new DjlGemm()) {
            GemmRun.run(o, engine);
        }
        System.exit(0);
    }
}
