package dev.nabla.cli.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.data.TensorDataset;
import dev.nabla.nn.Sequential;
import dev.nabla.train.Mlp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The paths that keep nabla train's memory low give what the copying paths give: in-place
 * normalization, MNIST normalized before the split, and the decision grid evaluated in chunks.
 */
class MemoryPathsTest {

    @Test
    void inPlaceNormalizationMatchesApplyBitForBit() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[7 * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble(-4, 4);
        for (Normalization norm : List.of(Normalization.mnist(), new Normalization(new float[] {0.5f, -1f, 3f}, new float[] {2f, 0.3f, 7f}))) {
            NdArray a = NdArray.of(x.clone(), 7, 3);
            float[] expected = norm.apply(a).toFloatArray();
            assertArrayEquals(x, a.toFloatArray(), "apply leaves its input alone");
            NdArray b = NdArray.of(x.clone(), 7, 3);
            assertSame(b, norm.applyInPlace(b));
            assertArrayEquals(expected, b.toFloatArray());
        }
        NdArray view = NdArray.of(x.clone(), 7, 3).narrow(0, 1, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.mnist().applyInPlace(view));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalization.mnist().applyInPlace(NdArray.zeros(DType.FLOAT64, 2, 3)));
        assertThrows(IllegalArgumentException.class,
            () -> new Normalization(new float[] {0, 0}, new float[] {1, 1}).applyInPlace(NdArray.zeros(DType.FLOAT32, 2, 3)));
    }

    @Test
    void identityIsRecognizedAndLeavesTheDatasetAlone() {
        assertTrue(Normalization.identity().isIdentity());
        assertTrue(new Normalization(new float[] {0, 0}, new float[] {1, 1}).isIdentity());
        assertFalse(Normalization.mnist().isIdentity());
        assertFalse(new Normalization(new float[] {0, 0}, new float[] {1, 2}).isIdentity());
        TensorDataset d = new TensorDataset(NdArray.of(new float[] {1, 2, 3, 4}, 2, 2), NdArray.of(new float[] {0, 1}, 2));
        assertSame(d, DataSource.normalized(d, Normalization.identity()));
        TensorDataset view = d.subsetView(new int[] {1});
        TensorDataset scaled = DataSource.normalized(view, new Normalization(new float[] {1}, new float[] {2}));
        assertArrayEquals(new float[] {1f, 1.5f}, scaled.features().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features().toFloatArray(), "the shared array is not scaled");
    }

    @Test
    void chunkedDecisionGridEqualsOneForwardPass() {
        Sequential model = new Mlp(2, List.of(16, 8), 3, "tanh").build(new SplittableRandom(3));
        int n = 2 * Plots.CHUNK + 123;
        float[] xy = new float[2 * n];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < xy.length; i++) xy[i] = (float) rng.nextDouble(-2, 2);
        float[] chunked = Plots.probabilities(model, 3, xy, n);
        float[] whole;
        try (var ignored = Tensor.noGrad()) {
            model.eval();
            whole = model.forward(Tensor.of(NdArray.of(xy.clone(), n, 2))).data().softmax(1).to(DType.FLOAT32).toFloatArray();
            model.train(true);
        }
        assertEquals(whole.length, chunked.length);
        for (int i = 0; i < whole.length; i++) assertEquals(whole[i], chunked[i], 1e-6f, "probability " + i);
        assertTrue(model.isTraining(), "the model's mode is restored");
    }

    @Test
    void mnistNormalizedBeforeTheSplitEqualsTheCopyingPath() throws Exception {
        Path dir = Run.mnist();
        Assumptions.assumeTrue(dir != null && dev.nabla.data.Mnist.isPresent(dir),
            "MNIST not found: set NABLA_MNIST_DIR or put the files in ../shared/data/mnist beside the repository");
        Settings s = new Settings("mnist", dir.toString(), null, 0, 0, 0, "mlp", List.of(), List.of(), List.of(32), "relu", "none", "cross_entropy", "adam", 0.01, 0,
            0, "none", 1, 0.1, 0, 1, 32, 42, 0.2, 0, 0, "none");
        PreparedData fast = DataSource.load(s);
        PreparedData raw = DataSource.raw(s);
        PreparedData slow = DataSource.normalized(raw, raw.normalization());
        for (TensorDataset[] pair : new TensorDataset[][] {{fast.train(), slow.train()}, {fast.validation(), slow.validation()}}) {
            assertEquals(pair[1].size(), pair[0].size());
            int[] some = {0, 1, pair[0].size() / 2, pair[0].size() - 1};
            assertArrayEquals(pair[1].get(some).features().toFloatArray(), pair[0].get(some).features().toFloatArray());
            assertArrayEquals(pair[1].labels().toFloatArray(), pair[0].labels().toFloatArray());
        }
        assertArrayEquals(slow.train().features().toFloatArray(), fast.train().features().toFloatArray());
    }
}
