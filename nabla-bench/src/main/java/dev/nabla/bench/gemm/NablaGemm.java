package dev.nabla.bench.gemm;

import dev.nabla.kernels.Gemm;
import dev.nabla.parallel.Parallel;

/** The GEMM workload in Nabla: {@link Gemm#gemm} on the arrays themselves, transposed operands read in place. */
public final class NablaGemm implements GemmRun.Engine {
    private float[] af, bf, cf;
    private double[] ad, bd, cd;
    private boolean f64, ta, tb;
    private int n;

    @Override public String name() { return "nabla"; }

    @Override
    public void prepare(boolean float64, int n, double[] a, double[] b, boolean transA, boolean transB) {
        this.f64 = float64;
        this.n = n;
        ta = transA;
        tb = transB;
        if (float64) {
            ad = a.clone();
            bd = b.clone();
            cd = new double[n * n];
        } else {
            af = new float[n * n];
            bf = new float[n * n];
            cf = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                af[i] = (float) a[i];
                bf[i] = (float) b[i];
            }
        }
    }

    @Override
    public void multiply() {
        if (f64) Gemm.gemm(ta, tb, n, n, n, ad, 0, n, bd, 0, n, 0.0, cd, 0, n);
        else Gemm.gemm(ta, tb, n, n, n, af, 0, n, bf, 0, n, 0f, cf, 0, n);
    }

    @Override public double entry(int i, int j) { return f64 ? cd[i * n + j] : cf[i * n + j]; }

    @Override
    public void release() {
        af = bf = cf = null;
        ad = bd = cd = null;
    }

    public static void main(String[] args) {
        GemmRun.Options o = GemmRun.Options.parse(args);
        Parallel.setThreads(o.threads());
        GemmRun.run(o, new NablaGemm());
        System.exit(0);
    }
}
