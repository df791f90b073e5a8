package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.UnaryOp;
import dev.nabla.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Linear layer followed by a ReLU runs in {@link Sequential} as one fused primitive
 * ({@code linear_relu}), and so does a Conv2d ({@code conv2d_relu}); these tests hold them to the two
 * layers run one by one: the same outputs, gradients, second derivatives and training steps, bit for
 * bit, in float32 and float64.
 */
class SequentialFusionTest {

    /** Linear(5, 7), ReLU, Linear(7, 3, no bias), ReLU, Linear(3, 2): two fusable pairs, one without a bias. */
    private static Sequential net(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(5, 7, true, dtype, rng), new ReLU(), new Linear(7, 3, false, dtype, rng), new ReLU(),
            new Linear(3, 2, true, dtype, rng));
    }

    /** The layers applied one by one, as Sequential did before the fusion. */
    private static Tensor layerByLayer(Sequential net, Tensor x) {
        for (Module m : net.layers()) x = m.forward(x);
        return x;
    }

    private static Tensor input(DType dtype) {
        return Tensor.randn(new SplittableRandom(7), dtype, 6, 5);
    }

    private static void assertSameValues(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.data().toDoubleArray(), actual.data().toDoubleArray(), 0.0, what);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void forwardAndGradientsEqualTheLayersRunOneByOne(DType dtype) {
        Sequential fused = net(dtype, 3), plain = net(dtype, 3);
        Tensor x1 = input(dtype).requiresGrad(true), x2 = input(dtype).requiresGrad(true);
        Tensor y1 = fused.forward(x1), y2 = layerByLayer(plain, x2);
        assertSameValues(y2, y1, "outputs");
        // some pre-activations are negative: the ReLUs do cut something
        Tensor h = fused.get(0).forward(x1);
        assertTrue(java.util.Arrays.stream(h.data().toDoubleArray()).anyMatch(v -> v < 0), "some hidden pre-activations are negative");
        y1.square().sum().backward();
        y2.square().sum().backward();
        assertSameValues(x2.grad(), x1.grad(), "input gradient");
        List<Tensor> p1 = fused.parameters(), p2 = plain.parameters();
        for (int i = 0; i < p1.size(); i++) assertSameValues(p2.get(i).grad(), p1.get(i).grad(), "gradient of parameter " + i);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void trainingStepsWithKeptGradientArraysEqualTheLayersRunOneByOne(DType dtype) {
        // zeroGrad(false): the engine writes the weights' gradients straight into their kept arrays
        Sequential fused = net(dtype, 5), plain = net(dtype, 5);
        SGD s1 = new SGD(fused.parameters(), 0.1), s2 = new SGD(plain.parameters(), 0.1);
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(new SplittableRandom(step), dtype, 4, 5);
            s1.zeroGrad(false);
            s2.zeroGrad(false);
            fused.forward(x).square().mean().backward();
            layerByLayer(plain, x).square().mean().backward();
            s1.step();
            s2.step();
        }
        List<Tensor> p1 = fused.parameters(), p2 = plain.parameters();
        for (int i = 0; i < p1.size(); i++) assertSameValues(p2.get(i), p1.get(i), "parameter " + i + " after three steps");
    }

    @Test
    void secondDerivativesEqualTheLayersRunOneByOne() {
        Sequential fused = net(DType.FLOAT64, 9), plain = net(DType.FLOAT64, 9);
        Tensor x = input(DType.FLOAT64);
        List<Tensor> gradients = new ArrayList<>();
        for (Sequential net : List.of(fused, plain)) {
            Tensor w = ((Linear) net.get(0)).weight();
            Tensor y = net == fused ? net.forward(x) : layerByLayer(net, x);
            Tensor g = y.square().sum().gradient(List.of(w), null, true, true).get(0);   // ∂L/∂W0, with a graph
            gradients.add(g.square().sum().gradient(List.of(w), null, false, false).get(0));   // ∂(Σ (∂L/∂W0)²)/∂W0
        }
        assertSameValues(gradients.get(1), gradients.get(0), "gradient of the squared gradient");
        assertTrue(java.util.Arrays.stream(gradients.get(0).data().toDoubleArray()).anyMatch(v -> v != 0), "a non-zero second derivative");
    }

    @Test
    void onlyALinearDirectlyFollowedByAReluIsFused() {
        Tensor x = input(DType.FLOAT64);
        SplittableRandom rng = new SplittableRandom(1);
        assertEquals("linear_relu", new Sequential(new Linear(5, 4, true, DType.FLOAT64, rng), new ReLU()).forward(x).op().name());
        assertEquals("relu", new Sequential(new Linear(5, 4, true, DType.FLOAT64, rng), new ReLU(), new ReLU()).forward(x).op().name());
        Tensor twoRelus = new Sequential(new Linear(5, 4, true, DType.FLOAT64, rng), new ReLU(), new ReLU()).forward(x);
        assertEquals("linear_relu", twoRelus.inputs().get(0).op().name(), "the first ReLU fused, the second applied to it");
        assertEquals("sigmoid", new Sequential(new Linear(5, 4, true, DType.FLOAT64, rng), new Sigmoid()).forward(x).op().name());
        assertEquals("linear", new Sequential(new ReLU(), new Linear(5, 4, true, DType.FLOAT64, rng)).forward(x).op().name());
        Tensor dropoutBetween = new Sequential(new Linear(5, 4, true, DType.FLOAT64, rng), new Dropout(0.5), new ReLU()).forward(x);
        assertEquals("relu", dropoutBetween.op().name(), "a layer in between keeps them apart");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void arrayLinearReluEqualsLinearThenRelu(DType dtype) {
        SplittableRandom rng = new SplittableRandom(11);
        NdArray x = NdArray.randn(rng, dtype, 9, 6), w = NdArray.randn(rng, dtype, 20, 6);
        NdArray wide = NdArray.randn(rng, dtype, 2, 20);
        x.set(Double.NaN, 2, 3);   // a NaN row stays NaN through the ReLU, as relu(NaN) = NaN
        for (NdArray b : new NdArray[] {null, NdArray.randn(rng, dtype, 20), wide.select(0, 1), wide.transpose(0, 1).select(1, 0)}) {
            NdArray expected = x.linear(w, b).unary(UnaryOp.RELU), actual = x.linearRelu(w, b);
            assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, "bias " + (b == null ? "none" : java.util.Arrays.toString(b.strides())));
            assertTrue(Double.isNaN(actual.get(2, 0)), "the NaN row");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.linearRelu(w, NdArray.zeros(dtype, 3)));
        assertTrue(e.getMessage().startsWith("linearRelu: input [9, 6], weight [20, 6], bias [3]"), e.getMessage());
    }

    /** Conv2d(2, 4, 3, padding 1), ReLU, MaxPool2d(2), Conv2d(4, 3, 2, no bias), ReLU, Flatten, Linear(12, 2). */
    private static Sequential cnn(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Conv2d(2, 4, 3, 1, 1, true, dtype, rng), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 3, 2, 1, 0, false, dtype, rng), new ReLU(), new Flatten(), new Linear(12, 2, true, dtype, rng));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void convolutionsFollowedByReluEqualTheLayersRunOneByOne(DType dtype) {
        Sequential fused = cnn(dtype, 3), plain = cnn(dtype, 3);
        Tensor x1 = Tensor.randn(new SplittableRandom(4), dtype, 3, 2, 6, 6).requiresGrad(true);
        Tensor x2 = Tensor.randn(new SplittableRandom(4), dtype, 3, 2, 6, 6).requiresGrad(true);
        Tensor y1 = fused.forward(x1), y2 = layerByLayer(plain, x2);
        assertSameValues(y2, y1, "outputs");
        assertTrue(java.util.Arrays.stream(fused.get(0).forward(x1).data().toDoubleArray()).anyMatch(v -> v < 0), "some pre-activations are negative");
        y1.square().sum().backward();
        y2.square().sum().backward();
        assertSameValues(x2.grad(), x1.grad(), "input gradient");
        List<Tensor> p1 = fused.parameters(), p2 = plain.parameters();
        for (int i = 0; i < p1.size(); i++) assertSameValues(p2.get(i).grad(), p1.get(i).grad(), "gradient of parameter " + i);
        Tensor second = fused.forward(x1).inputs().get(0).inputs().get(0);   // Linear ← Flatten ← the second convolution
        assertEquals("conv2d_relu", second.op().name());
        assertEquals("take", second.inputs().get(0).op().name(), "max pooling");
        assertEquals("conv2d_relu", second.inputs().get(0).inputs().get(0).op().name(), "the first convolution");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void arrayConv2dReluEqualsConv2dThenRelu(DType dtype) {
        SplittableRandom rng = new SplittableRandom(12);
        NdArray x = NdArray.randn(rng, dtype, 2, 3, 5, 5), w = NdArray.randn(rng, dtype, 4, 3, 3, 3);
        x.set(Double.NaN, 1, 2, 2, 2);   // its windows stay NaN through the ReLU, as relu(NaN) = NaN
        dev.nabla.array.Window2d window = dev.nabla.array.Window2d.kernel(3).padding(1);
        for (NdArray b : new NdArray[] {null, NdArray.randn(rng, dtype, 4)}) {
            NdArray expected = x.conv2d(w, b, window).unary(UnaryOp.RELU), actual = x.conv2dRelu(w, b, window);
            assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, "bias " + (b == null ? "none" : "given"));
            assertTrue(Double.isNaN(actual.get(1, 0, 2, 2)), "a window holding the NaN");
        }
    }
}
