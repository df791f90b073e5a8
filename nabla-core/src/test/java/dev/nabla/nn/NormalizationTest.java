package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import dev.nabla.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * BatchNorm1d, BatchNorm2d and LayerNorm. The reference numbers were computed in float64 with NumPy
 * from the textbook definitions, with the closed-form backward of a normalization,
 * dx = γ/(n·σ) · (n·dy − Σdy − x̂·Σ(dy·x̂)), not with the composed graph the modules record.
 */
class NormalizationTest {
    private static final BatchNorm.Options BN64 = BatchNorm.Options.defaults().withDtype(DType.FLOAT64);
    private static final LayerNorm.Options LN64 = LayerNorm.Options.defaults().withDtype(DType.FLOAT64);

    private static Tensor t(double[] values, int... shape) { return Tensor.of(NdArray.of(values, shape)); }

    private static void set(Tensor p, double... values) { p.data().copyFrom(NdArray.of(values, p.shape())); }

    /** Runs forward and backward with output gradient g; returns the output. */
    private static Tensor forwardBackward(Module m, Tensor x, Tensor g) {
        x.requiresGrad(true);
        Tensor y = m.forward(x);
        y.backward(g);
        return y;
    }

    private static final double[] X1 = {0.5, -1.0, 2.0, 1.5, 0.25, -0.75, -2.0, 3.0, 0.0, 0.75, 1.25, 4.0};
    private static final double[] G1 = {1.0, -0.5, 0.25, 0.0, 2.0, -1.0, 0.5, 0.5, 0.5, -1.5, 1.0, 2.0};

    private static BatchNorm1d bn1d(BatchNorm.Options options) {
        BatchNorm1d bn = new BatchNorm1d(3, options);
        if (bn.weight() != null) {
            set(bn.weight(), 1.5, -0.5, 2.0);
            set(bn.bias(), 0.1, 0.2, -0.3);
        }
        return bn;
    }

    @Test
    void batchNorm1dTrainingMatchesTheReference() {
        BatchNorm1d bn = bn1d(BN64);
        Tensor x = t(X1, 4, 3);
        Tensor y = forwardBackward(bn, x, t(G1, 4, 3));
        assertArrayEquals(new double[] {0.4563347240204991, 0.8407667466078668, 0.4437346561843361, 1.5966058408860961, 0.41358891553595556,
            -2.531203968553008, -2.3943430681434936, -0.5262023128222488, -1.719857070897369, 0.7414025032368983, 0.07184665067842666,
            2.6073263832660416}, y.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.2239248350249952, 0.342989892687524, -0.5810778143622977, 0.3513456162694725, -0.4552404772000402,
            -0.42035828399481245, -0.015440468682989043, 0.1808485630500209, 0.7897088677364072, -1.5598299826114785, -0.06859797853750481,
            0.21172723062070267}, x.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-1.2352937099377301, 0.76892009592944, 3.760930931841245}, bn.weight().grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.0, 3.0, 1.75}, bn.bias().grad().data().toDoubleArray(), 1e-12);
    }

    @Test
    void runningStatisticsFollowTheMomentumWithTheUnbiasedVariance() {
        BatchNorm1d bn = bn1d(BN64);
        bn.forward(t(X1, 4, 3));
        assertArrayEquals(new double[] {0.018750000000000003, 0.08750000000000001, 0.13125}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.1307291666666668, 1.1854166666666668, 1.3557291666666667}, bn.runningVar().toDoubleArray(), 1e-15);
        bn.forward(t(new double[] {1, 2, 3, -1, 0, 5}, 2, 3));
        assertArrayEquals(new double[] {0.016875000000000005, 0.17875000000000002, 0.5181250000000001}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.21765625, 1.2668750000000002, 1.42015625}, bn.runningVar().toDoubleArray(), 1e-15);
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item());

        bn.eval();
        Tensor y = bn.forward(t(new double[] {0, 1, -1}, 1, 3));   // one sample is fine in evaluation mode
        assertArrayEquals(new double[] {0.07706118884191296, -0.16481844665969764, -2.847815257617915}, y.data().toDoubleArray(), 1e-12);
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item(), "evaluation leaves the statistics alone");
    }

    @Test
    void aNullMomentumKeepsTheCumulativeAverage() {
        BatchNorm1d bn = bn1d(BN64.withMomentum(null));
        bn.forward(t(X1, 4, 3));
        bn.forward(t(new double[] {1, 2, 3, -1, 0, 5}, 2, 3));
        assertArrayEquals(new double[] {0.09375, 0.9375, 2.65625}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {2.153645833333333, 2.427083333333333, 3.2786458333333335}, bn.runningVar().toDoubleArray(), 1e-14);
        assertEquals("BatchNorm1d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.toString());
    }

    @Test
    void batchNorm2dMatchesTheReference() {
        double[] x = {0.0, 3.0749944313574056, -0.5666233060804937, -2.477444046983197, 1.8823400534158243, 2.8954613378704708,
            -1.4996240627806268, -1.1544113367110995, 3.377485444569487, 2.090221719391841, -1.8841924756386703, 0.6530029225574037,
            4.199378700428008, 0.9740902137277714, -1.5153953372315898, 2.577175062066505, 4.237819184952173, -0.05691201992289252,
            -0.38508230349478745, 4.219983668698662, 3.5872480583600717, -0.6290000155005755, 1.3159851954992274, 5.2568008963718995};
        double[] g = new double[24];
        for (int i = 0; i < 24; i++) g[i] = Math.cos(i * 0.9);
        BatchNorm2d bn = new BatchNorm2d(2, BN64);
        set(bn.weight(), 0.75, 1.25);
        set(bn.bias(), -0.5, 0.5);
        Tensor in = t(x, 2, 2, 2, 3);
        Tensor y = forwardBackward(bn, in, t(g, 2, 2, 2, 3));
        assertArrayEquals(new double[] {-0.9485291858418788, 0.13855277075989048, -1.1488436859101727, -1.8243632018329377, -0.2830782544872271,
            0.07508365206740808, -0.9710884353375595, -0.78610547361265, 1.642320900981736, 0.9525379398621565, -1.1771602241916037,
            0.18240123976958916, 0.5360487267619825, -0.6041656693920684, -1.4842566367354126, -0.037437939494540884, 0.5496383309261765,
            -0.9686489068212194, -0.37385890111331443, 2.0937753375600763, 1.7547226365722302, -0.5045627175621514, 0.5376616782135374,
            2.649356018857953}, y.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.3497811309837769, 0.20704104358063996, -0.0824103521924041, -0.3161253597959962, -0.32625821853437353,
            -0.08670999343198488, 0.28727485167204525, 0.4833922005930791, 0.2794114083452141, -0.1787286440470835, -0.5415506720045444,
            -0.5265422428458757, -0.08469272600816435, 0.22235661989385705, 0.35400197890228025, 0.19905800082763359, -0.10795619980723269,
            -0.3280859244180317, -0.5236832689767764, -0.14077432070208087, 0.30752605815580525, 0.4834598292496638, 0.2622850524554778,
            -0.19207025189492458}, in.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.21007537376066288, -0.06696372786412733}, bn.weight().grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.2526550601769798, 1.1042050831796753}, bn.bias().grad().data().toDoubleArray(), 1e-12);
    }

    @Test
    void layerNormMatchesTheReference() {
        LayerNorm ln = new LayerNorm(new int[] {4}, LN64);
        set(ln.weight(), 1.0, 2.0, -1.0, 0.5);
        set(ln.bias(), 0.0, 0.1, 0.2, 0.3);
        Tensor x = t(new double[] {1.0, 2.0, 4.0, -3.0, 0.5, 0.5, 0.25, 8.0}, 2, 4);
        Tensor y = forwardBackward(ln, x, t(new double[] {0.25, -1.0, 0.5, 2.0, 1.0, 1.0, -2.0, 0.0}, 2, 4));
        assertArrayEquals(new double[] {0.0, 0.8844639371191705, -0.9766959056787559, -0.4844639371191705, -0.5517055517652634,
            -1.0034111035305266, 0.8278028692501271, 1.165606986390327}, y.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.2206304823147667, -0.5487477839269782, 0.26588749494704345, 0.062229806665168086, -0.1982990854341275,
            0.10609018450532814, 0.08923476823646423, 0.0029741326923351033}, x.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-0.5517055517652634, -0.9439375203248486, 1.8439536913396322, -3.137855748476682},
            ln.weight().grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.25, 0.0, -1.5, 2.0}, ln.bias().grad().data().toDoubleArray(), 1e-12);
    }

    @Test
    void layerNormOverTwoDimensionsMatchesTheReference() {
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, LN64);
        set(ln.weight(), 1.0, 0.5, -1.0, 2.0, 1.5, 0.25);
        set(ln.bias(), 0.0, 0.1, 0.2, 0.3, 0.4, 0.5);
        double[] x = {0.0, 3.0749944313574056, -0.5666233060804937, -2.477444046983197, 1.8823400534158243, 2.8954613378704708,
            -1.4996240627806268, -1.1544113367110995, 3.377485444569487, 2.090221719391841, -1.8841924756386703, 0.6530029225574037};
        double[] g = new double[12];
        for (int i = 0; i < 12; i++) g[i] = Math.cos(i * 0.9);
        Tensor in = t(x, 2, 2, 3);
        Tensor y = forwardBackward(ln, in, t(g, 2, 2, 3));
        assertArrayEquals(new double[] {-0.40083290631704704, 0.6685346090361203, 0.884219171106152, -2.9797623087172838, 1.2108774743736967,
            0.7618197576984505, -0.902273237473619, -0.262818225541243, -1.393222684894146, 2.16912355351514, -1.248571028431099,
            0.5497931447979472}, y.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.7053178679099166, 0.10682073978524223, 0.3655860266156833, -0.49463675709276606, -0.6229273776988733,
            -0.060160499519202396, 0.3875110521779053, 0.33214460426218484, -0.056544569872168465, -0.04516827855770987, -0.6516875572881594,
            0.033744749277947544}, in.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-0.9734993022952501, -0.018720311922000632, 1.1246951436024473, 1.2549638108401886, 0.5166011687396861,
            -0.397864515786184}, ln.weight().grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.6346928759426347, 1.6214686046540794, 0.38114921983916744, -1.1476162957528524, -1.807888678218824,
            -1.0999869520561405}, ln.bias().grad().data().toDoubleArray(), 1e-12);
    }

    /** Checks first and second derivatives of m with respect to its input and every parameter. */
    private static void assertGradientsCheck(Module m, Tensor x) {
        x.requiresGrad(true);
        List<Tensor> inputs = new java.util.ArrayList<>(List.of(x));
        inputs.addAll(m.parameters());
        // a weighted sum, so that the output's gradient is not uniform (a plain sum of a normalized output is constant)
        Tensor w = Tensor.randn(new SplittableRandom(9), DType.FLOAT64, x.shape());
        GradCheck.Result first = GradCheck.gradcheck(in -> m.forward(in.get(0)).mul(w).sum(), inputs);
        assertTrue(first.passed(), first::toString);
        GradCheck.Result second = GradCheck.gradgradcheck(in -> m.forward(in.get(0)).mul(w).sum(), inputs);
        assertTrue(second.passed(), second::toString);
    }

    @Test
    void gradientsOfEveryOrderCheckAgainstFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        BatchNorm1d bn1 = new BatchNorm1d(3, BN64);
        Init.uniform(bn1.weight(), 0.5, 1.5, rng);
        assertGradientsCheck(bn1, Tensor.randn(rng, DType.FLOAT64, 5, 3));
        assertGradientsCheck(new BatchNorm1d(2, BN64.withAffine(false)), Tensor.randn(rng, DType.FLOAT64, 3, 2, 4));
        BatchNorm2d bn2 = new BatchNorm2d(2, BN64);
        Init.uniform(bn2.bias(), -1, 1, rng);
        assertGradientsCheck(bn2, Tensor.randn(rng, DType.FLOAT64, 2, 2, 3, 2));
        BatchNorm1d evalMode = new BatchNorm1d(3, BN64);
        evalMode.forward(Tensor.randn(rng, DType.FLOAT64, 6, 3).mul(2).add(1));
        evalMode.eval();
        assertGradientsCheck(evalMode, Tensor.randn(rng, DType.FLOAT64, 4, 3));
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, LN64);
        Init.uniform(ln.weight(), 0.5, 1.5, rng);
        assertGradientsCheck(ln, Tensor.randn(rng, DType.FLOAT64, 2, 2, 3));
        // a non-contiguous input: the transpose of a [3, 4] array
        assertGradientsCheck(new LayerNorm(new int[] {3}, LN64.withBias(false)), Tensor.randn(rng, DType.FLOAT64, 3, 4).detach().t().detach());
    }

    @Test
    void float32AgreesWithFloat64() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x64 = Tensor.randn(rng, DType.FLOAT64, 16, 4, 3, 3).mul(3).add(2);
        Tensor x32 = x64.to(DType.FLOAT32);
        BatchNorm2d a = new BatchNorm2d(4, BN64), b = new BatchNorm2d(4);
        // float32 rounding of values of order 10 after normalization: a few ulps of 1
        assertArrayEquals(a.forward(x64).data().toDoubleArray(), b.forward(x32).data().toDoubleArray(), 2e-6);
        assertArrayEquals(a.runningVar().toDoubleArray(), b.runningVar().toDoubleArray(), 1e-5);
        LayerNorm c = new LayerNorm(new int[] {3, 3}, LN64), d = new LayerNorm(3, 3);
        assertArrayEquals(c.forward(x64).data().toDoubleArray(), d.forward(x32).data().toDoubleArray(), 2e-6);
    }

    @Test
    void withoutRunningStatisticsTheBatchIsUsedInBothModes() {
        BatchNorm1d bn = bn1d(BN64.withTrackRunningStats(false));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.stateDict().keySet()));
        Tensor x = t(X1, 4, 3);
        double[] training = bn.forward(x).data().toDoubleArray();
        bn.eval();
        assertArrayEquals(training, bn.forward(x).data().toDoubleArray(), 0.0);
        assertNull(bn.runningMean());
    }

    @Test
    void buffersAreInTheStateDictInPyTorchsOrderButNotAmongTheParameters() {
        Sequential net = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2), new LayerNorm(2));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "3.weight", "3.bias", "4.weight", "4.bias"), List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(8, net.parameters().size(), "an optimizer sees no buffer");
        assertArrayEquals(new int[0], net.stateDict().get("1.num_batches_tracked").shape());
    }

    @Test
    void buffersAreLoadedAndSavedWithTheParameters(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        BatchNorm1d trained = new BatchNorm1d(3, BN64);
        for (int i = 0; i < 3; i++) trained.forward(Tensor.randn(rng, DType.FLOAT64, 8, 3).mul(2).add(i));
        Path file = dir.resolve("bn.safetensors");
        Safetensors.write(file, trained.stateDict(), Map.of());
        BatchNorm1d loaded = new BatchNorm1d(3, BN64);
        loaded.loadStateDict(Safetensors.read(file).tensors());
        assertArrayEquals(trained.runningMean().toDoubleArray(), loaded.runningMean().toDoubleArray(), 0.0);
        assertArrayEquals(trained.runningVar().toDoubleArray(), loaded.runningVar().toDoubleArray(), 0.0);
        assertEquals(3, loaded.stateDict().get("num_batches_tracked").item());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> loaded.loadStateDict(Map.of("weight", NdArray.ones(DType.FLOAT64, 3), "bias", NdArray.zeros(DType.FLOAT64, 3),
                "running_mean", NdArray.zeros(DType.FLOAT64, 4), "running_var", NdArray.ones(DType.FLOAT64, 3))));
        assertEquals("loadStateDict: BatchNorm1d: missing entries [num_batches_tracked]; entry 'running_mean' has shape [4] but the buffer "
            + "has shape [3]", e.getMessage());
        assertArrayEquals(trained.runningMean().toDoubleArray(), loaded.runningMean().toDoubleArray(), 0.0, "nothing copied");
    }

    @Test
    void trainingOnOneValuePerChannelIsAnError() {
        BatchNorm1d bn = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(DType.FLOAT32, 1, 3)));
        assertEquals("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): training needs more than 1 value "
            + "per channel, got an input of shape [1, 3]", e.getMessage());
        assertEquals(0, bn.runningMean().sumAll(), "nothing updated");
        bn.eval();
        assertEquals(3, bn.forward(Tensor.ones(DType.FLOAT32, 1, 3)).numel());
    }

    @Test
    void badInputsAndSettingsAreClearErrors() {
        assertEquals("BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): input of shape [2, 4, 5] should be "
            + "[N, C, H, W] with C = 4",
            assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(4).forward(Tensor.ones(DType.FLOAT32, 2, 4, 5))).getMessage());
        assertEquals("BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): input of shape [2, 3] should be "
            + "[N, C] or [N, C, L] with C = 4",
            assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4).forward(Tensor.ones(DType.FLOAT32, 2, 3))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(2).forward(Tensor.ones(DType.FLOAT64, 2, 2)))
            .getMessage().endsWith("input is float64 but the module is float32; convert the input with to(float32)"));
        assertEquals("LayerNorm((3,), eps=1e-05, elementwise_affine=True): input of shape [2, 4] should end in the normalized shape [3]",
            assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3).forward(Tensor.ones(DType.FLOAT32, 2, 4))).getMessage());
        assertEquals("BatchNorm1d: num_features=0 must be positive", assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0)).getMessage());
        assertEquals("BatchNorm: momentum=1.5 must be in [0, 1] (or null for a cumulative average)",
            assertThrows(IllegalArgumentException.class, () -> BatchNorm.Options.defaults().withMomentum(1.5)).getMessage());
        assertEquals("LayerNorm: eps=-1.0 must be finite and at least 0",
            assertThrows(IllegalArgumentException.class, () -> LayerNorm.Options.defaults().withEps(-1)).getMessage());
        assertEquals("LayerNorm: normalized_shape [] must name at least one dimension, each of positive size",
            assertThrows(IllegalArgumentException.class, LayerNorm::new).getMessage());
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("BatchNorm2d(16, eps=0.001, momentum=0.01, affine=False, track_running_stats=False)",
            new BatchNorm2d(16, BatchNorm.Options.defaults().withEps(1e-3).withMomentum(0.01).withAffine(false).withTrackRunningStats(false)).toString());
        assertEquals("LayerNorm((2, 3), eps=1e-06, elementwise_affine=False)",
            new LayerNorm(new int[] {2, 3}, LayerNorm.Options.defaults().withEps(1e-6).withElementwiseAffine(false)).toString());
        assertEquals("0.0001", Repr.number(1e-4));
        assertEquals("1.5e+16", Repr.number(1.5e16));
        assertEquals("-2.0", Repr.number(-2));
        assertEquals("123456.789", Repr.number(123456.789));
    }
}
