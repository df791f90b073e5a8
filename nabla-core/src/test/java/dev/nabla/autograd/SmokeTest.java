package dev.nabla.autograd;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void matmulTanhGradcheck() {
        Tensor w = Tensor.of(new double[][] {{1, 2, 0.5}, {3, -4, 0.1}}).requiresGrad(true);
        Tensor x = Tensor.of(new double[][] {{0.5, -1}, {0.2, 0.3}, {0.1, 0.9}}).requiresGrad(true);
        GradCheck.Result r = GradCheck.gradcheck(xs -> xs.get(0).matmul(xs.get(1)).tanh().softmax(1), List.of(w, x));
        assertTrue(r.passed(), r.toString());
        GradCheck.Result r2 = GradCheck.gradgradcheck(xs -> xs.get(0).matmul(xs.get(1)).tanh().softmax(1), List.of(w, x));
        assertTrue(r2.passed(), r2.toString());
    }

    @Test
    void broadcastAdd() {
        Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1, 1, 1}).requiresGrad(true);
        a.add(b).mul(a).sum().backward();
        assertArrayEquals(new double[] {2 * 1 + 1, 2 * 2 + 1, 2 * 3 + 1, 9, 11, 13}, a.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {5, 7, 9}, b.grad().data().toDoubleArray(), 1e-12);
    }

    @Test
    void matmulMessage() {
        Tensor a = Tensor.zeros(dev.nabla.array.DType.FLOAT32, 3, 4), b = Tensor.zeros(dev.nabla.array.DType.FLOAT32, 5, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertEquals("matmul: [3, 4] @ [5, 2]: inner dimensions 4 and 5 differ", e.getMessage());
    }
}
