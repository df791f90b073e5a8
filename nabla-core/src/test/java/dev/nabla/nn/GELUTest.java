package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import dev.nabla.train.Mlp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * GELU in both of PyTorch's forms: the exact x·Φ(x) against high-precision values of it and of its
 * first two derivatives; the tanh form unchanged; gradcheck and gradgradcheck of both; names.
 */
class GELUTest {
    static final GELU.Approximate TANH = GELU.Approximate.TANH;

    /**
     * x, x·Φ(x), GELU′(x) = Φ(x) + x·φ(x) and GELU″(x) = φ(x)·(2 − x²), from mpmath 1.3.0 at 50 digits
     * rounded to double: with Φ(x) = erfc(−x/√2)/2 and φ(x) = e^(−x²/2)/√(2π),
     * {@code float(x*Phi(x)), float(Phi(x) + x*phi(x)), float(phi(x)*(2 - x*x))}. PyTorch's float64
     * formula x·½·(1 + erf(x/√2)) with the C library's erf (Python's math.erf) gives the values
     * within 1.2e-16.
     */
    static final double[][] EXACT = {
        {-6.0, -5.9195258702261885e-09, -3.5468709453902015e-08, -2.065800168939917e-07},
        {-4.0, -0.0001266849673324797, -0.0005036496612264215, -0.001873623160708395},
        {-3.0, -0.0040496940948902835, -0.011945647204183927, -0.03102293888356605},
        {-2.0, -0.04550026389635842, -0.0852318010781969, -0.1079819330263761},
        {-1.5, -0.1002108019032871, -0.12746919222997952, -0.03237939891647293},
        {-1.0, -0.15865525393145705, -0.0833154705876863, 0.24197072451914334},
        {-0.5, -0.15426876936299344, 0.13250487534383715, 0.6161143218375241},
        {-0.1, -0.0460172162722971, 0.4204769079752698, 0.7899355694792534},
        {0.0, 0.0, 0.5, 0.7978845608028654},
        {0.1, 0.053982783727702904, 0.5795230920247302, 0.7899355694792534},
        {0.5, 0.34573123063700656, 0.8674951246561629, 0.6161143218375241},
        {1.0, 0.8413447460685429, 1.0833154705876864, 0.24197072451914334},
        {1.5, 1.399789198096713, 1.1274691922299795, -0.03237939891647293},
        {2.0, 1.9544997361036416, 1.085231801078197, -0.1079819330263761},
        {3.0, 2.99595030590511, 1.011945647204184, -0.03102293888356605},
        {4.0, 3.9998733150326675, 1.0005036496612265, -0.001873623160708395},
        {6.0, 5.999999994080474, 1.0000000354687095, -2.065800168939917e-07},
    };

    static double[] column(int c) {
        double[] v = new double[EXACT.length];
        for (int i = 0; i < v.length; i++) v[i] = EXACT[i][c];
        return v;
    }

    /**
     * 1 + erf(x/√2) cancels for negative x, as in PyTorch: an error of an ulp of erf (1.1e-16) becomes
     * about |x|·1e-16 in the value; the tolerance allows a few times that.
     */
    static double tolerance(double x) { return 5e-16 * Math.max(1, Math.abs(x)); }

    @Test
    void exactFormAndItsFirstTwoDerivativesMatchReferenceValues() {
        double[] xs = column(0);
        Tensor x = Tensor.of(xs).requiresGrad(true);
        Tensor y = new GELU().forward(x);
        Tensor d1 = y.sum().gradient(List.of(x), null, true, true).get(0);
        Tensor d2 = d1.sum().gradient(List.of(x), null, false, false).get(0);
        double[] v = y.data().toDoubleArray(), g1 = d1.data().toDoubleArray(), g2 = d2.data().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(EXACT[i][1], v[i], tolerance(xs[i]), "GELU(" + xs[i] + ")");
            assertEquals(EXACT[i][2], g1[i], tolerance(xs[i]), "GELU′(" + xs[i] + ")");
            assertEquals(EXACT[i][3], g2[i], 4 * tolerance(xs[i]), "GELU″(" + xs[i] + ")");
        }
    }

    @Test
    void exactIsTheDefaultAndDiffersFromTheTanhFormByLessThan5e4() {
        assertEquals(GELU.Approximate.NONE, new GELU().approximate());
        double[] xs = column(0);
        double[] exact = new GELU().forward(Tensor.of(xs)).data().toDoubleArray();
        double[] approx = new GELU(TANH).forward(Tensor.of(xs)).data().toDoubleArray();
        double largest = 0;
        for (int i = 0; i < xs.length; i++) largest = Math.max(largest, Math.abs(exact[i] - approx[i]));
        assertTrue(largest < 5e-4, "largest difference " + largest);
        assertTrue(largest > 1e-4, "the two forms are different functions: largest difference " + largest);
    }

    @Test
    void tanhFormIsUnchanged() {
        double[] xs = {-3, -1, -0.5, 0, 0.5, 1, 2, 3};
        double[] y = new GELU(TANH).forward(Tensor.of(xs)).data().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            assertEquals(0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3)))), y[i], 1e-15, "at " + x);
        }
    }

    @Test
    void gradcheckAndGradgradcheckOfBothForms() {
        double[][] x = {{-3.1, -1.7, -0.9, -0.25}, {0.05, 0.6, 1.3, 2.8}};
        for (GELU m : List.of(new GELU(), new GELU(TANH))) {
            Function<List<Tensor>, Tensor> f = xs -> m.forward(xs.get(0));
            GradCheck.Result first = GradCheck.gradcheck(f, List.of(Tensor.of(x).requiresGrad(true)));
            assertTrue(first.passed(), m + " " + first);
            GradCheck.Result second = GradCheck.gradgradcheck(f, List.of(Tensor.of(x).requiresGrad(true)));
            assertTrue(second.passed(), m + " " + second);
        }
    }

    @Test
    void float32AgreesWithFloat64() {
        double[] xs = column(0);
        Tensor x32 = Tensor.of(DType.FLOAT32, xs).requiresGrad(true);
        Tensor y32 = new GELU().forward(x32);
        assertEquals(DType.FLOAT32, y32.dtype());
        y32.sum().backward();
        float[] v = y32.data().toFloatArray(), g = x32.grad().data().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(EXACT[i][1], v[i], 1e-6 * Math.max(1, Math.abs(xs[i])), "GELU(" + xs[i] + ")");
            assertEquals(EXACT[i][2], g[i], 1e-6, "GELU′(" + xs[i] + ")");
        }
    }

    @Test
    void namesFollowPyTorch() {
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU(TANH).toString());
        assertEquals(List.of("none", "tanh"), java.util.Arrays.stream(GELU.Approximate.values()).map(GELU.Approximate::pytorchName).toList());
        var e = assertThrows(IllegalArgumentException.class, () -> new GELU(null));
        assertTrue(e.getMessage().contains("GELU"), e.getMessage());
        assertTrue(new GELU().parameters().isEmpty());
    }

    /**
     * Each form is one recorded operation; its float32 gradient is the same through the fused one-pass
     * VJP (dense input), the general one (a transposed view) and the composed one (create_graph).
     */
    @Test
    void oneOperationWhoseGradientPathsAgree() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        double[][] v = new double[6][40];
        for (double[] row : v) for (int j = 0; j < row.length; j++) row[j] = rng.nextGaussian() * 2.5;
        for (GELU m : List.of(new GELU(), new GELU(TANH))) {
            String name = m.approximate() == GELU.Approximate.NONE ? "gelu" : "gelu_tanh";
            Tensor dense = Tensor.of(DType.FLOAT32, v).requiresGrad(true);
            Tensor y = m.forward(dense);
            assertEquals(name, y.op().name());
            y.sum().backward();
            float[] fused = dense.grad().data().toFloatArray();

            double[][] vt = new double[40][6];
            for (int i = 0; i < 6; i++) for (int j = 0; j < 40; j++) vt[j][i] = v[i][j];
            Tensor base = Tensor.of(DType.FLOAT32, vt).requiresGrad(true);   // [40, 6]; the input is its transposed view
            m.forward(base.t()).sum().backward();
            float[] baseGrad = base.grad().data().toFloatArray(), strided = new float[fused.length];
            for (int i = 0; i < 6; i++) for (int j = 0; j < 40; j++) strided[i * 40 + j] = baseGrad[j * 6 + i];

            Tensor again = Tensor.of(DType.FLOAT32, v).requiresGrad(true);
            Tensor composed = m.forward(again).sum().gradient(List.of(again), null, true, true).get(0);
            float[] viaGraph = composed.data().toFloatArray();
            for (int i = 0; i < fused.length; i++) {
                assertEquals(strided[i], fused[i], Math.ulp(strided[i]), name + " element " + i);
                // the composed derivative is rounded to float after every operation, and 1 + t cancels for negative x
                assertEquals(viaGraph[i], fused[i], 1e-6f, name + " element " + i);
            }
        }
    }

    /** In an MLP, "gelu" is the exact form (PyTorch's nn.GELU()) and "gelu_tanh" the approximation. */
    @Test
    void mlpActivationNames() {
        assertEquals("GELU(approximate='none')", Mlp.activation("gelu").toString());
        assertEquals("GELU(approximate='tanh')", Mlp.activation("gelu_tanh").toString());
        assertTrue(Mlp.ACTIVATIONS.containsAll(List.of("gelu", "gelu_tanh")));
        assertEquals(new Mlp(2, List.of(3), 1, "gelu_tanh"), Mlp.fromJson(new Mlp(2, List.of(3), 1, "gelu_tanh").toJson()));
    }
}
