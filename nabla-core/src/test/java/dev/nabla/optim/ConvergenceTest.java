package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each optimizer minimizes an ill-conditioned quadratic f(x) = ½ Σ aᵢ(xᵢ − cᵢ)² + ½(x₀ − x₁)², whose
 * gradient comes from autograd, and reaches its minimizer x* within a tolerance, in float32 and float64.
 */
class ConvergenceTest {

    private static final double[] A = {1, 4, 0.5, 2}, C = {1, -2, 3, 0.5};

    /** x* solves (diag(a) + e₀₁ coupling) x = a∘c. */
    private static double[] minimizer() {
        // rows 0 and 1 are coupled: (a0 + 1)x0 − x1 = a0 c0, −x0 + (a1 + 1)x1 = a1 c1
        double m00 = A[0] + 1, m01 = -1, m11 = A[1] + 1, r0 = A[0] * C[0], r1 = A[1] * C[1];
        double det = m00 * m11 - m01 * m01;
        return new double[] {(r0 * m11 - m01 * r1) / det, (m00 * r1 - m01 * r0) / det, C[2], C[3]};
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
            Arguments.of("SGD", 500, (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, 0.2)),
            Arguments.of("SGD momentum", 300, (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, SGD.Options.defaults(0.05).withMomentum(0.9))),
            Arguments.of("SGD nesterov", 300, (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, SGD.Options.defaults(0.05).withMomentum(0.9).withNesterov(true))),
            Arguments.of("Adam", 2000, (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, 0.05)),
            Arguments.of("Adam amsgrad", 2000, (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, Adam.Options.defaults(0.05).withAmsgrad(true))),
            Arguments.of("AdamW no decay", 2000, (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, AdamW.Options.defaults(0.05).withWeightDecay(0))),
            // RMSprop's steps stay near η·sign(g) close to the minimum, so it needs a decaying rate to settle
            Arguments.of("RMSprop + cosine", 2000, (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps, 0.01)),
            Arguments.of("RMSprop centered momentum + cosine", 2000, (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps, RMSprop.Options.defaults(0.005).withMomentum(0.5).withCentered(true))),
            Arguments.of("Adagrad", 3000, (Function<List<Tensor>, Optimizer>) ps -> new Adagrad(ps, 0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void reachesTheMinimumOfAQuadratic(String name, int steps, Function<List<Tensor>, Optimizer> make) {
        for (DType dtype : DType.values()) {
            Tensor x = Tensor.zeros(dtype, 4).requiresGrad(true);
            Tensor a = Tensor.of(NdArray.of(A.clone(), 4).to(dtype)), c = Tensor.of(NdArray.of(C.clone(), 4).to(dtype));
            Optimizer opt = make.apply(List.of(x));
            LRScheduler schedule = name.endsWith("cosine") ? new CosineAnnealingLR(opt, steps, 0) : null;
            for (int t = 0; t < steps; t++) {
                opt.zeroGrad();
                Tensor d = x.sub(c);
                Tensor coupling = x.narrow(0, 0, 1).sub(x.narrow(0, 1, 1));
                Tensor f = a.mul(d.square()).sum().mul(0.5).add(coupling.square().sum().mul(0.5));
                f.backward();
                opt.step();
                if (schedule != null) schedule.step();
            }
            double[] got = x.data().toDoubleArray(), want = minimizer();
            assertArrayEquals(want, got, 1e-4, name + " " + dtype + " ended at " + x.data());
        }
    }
}
