package dev.nabla.cli.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How raw input features are scaled before they reach the network: x' = (x − mean) / std per
 * feature (one mean and std for all features when the arrays have one element each, as for MNIST's
 * pixels). Fitted on the training data, stored in the model file, and applied again by predict and
 * evaluate.
 */
public record Normalization(float[] mean, float[] std) {

    /** No change (mean 0, std 1). */
    public static Normalization identity() { return new Normalization(new float[] {0f}, new float[] {1f}); }

    /** The MNIST convention: mean 0.1307, std 0.3081 over pixels scaled to [0, 1]. */
    public static Normalization mnist() { return new Normalization(new float[] {0.1307f}, new float[] {0.3081f}); }

    /** Per-feature mean and standard deviation of x [N, D] (a constant feature gets std 1). */
    public static Normalization fit(NdArray x) {
        int n = x.size(0), d = x.size(1);
        float[] f = x.contiguous().toFloatArray();
        double[] sum = new double[d], sq = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double v = f[i * d + j]; sum[j] += v; sq[j] += v * v; }
        float[] mean = new float[d], std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n, var = Math.max(0, sq[j] / n - m * m), s = Math.sqrt(var);
            mean[j] = (float) m;
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Scales the features of x [N, D] (D = mean.length, or any D for a single mean) into a new array. */
    public NdArray apply(NdArray x) {
        float[] out = x.toFloatArray();   // one copy (contiguous, float32)
        scale(out, x.size(0), features(x));
        return NdArray.of(out, x.shape());
    }

    /**
     * Scales the features of x [N, D] in place (x must be a contiguous float32 array that starts its
     * storage, as freshly loaded data is), giving the values {@link #apply} would; returns x.
     */
    public NdArray applyInPlace(NdArray x) {
        if (x.dtype() != DType.FLOAT32 || !x.isContiguous() || x.offset() != 0)
            throw new IllegalArgumentException("normalization: applyInPlace needs a contiguous float32 array starting at offset 0, got "
                + x.dtype() + (x.isContiguous() ? "" : " (not contiguous)") + (x.offset() != 0 ? " (offset " + x.offset() + ")" : ""));
        scale(x.floatData(), x.size(0), features(x));
        return x;
    }

    /** D, the features per sample of x [N, ...], checked against the number of means. */
    private int features(NdArray x) {
        int n = x.size(0), d = x.numel() / Math.max(n, 1);
        if (mean.length != 1 && mean.length != d)
            throw new IllegalArgumentException("normalization: " + d + " features but " + mean.length + " means");
        return d;
    }

    /** v[i·d + j] ← (v[i·d + j] − mean[j]) / std[j] for i &lt; n, j &lt; d (mean[0] and std[0] for every j when there is one). */
    private void scale(float[] v, int n, int d) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                int k = mean.length == 1 ? 0 : j;
                v[i * d + j] = (v[i * d + j] - mean[k]) / std[k];
            }
    }

    /** True when every mean is 0 and every std 1: scaling leaves every value as it is. */
    public boolean isIdentity() {
        for (int i = 0; i < mean.length; i++)
            if (mean[i] != 0f || std[i] != 1f) return false;
        return true;
    }

    /** The scaled value of a raw 0 (the fill for image borders). */
    public float zero(int feature) {
        int k = mean.length == 1 ? 0 : feature;
        return -mean[k] / std[k];
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", list(mean));
        m.put("std", list(std));
        return Json.write(m);
    }

    public static Normalization fromJson(String json) {
        try {
            if (Json.parse(json) instanceof Map<?, ?> m && m.get("mean") instanceof List<?> mean && m.get("std") instanceof List<?> std
                && mean.size() == std.size() && !mean.isEmpty())
                return new Normalization(floats(mean), floats(std));
        } catch (Json.ParseException | ClassCastException e) {
            // reported below
        }
        throw new IllegalArgumentException("input normalization: expected {\"mean\": [...], \"std\": [...]} of equal length, found " + json);
    }

    private static List<Object> list(float[] a) {
        List<Object> l = new ArrayList<>();
        for (float v : a) l.add((double) v);
        return l;
    }

    private static float[] floats(List<?> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).floatValue();
        return a;
    }
}
