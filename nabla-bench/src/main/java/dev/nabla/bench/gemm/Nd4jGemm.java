package dev.nabla.bench.gemm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GEMM workload in ND4J's native CPU backend (OpenBLAS), as DL4J's layers call it:
 * {@code Nd4j.gemm(A, B, C, transA, transB, 1, 0)} into an existing C, the transposes as flags.
 * Threads: OMP_NUM_THREADS and OPENBLAS_NUM_THREADS, which the side-by-side run sets.
 */
public final class Nd4jGemm implements GemmRun.Engine {
    private INDArray a, b, c;
    private boolean ta, tb;

    @Override public String name() { return "nd4j"; }

    @Override
    public void prepare(boolean float64, int n, double[] a, double[] b, boolean transA, boolean transB) {
        DataType type = float64 ? DataType.DOUBLE : DataType.FLOAT;
        long[] shape = {n, n};
        this.a = Nd4j.create(a, shape, 'c').castTo(type);
        this.b = Nd4j.create(b, shape, 'c').castTo(type);
        c = Nd4j.create(type, n, n);
        ta = transA;
        tb = transB;
    }

    @Override
    public void multiply() {
        Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
    }

    @Override public double entry(int i, int j) { return c.getDouble(i, j); }

    @Override
    public void release() {
        a = b = c = null;
        System.gc();   // ND4J frees an array's native memory once the array is collected
    }

    public static void main(String[] args) {
        GemmRun.Options o = GemmRun.Options.parse(args);
        GemmRun.run(o, new Nd4jGemm());
        System.exit(0);
    }
}
