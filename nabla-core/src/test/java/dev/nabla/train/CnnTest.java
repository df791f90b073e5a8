package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The CNN architecture as data: its network, its JSON, and what it rejects; Architecture's dispatch on "type". */
class CnnTest {

    @Test
    void buildsUnflattenThenConvolutionBlocksThenLinearLayers() {
        Cnn arch = new Cnn(1, 28, 28, List.of(16, 32), List.of(), 10, "relu", "batch");
        Sequential net = arch.build(new SplittableRandom(1));
        assertEquals("""
            Sequential(
              (0): Unflatten(dim=1, unflattened_size=(1, 28, 28))
              (1): Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (2): BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
              (3): ReLU()
              (4): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
              (5): Conv2d(16, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (6): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
              (7): ReLU()
              (8): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
              (9): Flatten(start_dim=1, end_dim=-1)
              (10): Linear(in_features=1568, out_features=10, bias=True)
            )""", net.toString());
        assertEquals(784, arch.inputs());
        assertEquals(32 * 7 * 7, arch.flattened());
        assertEquals("CNN 1×28×28, conv 16-32, linear 1568-10 (relu, batch norm)", arch.toString());
        long counted = net.parameters().stream().mapToLong(p -> p.data().numel()).sum();
        assertEquals(counted, arch.parameterCount());
        assertEquals((16 * 9 + 16) + 32 + (32 * 16 * 9 + 32) + 64 + (1568 * 10 + 10), arch.parameterCount());

        Tensor rows = Tensor.of(NdArray.randn(new SplittableRandom(2), DType.FLOAT32, 3, 784));
        assertArrayEquals(new int[] {3, 10}, net.forward(rows).shape(), "flat rows in, one row of outputs per sample out");
    }

    @Test
    void hiddenLayersOddSizesAndSeveralChannels() {
        Cnn arch = new Cnn(3, 9, 7, List.of(4), List.of(12, 6), 2, "tanh", "none");
        Sequential net = arch.build(new SplittableRandom(1));
        // 9×7 pooled once: 4×3; the hidden Linear layers have activations, the last none
        assertEquals(List.of(48, 12, 6, 2), arch.linearSizes());
        assertEquals("CNN 3×9×7, conv 4, linear 48-12-6-2 (tanh)", arch.toString());
        assertEquals(List.of("Unflatten", "Conv2d", "Tanh", "MaxPool2d", "Flatten", "Linear", "Tanh", "Linear", "Tanh", "Linear"),
            net.layers().stream().map(m -> m.getClass().getSimpleName()).toList());
        assertEquals(List.of("1.weight", "1.bias", "5.weight", "5.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
            List.copyOf(net.stateDict().keySet()));
        assertEquals(net.parameters().stream().mapToLong(p -> p.data().numel()).sum(), arch.parameterCount());
        assertArrayEquals(new int[] {5, 2}, net.forward(Tensor.of(NdArray.zeros(DType.FLOAT32, 5, 3 * 9 * 7))).shape());

        Cnn bn = new Cnn(1, 8, 8, List.of(2, 3), List.of(5), 4, "relu", "batch");
        Sequential bnNet = bn.build(new SplittableRandom(3));
        assertTrue(bnNet.stateDict().keySet().containsAll(List.of("2.running_mean", "6.running_var", "11.num_batches_tracked")),
            bnNet.stateDict().keySet().toString());
        assertEquals(bnNet.parameters().stream().mapToLong(p -> p.data().numel()).sum(), bn.parameterCount());
    }

    @Test
    void sameSeedSameWeights() {
        Cnn arch = new Cnn(1, 8, 8, List.of(3), List.of(), 2, "relu", "none");
        var a = arch.build(new SplittableRandom(5)).stateDict();
        var b = arch.build(new SplittableRandom(5)).stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }

    @Test
    void jsonRoundTrips() {
        Cnn arch = new Cnn(1, 28, 28, List.of(16, 32), List.of(64), 10, "gelu", "batch");
        assertEquals("{\"type\":\"cnn\",\"input\":[1,28,28],\"channels\":[16,32],\"hidden\":[64],\"outputs\":10,\"activation\":\"gelu\","
            + "\"norm\":\"batch\"}", arch.toJson());
        assertEquals(arch, Cnn.fromJson(arch.toJson()));
        assertEquals(arch, Architecture.fromJson(arch.toJson()));
        Mlp mlp = new Mlp(4, List.of(3), 2, "relu", "layer");
        assertEquals(mlp, Architecture.fromJson(mlp.toJson()));
        assertEquals(new Mlp(784, List.of(256), 10, "relu"),
            Architecture.fromJson("{\"type\":\"mlp\",\"inputs\":784,\"hidden\":[256],\"outputs\":10,\"activation\":\"relu\"}"),
            "an MLP written before CNNs existed");
    }

    @Test
    void malformedJsonSaysWhatIsWrong() {
        assertMessage("architecture: malformed JSON", "{\"type\":\"cnn\",");
        assertMessage("architecture: expected a JSON object, found [1, 2]", "[1, 2]");
        assertMessage("architecture: no \"type\" (expected \"mlp\" or \"cnn\")", "{\"inputs\":3}");
        assertMessage("architecture: unknown \"type\" \"rnn\" (expected \"mlp\" or \"cnn\")", "{\"type\":\"rnn\"}");
        assertMessage("architecture: unknown \"type\" 7", "{\"type\":7}");
        String good = new Cnn(1, 28, 28, List.of(16), List.of(), 10, "relu", "none").toJson();
        assertMessage("a CNN needs a \"channels\" list", good.replace("\"channels\":[16],", ""));
        assertMessage("\"channels\" holds 0, not a positive integer", good.replace("[16]", "[0]"));
        assertMessage("\"channels\" holds 1.5, not a positive integer", good.replace("[16]", "[1.5]"));
        assertMessage("\"input\" should be [channels, height, width], found [28, 28]", good.replace("[1,28,28]", "[28,28]"));
        assertMessage("a CNN needs a positive integer \"outputs\"", good.replace("\"outputs\":10", "\"outputs\":\"ten\""));
        assertMessage("a CNN needs a positive integer \"outputs\", an \"activation\" and a \"norm\"", good.replace(",\"norm\":\"none\"", ""));
        assertMessage("CNN: unknown activation \"swish\"", good.replace("relu", "swish"));
        assertMessage("CNN: unknown normalization \"layer\" (choose from none, batch)", good.replace("\"norm\":\"none\"", "\"norm\":\"layer\""));
        assertMessage("CNN: needs at least one convolution block", good.replace("[16]", "[]"));
        assertMessage("expected an object with \"type\": \"mlp\"", good, Mlp::fromJson);
    }

    @Test
    void rejectsImpossibleShapes() {
        var small = assertThrows(IllegalArgumentException.class, () -> new Cnn(1, 28, 3, List.of(8, 8), List.of(), 2, "relu", "none"));
        assertEquals("CNN: a 1×28×3 image is too small for 2 convolution blocks: each halves the height and width (2×2 max pooling), "
            + "and 3 can be halved only 1 time(s)", small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Cnn(0, 28, 28, List.of(8), List.of(), 2, "relu", "none"));
        assertThrows(IllegalArgumentException.class, () -> new Cnn(1, 28, 28, List.of(8, -1), List.of(), 2, "relu", "none"));
        assertThrows(IllegalArgumentException.class, () -> new Cnn(1, 28, 28, List.of(8), List.of(0), 2, "relu", "none"));
        assertThrows(IllegalArgumentException.class, () -> new Cnn(1, 28, 28, List.of(8), List.of(), 0, "relu", "none"));
        assertNotNull(new Cnn(1, 4, 4, List.of(8, 8), List.of(), 2, "relu", "none"), "4×4 halves twice, to 1×1");
    }

    private static void assertMessage(String expected, String json) { assertMessage(expected, json, Architecture::fromJson); }

    private static void assertMessage(String expected, String json, java.util.function.Function<String, ?> read) {
        var e = assertThrows(IllegalArgumentException.class, () -> read.apply(json));
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
