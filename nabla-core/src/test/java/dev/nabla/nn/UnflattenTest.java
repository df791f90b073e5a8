package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Unflatten: PyTorch's nn.Unflatten shapes, -1 and negative dims, errors, printing, gradients. */
class UnflattenTest {

    @Test
    void rowsBecomeImagesAndFlattenUndoesIt() {
        float[] v = new float[2 * 12];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor rows = Tensor.of(NdArray.of(v, 2, 12));
        Tensor images = new Unflatten(1, 3, 2, 2).forward(rows);
        assertArrayEquals(new int[] {2, 3, 2, 2}, images.shape());
        // row-major: element [n, c, h, w] is rows[n, c·4 + h·2 + w]
        assertEquals(12 + 2 * 4 + 1 * 2 + 1, images.data().get(1, 2, 1, 1));
        assertArrayEquals(v, new Flatten().forward(images).data().toFloatArray());
    }

    @Test
    void negativeDimensionsAndAnInferredSize() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 4, 6, 5);
        assertArrayEquals(new int[] {4, 2, 3, 5}, new Unflatten(1, 2, 3).forward(x).shape());
        assertArrayEquals(new int[] {4, 2, 3, 5}, new Unflatten(-2, 2, -1).forward(x).shape());
        assertArrayEquals(new int[] {4, 6, 5, 1}, new Unflatten(-1, 5, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 2, 6, 5}, new Unflatten(0, -1, 2).forward(x).shape());
        assertArrayEquals(new int[] {4, 6, 5}, new Unflatten(2, 5).forward(x).shape(), "one size: the shape is unchanged");
    }

    @Test
    void sizesThatDoNotMultiplyUpAreAnError() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 2, 3).forward(x));
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 3)): the sizes (2, 3) do not multiply up to the size of dimension 1 (5) "
            + "of the input [4, 5]", e.getMessage());
        var inferred = assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 2, -1).forward(x));
        assertTrue(inferred.getMessage().contains("the sizes (2, -1) do not multiply up to the size of dimension 1 (5)"), inferred.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> new Unflatten(2, 1, 5).forward(x));
        assertTrue(range.getMessage().contains("dimension 2 is out of range for a 2-d array"), range.getMessage());
    }

    @Test
    void badSizesAreRejectedWhenMade() {
        assertEquals("Unflatten: only one size in unflattened_size (-1, 2, -1) may be -1",
            assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, -1, 2, -1)).getMessage());
        assertEquals("Unflatten: size 0 in unflattened_size (0, 4) must be at least 1 (or -1, inferred)",
            assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 0, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Unflatten(1));
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("Unflatten(dim=1, unflattened_size=(1, 28, 28))", new Unflatten(1, 1, 28, 28).toString());
        assertEquals("Unflatten(dim=-1, unflattened_size=(5,))", new Unflatten(-1, 5).toString());
        assertTrue(new Unflatten(1, 2, 2).parameters().isEmpty());
        assertTrue(new Unflatten(1, 2, 2).stateDict().isEmpty());
    }

    @Test
    void gradientsOfFirstAndSecondOrder() {
        Function<List<Tensor>, Tensor> f = xs -> new Unflatten(1, 2, 2).forward(xs.get(0)).pow(2).sum(2);
        double[][] x = {{0.3, -1.2, 0.7, 2.1}, {1.5, 0.1, -0.4, -0.9}, {-0.6, 0.8, 1.3, -2.2}};
        GradCheck.Result first = GradCheck.gradcheck(f, List.of(Tensor.of(x).requiresGrad(true)));
        assertTrue(first.passed(), first.toString());
        GradCheck.Result second = GradCheck.gradgradcheck(f, List.of(Tensor.of(x).requiresGrad(true)));
        assertTrue(second.passed(), second.toString());
    }
}
