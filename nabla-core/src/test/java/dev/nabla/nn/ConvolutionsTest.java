package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.array.Window2d;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * conv2d, maxPool2d and avgPool2d: forward values against the textbook definitions written here as
 * nested loops over output pixels and window taps (no im2col), in float64 and float32; a
 * hand-computed 3 × 3 case; gradients and second derivatives through {@link GradCheck} in float64
 * with strides, padding, dilation, non-square kernels and channels-last (permuted) inputs; how max
 * pooling routes a tied gradient; and the messages for bad arguments.
 */
class ConvolutionsTest {

    // ================================================================ the definitions

    /** out[n, o, y, x] = b[o] + Σ w[o, c, i, j] · in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw], zero outside. */
    static NdArray conv2dByDefinition(NdArray in, NdArray w, NdArray b, Window2d win) {
        int n = in.size(0), c = in.size(1), h = in.size(2), wd = in.size(3), o = w.size(0);
        int oh = win.outHeight(h), ow = win.outWidth(wd);
        NdArray out = NdArray.zeros(DType.FLOAT64, n, o, oh, ow);
        for (int ni = 0; ni < n; ni++)
            for (int oi = 0; oi < o; oi++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++) {
                        double s = b == null ? 0 : b.get(oi);
                        for (int ci = 0; ci < c; ci++)
                            for (int i = 0; i < win.kh(); i++)
                                for (int j = 0; j < win.kw(); j++) {
                                    int iy = y * win.sh() - win.ph() + i * win.dh(), ix = x * win.sw() - win.pw() + j * win.dw();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) s += w.get(oi, ci, i, j) * in.get(ni, ci, iy, ix);
                                }
                        out.set(s, ni, oi, y, x);
                    }
        return out;
    }

    /** The largest input entry of each window (padding never counts), or the mean over kh·kw or over the entries inside. */
    static NdArray poolByDefinition(NdArray in, Window2d win, String kind) {
        int n = in.size(0), c = in.size(1), h = in.size(2), wd = in.size(3), oh = win.outHeight(h), ow = win.outWidth(wd);
        NdArray out = NdArray.zeros(DType.FLOAT64, n, c, oh, ow);
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++) {
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        int inside = 0;
                        for (int i = 0; i < win.kh(); i++)
                            for (int j = 0; j < win.kw(); j++) {
                                int iy = y * win.sh() - win.ph() + i, ix = x * win.sw() - win.pw() + j;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                double v = in.get(ni, ci, iy, ix);
                                max = Math.max(max, v);
                                sum += v;
                                inside++;
                            }
                        double r = switch (kind) {
                            case "max" -> max;
                            case "avg" -> sum / (win.kh() * win.kw());
                            default -> sum / inside;   // count_include_pad=False
                        };
                        out.set(r, ni, ci, y, x);
                    }
        return out;
    }

    // ================================================================ forward values

    /** A convolution case: input and weight shapes, bias or not, stride, padding, dilation (one value or two each). */
    record ConvCase(int[] input, int[] weight, boolean bias, int[] stride, int[] padding, int[] dilation) {
        Window2d window() { return Window2d.of("test", new int[] {weight[2], weight[3]}, stride, padding, dilation); }
        @Override public String toString() {
            return "x" + Shapes.str(input) + " w" + Shapes.str(weight) + (bias ? " +b" : "") + " " + window();
        }
    }

    static int[] v(int... values) { return values; }

    static Stream<ConvCase> convCases() {
        return Stream.of(
            new ConvCase(v(2, 3, 7, 6), v(4, 3, 3, 3), true, v(1), v(1), v(1)),
            new ConvCase(v(1, 2, 8, 9), v(3, 2, 2, 3), false, v(2, 1), v(0, 2), v(1)),
            new ConvCase(v(2, 1, 9, 7), v(2, 1, 3, 2), true, v(1, 2), v(2, 1), v(2, 1)),
            new ConvCase(v(3, 4, 5, 5), v(5, 4, 1, 1), true, v(2), v(0), v(1)),              // 1 × 1 kernel
            new ConvCase(v(1, 2, 4, 4), v(2, 2, 4, 4), true, v(1), v(0), v(1)),              // one window: the whole image
            new ConvCase(v(1, 1, 3, 3), v(2, 1, 3, 3), true, v(2), v(3), v(1)));             // windows wholly in the padding: the bias
    }

    static NdArray random(long seed, int... shape) { return NdArray.uniform(new SplittableRandom(seed), DType.FLOAT64, -1, 1, shape); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv2dIsTheDefinition(ConvCase k) {
        NdArray x = random(1, k.input), w = random(2, k.weight), b = k.bias ? random(3, k.weight[0]) : null;
        NdArray want = conv2dByDefinition(x, w, b, k.window());
        Tensor got = Convolutions.conv2d(Tensor.of(x), Tensor.of(w), b == null ? null : Tensor.of(b), k.stride, k.padding, k.dilation);
        assertArrayEquals(want.shape(), got.shape());
        assertTrue(want.maxAbsDiff(got.data()) < 1e-12, "float64: " + want.maxAbsDiff(got.data()));
        // float32: inputs in [-1, 1] and at most 48 products per output, so rounding stays far below 1e-5
        Tensor got32 = Convolutions.conv2d(Tensor.of(x.to(DType.FLOAT32)), Tensor.of(w.to(DType.FLOAT32)),
            b == null ? null : Tensor.of(b.to(DType.FLOAT32)), k.stride, k.padding, k.dilation);
        assertEquals(DType.FLOAT32, got32.dtype());
        assertTrue(want.maxAbsDiff(got32.data()) < 1e-5, "float32: " + want.maxAbsDiff(got32.data()));
    }

    /** A pooling case: input shape, kernel, stride (null: the kernel), padding. */
    record PoolCase(int[] input, int[] kernel, int[] stride, int[] padding) {
        Window2d window() { return Window2d.of("test", kernel, stride, padding, v(1)); }
        @Override public String toString() { return "x" + Shapes.str(input) + " " + window(); }
    }

    static Stream<PoolCase> poolCases() {
        return Stream.of(
            new PoolCase(v(2, 3, 6, 6), v(2), null, v(0)),
            new PoolCase(v(1, 2, 7, 5), v(3), v(2), v(1)),
            new PoolCase(v(2, 1, 5, 8), v(2, 3), v(1, 2), v(1)),
            new PoolCase(v(1, 1, 4, 4), v(3, 2), v(3, 1), v(1, 0)),
            new PoolCase(v(1, 2, 5, 5), v(5), v(1), v(2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void poolingIsTheDefinition(PoolCase k) {
        NdArray x = random(4, k.input).add(-3);   // all negative: a padding of zeros would win a max
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Tensor t = Tensor.of(x.to(dtype));
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;   // float32: one rounding of values near 3, sums of ≤ 25 of them
            Tensor max = Convolutions.maxPool2d(t, k.kernel, k.stride, k.padding);
            Tensor avg = Convolutions.avgPool2d(t, k.kernel, k.stride, k.padding, true);
            Tensor avgInside = Convolutions.avgPool2d(t, k.kernel, k.stride, k.padding, false);
            assertEquals(dtype, max.dtype());
            assertTrue(poolByDefinition(x, k.window(), "max").maxAbsDiff(max.data()) < tol, "max " + dtype);
            assertTrue(poolByDefinition(x, k.window(), "avg").maxAbsDiff(avg.data()) < tol, "avg " + dtype);
            assertTrue(poolByDefinition(x, k.window(), "avgInside").maxAbsDiff(avgInside.data()) < tol, "avg count_include_pad=False " + dtype);
        }
    }

    // ================================================================ a case by hand

    static final Tensor X33 = Tensor.of(new double[][][][] {{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}});

    @Test
    void aThreeByThreeImageByHand() {
        Tensor x = Tensor.of(X33.data().copy()).requiresGrad(true);
        Tensor w = Tensor.of(new double[][][][] {{{{1, 2}, {3, 4}}}}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1}).requiresGrad(true);
        Tensor y = Convolutions.conv2d(x, w, b);
        // 1·1 + 2·2 + 3·4 + 4·5 + 1 = 38, and so on one step right and one step down
        assertArrayEquals(new double[] {38, 48, 68, 78}, y.data().toDoubleArray(), 0);
        y.sum().backward();
        // ∂w[i, j] = the sum of the inputs that tap (i, j) reads: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        assertArrayEquals(new double[] {12, 16, 24, 28}, w.grad().data().toDoubleArray(), 0);
        assertArrayEquals(new double[] {4}, b.grad().data().toDoubleArray(), 0);
        // ∂x = the sum of the weights that read each pixel: w00 for the corner, w00 + w01 + w10 + w11 for the centre
        assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, x.grad().data().toDoubleArray(), 0);

        assertArrayEquals(new double[] {5, 6, 8, 9}, Convolutions.maxPool2d(X33, 2, 1, 0).data().toDoubleArray(), 0);
        // kernel 2, stride 2, padding 1: windows {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}
        assertArrayEquals(new double[] {1, 3, 7, 9}, Convolutions.maxPool2d(X33, 2, 2, 1).data().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.25, 1.25, 2.75, 7}, Convolutions.avgPool2d(X33, 2, 2, 1).data().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 2.5, 5.5, 7},
            Convolutions.avgPool2d(X33, v(2), v(2), v(1), false).data().toDoubleArray(), 0);
    }

    @Test
    void maxPoolingRoutesTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.of(X33.data().copy()).requiresGrad(true);
        Convolutions.maxPool2d(x, 2, 1, 0).sum().backward();   // the maxima 5, 6, 8, 9, one window each
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 0, 1, 1}, x.grad().data().toDoubleArray(), 0);

        Tensor center = Tensor.of(new double[][][][] {{{{0, 0, 0}, {0, 1, 0}, {0, 0, 0}}}}).requiresGrad(true);
        Convolutions.maxPool2d(center, 2, 1, 0).sum().backward();   // overlapping windows: the centre wins all four
        assertEquals(4, center.grad().get(0, 0, 1, 1), 0);
        assertEquals(4, center.grad().data().sumAll(), 0);

        Tensor flat = Tensor.ones(DType.FLOAT64, 1, 1, 2, 2).requiresGrad(true);
        Convolutions.maxPool2d(flat, 2).sum().backward();   // four-way tie: all to the first, as in PyTorch
        assertArrayEquals(new double[] {1, 0, 0, 0}, flat.grad().data().toDoubleArray(), 0);

        Tensor tied = Tensor.of(NdArray.of(new float[] {1, 3, 3, 2, 0, 3}, 1, 1, 2, 3)).requiresGrad(true);
        Convolutions.maxPool2d(tied, new int[] {2}, new int[] {1}, new int[] {0}).sum().backward();
        // windows {1, 3, 2, 0} and {3, 3, 0, 3}: the first 3 of each
        assertArrayEquals(new double[] {0, 2, 0, 0, 0, 0}, tied.grad().data().toDoubleArray(), 0);

        double nan = Double.NaN;
        Tensor withNaN = Tensor.of(new double[][][][] {{{{1, nan}, {nan, 4}}}}).requiresGrad(true);
        Tensor pooled = Convolutions.maxPool2d(withNaN, 2);   // a NaN wins (PyTorch: the last NaN gets the gradient)
        assertTrue(Double.isNaN(pooled.item()));
        pooled.sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, 0}, withNaN.grad().data().toDoubleArray(), 0);

        Tensor padded = Tensor.full(DType.FLOAT64, -5, 1, 1, 2, 2).requiresGrad(true);
        Tensor m = Convolutions.maxPool2d(padded, 2, 1, 1);   // padding never wins, even over -5
        assertArrayEquals(new double[] {-5, -5, -5, -5, -5, -5, -5, -5, -5}, m.data().toDoubleArray(), 0);
    }

    // ================================================================ gradients, first and second order

    /**
     * How the image input sits in memory: its own storage, channels-last storage [N, H, W, C] or
     * column-major images [N, C, W, H], each seen as [N, C, H, W] through a permutation.
     */
    enum Layout { CONTIGUOUS, CHANNELS_LAST, TRANSPOSED_IMAGES }

    static Tensor input(int[] shape, Layout layout, double[] values) {
        NdArray a = NdArray.of(values, shape);
        NdArray view = switch (layout) {
            case CONTIGUOUS -> a;
            case CHANNELS_LAST -> NdArray.zeros(DType.FLOAT64, shape[0], shape[2], shape[3], shape[1]).permute(0, 3, 1, 2).copyFrom(a);
            case TRANSPOSED_IMAGES -> NdArray.zeros(DType.FLOAT64, shape[0], shape[1], shape[3], shape[2]).permute(0, 1, 3, 2).copyFrom(a);
        };
        if (layout == Layout.TRANSPOSED_IMAGES || (layout == Layout.CHANNELS_LAST && shape[1] > 1))
            assertFalse(view.isContiguous(), "a strided view");
        return Tensor.of(view).requiresGrad(true);
    }

    /** Values in ±[0.2, 1.5]. */
    static double[] smooth(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.2, 1.5);
        return v;
    }

    /** Distinct values 0.1 apart, shuffled: no window ties, so the max is differentiable wherever finite differences look. */
    static double[] distinct(int n, long seed) {
        List<Integer> k = new ArrayList<>();
        for (int i = 0; i < n; i++) k.add(i);
        Collections.shuffle(k, new java.util.Random(seed));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (k.get(i) - n / 2) * 0.1 + 0.03;
        return v;
    }

    static Stream<Arguments> gradConvCases() {
        List<ConvCase> cases = List.of(
            new ConvCase(v(2, 2, 5, 4), v(3, 2, 2, 3), true, v(2, 1), v(1), v(1)),
            new ConvCase(v(1, 2, 6, 5), v(2, 2, 2, 2), false, v(1), v(1, 0), v(2, 1)),
            new ConvCase(v(2, 1, 5, 5), v(2, 1, 3, 1), true, v(2), v(0, 1), v(1)));
        List<Arguments> out = new ArrayList<>();
        for (ConvCase k : cases) for (Layout l : Layout.values()) out.add(Arguments.of(k, l));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gradConvCases")
    void conv2dGradcheckAndGradgradcheck(ConvCase k, Layout layout) {
        List<Tensor> xs = new ArrayList<>(List.of(input(k.input, layout, smooth(Shapes.numel(k.input), 1)),
            Tensor.of(NdArray.of(smooth(Shapes.numel(k.weight), 2), k.weight)).requiresGrad(true)));
        if (k.bias) xs.add(Tensor.of(NdArray.of(smooth(k.weight[0], 3), k.weight[0])).requiresGrad(true));
        Function<List<Tensor>, Tensor> f = t -> Convolutions.conv2d(t.get(0), t.get(1), k.bias ? t.get(2) : null, k.stride, k.padding, k.dilation);
        GradCheck.Result r = GradCheck.gradcheck(f, xs);
        assertTrue(r.passed(), r.toString());
        // conv2d is bilinear in (x, w): its second derivatives run through fold's VJP (unfold) and matmul's
        GradCheck.Result rr = GradCheck.gradgradcheck(f, xs);
        assertTrue(rr.passed(), rr.toString());
    }

    static Stream<Arguments> gradPoolCases() {
        List<PoolCase> cases = List.of(
            new PoolCase(v(2, 2, 4, 5), v(2), null, v(0)),
            new PoolCase(v(1, 2, 5, 5), v(3), v(2), v(1)),
            new PoolCase(v(1, 1, 5, 6), v(2, 3), v(1, 2), v(1)));
        List<Arguments> out = new ArrayList<>();
        for (PoolCase k : cases) for (Layout l : Layout.values()) out.add(Arguments.of(k, l));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gradPoolCases")
    void poolingGradcheckAndGradgradcheck(PoolCase k, Layout layout) {
        List<Tensor> xs = List.of(input(k.input, layout, distinct(Shapes.numel(k.input), 5)));
        // squared, so that the second derivative is not zero and runs through the pooling's VJP
        List<Function<List<Tensor>, Tensor>> fs = List.of(
            t -> Convolutions.maxPool2d(t.get(0), k.kernel, k.stride, k.padding).square(),
            t -> Convolutions.avgPool2d(t.get(0), k.kernel, k.stride, k.padding, true).square(),
            t -> Convolutions.avgPool2d(t.get(0), k.kernel, k.stride, k.padding, false).square());
        for (Function<List<Tensor>, Tensor> f : fs) {
            GradCheck.Result r = GradCheck.gradcheck(f, xs);
            assertTrue(r.passed(), r.toString());
            GradCheck.Result rr = GradCheck.gradgradcheck(f, xs);
            assertTrue(rr.passed(), rr.toString());
        }
    }

    // ================================================================ bad arguments

    static Tensor z(int... shape) { return Tensor.zeros(DType.FLOAT64, shape); }

    static Stream<Arguments> mistakes() {
        return Stream.of(
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(2, 3, 5), z(8, 3, 3, 3), null),
                "conv2d: input [2, 3, 5] must be 4-D [N, C, H, W]"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 3), null),
                "conv2d: weight [8, 3, 3] must be 4-D [out_channels, in_channels, kh, kw]"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 2, 3, 3), null),
                "conv2d: weight [8, 2, 3, 3] expects 2 input channels, but input [1, 3, 5, 5] has 3"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 3, 3), z(4)),
                "conv2d: bias [4] does not fit weight [8, 3, 3, 3]; expected [8]"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 2, 2), z(8, 3, 3, 3), null),
                "conv2d: kernel size (3, 3) is larger than the input [1, 3, 2, 2] padded by (0, 0) to 2 × 2"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 3, 3), null, v(1), v(1), v(4)),
                "conv2d: kernel size (3, 3) with dilation (4, 4), spanning 9 × 9, is larger than the input [1, 3, 5, 5] padded by (1, 1) to 7 × 7"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 3, 3), null, 0, 1),
                "conv2d: stride (0, 0) must be positive"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 3, 3), null, 1, -1),
                "conv2d: padding (-1, -1) must not be negative"),
            Arguments.of((Runnable) () -> Convolutions.conv2d(z(1, 3, 5, 5), z(8, 3, 0, 3), null),
                "conv2d: kernel size (0, 3) must be positive"),
            Arguments.of((Runnable) () -> Convolutions.maxPool2d(z(1, 4, 4), 2),
                "maxPool2d: input [1, 4, 4] must be 4-D [N, C, H, W]"),
            Arguments.of((Runnable) () -> Convolutions.maxPool2d(z(1, 1, 6, 6), 3, 1, 2),
                "maxPool2d: padding (2, 2) must be at most half the kernel size (3, 3)"),
            Arguments.of((Runnable) () -> Convolutions.avgPool2d(z(1, 1, 6, 6), v(2, 3), null, v(0, 2), true),
                "avgPool2d: padding (0, 2) must be at most half the kernel size (2, 3)"),
            Arguments.of((Runnable) () -> Convolutions.maxPool2d(z(1, 1, 3, 3), 4),
                "maxPool2d: kernel size (4, 4) is larger than the input [1, 1, 3, 3] padded by (0, 0) to 3 × 3"),
            Arguments.of((Runnable) () -> Convolutions.avgPool2d(z(1, 1, 6, 6), 0),
                "avgPool2d: kernel size (0, 0) must be positive"),
            Arguments.of((Runnable) () -> Convolutions.avgPool2d(z(1, 1, 6, 6), 2, -1, 0),
                "avgPool2d: stride (-1, -1) must be positive"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void badArgumentsAreNamed(Runnable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
    }
}
