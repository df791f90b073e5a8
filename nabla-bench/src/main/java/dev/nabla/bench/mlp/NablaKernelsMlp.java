package dev.nabla.bench.mlp;

import dev.nabla.kernels.Fused;
import dev.nabla.kernels.Fused.Activation;
import dev.nabla.kernels.Gemm;
import dev.nabla.parallel.Parallel;

import java.util.SplittableRandom;

/**
 * The MLP workload with backpropagation written by hand on Nabla's kernels (GEMM and the fused
 * kernels), like the NumPy runner does on NumPy: every buffer allocated once, nothing per step.
 * It is not the library's API (that is {@link NablaMlp}); it shows what the kernels allow, and what
 * the autograd path gains once its ops use the fused kernels and reuse their buffers.
 *
 * <p>The SGD step of a weight is folded into its gradient product: W += (−lr·G)ᵀ X is one GEMM
 * accumulating into W (beta 1), so no weight gradient is ever stored.
 */
public final class NablaKernelsMlp implements MlpRun.Engine {
    private static final int H = 256;
    private final float lr;
    private final float[] w1, b1, w2, b2, w3, b3;
    private final float[] h1, h2, z, gz, g2, g1;

    public NablaKernelsMlp(double lr, int batch, long seed) {
        this.lr = (float) lr;
        SplittableRandom rng = new SplittableRandom(seed);
        w1 = uniform(rng, H * MlpData.FEATURES, MlpData.FEATURES);
        b1 = uniform(rng, H, MlpData.FEATURES);
        w2 = uniform(rng, H * H, H);
        b2 = uniform(rng, H, H);
        w3 = uniform(rng, MlpData.CLASSES * H, H);
        b3 = uniform(rng, MlpData.CLASSES, H);
        h1 = new float[batch * H];
        h2 = new float[batch * H];
        z = new float[batch * MlpData.CLASSES];
        gz = new float[batch * MlpData.CLASSES];
        g2 = new float[batch * H];
        g1 = new float[batch * H];
    }

    /** U(−1/√fanIn, 1/√fanIn), PyTorch's default for Linear. */
    private static float[] uniform(SplittableRandom rng, int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        return x;
    }

    @Override public String name() { return "nabla-kernels"; }

    @Override
    public float step(float[] x, int[] y, int batch) {
        int c = MlpData.CLASSES, f = MlpData.FEATURES;
        Fused.linear(batch, f, H, x, 0, f, w1, 0, f, b1, 0, Activation.RELU, h1, 0, H);
        Fused.linear(batch, H, H, h1, 0, H, w2, 0, H, b2, 0, Activation.RELU, h2, 0, H);
        Fused.linear(batch, H, c, h2, 0, H, w3, 0, H, b3, 0, Activation.IDENTITY, z, 0, c);
        float loss = Fused.softmaxCrossEntropy(batch, c, z, 0, c, y, 0, gz, 0, c);
        // layer 3: ∂h2 = gz W3 (before W3 changes), then W3 += (−lr gz)ᵀ h2, b3 += −lr Σ gz
        Gemm.gemm(false, false, batch, H, c, gz, 0, c, w3, 0, H, 0f, g2, 0, H);
        Fused.scale(-lr, gz, 0, batch * c);
        Gemm.gemm(true, false, c, H, batch, gz, 0, c, h2, 0, H, 1f, w3, 0, H);
        Fused.addColumnSums(1f, batch, c, gz, 0, c, b3, 0);
        // layer 2
        Fused.reluBackward(g2, 0, h2, 0, g2, 0, batch * H);
        Gemm.gemm(false, false, batch, H, H, g2, 0, H, w2, 0, H, 0f, g1, 0, H);
        Fused.scale(-lr, g2, 0, batch * H);
        Gemm.gemm(true, false, H, H, batch, g2, 0, H, h1, 0, H, 1f, w2, 0, H);
        Fused.addColumnSums(1f, batch, H, g2, 0, H, b2, 0);
        // layer 1 (no gradient for the input)
        Fused.reluBackward(g1, 0, h1, 0, g1, 0, batch * H);
        Fused.scale(-lr, g1, 0, batch * H);
        Gemm.gemm(true, false, H, f, batch, g1, 0, H, x, 0, f, 1f, w1, 0, f);
        Fused.addColumnSums(1f, batch, H, g1, 0, H, b1, 0);
        return loss;
    }

    public static void main(String[] args) throws Exception {
        MlpRun.Options o = MlpRun.Options.parse(args);
        MlpRun.requireMlp(o, "nabla-kernels");
        Parallel.setThreads(o.threads());
        MlpRun.run(o, MlpData.load(o.data()), new NablaKernelsMlp(o.lr(), o.batch(), o.seed()));
        System.exit(0);
    }
}
