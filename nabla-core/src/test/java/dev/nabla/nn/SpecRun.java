package dev.nabla.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.optim.SGD;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test-only reading of a network spec (shared/spec/FORMAT.md) into nn modules, and one forward and
 * backward pass of it. Deliberately small: the real spec loader lives in nabla-explain.
 */
final class SpecRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Sequential net;
    final Tensor input, target;
    final List<Tensor> activations = new ArrayList<>();
    final JsonNode loss;
    final double l2;
    Tensor lossValue;

    SpecRun(JsonNode spec) {
        this.net = build(spec.get("layers"));
        this.input = tensor(spec.get("input"));
        this.target = tensor(spec.get("target"));
        this.loss = spec.get("loss");
        this.l2 = spec.path("l2").asDouble(0);
    }

    static JsonNode resource(String name) {
        try (InputStream in = SpecRun.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException("test resource " + name + " is missing");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A float64 tensor from a JSON number array of rank 1 or 2. */
    static Tensor tensor(JsonNode a) {
        if (a.get(0).isArray()) {
            double[][] rows = new double[a.size()][];
            for (int i = 0; i < rows.length; i++) rows[i] = vector(a.get(i));
            return Tensor.of(rows);
        }
        return Tensor.of(vector(a));
    }

    private static double[] vector(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }

    private static Sequential build(JsonNode layers) {
        Sequential net = new Sequential();
        for (JsonNode l : layers) {
            net.add(switch (l.get("type").asText()) {
                case "linear" -> {
                    Tensor w = tensor(l.get("weight"));
                    boolean hasBias = l.hasNonNull("bias");
                    Linear lin = new Linear(w.size(1), w.size(0), hasBias, DType.FLOAT64, new SplittableRandom(0));
                    Map<String, NdArray> state = new LinkedHashMap<>();
                    state.put("weight", w.data());
                    if (hasBias) state.put("bias", tensor(l.get("bias")).data());
                    lin.loadStateDict(state);
                    yield lin;
                }
                case "sigmoid" -> new Sigmoid();
                case "tanh" -> new Tanh();
                case "relu" -> new ReLU();
                case "softmax" -> new Softmax(1);
                case "identity" -> new Identity();
                default -> throw new IllegalArgumentException("unknown layer type " + l.get("type"));
            });
        }
        return net;
    }

    /** Forward layer by layer (each output retains its gradient), the loss, and backward. */
    SpecRun run() {
        activations.clear();
        net.zeroGrad();
        Tensor x = input;
        for (Module m : net.layers()) {
            x = m.forward(x).retainGrad();
            activations.add(x);
        }
        lossValue = loss(x);
        lossValue.backward();
        return this;
    }

    /** The loss only, without gradients. */
    double lossOnly() {
        try (var ignored = Tensor.noGrad()) {
            return loss(net.forward(input)).item();
        }
    }

    /** FORMAT.md: per-sample loss, reduced (sum, batchmean, mean), times scale, plus λΣ‖W‖². */
    Tensor loss(Tensor out) {
        String type = loss.get("type").asText(), reduction = loss.path("reduction").asText("mean");
        double scale = loss.path("scale").asDouble(1);
        int n = out.size(0);
        boolean perSample = type.equals("cross_entropy") || type.equals("multiclass_hinge") || type.equals("cosine");
        Reduction r = reduction.equals("mean") || (perSample && reduction.equals("batchmean")) ? Reduction.MEAN : Reduction.SUM;
        Tensor t = target;
        Tensor value = switch (type) {
            case "squared_error" -> Losses.mse(out, t, r);
            case "abs_error" -> Losses.l1(out, t, r);
            case "huber" -> Losses.huber(out, t, loss.path("delta").asDouble(1), r);
            case "bce" -> Losses.bce(out, t, r);
            case "bce_with_logits" -> Losses.bceWithLogits(out, t, r);
            case "hinge" -> Losses.hinge(out, t, r);
            case "cross_entropy" -> Losses.crossEntropy(out, t, r);
            case "multiclass_hinge" -> Losses.multiClassHinge(out, t, loss.path("margin").asDouble(1), r);
            case "cosine" -> Losses.cosine(out, t, r);
            default -> throw new IllegalArgumentException("unknown loss " + type);
        };
        if (!perSample && reduction.equals("batchmean")) value = value.div(n);
        value = value.mul(scale);
        return l2 == 0 ? value : value.add(Regularization.l2Penalty(net, l2));
    }

    /** One plain SGD step p ← p − lr·∂L/∂p on every parameter (dev.nabla.optim.SGD). */
    void sgdStep(double lr) {
        new SGD(net.parameters(), lr).step();
    }
}
