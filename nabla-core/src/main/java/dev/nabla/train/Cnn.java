package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.io.Json;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.BatchNorm2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Unflatten;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The architecture of a small convolutional network, as data. It takes flat rows
 * [N, inChannels·height·width] (so that data pipelines, normalization and model files treat it as
 * they treat an {@link Mlp}) and {@link #build} makes the float32 {@link Sequential}
 * <pre>
 * Unflatten(1, (inChannels, height, width)),
 * then per entry c of channels, a block:  Conv2d(in, c, 3, padding 1), [BatchNorm2d(c)], activation, MaxPool2d(2),
 * Flatten(),
 * then per entry h of hidden:             Linear(in, h), [BatchNorm1d(h)], activation,
 * Linear(in, outputs)
 * </pre>
 * where [..] is there when norm is "batch". A block keeps the height and width (3×3 kernel, padding
 * 1) and then halves them, rounding down (2×2 max pooling), so after k blocks an image is
 * channels[k−1] × ⌊height/2^k⌋ × ⌊width/2^k⌋, and that is what the first Linear layer takes
 * ({@link #flattened()}). Parameters are named by position in PyTorch's way: {@code 1.weight},
 * {@code 1.bias} (the first convolution), {@code 2.running_mean} (its batch normalization), ….
 *
 * @param inChannels input image channels (1 for grey images)
 * @param channels   output channels of each convolution block, at least one block
 * @param hidden     sizes of hidden Linear layers between the convolutions and the output layer (may be empty)
 * @param activation one of {@link Mlp#ACTIVATIONS}
 * @param norm       "none", or "batch": {@link BatchNorm2d} after every convolution and {@link BatchNorm1d} after every hidden Linear layer
 */
public record Cnn(int inChannels, int height, int width, List<Integer> channels, List<Integer> hidden, int outputs, String activation,
                  String norm) implements Architecture {

    /** The kernel size of every convolution (with padding {@value #PADDING}, stride 1: height and width are kept). */
    public static final int KERNEL = 3;
    /** The padding of every convolution. */
    public static final int PADDING = 1;
    /** The kernel size and stride of every max pooling. */
    public static final int POOL = 2;

    /** The normalization names {@link #build} knows. */
    public static final List<String> NORMS = List.of("none", "batch");

    public Cnn {
        channels = List.copyOf(channels);
        hidden = List.copyOf(hidden);
        if (inChannels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("CNN: input image " + shape(inChannels, height, width) + ": every size must be at least 1");
        if (channels.isEmpty()) throw new IllegalArgumentException("CNN: needs at least one convolution block (channels is empty)");
        for (int c : channels)
            if (c < 1) throw new IllegalArgumentException("CNN: channel count " + c + " must be at least 1 (channels " + channels + ")");
        for (int h : hidden)
            if (h < 1) throw new IllegalArgumentException("CNN: hidden layer size " + h + " must be at least 1 (hidden " + hidden + ")");
        if (outputs < 1) throw new IllegalArgumentException("CNN: " + outputs + " outputs; needs at least 1");
        if (!Mlp.ACTIVATIONS.contains(activation))
            throw new IllegalArgumentException("CNN: unknown activation \"" + activation + "\" (choose from " + String.join(", ", Mlp.ACTIVATIONS) + ")");
        if (norm == null || !NORMS.contains(norm))
            throw new IllegalArgumentException("CNN: unknown normalization \"" + norm + "\" (choose from " + String.join(", ", NORMS) + ")");
        int blocks = channels.size();
        if (blocks > 30 || (height >> blocks) < 1 || (width >> blocks) < 1)
            throw new IllegalArgumentException("CNN: a " + shape(inChannels, height, width) + " image is too small for " + blocks
                + " convolution blocks: each halves the height and width (2×2 max pooling), and " + Math.min(height, width)
                + " can be halved only " + (31 - Integer.numberOfLeadingZeros(Math.min(height, width))) + " time(s)");
        if ((long) channels.get(blocks - 1) * (height >> blocks) * (width >> blocks) > Integer.MAX_VALUE
            || (long) inChannels * height * width > Integer.MAX_VALUE)
            throw new IllegalArgumentException("CNN: the image " + shape(inChannels, height, width) + " is too large");
    }

    /** Features per input row: inChannels · height · width. */
    @Override
    public int inputs() { return inChannels * height * width; }

    /** The height and width after the last block: ⌊height/2^k⌋ and ⌊width/2^k⌋ for k blocks. */
    public int[] outputImageSize() { return new int[] {height >> channels.size(), width >> channels.size()}; }

    /** Features the first Linear layer takes: the last block's channels · height · width. */
    public int flattened() {
        int[] hw = outputImageSize();
        return channels.get(channels.size() - 1) * hw[0] * hw[1];
    }

    /** The Linear layers' sizes, from the flattened image to the outputs: [flattened, hidden..., outputs]. */
    public List<Integer> linearSizes() { return Mlp.sizes(flattened(), hidden, outputs); }

    /** Convolution weights and biases, Linear weights and biases, and normalizations' scales and shifts. */
    @Override
    public long parameterCount() {
        long n = 0;
        int in = inChannels;
        for (int c : channels) {
            n += (long) c * in * KERNEL * KERNEL + c;
            if (norm.equals("batch")) n += 2L * c;
            in = c;
        }
        List<Integer> s = linearSizes();
        for (int i = 0; i + 1 < s.size(); i++) n += (long) s.get(i) * s.get(i + 1) + s.get(i + 1);
        if (norm.equals("batch")) for (int h : hidden) n += 2L * h;
        return n;
    }

    @Override
    public Sequential build(RandomGenerator rng) {
        Sequential net = new Sequential();
        net.add(new Unflatten(1, inChannels, height, width));
        int in = inChannels;
        for (int c : channels) {
            net.add(new Conv2d(in, c, KERNEL, 1, PADDING, true, DType.FLOAT32, rng));
            if (norm.equals("batch")) net.add(new BatchNorm2d(c));
            net.add(Mlp.activation(activation));
            net.add(new MaxPool2d(POOL));
            in = c;
        }
        net.add(new Flatten());
        List<Integer> s = linearSizes();
        for (int i = 0; i + 1 < s.size(); i++) {
            net.add(new Linear(s.get(i), s.get(i + 1), true, DType.FLOAT32, rng));
            if (i + 2 < s.size()) {
                if (norm.equals("batch")) net.add(new BatchNorm1d(s.get(i + 1)));
                net.add(Mlp.activation(activation));
            }
        }
        return net;
    }

    /**
     * {"type":"cnn","input":[C,H,W],"channels":[…],"hidden":[…],"outputs":…,"activation":"…","norm":"…"};
     * the kernel (3×3, padding 1) and pooling (2×2) are fixed.
     */
    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "cnn");
        m.put("input", List.of((long) inChannels, (long) height, (long) width));
        m.put("channels", channels.stream().map(Integer::longValue).toList());
        m.put("hidden", hidden.stream().map(Integer::longValue).toList());
        m.put("outputs", (long) outputs);
        m.put("activation", activation);
        m.put("norm", norm);
        return Json.write(m);
    }

    /** The architecture written by {@link #toJson}; a malformed one gets an IllegalArgumentException saying what is wrong. */
    public static Cnn fromJson(String json) {
        Map<?, ?> m = Mlp.object(json, "cnn");
        if (!(m.get("outputs") instanceof Long out) || out < 1 || out > Integer.MAX_VALUE || !(m.get("activation") instanceof String act)
            || !(m.get("norm") instanceof String norm))
            throw new IllegalArgumentException("architecture: a CNN needs a positive integer \"outputs\", an \"activation\" and a \"norm\": " + json);
        List<Integer> input = ints(m, "input", json);
        if (input.size() != 3)
            throw new IllegalArgumentException("architecture: \"input\" should be [channels, height, width], found " + input);
        return new Cnn(input.get(0), input.get(1), input.get(2), ints(m, "channels", json), ints(m, "hidden", json), (int) (long) out, act, norm);
    }

    /** A list of positive integers under key. */
    private static List<Integer> ints(Map<?, ?> m, String key, String json) {
        if (!(m.get(key) instanceof List<?> l)) throw new IllegalArgumentException("architecture: a CNN needs a \"" + key + "\" list: " + json);
        List<Integer> out = new ArrayList<>();
        for (Object x : l) {
            if (!(x instanceof Long v) || v < 1 || v > Integer.MAX_VALUE)
                throw new IllegalArgumentException("architecture: \"" + key + "\" holds " + x + ", not a positive integer");
            out.add((int) (long) v);
        }
        return out;
    }

    private static String shape(int c, int h, int w) { return c + "×" + h + "×" + w; }

    /** For example "CNN 1×28×28, conv 16-32, linear 1568-10 (relu, batch norm)". */
    @Override
    public String toString() {
        StringBuilder conv = new StringBuilder(), linear = new StringBuilder();
        for (int c : channels) conv.append(conv.isEmpty() ? "" : "-").append(c);
        for (int s : linearSizes()) linear.append(linear.isEmpty() ? "" : "-").append(s);
        return "CNN " + shape(inChannels, height, width) + ", conv " + conv + ", linear " + linear + " ("
            + activation + (norm.equals("none") ? "" : ", " + norm + " norm") + ")";
    }
}
