package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.MSELoss;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ObjectiveTest {
    private static final NdArray SCORES = NdArray.of(new float[] {
        0.1f, 2.0f, -1f,     // argmax 1
        3.0f, 3.0f, 0f,      // tie: the first, 0
        -5f, -6f, -4f}, 3, 3);   // argmax 2

    @Test
    void accuracyCountsArgmaxHits() {
        Objective o = new Objective.ClassIndices(new CrossEntropyLoss());
        assertEquals(3, o.correct(SCORES, NdArray.of(new float[] {1, 0, 2}, 3)));
        assertEquals(1, o.correct(SCORES, NdArray.of(new float[] {1, 1, 0}, 3)));
        assertEquals(2, o.correct(SCORES.transpose(0, 1).transpose(0, 1), NdArray.of(new float[] {1, 0, 0}, 3)));
        assertThrows(IllegalArgumentException.class, () -> o.correct(SCORES, NdArray.of(new float[] {1, 0}, 2)));
    }

    @Test
    void oneHotTargetsGiveTheExpectedMse() {
        Objective o = new Objective.OneHot(new MSELoss(), 3);
        Tensor out = Tensor.of(NdArray.of(new float[] {1, 0, 0, 0, 0.5f, 0}, 2, 3));
        // Targets [1,0,0] and [0,0,1]: squared errors 0 and 0.25 + 1, mean over 6 elements.
        assertEquals(1.25 / 6, o.loss(out, NdArray.of(new float[] {0, 2}, 2)).item(), 1e-7);
        assertEquals(1, o.correct(out.data(), NdArray.of(new float[] {0, 2}, 2)));
        var e = assertThrows(IllegalArgumentException.class, () -> o.loss(out, NdArray.of(new float[] {0, 3}, 2)));
        assertTrue(e.getMessage().contains("label 3.0 of sample 1"), e.getMessage());
    }

    @Test
    void regressionTargetsHaveNoAccuracy() {
        Objective o = new Objective.Targets(new MSELoss());
        Tensor out = Tensor.of(NdArray.of(new float[] {1, 2}, 2, 1));
        assertEquals((0 + 4) / 2.0, o.loss(out, NdArray.of(new float[] {1, 0}, 2)).item(), 1e-7);
        assertEquals(-1, o.correct(out.data(), NdArray.zeros(DType.FLOAT32, 2)));
    }
}
