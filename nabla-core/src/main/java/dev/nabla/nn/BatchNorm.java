package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.Arrays;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) over the channel dimension 1 of its input, with
 * PyTorch's semantics; {@link BatchNorm1d} and {@link BatchNorm2d} say which input ranks they take.
 * For each channel c, over all the other dimensions (the batch, and the length or the height and
 * width):
 * <pre>
 *   y = (x − E[x]) / √(Var[x] + ε) · γ + β
 * </pre>
 * In training mode E and Var are the batch's mean and biased variance, and the graph goes through
 * them (the gradient of every element depends on the whole channel). The running statistics are then
 * updated in place, outside the graph: running_mean ← (1 − m) · running_mean + m · E[x] and
 * running_var ← (1 − m) · running_var + m · Var[x] · n / (n − 1) (the unbiased variance, n values per
 * channel), with m the momentum, or 1 / num_batches_tracked for a cumulative average when the momentum
 * is null. In evaluation mode the running statistics take the batch's place (unless the module does
 * not track them: then it always uses the batch's).
 *
 * <p>Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros) of C elements when affine;
 * buffers {@code running_mean} (zeros), {@code running_var} (ones) and {@code num_batches_tracked}
 * (a scalar; PyTorch's is an integer, here it has the module's dtype) when tracking running
 * statistics. Training on one value per channel is an error, as in PyTorch: its variance is 0 and
 * its unbiased variance undefined.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    /**
     * The settings of a batch normalization besides its number of channels.
     *
     * @param eps               ε, added to the variance (at least 0)
     * @param momentum          m of the running statistics, in [0, 1], or null for a cumulative average
     * @param affine            whether the module learns γ and β
     * @param trackRunningStats whether the module keeps running statistics (and uses them in evaluation mode)
     * @param dtype             of the parameters and buffers, and of the inputs taken
     */
    public record Options(double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("BatchNorm: eps=" + eps + " must be finite and at least 0");
            if (momentum != null && !(momentum >= 0 && momentum <= 1))
                throw new IllegalArgumentException("BatchNorm: momentum=" + momentum + " must be in [0, 1] (or null for a cumulative average)");
            if (dtype == null) throw new IllegalArgumentException("BatchNorm: dtype is null");
        }

        /** PyTorch's defaults: ε = 1e-5, momentum 0.1, affine, tracking running statistics; float32. */
        public static Options defaults() { return new Options(1e-5, 0.1, true, true, DType.FLOAT32); }

        public Options withEps(double eps) { return new Options(eps, momentum, affine, trackRunningStats, dtype); }
        public Options withMomentum(Double momentum) { return new Options(eps, momentum, affine, trackRunningStats, dtype); }
        public Options withAffine(boolean affine) { return new Options(eps, momentum, affine, trackRunningStats, dtype); }
        public Options withTrackRunningStats(boolean track) { return new Options(eps, momentum, affine, track, dtype); }
        public Options withDtype(DType dtype) { return new Options(eps, momentum, affine, trackRunningStats, dtype); }
    }

    private final int features;
    private final Options options;
    private final Tensor weight, bias;
    private final NdArray runningMean, runningVar, batchesTracked;

    BatchNorm(int features, Options options) {
        if (features <= 0) throw new IllegalArgumentException(kind() + ": num_features=" + features + " must be positive");
        if (options == null) throw new IllegalArgumentException(kind() + ": options are null");
        this.features = features;
        this.options = options;
        DType dtype = options.dtype();
        this.weight = options.affine() ? registerParameter("weight", Tensor.ones(dtype, features)) : null;
        this.bias = options.affine() ? registerParameter("bias", Tensor.zeros(dtype, features)) : null;
        boolean track = options.trackRunningStats();
        this.runningMean = track ? registerBuffer("running_mean", NdArray.zeros(dtype, features)) : null;
        this.runningVar = track ? registerBuffer("running_var", NdArray.ones(dtype, features)) : null;
        this.batchesTracked = track ? registerBuffer("num_batches_tracked", NdArray.zeros(dtype)) : null;
    }

    /** Whether an input of this rank is one this kind of batch normalization takes. */
    abstract boolean acceptsRank(int rank);

    /** The input shapes taken, for error messages: "[N, C] or [N, C, L]". */
    abstract String shapes();

    @Override
    public Tensor forward(Tensor x) {
        check(x);
        int[] dims = new int[x.rank() - 1];   // every dimension but the channels'
        for (int i = 0; i < dims.length; i++) dims[i] = i == 0 ? 0 : i + 1;
        int[] channelShape = new int[x.rank()];   // [1, C, 1, ...]: broadcasts against x
        Arrays.fill(channelShape, 1);
        channelShape[1] = features;
        Tensor normalized;
        if (isTraining() || runningMean == null) {
            int n = x.numel() / features;
            if (isTraining() && n <= 1)
                throw new IllegalArgumentException(this + ": training needs more than 1 value per channel, got an input of shape "
                    + Shapes.str(x.shape()));
            Tensor mean = x.mean(true, dims);
            Tensor centered = x.sub(mean);
            Tensor var = centered.square().mean(true, dims);   // biased, as the normalization uses it
            normalized = centered.div(var.add(options.eps()).sqrt());
            if (isTraining() && runningMean != null) updateRunningStats(mean.data(), var.data(), n);
        } else {
            Tensor mean = Tensor.of(runningMean.reshape(channelShape)), var = Tensor.of(runningVar.reshape(channelShape));
            normalized = x.sub(mean).div(var.add(options.eps()).sqrt());
        }
        return weight == null ? normalized : normalized.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }

    private void updateRunningStats(NdArray mean, NdArray biasedVar, int n) {
        batchesTracked.fill(batchesTracked.item() + 1);
        double m = options.momentum() != null ? options.momentum() : 1 / batchesTracked.item();
        runningMean.copyFrom(runningMean.mul(1 - m).add(mean.reshape(features).mul(m)));
        runningVar.copyFrom(runningVar.mul(1 - m).add(biasedVar.reshape(features).mul(m * n / (n - 1.0))));
    }

    private void check(Tensor x) {
        if (!acceptsRank(x.rank()) || x.size(1) != features)
            throw new IllegalArgumentException(this + ": input of shape " + Shapes.str(x.shape()) + " should be " + shapes()
                + " with C = " + features);
        if (x.dtype() != options.dtype())
            throw new IllegalArgumentException(this + ": input is " + x.dtype() + " but the module is " + options.dtype()
                + "; convert the input with to(" + options.dtype() + ")");
    }

    /** C, the number of channels. */
    public int numFeatures() { return features; }

    public Options options() { return options; }

    /** γ (C elements), or null when the module is not affine. */
    public Tensor weight() { return weight; }

    /** β (C elements), or null when the module is not affine. */
    public Tensor bias() { return bias; }

    /** The running mean (C elements, updated in place), or null when the module does not track running statistics. */
    public NdArray runningMean() { return runningMean; }

    /** The running (unbiased) variance, or null when the module does not track running statistics. */
    public NdArray runningVar() { return runningVar; }

    @Override
    protected String extraRepr() {
        Double m = options.momentum();
        return features + ", eps=" + Repr.number(options.eps()) + ", momentum=" + (m == null ? "None" : Repr.number(m))
            + ", affine=" + (weight != null ? "True" : "False") + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
