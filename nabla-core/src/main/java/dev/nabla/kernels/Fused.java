package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused float32 kernels for the hot path of a fully connected network: each does in one pass over
 * memory what the separate ops do in two or three passes with an array allocated per pass.
 *
 * <ul>
 *   <li>{@link #linear}: y = act(x Wᵀ + b), the GEMM followed by one in-place pass for bias and
 *       activation ({@link #biasActivation}).</li>
 *   <li>{@link #reluBackward}: ∂x = g ⊙ [y &gt; 0], from the ReLU's output y (no pre-activation kept).</li>
 *   <li>{@link #softmaxCrossEntropy}: the mean cross-entropy of logits against class indices and,
 *       in the same pass, its gradient (softmax − one-hot) / N.</li>
 *   <li>{@link #columnSums}: Σ over rows, the bias gradient; {@link #addColumnSums}: b += α Σ over rows
 *       (a bias gradient and its SGD step in one pass).</li>
 *   <li>{@link #scale}: x = α x in place.</li>
 * </ul>
 * Each has a scalar twin ({@code *Scalar}) that the tests hold it to. Arrays are row-major with
 * the given leading dimension; what each kernel modifies is stated on it.
 */
public final class Fused {
    private Fused() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;

    /** Activations that {@link #biasActivation} and {@link #linear} apply. */
    public enum Activation { IDENTITY, RELU }

    /**
     * y[r][j] = act(Σ_p x[r][p] · w[j][p] + b[j]) for x [rows × in] (leading dimension ldx), the weight
     * w [out × in] (ldw) as a {@code Linear} layer stores it, b [out] or null, and y [rows × out]
     * (ldy). Writes y only.
     */
    public static void linear(int rows, int in, int out, float[] x, int xOff, int ldx, float[] w, int wOff, int ldw,
                              float[] b, int bOff, Activation act, float[] y, int yOff, int ldy) {
        Gemm.gemm(false, true, rows, out, in, x, xOff, ldx, w, wOff, ldw, 0f, y, yOff, ldy);
        biasActivation(rows, out, y, yOff, ldy, b, bOff, act);
    }

    /** y[r][j] = act(y[r][j] + b[j]) in place (b may be null: no bias). Modifies y. */
    public static void biasActivation(int rows, int cols, float[] y, int yOff, int ldy, float[] b, int bOff, Activation act) {
        if (b == null && act == Activation.IDENTITY) return;
        int v = FS.length(), bound = FS.loopBound(cols);
        boolean relu = act == Activation.RELU;
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * ldy, j = 0;
            for (; j < bound; j += v) {
                FloatVector t = FloatVector.fromArray(FS, y, o + j);
                if (b != null) t = t.add(FloatVector.fromArray(FS, b, bOff + j));
                if (relu) t = t.max(0f);
                t.intoArray(y, o + j);
            }
            for (; j < cols; j++) {
                float t = y[o + j] + (b != null ? b[bOff + j] : 0f);
                y[o + j] = relu ? Math.max(t, 0f) : t;
            }
        }
    }

    public static void biasActivationScalar(int rows, int cols, float[] y, int yOff, int ldy, float[] b, int bOff, Activation act) {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) {
                float t = y[yOff + r * ldy + j] + (b != null ? b[bOff + j] : 0f);
                y[yOff + r * ldy + j] = act == Activation.RELU ? Math.max(t, 0f) : t;
            }
    }

    /** out[i] = y[i] &gt; 0 ? g[i] : 0 for i &lt; n: the ReLU's VJP from its output y. Writes out (may be g). */
    public static void reluBackward(float[] g, int gOff, float[] y, int yOff, float[] out, int oOff, int n) {
        int i = 0, v = FS.length();
        for (int bound = FS.loopBound(n); i < bound; i += v) {
            FloatVector gv = FloatVector.fromArray(FS, g, gOff + i);
            FloatVector yv = FloatVector.fromArray(FS, y, yOff + i);
            FloatVector.zero(FS).blend(gv, yv.compare(VectorOperators.GT, 0f)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
    }

    /**
     * out = g ⊙ GELU′(x), exact form or (when {@code tanh}) the tanh form's derivative: the VJP of
     * {@link UnaryOp#GELU} / {@link UnaryOp#GELU_TANH} in one pass, each element in double precision and
     * rounded once (SIMD from {@link VectorErf#MIN_SIMD} elements, see {@link VectorErf}; large arrays split over
     * the pool). Writes out only.
     */
    public static void geluBackward(boolean tanh, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff, int n) {
        boolean simd = n >= VectorErf.MIN_SIMD;
        Parallel.forRange(n, VectorErf.GRAIN, 64, (from, to) -> {
            int i = from + (simd ? VectorErf.geluBackward(tanh, g, gOff + from, x, xOff + from, out, oOff + from, to - from) : 0);
            for (; i < to; i++) out[oOff + i] = (float) (g[gOff + i] * (tanh ? UnaryOp.geluTanhGrad(x[xOff + i]) : UnaryOp.geluGrad(x[xOff + i])));
        });
    }

    public static void reluBackwardScalar(float[] g, int gOff, float[] y, int yOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
    }

    /**
     * Mean softmax cross-entropy of logits z [rows × classes] (leading dimension ldz) against class
     * indices y: L = (1/rows) Σ_r (log Σ_j e^(z_rj − m_r) + m_r − z_r,y_r), with m_r the row maximum
     * (so that no exp overflows). When grad is not null it receives ∂L/∂z = (softmax(z) − onehot(y)) / rows
     * (leading dimension ldg). Returns L; writes grad only.
     *
     * @throws IndexOutOfBoundsException when a class index is not in [0, classes), naming the row
     */
    public static float softmaxCrossEntropy(int rows, int classes, float[] z, int zOff, int ldz, int[] y, int yOff,
                                            float[] grad, int gOff, int ldg) {
        int v = FS.length(), bound = FS.loopBound(classes);
        float invRows = 1f / rows;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int label = y[yOff + r];
            if (label < 0 || label >= classes)
                throw new IndexOutOfBoundsException("softmaxCrossEntropy: class index " + label + " in row " + r
                    + " is out of range for " + classes + " classes");
        }
        if (grad != null && ldz == classes && ldg == classes && Softmax.shortRows(z, grad, rows, classes)) {
            // few classes: the exps of all rows at once into grad (see Softmax.SHORT_ROW), then each row scaled
            Softmax.expShifted(z, zOff, grad, gOff, rows, classes);
            for (int r = 0; r < rows; r++) {
                int zo = zOff + r * classes, go = gOff + r * classes;
                float m = z[zo], s = 0f;
                for (int j = 0; j < classes; j++) { m = Math.max(m, z[zo + j]); s += grad[go + j]; }
                total += (float) Math.log(s) + m - z[zo + y[yOff + r]];
                float scale = invRows / s;
                for (int j = 0; j < classes; j++) grad[go + j] *= scale;
                grad[go + y[yOff + r]] -= invRows;
            }
            return (float) (total / rows);
        }
        for (int r = 0; r < rows; r++) {
            int zo = zOff + r * ldz, label = y[yOff + r];
            float m = Reduce.max(z, zo, classes);
            FloatVector acc = FloatVector.zero(FS);
            int j = 0;
            for (; j < bound; j += v)
                acc = acc.add(VectorMath.exp(FloatVector.fromArray(FS, z, zo + j).sub(m)));
            float s = Reduce.sumLanes(acc);
            for (; j < classes; j++) s += (float) Math.exp(z[zo + j] - m);
            float logS = (float) Math.log(s);
            total += logS + m - z[zo + label];
            if (grad != null) {
                int go = gOff + r * ldg;
                float scale = invRows / s;
                j = 0;
                for (; j < bound; j += v)
                    VectorMath.exp(FloatVector.fromArray(FS, z, zo + j).sub(m)).mul(scale).intoArray(grad, go + j);
                for (; j < classes; j++) grad[go + j] = (float) Math.exp(z[zo + j] - m) * scale;
                grad[go + label] -= invRows;
            }
        }
        return (float) (total / rows);
    }

    public static float softmaxCrossEntropyScalar(int rows, int classes, float[] z, int zOff, int ldz, int[] y, int yOff,
                                                  float[] grad, int gOff, int ldg) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zo = zOff + r * ldz, label = y[yOff + r];
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < classes; j++) m = Math.max(m, z[zo + j]);
            for (int j = 0; j < classes; j++) s += Math.exp(z[zo + j] - m);
            total += Math.log(s) + m - z[zo + label];
            if (grad != null)
                for (int j = 0; j < classes; j++)
                    grad[gOff + r * ldg + j] = (float) ((Math.exp(z[zo + j] - m) / s - (j == label ? 1 : 0)) / rows);
        }
        return (float) (total / rows);
    }

    /** out[j] = Σ_r a[r][j] for a [rows × cols] (leading dimension lda): a bias gradient. Writes out. */
    public static void columnSums(int rows, int cols, float[] a, int aOff, int lda, float[] out, int oOff) {
        java.util.Arrays.fill(out, oOff, oOff + cols, 0f);
        for (int r = 0; r < rows; r++) Reduce.accumulate(out, oOff, a, aOff + r * lda, cols);
    }

    public static void columnSumsScalar(int rows, int cols, float[] a, int aOff, int lda, float[] out, int oOff) {
        for (int j = 0; j < cols; j++) {
            float s = 0f;
            for (int r = 0; r < rows; r++) s += a[aOff + r * lda + j];
            out[oOff + j] = s;
        }
    }

    /** b[j] += alpha · Σ_r a[r][j]: a bias's SGD step (alpha = −lr) straight from its gradient rows. Modifies b. */
    public static void addColumnSums(float alpha, int rows, int cols, float[] a, int aOff, int lda, float[] b, int bOff) {
        int v = FS.length(), bound = FS.loopBound(cols);
        int j = 0;
        for (; j < bound; j += v) {
            FloatVector acc = FloatVector.zero(FS);
            for (int r = 0; r < rows; r++) acc = acc.add(FloatVector.fromArray(FS, a, aOff + r * lda + j));
            FloatVector.fromArray(FS, b, bOff + j).add(acc.mul(alpha)).intoArray(b, bOff + j);
        }
        for (; j < cols; j++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) acc += a[aOff + r * lda + j];
            b[bOff + j] += alpha * acc;
        }
    }

    /** x[i] = alpha · x[i] for i &lt; n. Modifies x. */
    public static void scale(float alpha, float[] x, int off, int n) {
        Elementwise.unary(UnaryOp.MUL_SCALAR, alpha, 0f, x, off, 1, x, off, n);
    }
}
