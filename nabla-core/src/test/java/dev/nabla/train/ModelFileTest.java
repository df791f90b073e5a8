package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.io.Safetensors;
import dev.nabla.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ModelFileTest {
    @TempDir Path dir;

    @Test
    void savedMlpIsRebuiltFromItsFileAndPredictsTheSame() throws IOException {
        Mlp arch = new Mlp(3, List.of(5, 4), 2, "gelu");
        Sequential model = arch.build(new SplittableRandom(8));
        Path f = dir.resolve("model.safetensors");
        ModelFile.save(f, model, arch, Map.of("nabla.dataset", "test"));
        ModelFile.Loaded loaded = ModelFile.load(f);
        assertEquals(arch, loaded.architecture());
        assertEquals("test", loaded.metadata().get("nabla.dataset"));
        Tensor x = Tensor.of(NdArray.randn(new SplittableRandom(2), DType.FLOAT32, 7, 3));
        assertArrayEquals(model.forward(x).data().toFloatArray(), loaded.model().forward(x).data().toFloatArray());
        // The names are PyTorch's (a Sequential's layers by position), in the reference writer's sorted order.
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"),
            List.copyOf(Safetensors.read(f).tensors().keySet()));
    }

    @Test
    void architectureJsonRoundTripsAndRejectsNonsense() {
        Mlp m = new Mlp(784, List.of(256), 10, "relu");
        assertEquals("{\"type\":\"mlp\",\"inputs\":784,\"hidden\":[256],\"outputs\":10,\"activation\":\"relu\"}", m.toJson());
        assertEquals(m, Mlp.fromJson(m.toJson()));
        assertEquals("MLP 784-256-10 (relu)", m.toString());
        assertThrows(IllegalArgumentException.class, () -> Mlp.fromJson("{\"type\":\"cnn\"}"));
        assertThrows(IllegalArgumentException.class, () -> Mlp.fromJson("{\"type\":\"mlp\",\"inputs\":2}"));
        assertThrows(IllegalArgumentException.class, () -> new Mlp(2, List.of(0), 2, "relu"));
        var e = assertThrows(IllegalArgumentException.class, () -> new Mlp(2, List.of(3), 2, "swish"));
        assertTrue(e.getMessage().contains("choose from relu, tanh"), e.getMessage());
    }

    @Test
    void aNormalizedMlpKeepsItsRunningStatisticsInItsFile() throws IOException {
        Mlp arch = new Mlp(3, List.of(6, 5), 2, "relu", "batch");
        Sequential model = arch.build(new SplittableRandom(8));
        assertEquals("Sequential(\n  (0): Linear(in_features=3, out_features=6, bias=True)\n"
            + "  (1): BatchNorm1d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n  (2): ReLU()\n"
            + "  (3): Linear(in_features=6, out_features=5, bias=True)\n"
            + "  (4): BatchNorm1d(5, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n  (5): ReLU()\n"
            + "  (6): Linear(in_features=5, out_features=2, bias=True)\n)", model.toString());
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 3; i++) model.forward(Tensor.of(NdArray.randn(rng, DType.FLOAT32, 16, 3)).mul(2).add(1));   // moves the running statistics
        Path f = dir.resolve("bn.safetensors");
        ModelFile.save(f, model, arch, Map.of());
        ModelFile.Loaded loaded = ModelFile.load(f);
        assertEquals(arch, loaded.architecture());
        assertEquals(3, loaded.model().stateDict().get("1.num_batches_tracked").item());
        model.eval();
        loaded.model().eval();
        Tensor x = Tensor.of(NdArray.randn(rng, DType.FLOAT32, 7, 3));
        assertArrayEquals(model.forward(x).data().toFloatArray(), loaded.model().forward(x).data().toFloatArray(),
            "evaluation mode uses the running statistics read back from the file");

        Mlp layer = new Mlp(3, List.of(4), 2, "tanh", "layer");
        assertEquals("{\"type\":\"mlp\",\"inputs\":3,\"hidden\":[4],\"outputs\":2,\"activation\":\"tanh\",\"norm\":\"layer\"}", layer.toJson());
        assertEquals(layer, Mlp.fromJson(layer.toJson()));
        assertEquals("MLP 3-4-2 (tanh, layer norm)", layer.toString());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(layer.build(rng).stateDict().keySet()));
        var e = assertThrows(IllegalArgumentException.class, () -> new Mlp(2, List.of(3), 2, "relu", "group"));
        assertEquals("MLP: unknown normalization \"group\" (choose from none, batch, layer)", e.getMessage());
    }

    @Test
    void savedCnnIsRebuiltWithItsWeightsAndRunningStatistics() throws IOException {
        Cnn arch = new Cnn(1, 8, 8, List.of(4, 6), List.of(5), 3, "relu", "batch");
        Sequential model = arch.build(new SplittableRandom(8));
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 3; i++) model.forward(Tensor.of(NdArray.randn(rng, DType.FLOAT32, 6, 64)).mul(2).add(1));   // moves the running statistics
        Path f = dir.resolve("cnn.safetensors");
        ModelFile.save(f, model, arch, Map.of("nabla.dataset", "digits"));
        assertEquals(arch.toJson(), Safetensors.read(f).metadata().get(ModelFile.ARCHITECTURE_KEY));

        ModelFile.Loaded loaded = ModelFile.load(f);
        assertEquals(arch, loaded.architecture());
        assertInstanceOf(Cnn.class, loaded.architecture());
        assertEquals("digits", loaded.metadata().get("nabla.dataset"));
        Map<String, NdArray> saved = model.stateDict(), read = loaded.model().stateDict();
        assertEquals(saved.keySet(), read.keySet());
        assertTrue(read.keySet().containsAll(List.of("2.running_mean", "2.running_var", "6.num_batches_tracked", "11.running_mean")),
            read.keySet().toString());
        for (String k : saved.keySet())
            assertArrayEquals(saved.get(k).toDoubleArray(), read.get(k).toDoubleArray(), 0.0, k);
        assertEquals(3, read.get("2.num_batches_tracked").item());

        model.eval();
        loaded.model().eval();
        Tensor x = Tensor.of(NdArray.randn(rng, DType.FLOAT32, 5, 64));
        assertArrayEquals(model.forward(x).data().toFloatArray(), loaded.model().forward(x).data().toFloatArray(),
            "the same predictions in evaluation mode");
    }

    /** A file as nabla wrote it before CNNs existed: its architecture JSON and tensor names, byte for byte. */
    @Test
    void anMlpFileWrittenBeforeCnnsStillLoads() throws IOException {
        SplittableRandom rng = new SplittableRandom(4);
        Map<String, NdArray> tensors = Map.of("0.weight", NdArray.randn(rng, DType.FLOAT32, 5, 3), "0.bias", NdArray.randn(rng, DType.FLOAT32, 5),
            "2.weight", NdArray.randn(rng, DType.FLOAT32, 2, 5), "2.bias", NdArray.randn(rng, DType.FLOAT32, 2));
        Path f = dir.resolve("old.safetensors");
        Safetensors.write(f, tensors, Map.of(ModelFile.ARCHITECTURE_KEY,
            "{\"type\":\"mlp\",\"inputs\":3,\"hidden\":[5],\"outputs\":2,\"activation\":\"tanh\"}", "nabla.dataset", "old"));
        ModelFile.Loaded loaded = ModelFile.load(f);
        assertEquals(new Mlp(3, List.of(5), 2, "tanh"), loaded.architecture());
        for (String k : tensors.keySet()) assertArrayEquals(tensors.get(k).toFloatArray(), loaded.model().stateDict().get(k).toFloatArray(), k);
        Tensor x = Tensor.of(NdArray.randn(rng, DType.FLOAT32, 4, 3));
        Tensor expected = x.matmul(Tensor.of(tensors.get("0.weight")).transpose(0, 1)).add(Tensor.of(tensors.get("0.bias"))).tanh()
            .matmul(Tensor.of(tensors.get("2.weight")).transpose(0, 1)).add(Tensor.of(tensors.get("2.bias")));
        assertArrayEquals(expected.data().toFloatArray(), loaded.model().forward(x).data().toFloatArray(), 1e-6f);
    }

    @Test
    void aCnnFileWithAnUnknownTypeOrWrongWeightsIsRejected() throws IOException {
        Path unknown = dir.resolve("unknown.safetensors");
        Safetensors.write(unknown, Map.of("0.weight", NdArray.zeros(DType.FLOAT32, 2, 2)), Map.of(ModelFile.ARCHITECTURE_KEY, "{\"type\":\"rnn\"}"));
        IOException e1 = assertThrows(IOException.class, () -> ModelFile.load(unknown));
        assertTrue(e1.getMessage().contains("unknown \"type\" \"rnn\""), e1.getMessage());
        Cnn small = new Cnn(1, 4, 4, List.of(2), List.of(), 2, "relu", "none");
        Path wrong = dir.resolve("wrong.safetensors");
        ModelFile.save(wrong, new Cnn(1, 4, 4, List.of(3), List.of(), 2, "relu", "none").build(new SplittableRandom(1)), small, Map.of());
        IOException e2 = assertThrows(IOException.class, () -> ModelFile.load(wrong));
        assertTrue(e2.getMessage().contains("do not fit the architecture CNN 1×4×4, conv 2, linear 8-2 (relu)")
            && e2.getMessage().contains("entry '1.weight' has shape [3, 1, 3, 3] but the parameter has shape [2, 1, 3, 3]"), e2.getMessage());
    }

    @Test
    void fileWithoutArchitectureOrWithWrongShapesIsRejected() throws IOException {
        Path bare = dir.resolve("bare.safetensors");
        Safetensors.write(bare, Map.of("0.weight", NdArray.zeros(DType.FLOAT32, 2, 2)), Map.of());
        IOException e1 = assertThrows(IOException.class, () -> ModelFile.load(bare));
        assertTrue(e1.getMessage().contains("cannot be rebuilt"), e1.getMessage());
        Path wrong = dir.resolve("wrong.safetensors");
        Safetensors.write(wrong, Map.of("0.weight", NdArray.zeros(DType.FLOAT32, 2, 2), "0.bias", NdArray.zeros(DType.FLOAT32, 2)),
            Map.of(ModelFile.ARCHITECTURE_KEY, new Mlp(3, List.of(), 2, "relu").toJson()));
        IOException e2 = assertThrows(IOException.class, () -> ModelFile.load(wrong));
        assertTrue(e2.getMessage().contains("do not fit the architecture MLP 3-2"), e2.getMessage());
    }
}
