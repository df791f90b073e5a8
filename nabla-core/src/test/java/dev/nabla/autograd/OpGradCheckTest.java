package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Window2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ONE table of every differentiable op (OpInfo style: name, function, input shapes, input domain),
 * each run through {@link GradCheck#gradcheck} in float64 on several shapes (broadcast operands
 * included) and on inputs that are contiguous, transposed views and sliced views; and through
 * {@link GradCheck#gradgradcheck} for second derivatives. Inputs keep away from kinks: |x| ≥ 0.2
 * for relu, abs and leaky relu, a 0.1-spaced grid offset from 0 and from the clamp bounds for clamp,
 * max, maximum and minimum (so that no two compared values tie), and positive values for log, sqrt
 * and pow.
 */
class OpGradCheckTest {

    /** How an input's values are drawn. */
    enum Domain {
        /** sign · U(0.2, 1.5): away from the kinks at 0. */
        AWAY_FROM_ZERO,
        /** U(0.5, 2): for log, sqrt, pow. */
        POSITIVE,
        /**
         * Distinct values on a grid of spacing 0.1, offset by 0.03 + 0.05·(input number): no two
         * elements of one input tie, no element of input 0 ties with one of input 1, and every value is
         * at least 0.02 from 0 and from the clamp bounds −0.5 and 0.7.
         */
        GRID
    }

    /** How an input sits in memory. */
    enum Layout { CONTIGUOUS, TRANSPOSED, SLICED }

    /** Finite-difference step and tolerances; the defaults are GradCheck's strict ones. */
    record Tolerance(double eps, double atol, double rtol) {
        static final Tolerance STRICT = new Tolerance(GradCheck.EPS, GradCheck.ATOL, GradCheck.RTOL);
    }

    /** One row of the table: the op's name, its inputs' domain, the function, and the shapes to try. */
    record OpInfo(String name, Domain domain, Tolerance tol, Function<List<Tensor>, Tensor> fn, int[][]... shapeSets) {
        OpInfo(String name, Domain domain, Function<List<Tensor>, Tensor> fn, int[][]... shapeSets) {
            this(name, domain, Tolerance.STRICT, fn, shapeSets);
        }
    }

    private static int[][] s(int[]... shapes) { return shapes; }
    private static int[] sh(int... dims) { return dims; }
    private static Tensor a(List<Tensor> x) { return x.get(0); }
    private static Tensor b(List<Tensor> x) { return x.get(1); }

    // Shape sets for element-wise binary ops: equal, one broadcast, both broadcast, a 0-d operand.
    static final int[][][] BINARY = {s(sh(3, 4), sh(3, 4)), s(sh(3, 4), sh(4)), s(sh(2, 1, 3), sh(4, 1)), s(sh(), sh(2, 3))};
    static final int[][][] UNARY = {s(sh(5)), s(sh(3, 4)), s(sh(2, 3, 2)), s(sh())};
    static final int[][][] MATRIX = {s(sh(3, 4)), s(sh(2, 3, 4))};
    static final NdArray MASK = NdArray.of(new double[] {1, 0, 0, 1}, 4);
    static final NdArray CLASS_INDEX = NdArray.of(new double[] {4, 0, 2, 2, 1, 1, 3, 0}, 4, 2);

    static final List<OpInfo> TABLE = List.of(
        // element-wise binary (broadcasting is an explicit expand, checked here through its VJP)
        new OpInfo("add", Domain.AWAY_FROM_ZERO, x -> a(x).add(b(x)), BINARY),
        new OpInfo("sub", Domain.AWAY_FROM_ZERO, x -> a(x).sub(b(x)), BINARY),
        new OpInfo("mul", Domain.AWAY_FROM_ZERO, x -> a(x).mul(b(x)), BINARY),
        new OpInfo("div", Domain.POSITIVE, x -> a(x).div(b(x)), BINARY),
        new OpInfo("pow", Domain.POSITIVE, x -> a(x).pow(b(x)), BINARY),
        new OpInfo("maximum", Domain.GRID, x -> a(x).maximum(b(x)), BINARY),
        new OpInfo("minimum", Domain.GRID, x -> a(x).minimum(b(x)), BINARY),
        new OpInfo("where", Domain.AWAY_FROM_ZERO, x -> Tensor.where(MASK, a(x), b(x)),
            s(sh(3, 4), sh(3, 4)), s(sh(3, 4), sh(4)), s(sh(2, 3, 4), sh(3, 1))),
        // element-wise unary
        new OpInfo("neg", Domain.AWAY_FROM_ZERO, x -> a(x).neg(), UNARY),
        new OpInfo("exp", Domain.AWAY_FROM_ZERO, x -> a(x).exp(), UNARY),
        new OpInfo("log", Domain.POSITIVE, x -> a(x).log(), UNARY),
        new OpInfo("sqrt", Domain.POSITIVE, x -> a(x).sqrt(), UNARY),
        new OpInfo("abs", Domain.AWAY_FROM_ZERO, x -> a(x).abs(), UNARY),
        new OpInfo("clamp", Domain.GRID, x -> a(x).clamp(-0.5, 0.7), UNARY),
        new OpInfo("sigmoid", Domain.AWAY_FROM_ZERO, x -> a(x).sigmoid(), UNARY),
        new OpInfo("tanh", Domain.AWAY_FROM_ZERO, x -> a(x).tanh(), UNARY),
        new OpInfo("relu", Domain.AWAY_FROM_ZERO, x -> a(x).relu(), UNARY),
        new OpInfo("leakyRelu", Domain.AWAY_FROM_ZERO, x -> a(x).leakyRelu(0.1), UNARY),
        new OpInfo("softplus", Domain.AWAY_FROM_ZERO, x -> a(x).softplus(), UNARY),
        new OpInfo("erf", Domain.AWAY_FROM_ZERO, x -> a(x).erf(), UNARY),
        new OpInfo("square", Domain.AWAY_FROM_ZERO, x -> a(x).square(), UNARY),
        new OpInfo("reciprocal", Domain.AWAY_FROM_ZERO, x -> a(x).reciprocal(), UNARY),
        new OpInfo("pow 3", Domain.AWAY_FROM_ZERO, x -> a(x).pow(3), UNARY),
        new OpInfo("pow 0.5", Domain.POSITIVE, x -> a(x).pow(0.5), UNARY),
        new OpInfo("pow -1.5", Domain.POSITIVE, x -> a(x).pow(-1.5), UNARY),
        new OpInfo("add scalar", Domain.AWAY_FROM_ZERO, x -> a(x).add(2.5), UNARY),
        new OpInfo("sub scalar", Domain.AWAY_FROM_ZERO, x -> a(x).sub(1), UNARY),
        new OpInfo("mul scalar", Domain.AWAY_FROM_ZERO, x -> a(x).mul(-3), UNARY),
        new OpInfo("div scalar", Domain.AWAY_FROM_ZERO, x -> a(x).div(4), UNARY),
        new OpInfo("rsub scalar", Domain.AWAY_FROM_ZERO, x -> a(x).rsub(2), UNARY),
        new OpInfo("clone", Domain.AWAY_FROM_ZERO, x -> a(x).clone(), UNARY),
        new OpInfo("rdiv scalar (3 / x)", Domain.POSITIVE, x -> Tensor.apply(new Op.Unary(dev.nabla.kernels.UnaryOp.RDIV_SCALAR, 3, 0), a(x)), UNARY),
        // linear algebra, 2-d, batched with broadcast batch dimensions, 1-d promotions, transposed operands
        new OpInfo("matmul", Domain.AWAY_FROM_ZERO, x -> a(x).matmul(b(x)),
            s(sh(3, 4), sh(4, 5)), s(sh(2, 3, 4), sh(2, 4, 5)), s(sh(2, 3, 4), sh(4, 5)), s(sh(3, 4), sh(2, 4, 2)),
            s(sh(2, 1, 3, 4), sh(3, 4, 2)), s(sh(4), sh(4, 5)), s(sh(3, 4), sh(4)), s(sh(4), sh(4)), s(sh(1, 1), sh(1, 3))),
        new OpInfo("matmul Bᵀ", Domain.AWAY_FROM_ZERO, x -> a(x).matmul(b(x).t()), s(sh(3, 4), sh(5, 4))),
        new OpInfo("matmul Aᵀ", Domain.AWAY_FROM_ZERO, x -> a(x).t().matmul(b(x)), s(sh(4, 3), sh(4, 5))),
        new OpInfo("linear", Domain.AWAY_FROM_ZERO, x -> a(x).linear(b(x), x.get(2)), s(sh(3, 4), sh(5, 4), sh(5)), s(sh(1, 2), sh(3, 2), sh(3))),
        new OpInfo("linear no bias", Domain.AWAY_FROM_ZERO, x -> a(x).linear(b(x), null), s(sh(3, 4), sh(5, 4))),
        new OpInfo("linear 3-d input", Domain.AWAY_FROM_ZERO, x -> a(x).linear(b(x), x.get(2)), s(sh(2, 3, 4), sh(5, 4), sh(5))),
        new OpInfo("linearRelu", Domain.AWAY_FROM_ZERO, x -> a(x).linearRelu(b(x), x.get(2)), s(sh(3, 4), sh(5, 4), sh(5)), s(sh(1, 2), sh(3, 2), sh(3))),
        new OpInfo("linearRelu no bias", Domain.AWAY_FROM_ZERO, x -> a(x).linearRelu(b(x), null), s(sh(3, 4), sh(5, 4))),
        new OpInfo("linearRelu 3-d input", Domain.AWAY_FROM_ZERO, x -> a(x).linearRelu(b(x), x.get(2)), s(sh(2, 3, 4), sh(5, 4), sh(5))),
        new OpInfo("matmul Aᵀ Bᵀ", Domain.AWAY_FROM_ZERO, x -> a(x).transpose(-1, -2).matmul(b(x).transpose(-1, -2)), s(sh(2, 4, 3), sh(2, 5, 4))),
        // reductions
        new OpInfo("sum all", Domain.AWAY_FROM_ZERO, x -> a(x).sum(), UNARY),
        new OpInfo("sum dim 1", Domain.AWAY_FROM_ZERO, x -> a(x).sum(1), MATRIX),
        new OpInfo("sum dims 0,-1 keepdim", Domain.AWAY_FROM_ZERO, x -> a(x).sum(true, 0, -1), MATRIX),
        new OpInfo("mean all", Domain.AWAY_FROM_ZERO, x -> a(x).mean(), UNARY),
        new OpInfo("mean dim 0", Domain.AWAY_FROM_ZERO, x -> a(x).mean(0), MATRIX),
        new OpInfo("mean dim 1 keepdim", Domain.AWAY_FROM_ZERO, x -> a(x).mean(true, 1), MATRIX),
        new OpInfo("max dim 1", Domain.GRID, x -> a(x).max(1, false), MATRIX),
        new OpInfo("max dim 0 keepdim", Domain.GRID, x -> a(x).max(0, true), MATRIX),
        new OpInfo("max dims 0,-1", Domain.GRID, x -> a(x).max(false, 0, -1), MATRIX),
        new OpInfo("max all", Domain.GRID, x -> a(x).max(), UNARY),
        // views
        new OpInfo("reshape", Domain.AWAY_FROM_ZERO, x -> a(x).reshape(-1, 2), s(sh(3, 4)), s(sh(2, 3, 2))),
        new OpInfo("flatten", Domain.AWAY_FROM_ZERO, x -> a(x).flatten(), MATRIX),
        new OpInfo("flatten 1", Domain.AWAY_FROM_ZERO, x -> a(x).flatten(1), s(sh(2, 3, 2))),
        new OpInfo("permute", Domain.AWAY_FROM_ZERO, x -> a(x).permute(2, 0, 1), s(sh(2, 3, 4))),
        new OpInfo("transpose", Domain.AWAY_FROM_ZERO, x -> a(x).transpose(0, -1), MATRIX),
        new OpInfo("expand", Domain.AWAY_FROM_ZERO, x -> a(x).expand(2, 3, 4), s(sh(3, 1)), s(sh(4)), s(sh(2, 1, 4))),
        new OpInfo("narrow", Domain.AWAY_FROM_ZERO, x -> a(x).narrow(1, 1, 2), MATRIX),
        new OpInfo("select", Domain.AWAY_FROM_ZERO, x -> a(x).select(-1, 2), MATRIX),
        new OpInfo("squeeze", Domain.AWAY_FROM_ZERO, x -> a(x).squeeze(1), s(sh(3, 1, 4))),
        new OpInfo("unsqueeze", Domain.AWAY_FROM_ZERO, x -> a(x).unsqueeze(1), MATRIX),
        new OpInfo("concat", Domain.AWAY_FROM_ZERO, x -> Tensor.concat(x, 1), s(sh(2, 3), sh(2, 1), sh(2, 2))),
        new OpInfo("stack", Domain.AWAY_FROM_ZERO, x -> Tensor.stack(x, 1), s(sh(2, 3), sh(2, 3))),
        // indexing by class index
        new OpInfo("gather", Domain.AWAY_FROM_ZERO, x -> a(x).gather(1, CLASS_INDEX), s(sh(4, 5))),
        new OpInfo("indexSelect", Domain.AWAY_FROM_ZERO, x -> a(x).indexSelect(0, 2, 0, 2), s(sh(3, 4)), s(sh(4, 2, 3))),
        // the adjoint primitives that the VJPs of narrow, gather and indexSelect apply (their own VJPs
        // are used only when differentiating those gradients again, so they are checked here directly)
        new OpInfo("pad (narrow's adjoint)", Domain.AWAY_FROM_ZERO, x -> Tensor.apply(new Op.Pad(1, 1, 5), a(x)), s(sh(3, 2))),
        new OpInfo("scatterAdd (gather's adjoint)", Domain.AWAY_FROM_ZERO,
            x -> Tensor.apply(new Op.ScatterAdd(new int[] {4, 5}, 1, CLASS_INDEX), a(x)), s(sh(4, 2))),
        new OpInfo("indexAdd (indexSelect's adjoint)", Domain.AWAY_FROM_ZERO,
            x -> Tensor.apply(new Op.IndexAdd(new int[] {3, 4}, 0, new int[] {2, 0, 2}), a(x)), s(sh(3, 4))),
        // take by row-major positions (max pooling's primitive; positions repeat, as overlapping windows' maxima do),
        // and its adjoint putAdd
        new OpInfo("take", Domain.AWAY_FROM_ZERO, x -> a(x).take(new int[] {5, 0, 11, 5, 7, 2}, 2, 3), s(sh(3, 4)), s(sh(2, 1, 2, 3))),
        new OpInfo("putAdd (take's adjoint)", Domain.AWAY_FROM_ZERO,
            x -> Tensor.apply(new Op.PutAdd(new int[] {3, 4}, new int[] {5, 0, 11, 5, 7, 2}), a(x)), s(sh(2, 3))),
        // sliding windows: unfold (im2col) with stride, padding, dilation and non-square kernels, and fold
        // (col2im), its adjoint, which is unfold's VJP (and unfold is fold's): a second derivative of
        // either runs through the other
        new OpInfo("unfold", Domain.AWAY_FROM_ZERO, x -> a(x).unfold(Window2d.kernel(2, 3).stride(2, 1).padding(1, 2)), s(sh(2, 2, 4, 5))),
        new OpInfo("unfold dilated", Domain.AWAY_FROM_ZERO, x -> a(x).unfold(Window2d.kernel(2).dilation(2, 3).padding(1)), s(sh(1, 2, 5, 6))),
        new OpInfo("unfold pad value 0.5", Domain.AWAY_FROM_ZERO, x -> a(x).unfold(Window2d.kernel(3).stride(2).padding(1), 0.5), s(sh(1, 1, 5, 4))),
        // convolution as one primitive: with and without bias, stride, padding, dilation, a non-square kernel
        new OpInfo("conv2d", Domain.AWAY_FROM_ZERO, x -> a(x).conv2d(b(x), x.get(2), Window2d.kernel(2, 3).stride(2, 1).padding(1, 2)),
            s(sh(2, 3, 4, 5), sh(4, 3, 2, 3), sh(4))),
        new OpInfo("conv2dRelu", Domain.AWAY_FROM_ZERO, x -> a(x).conv2dRelu(b(x), x.get(2), Window2d.kernel(3).padding(1)),
            s(sh(2, 2, 4, 5), sh(3, 2, 3, 3), sh(3))),
        new OpInfo("conv2dRelu strided, no bias", Domain.AWAY_FROM_ZERO, x -> a(x).conv2dRelu(b(x), null, Window2d.kernel(2).stride(2)),
            s(sh(1, 3, 4, 4), sh(2, 3, 2, 2))),
        new OpInfo("conv2d dilated, no bias", Domain.AWAY_FROM_ZERO, x -> a(x).conv2d(b(x), null, Window2d.kernel(2).dilation(2, 1).padding(1)),
            s(sh(1, 2, 5, 4), sh(3, 2, 2, 2))),
        new OpInfo("fold (unfold's adjoint)", Domain.AWAY_FROM_ZERO, x -> a(x).fold(4, 3, Window2d.kernel(2, 3).stride(2, 1).padding(1)),
            s(sh(2, 12, 9))),
        new OpInfo("fold dilated", Domain.AWAY_FROM_ZERO, x -> a(x).fold(5, 5, Window2d.kernel(2).dilation(2)), s(sh(1, 4, 9))),
        // softmax family
        new OpInfo("softmax -1", Domain.AWAY_FROM_ZERO, x -> a(x).softmax(-1), s(sh(5)), s(sh(3, 4)), s(sh(2, 3, 4))),
        new OpInfo("softmax 0", Domain.AWAY_FROM_ZERO, x -> a(x).softmax(0), MATRIX),
        new OpInfo("logSoftmax -1", Domain.AWAY_FROM_ZERO, x -> a(x).logSoftmax(-1), s(sh(5)), s(sh(3, 4)), s(sh(2, 3, 4))),
        new OpInfo("logSoftmax 1", Domain.AWAY_FROM_ZERO, x -> a(x).logSoftmax(1), s(sh(2, 3, 4))),
        new OpInfo("crossEntropyTerms", Domain.AWAY_FROM_ZERO, x -> a(x).crossEntropyTerms(CLASS_INDEX.narrow(1, 0, 1)), s(sh(4, 5))),
        // dtype conversion: through float32 and back, so the finite differences see float32 rounding
        // (spacing 1.2e-7 near 1): a step of 1e-2 keeps their error near 1e-5
        new OpInfo("to float32 and back", Domain.AWAY_FROM_ZERO, new Tolerance(1e-2, 1e-4, 1e-4),
            x -> a(x).to(DType.FLOAT32).mul(2).to(DType.FLOAT64), UNARY),
        // a composition, as a network builds one
        new OpInfo("matmul tanh softmax", Domain.AWAY_FROM_ZERO, x -> a(x).matmul(b(x)).tanh().softmax(1), s(sh(2, 3), sh(3, 2))));

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        for (OpInfo op : TABLE)
            for (int[][] shapes : op.shapeSets)
                for (Layout layout : Layout.values())
                    c.add(Arguments.of(op.name, shapesString(shapes), layout, op, shapes));
        return c.stream();
    }

    static Stream<Arguments> secondOrderCases() {
        return cases().filter(a -> ((OpInfo) a.get()[3]).tol == Tolerance.STRICT);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void gradcheck(String name, String shapes, Layout layout, OpInfo op, int[][] inputShapes) {
        List<Tensor> inputs = inputs(op.domain, layout, inputShapes, name.hashCode());
        GradCheck.Result r = GradCheck.gradcheck(op.fn, inputs, op.tol.eps, op.tol.atol, op.tol.rtol);
        assertTrue(r.passed(), name + " " + shapes + " " + layout + ": " + r);
        // the forward on views equals the forward on contiguous copies of the same values
        List<Tensor> copies = inputs.stream().map(t -> Tensor.of(t.data().copy())).toList();
        assertArrayEquals(op.fn.apply(copies).data().toDoubleArray(), op.fn.apply(inputs).data().toDoubleArray(), 1e-14);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("secondOrderCases")
    void gradgradcheck(String name, String shapes, Layout layout, OpInfo op, int[][] inputShapes) {
        List<Tensor> inputs = inputs(op.domain, layout, inputShapes, name.hashCode() + 1);
        GradCheck.Result r = GradCheck.gradgradcheck(op.fn, inputs);
        assertTrue(r.passed(), name + " " + shapes + " " + layout + ": " + r);
    }

    /** The six ops the issue names for second-order checks are in the table and checked to second order. */
    @Test
    void secondOrderCoversTheNamedOps() {
        Set<String> second = TABLE.stream().filter(o -> o.tol == Tolerance.STRICT).map(OpInfo::name).collect(Collectors.toSet());
        assertTrue(second.containsAll(List.of("mul", "tanh", "sigmoid", "matmul", "softmax -1", "logSoftmax -1")), second.toString());
    }

    /** Every primitive in Op (but the user-defined one, checked in GradCheckTest) is reached by the table. */
    @Test
    void tableReachesEveryPrimitive() {
        Set<String> reached = new HashSet<>();
        for (OpInfo op : TABLE) {
            List<Tensor> inputs = inputs(op.domain, Layout.CONTIGUOUS, op.shapeSets[0], 1);
            for (Tensor x : Autograd.topologicalOrder(op.fn.apply(inputs)))
                if (x.op() != null) reached.add(x.op().getClass().getSimpleName());
        }
        Set<String> all = Op.primitiveNames().stream().collect(Collectors.toCollection(HashSet::new));
        all.remove("Custom");
        assertEquals(all, reached, "primitives reached by the table");
    }

    // ------------------------------------------------------------------ inputs

    static List<Tensor> inputs(Domain domain, Layout layout, int[][] shapes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> xs = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            NdArray values = NdArray.of(values(domain, rng, k, dev.nabla.array.Shapes.numel(shapes[k])), shapes[k]);
            NdArray storage = storage(layout, shapes[k]);
            storage.copyFrom(values);
            xs.add(Tensor.of(storage).requiresGrad(true));
        }
        return xs;
    }

    static double[] values(Domain domain, SplittableRandom rng, int input, int n) {
        double[] v = new double[n];
        switch (domain) {
            case AWAY_FROM_ZERO -> { for (int i = 0; i < n; i++) v[i] = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.2, 1.5); }
            case POSITIVE -> { for (int i = 0; i < n; i++) v[i] = rng.nextDouble(0.5, 2); }
            case GRID -> {
                List<Integer> k = new ArrayList<>();
                for (int i = 0; i < n; i++) k.add(i);
                java.util.Collections.shuffle(k, new java.util.Random(rng.nextLong()));
                for (int i = 0; i < n; i++) v[i] = (k.get(i) - n / 2) * 0.1 + 0.03 + 0.05 * input;
            }
        }
        return v;
    }

    /** A float64 array of the given shape laid out as asked: its own storage, a permuted view, or a slice of a larger array. */
    static NdArray storage(Layout layout, int[] shape) {
        int r = shape.length;
        return switch (layout) {
            case CONTIGUOUS -> NdArray.zeros(DType.FLOAT64, shape);
            case TRANSPOSED -> {
                int[] rev = new int[r], order = new int[r];
                for (int i = 0; i < r; i++) { rev[i] = shape[r - 1 - i]; order[i] = r - 1 - i; }
                yield NdArray.zeros(DType.FLOAT64, rev).permute(order);
            }
            case SLICED -> {
                int[] big = new int[r];
                for (int i = 0; i < r; i++) big[i] = shape[i] + 2;
                NdArray a = NdArray.full(DType.FLOAT64, Double.NaN, big);   // NaN around the slice: a read outside it shows
                for (int i = 0; i < r; i++) a = a.narrow(i, 1, shape[i]);
                yield a;
            }
        };
    }

    static String shapesString(int[][] shapes) {
        return Arrays.stream(shapes).map(Arrays::toString).collect(Collectors.joining(", "));
    }

    /** Cross-entropy's first-order VJP (one array, no graph) gives bit for bit what its graph VJP gives. */
    @Test
    void crossEntropyFirstOrderMatchesTheGraphVjpExactly() {
        SplittableRandom rng = new SplittableRandom(17);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            double[][] z = new double[4][5];
            double[] w = new double[4];
            for (int n = 0; n < 4; n++) {
                w[n] = rng.nextGaussian();
                for (int j = 0; j < 5; j++) z[n][j] = rng.nextGaussian() * 3;
            }
            NdArray index = CLASS_INDEX.narrow(1, 0, 1);
            Tensor x = Tensor.of(dtype, z).requiresGrad(true);
            Tensor g = Tensor.of(dtype, w);
            Tensor fast = x.crossEntropyTerms(index).gradient(List.of(x), g, false, false).get(0);
            Tensor graph = x.crossEntropyTerms(index).gradient(List.of(x), g, false, true).get(0);
            assertTrue(graph.requiresGrad(), "the createGraph gradient has a graph");
            assertArrayEquals(graph.data().toDoubleArray(), fast.data().toDoubleArray(), 0.0, dtype.toString());
            double[] rowSums = new double[4];
            double[] f = fast.data().toDoubleArray();
            for (int k = 0; k < f.length; k++) rowSums[k / 5] += f[k];
            for (int n = 0; n < 4; n++) assertEquals(0, rowSums[n], 1e-5, "row " + n + " of softmax - onehot sums to 0");
        }
    }
}
