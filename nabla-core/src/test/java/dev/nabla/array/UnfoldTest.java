package dev.nabla.array;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * NdArray.unfold and fold (PyTorch's F.unfold and F.fold): a hand-computed case, the adjoint
 * identity ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ on several windows and layouts, and the checks on shapes
 * and windows with their messages.
 */
class UnfoldTest {
    static final NdArray X33 = NdArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);

    @Test
    void aThreeByThreeImageUnfoldsIntoItsFourTwoByTwoWindows() {
        NdArray cols = X33.unfold(Window2d.kernel(2));
        assertArrayEquals(new int[] {1, 4, 4}, cols.shape());
        // row (i, j) = kernel position; column = window (top-left, top-right, bottom-left, bottom-right)
        assertArrayEquals(new double[] {1, 2, 4, 5, /**/ 2, 3, 5, 6, /**/ 4, 5, 7, 8, /**/ 5, 6, 8, 9}, cols.toDoubleArray());
    }

    @Test
    void paddingHoldsZerosOrThePadValue() {
        Window2d w = Window2d.kernel(2).stride(2).padding(1);   // windows at rows/columns {-1, 0} and {1, 2}
        assertArrayEquals(new double[] {0, 0, 0, 5, /**/ 0, 0, 4, 6, /**/ 0, 2, 0, 8, /**/ 1, 3, 7, 9}, X33.unfold(w).toDoubleArray());
        double ninf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new double[] {ninf, ninf, ninf, 5, /**/ ninf, ninf, 4, 6, /**/ ninf, 2, ninf, 8, /**/ 1, 3, 7, 9},
            X33.unfold(w, ninf).toDoubleArray());
    }

    @Test
    void foldingOnesCountsTheWindowsOverEachPixel() {
        NdArray counts = NdArray.ones(DType.FLOAT64, 1, 4, 4).fold(3, 3, Window2d.kernel(2));
        assertArrayEquals(new int[] {1, 1, 3, 3}, counts.shape());
        assertArrayEquals(new double[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, counts.toDoubleArray());
        // two channels: rows c·kh·kw + (i·kw + j); the second channel's columns hold 10
        NdArray two = NdArray.concat(List.of(NdArray.ones(DType.FLOAT32, 1, 4, 4), NdArray.full(DType.FLOAT32, 10, 1, 4, 4)), 1);
        NdArray folded = two.fold(3, 3, Window2d.kernel(2));
        assertEquals(DType.FLOAT32, folded.dtype());
        assertEquals(40, folded.get(0, 1, 1, 1), 0);
        assertEquals(1, folded.get(0, 0, 2, 2), 0);
    }

    static Stream<Arguments> windows() {
        return Stream.of(
            Arguments.of(Window2d.kernel(3), new int[] {2, 3, 5, 6}),
            Arguments.of(Window2d.kernel(2, 3).stride(2, 1).padding(1, 2), new int[] {1, 2, 5, 4}),
            Arguments.of(Window2d.kernel(3, 2).dilation(2, 3).padding(2, 1).stride(1, 2), new int[] {2, 1, 7, 8}),
            Arguments.of(Window2d.kernel(1).stride(2), new int[] {3, 2, 4, 5}));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("windows")
    void foldIsTheAdjointOfUnfold(Window2d w, int[] shape) {
        for (ArrayFixtures.Layout layout : ArrayFixtures.Layout.values()) {
            NdArray x = ArrayFixtures.random(DType.FLOAT64, layout, 11, shape);
            NdArray cols = x.unfold(w);
            assertArrayEquals(x.copy().unfold(w).toDoubleArray(), cols.toDoubleArray(), 0.0, "a view unfolds as its copy, " + layout);
            NdArray y = ArrayFixtures.random(DType.FLOAT64, layout, 12, cols.shape());
            double lhs = cols.mul(y).sumAll(), rhs = x.mul(y.fold(shape[2], shape[3], w)).sumAll();
            assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)), layout.toString());
        }
    }

    @Test
    void float32AgreesWithFloat64() {
        NdArray x = ArrayFixtures.random(DType.FLOAT64, ArrayFixtures.Layout.CONTIGUOUS, 3, 2, 3, 6, 5);
        Window2d w = Window2d.kernel(3, 2).stride(2).padding(1);
        NdArray c64 = x.unfold(w), c32 = x.to(DType.FLOAT32).unfold(w);
        assertEquals(DType.FLOAT32, c32.dtype());
        assertEquals(0, c64.to(DType.FLOAT32).maxAbsDiff(c32), 0.0, "a copy rounds the same way");
        assertTrue(c64.fold(6, 5, w).maxAbsDiff(c32.fold(6, 5, w)) < 1e-5);
    }

    @Test
    void windowBuildersAndPrinting() {
        Window2d w = Window2d.kernel(3, 2).stride(2).padding(1, 0).dilation(2);
        assertEquals(new Window2d(3, 2, 2, 2, 1, 0, 2, 2), w);
        assertEquals("kernel_size=(3, 2), stride=(2, 2), padding=(1, 0), dilation=(2, 2)", w.toString());
        assertEquals(w, Window2d.of("x", new int[] {3, 2}, new int[] {2}, new int[] {1, 0}, new int[] {2}));
        assertEquals(Window2d.kernel(3).stride(3), Window2d.of("x", new int[] {3}, null, new int[] {0}, new int[] {1}), "null stride: the kernel");
        assertArrayEquals(new int[] {3, 4}, Window2d.kernel(3).stride(2).padding(1).outputSize("x", new int[] {1, 1, 6, 7}));
    }

    static Stream<Arguments> mistakes() {
        NdArray x = NdArray.zeros(DType.FLOAT64, 1, 2, 4, 4);
        return Stream.of(
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 2, 3, 5).unfold(Window2d.kernel(2)),
                "unfold: input [2, 3, 5] must be 4-D [N, C, H, W]"),
            Arguments.of((Runnable) () -> x.unfold(Window2d.kernel(7).padding(1)),
                "unfold: kernel size (7, 7) is larger than the input [1, 2, 4, 4] padded by (1, 1) to 6 × 6"),
            Arguments.of((Runnable) () -> x.unfold(Window2d.kernel(3).dilation(2, 1)),
                "unfold: kernel size (3, 3) with dilation (2, 1), spanning 5 × 3, is larger than the input [1, 2, 4, 4] padded by (0, 0) to 4 × 4"),
            Arguments.of((Runnable) () -> Window2d.kernel(0, 3), "Window2d: kernel size (0, 3) must be positive"),
            Arguments.of((Runnable) () -> Window2d.kernel(3).stride(1, 0), "Window2d: stride (1, 0) must be positive"),
            Arguments.of((Runnable) () -> Window2d.kernel(3).padding(-1), "Window2d: padding (-1, -1) must not be negative"),
            Arguments.of((Runnable) () -> Window2d.kernel(3).dilation(0), "Window2d: dilation (0, 0) must be positive"),
            Arguments.of((Runnable) () -> Window2d.of("conv2d", new int[] {3}, new int[] {1, 2, 3}, new int[] {0}, new int[] {1}),
                "conv2d: stride [1, 2, 3] must have one value (both axes) or two (height, width)"),
            Arguments.of((Runnable) () -> Window2d.of("conv2d", new int[] {3}, new int[] {1}, new int[] {0, -2}, new int[] {1}),
                "conv2d: padding (0, -2) must not be negative"),
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 9, 4).fold(3, 3, Window2d.kernel(2)),
                "fold: input [9, 4] must be 3-D [N, C·kh·kw, L]"),
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 1, 10, 4).fold(3, 3, Window2d.kernel(3)),
                "fold: input [1, 10, 4] has 10 rows, not a multiple of the 3 × 3 = 9 kernel positions"),
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 1, 9, 15).fold(5, 5, Window2d.kernel(3)),
                "fold: input [1, 9, 15] has 15 columns, but output size (5, 5) with kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), "
                    + "dilation=(1, 1) has 3 × 3 = 9 windows"),
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 1, 9, 1).fold(2, 2, Window2d.kernel(3)),
                "fold: kernel size (3, 3) is larger than the output size (2, 2) padded by (0, 0) to 2 × 2"),
            Arguments.of((Runnable) () -> NdArray.zeros(DType.FLOAT64, 1, 9, 1).fold(0, 3, Window2d.kernel(3)),
                "fold: output size (0, 3) must be positive"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void badArgumentsAreNamed(Runnable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
    }
}
