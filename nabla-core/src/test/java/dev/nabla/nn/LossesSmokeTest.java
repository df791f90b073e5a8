package dev.nabla.nn;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LossesSmokeTest {
    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHot() {
        Tensor z = Tensor.of(new double[][] {{1, 2, 0.5}, {-1, 0, 3}}).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {2, 0});
        Losses.crossEntropy(z, y, Reduction.SUM).backward();
        double[] s0 = z.data().softmax(1).toDoubleArray();
        s0[2] -= 1;
        s0[3] -= 1;
        assertArrayEquals(s0, z.grad().data().toDoubleArray(), 1e-12);
    }

    @Test
    void everyLossPassesGradcheck() {
        Tensor x = Tensor.of(new double[][] {{0.3, -1.2, 0.7}, {1.5, 0.1, -0.4}}).requiresGrad(true);
        Tensor t = Tensor.of(new double[][] {{0.2, 0.9, -1.0}, {1.0, -0.3, 0.6}});
        Tensor pm = Tensor.of(new double[][] {{1, -1, 1}, {-1, -1, 1}});
        Tensor p01 = Tensor.of(new double[][] {{0.2, 0.9, 0.0}, {1.0, 0.3, 0.6}});
        Tensor cls = Tensor.of(new double[] {2, 0});
        for (Reduction r : Reduction.values()) {
            List<java.util.function.Function<List<Tensor>, Tensor>> fs = List.of(
                xs -> Losses.mse(xs.get(0), t, r), xs -> Losses.l1(xs.get(0), t, r), xs -> Losses.huber(xs.get(0), t, 1.0, r),
                xs -> Losses.bce(xs.get(0).sigmoid(), p01, r), xs -> Losses.bceWithLogits(xs.get(0), p01, r),
                xs -> Losses.hinge(xs.get(0), pm, r), xs -> Losses.crossEntropy(xs.get(0), cls, r, 0.1),
                xs -> Losses.nll(xs.get(0).logSoftmax(1), cls, r), xs -> Losses.multiClassHinge(xs.get(0), cls, 1.0, r),
                xs -> Losses.multiMargin(xs.get(0), cls, 1.0, r), xs -> Losses.cosine(xs.get(0), t, r));
            for (int i = 0; i < fs.size(); i++) {
                GradCheck.Result res = GradCheck.gradcheck(fs.get(i), List.of(x));
                assertTrue(res.passed(), "loss " + i + " " + r + ": " + res);
            }
        }
    }
}
