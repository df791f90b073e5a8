package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Window2d;
import dev.nabla.autograd.Tensor;
import dev.nabla.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Conv2d, MaxPool2d and AvgPool2d modules: parameters, PyTorch's initialization and printing,
 * forward as the functions in {@link Convolutions}, the messages for bad arguments, and a small CNN
 * that learns to tell horizontal from vertical bars.
 */
class Conv2dTest {

    @Test
    void parametersAreWeightAndBiasWithPyTorchShapes() {
        Conv2d conv = new Conv2d(3, 8, 5);
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {8, 3, 5, 5}, conv.weight().shape());
        assertArrayEquals(new int[] {8}, conv.bias().shape());
        assertEquals(DType.FLOAT32, conv.weight().dtype());
        assertTrue(conv.weight().requiresGrad() && conv.bias().requiresGrad());
        assertEquals(Window2d.kernel(5), conv.window());
        Conv2d noBias = new Conv2d(2, 4, new int[] {3, 1}, new int[] {1}, new int[] {1, 0}, new int[] {1}, false, DType.FLOAT64, new SplittableRandom(1));
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        assertArrayEquals(new int[] {4, 2, 3, 1}, noBias.weight().shape());
        assertNull(noBias.bias());
    }

    /** W and b ~ U(−1/√fan_in, 1/√fan_in), fan_in = C·kh·kw, weight drawn first from the generator (as Linear). */
    @Test
    void initializationIsPyTorchsUniformInOneOverRootFanIn() {
        Conv2d conv = new Conv2d(3, 16, 3, 1, 1, true, DType.FLOAT64, new SplittableRandom(7));
        double bound = 1 / Math.sqrt(3 * 3 * 3);
        double[] w = conv.weight().data().toDoubleArray(), b = conv.bias().data().toDoubleArray();
        double wMax = 0, bMax = 0;
        for (double x : w) wMax = Math.max(wMax, Math.abs(x));
        for (double x : b) bMax = Math.max(bMax, Math.abs(x));
        assertTrue(wMax <= bound && wMax > 0.95 * bound, "432 draws fill ±" + bound + ": max |w| = " + wMax);
        assertTrue(bMax <= bound && bMax > 0.5 * bound, "16 draws in ±" + bound + ": max |b| = " + bMax);

        SplittableRandom rng = new SplittableRandom(7);   // the same numbers, drawn by hand
        NdArray wantW = NdArray.uniform(rng, DType.FLOAT64, -bound, bound, 16, 3, 3, 3);
        NdArray wantB = NdArray.uniform(rng, DType.FLOAT64, -bound, bound, 16);
        assertTrue(wantW.maxAbsDiff(conv.weight().data()) < 1e-15);
        assertTrue(wantB.maxAbsDiff(conv.bias().data()) < 1e-15);
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", new Conv2d(1, 8, 3, 1, 1).toString());
        assertEquals("Conv2d(3, 4, kernel_size=(3, 3), stride=(2, 2), bias=False)",
            new Conv2d(3, 4, 3, 2, 0, false, DType.FLOAT32, new SplittableRandom(1)).toString());
        assertEquals("Conv2d(2, 5, kernel_size=(3, 1), stride=(1, 2), padding=(1, 0), dilation=(2, 2))",
            new Conv2d(2, 5, new int[] {3, 1}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2}, true, DType.FLOAT32, new SplittableRandom(1)).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=(3, 2), stride=1, padding=(1, 0), count_include_pad=False)",
            new AvgPool2d(new int[] {3, 2}, new int[] {1}, new int[] {1, 0}, false).toString());
        assertEquals("""
            Sequential(
              (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (1): ReLU()
              (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
              (3): Flatten(start_dim=1, end_dim=-1)
              (4): Linear(in_features=64, out_features=2, bias=True)
            )""", cnn(new SplittableRandom(1)).toString());
    }

    @Test
    void forwardIsTheFunction() {
        SplittableRandom rng = new SplittableRandom(3);
        Conv2d conv = new Conv2d(2, 3, new int[] {2, 3}, new int[] {2, 1}, new int[] {1}, new int[] {1, 2}, true, DType.FLOAT64, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, 2, 6, 7);
        Tensor want = Convolutions.conv2d(x, conv.weight(), conv.bias(), new int[] {2, 1}, new int[] {1}, new int[] {1, 2});
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[] {2, 3, 4, 5}, y.shape());   // ⌊(6 + 2 − 1 − 1) / 2⌋ + 1, ⌊(7 + 2 − 4 − 1) / 1⌋ + 1
        assertEquals(0, want.data().maxAbsDiff(y.data()), 0);
        assertEquals(0, Convolutions.maxPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}).data()
            .maxAbsDiff(new MaxPool2d(3, 2, 1).forward(x).data()), 0);
        assertEquals(0, Convolutions.avgPool2d(x, new int[] {2, 3}, null, new int[] {0, 1}, false).data()
            .maxAbsDiff(new AvgPool2d(new int[] {2, 3}, null, new int[] {0, 1}, false).forward(x).data()), 0);
        assertArrayEquals(new int[] {2, 2, 3, 3}, new MaxPool2d(2).forward(x).shape(), "stride defaults to the kernel size");
    }

    static Stream<Arguments> mistakes() {
        Conv2d conv = new Conv2d(1, 8, 3, 1, 1);
        Conv2d valid = new Conv2d(1, 8, 3);
        return Stream.of(
            Arguments.of((Runnable) () -> new Conv2d(0, 8, 3), "Conv2d: in_channels=0 and out_channels=8 must both be positive"),
            Arguments.of((Runnable) () -> new Conv2d(1, 8, 3, 0, 0), "Conv2d: stride (0, 0) must be positive"),
            Arguments.of((Runnable) () -> new Conv2d(1, 8, 3, 1, -1), "Conv2d: padding (-1, -1) must not be negative"),
            Arguments.of((Runnable) () -> new Conv2d(1, 8, 0), "Conv2d: kernel size (0, 0) must be positive"),
            Arguments.of((Runnable) () -> conv.forward(Tensor.zeros(DType.FLOAT32, 4, 2, 5, 5)),
                "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)): input [4, 2, 5, 5] should be [N, 1, H, W]"),
            Arguments.of((Runnable) () -> conv.forward(Tensor.zeros(DType.FLOAT32, 1, 5, 5)),
                "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)): input [1, 5, 5] should be [N, 1, H, W]"),
            Arguments.of((Runnable) () -> conv.forward(Tensor.zeros(DType.FLOAT64, 1, 1, 5, 5)),
                "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)): input is float64 but the weight is float32; "
                    + "convert the input with to(float32)"),
            Arguments.of((Runnable) () -> valid.forward(Tensor.zeros(DType.FLOAT32, 1, 1, 2, 4)),
                "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1)): kernel size (3, 3) is larger than the input [1, 1, 2, 4] padded by (0, 0) to 2 × 4"),
            Arguments.of((Runnable) () -> new MaxPool2d(3, 1, 2), "MaxPool2d: padding (2, 2) must be at most half the kernel size (3, 3)"),
            Arguments.of((Runnable) () -> new AvgPool2d(new int[] {2, 4}, null, new int[] {2, 1}, true),
                "AvgPool2d: padding (2, 1) must be at most half the kernel size (2, 4)"),
            Arguments.of((Runnable) () -> new MaxPool2d(2).forward(Tensor.zeros(DType.FLOAT32, 4, 4)),
                "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False): input [4, 4] must be 4-D [N, C, H, W]"),
            Arguments.of((Runnable) () -> new AvgPool2d(4).forward(Tensor.zeros(DType.FLOAT32, 1, 1, 3, 8)),
                "AvgPool2d(kernel_size=4, stride=4, padding=0): kernel size (4, 4) is larger than the input [1, 1, 3, 8] padded by (0, 0) to 3 × 8"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void badArgumentsAreNamed(Runnable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
    }

    // ================================================================ a small CNN learns

    static Sequential cnn(SplittableRandom rng) {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(4 * 4 * 4, 2, true, DType.FLOAT32, rng));
    }

    /** 8 × 8 images of one bar at a random place with noise: class 0 vertical, class 1 horizontal. */
    static Tensor[] bars(int n, SplittableRandom rng) {
        double[][][][] x = new double[n][1][8][8];
        double[] y = new double[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % 2;
            int at = rng.nextInt(8);
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++)
                    x[s][0][i][j] = 0.2 * rng.nextGaussian() + ((y[s] == 0 ? j : i) == at ? 1 : 0);
        }
        return new Tensor[] {Tensor.of(DType.FLOAT32, x), Tensor.of(DType.FLOAT32, y)};
    }

    @Test
    void aSmallCnnLearnsBarOrientation() {
        SplittableRandom rng = new SplittableRandom(42);
        Sequential net = cnn(rng);
        Tensor[] train = bars(32, rng);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Adam opt = new Adam(net.parameters(), 0.02);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 40; step++) {
            opt.zeroGrad();
            Tensor loss = lossFn.forward(net.forward(train[0]), train[1]);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(first > 0.5 && last < first / 4, "loss went from " + first + " to " + last);
        assertNotNull(((Conv2d) net.get(0)).weight().grad(), "the convolution's weight was trained");
        // and it generalizes: fresh images of both kinds
        net.eval();
        Tensor[] test = bars(32, new SplittableRandom(7));
        double[] predicted = net.forward(test[0]).argmax(1, false).data().toDoubleArray(), truth = test[1].data().toDoubleArray();
        int right = 0;
        for (int i = 0; i < truth.length; i++) if (predicted[i] == truth[i]) right++;
        assertTrue(right >= 28, right + " of 32 fresh images right");
    }
}
