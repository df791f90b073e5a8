package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.autograd.Tensor;
import dev.nabla.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The pieces together: a small network learns XOR with SGD, in both dtypes. */
class TrainingTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void learnsXor(DType dtype) {
        SplittableRandom rng = new SplittableRandom(42);
        Sequential net = new Sequential(new Linear(2, 8, true, dtype, rng), new Tanh(), new Linear(8, 1, true, dtype, rng));
        Tensor x = Tensor.of(dtype, new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(dtype, new double[][] {{0}, {1}, {1}, {0}});
        BCEWithLogitsLoss lossFn = new BCEWithLogitsLoss();
        SGD opt = new SGD(net.parameters(), 0.5);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 1500; step++) {
            opt.zeroGrad();
            Tensor loss = lossFn.forward(net.forward(x), y).add(Regularization.l2Penalty(net, 1e-5));
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.05 && last < first / 10, "loss went from " + first + " to " + last);
        net.eval();
        double[] p = net.forward(x).sigmoid().data().toDoubleArray();
        assertArrayEquals(new double[] {0, 1, 1, 0}, new double[] {Math.rint(p[0]), Math.rint(p[1]), Math.rint(p[2]), Math.rint(p[3])});
    }
}
