package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The activation modules: gradients of first and second order, values, printing. */
class ActivationsTest {
    static final double[][] X = {{0.3, -1.2, 0.7, 2.1}, {1.5, 0.1, -0.4, -0.9}, {-0.6, 0.8, 1.3, -2.2}};

    static List<Module> modules() {
        return List.of(new Sigmoid(), new Tanh(), new ReLU(), new LeakyReLU(0.1), new Softplus(), new GELU(),
            new GELU(GELU.Approximate.TANH), new Softmax(1), new Softmax(0), new LogSoftmax(1), new Identity(), new Flatten(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void gradcheckAndGradgradcheck(Module m) {
        Function<List<Tensor>, Tensor> f = xs -> m.forward(xs.get(0));
        GradCheck.Result first = GradCheck.gradcheck(f, List.of(Tensor.of(X).requiresGrad(true)));
        assertTrue(first.passed(), first.toString());
        GradCheck.Result second = GradCheck.gradgradcheck(f, List.of(Tensor.of(X).requiresGrad(true)));
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void kinkDerivatives() {
        Tensor x = Tensor.of(new double[] {0.0, 0.0}).requiresGrad(true);
        Tensor.stack(List.of(new ReLU().forward(x.narrow(0, 0, 1)), new LeakyReLU(0.2).forward(x.narrow(0, 1, 1))), 0).sum().backward();
        assertArrayEquals(new double[] {0, 0.2}, x.grad().data().toDoubleArray(), 0.0, "ReLU′(0) = 0; LeakyReLU′(0) = slope");
        assertArrayEquals(new double[] {-0.1, 2, 0}, new LeakyReLU(0.1).forward(Tensor.of(new double[] {-1, 2, 0})).data().toDoubleArray(), 1e-15);
        assertEquals(0.01, new LeakyReLU().negativeSlope());
    }

    @Test
    void largeInputsStayFinite() {
        Tensor x = Tensor.of(new double[][] {{1e4, -1e4, 0}}).requiresGrad(true);
        for (Module m : List.of(new Sigmoid(), new Tanh(), new Softplus(), new GELU(), new GELU(GELU.Approximate.TANH), new Softmax(1),
                new LogSoftmax(1))) {
            Tensor y = m.forward(x);
            for (double v : y.data().toDoubleArray()) assertTrue(Double.isFinite(v), m + " value " + v);
            x.zeroGrad();
            y.sum().backward();
            for (double v : x.grad().data().toDoubleArray()) assertTrue(Double.isFinite(v), m + " gradient " + v);
        }
        assertArrayEquals(new double[] {1e4, 0, Math.log(2)}, new Softplus().forward(x).data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0, -2e4, -1e4}, new LogSoftmax(1).forward(x).data().toDoubleArray(), 1e-9);
    }

    @Test
    void flattenAndIdentity() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {24}, new Flatten(0).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 4}, new Flatten(2).forward(x).shape());
        assertSame(x, new Identity().forward(x));
    }

    @Test
    void printing() {
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU(GELU.Approximate.TANH).toString());
        assertEquals("LogSoftmax(dim=1)", new LogSoftmax(1).toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertEquals("Identity()", new Identity().toString());
        assertTrue(new Softplus().parameters().isEmpty());
    }
}
