package dev.nabla.explain.compute;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.LossSpec;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecError;
import dev.nabla.explain.spec.Target;
import dev.nabla.nn.Identity;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.Regularization;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Softmax;
import dev.nabla.nn.Tanh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network spec made into what a user of the library would write by hand: a {@link Sequential} of
 * {@link Linear} and activation modules holding the spec's parameters, the batch as tensors, and the
 * spec's loss as a function of the network output built from {@link Losses}, times scale, plus
 * {@link Regularization#l2Penalty} when the spec has {@code l2}. There is no second implementation
 * of the math here: values and gradients come from the modules, the losses and autograd.
 */
public final class SpecModel {
    private final NetworkSpec spec;
    private final Sequential network;
    private final Tensor target;

    private SpecModel(NetworkSpec spec, Sequential network, Tensor target) {
        this.spec = spec;
        this.network = network;
        this.target = target;
    }

    /** Builds the network with the spec's parameters. */
    public static SpecModel build(NetworkSpec spec) {
        DType dt = spec.dtype();
        Sequential net = new Sequential();
        Map<String, NdArray> state = new LinkedHashMap<>();
        SplittableRandom unused = new SplittableRandom(0);   // the initial values are overwritten below
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            Module m = switch (l) {
                case LayerSpec.Linear lin -> {
                    state.put(i + ".weight", NdArray.fromNested(dt, lin.weight()));
                    if (lin.hasBias()) state.put(i + ".bias", NdArray.fromNested(dt, lin.bias()));
                    yield new Linear(lin.inFeatures(), lin.outFeatures(), lin.hasBias(), dt, unused);
                }
                case LayerSpec.Activation a -> switch (a.kind()) {
                    case SIGMOID -> new Sigmoid();
                    case TANH -> new Tanh();
                    case RELU -> new ReLU();
                    case SOFTMAX -> new Softmax(1);
                    case IDENTITY -> new Identity();
                };
            };
            net.add(m);
        }
        net.loadStateDict(state);
        Tensor target = switch (spec.target()) {
            case Target.Values v -> Tensor.of(dt, v.rows());
            case Target.Classes c -> {
                double[] idx = new double[c.indices().length];
                for (int n = 0; n < idx.length; n++) idx[n] = c.indices()[n];
                yield Tensor.of(dt, idx);
            }
        };
        return new SpecModel(spec, net, target);
    }

    /** A copy of this model whose parameters are replaced by the given ones (same names and shapes). */
    public SpecModel withParameters(Map<String, NdArray> parameters) {
        SpecModel m = build(spec);
        m.network.loadStateDict(parameters);
        return m;
    }

    public NetworkSpec spec() { return spec; }

    public Sequential network() { return network; }

    /** The target: N x dL values, or N class indices stored as numbers. */
    public Tensor target() { return target; }

    /** A fresh leaf tensor holding the input batch, requiring a gradient (so ∂L/∂x is computed too). */
    public Tensor input() { return Tensor.of(spec.dtype(), spec.input()).requiresGrad(true); }

    /**
     * The data term: scale · (Σ_n ℓ_n) / divisor for the network output ŷ (N x dL), with divisor
     * 1 (sum), N (batchmean), N·dL or N (mean; see {@link LossSpec#divisor}).
     */
    public Tensor dataLoss(Tensor output) {
        LossSpec loss = spec.loss();
        checkOutputFits(output);
        Reduction r = loss.reduction() == LossSpec.Reduction.MEAN ? Reduction.MEAN : Reduction.SUM;
        Tensor t = switch (loss.type()) {
            case SQUARED_ERROR -> Losses.mse(output, target, r);
            case ABS_ERROR -> Losses.l1(output, target, r);
            case HUBER -> Losses.huber(output, target, loss.delta(), r);
            case BCE -> Losses.bce(output, target, r);
            case BCE_WITH_LOGITS -> Losses.bceWithLogits(output, target, r);
            case CROSS_ENTROPY -> Losses.crossEntropy(output, target, r);
            case HINGE -> Losses.hinge(output, target, r);
            case MULTICLASS_HINGE -> Losses.multiClassHinge(output, target, loss.margin(), r);
            case COSINE -> Losses.cosine(output, target, r);
        };
        if (loss.reduction() == LossSpec.Reduction.BATCHMEAN) t = t.div(spec.batchSize());
        if (loss.scale() != 1) t = t.mul(loss.scale());
        return t;
    }

    /**
     * The per-sample losses ℓ_n (N values, before the reduction and the scale) for an output ŷ,
     * from the same loss functions with reduction NONE (element-wise terms summed over each row).
     */
    public NdArray perSample(NdArray output) {
        LossSpec loss = spec.loss();
        Tensor out = Tensor.of(output);
        checkOutputFits(out);
        Reduction r = Reduction.NONE;
        Tensor t = switch (loss.type()) {
            case SQUARED_ERROR -> Losses.mse(out, target, r);
            case ABS_ERROR -> Losses.l1(out, target, r);
            case HUBER -> Losses.huber(out, target, loss.delta(), r);
            case BCE -> Losses.bce(out, target, r);
            case BCE_WITH_LOGITS -> Losses.bceWithLogits(out, target, r);
            case CROSS_ENTROPY -> Losses.crossEntropy(out, target, r);
            case HINGE -> Losses.hinge(out, target, r);
            case MULTICLASS_HINGE -> Losses.multiClassHinge(out, target, loss.margin(), r);
            case COSINE -> Losses.cosine(out, target, r);
        };
        return (t.rank() == 2 ? t.sum(1) : t).data();
    }

    /** λ·Σ‖W‖² over the linear weights, or null when the spec has no (or a zero) l2. */
    public Tensor penalty() {
        return spec.l2() == 0 ? null : Regularization.l2Penalty(network, spec.l2());
    }

    /** The total loss: data term plus the penalty. */
    public Tensor loss(Tensor output) {
        Tensor data = dataLoss(output);
        Tensor p = penalty();
        return p == null ? data : data.add(p);
    }

    /** The bce loss needs probabilities: an output outside [0, 1] is the spec's mistake, said as such. */
    private void checkOutputFits(Tensor output) {
        if (spec.loss().type() != LossSpec.Type.BCE) return;
        NdArray o = output.data();
        for (int n = 0; n < o.size(0); n++)
            for (int k = 0; k < o.size(1); k++) {
                double v = o.get(n, k);
                if (!(v >= 0 && v <= 1))
                    throw new SpecError(spec.file(), "loss.type", "the bce loss needs probabilities in [0, 1], but output["
                        + n + "][" + k + "] = " + dev.nabla.explain.Numbers.format(v) + "; end the network with a sigmoid layer or use bce_with_logits");
            }
    }
}
