package dev.nabla.data;

import org.junit.jupiter.api.Test;

import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticTest {

    private static void assertDeterministicAndShaped(LongFunction<TensorDataset> make, int n, int d, int classes) {
        TensorDataset a = make.apply(7), b = make.apply(7), c = make.apply(8);
        assertArrayEquals(new int[] {n, d}, a.features().shape());
        assertArrayEquals(new int[] {n}, a.labels().shape());
        assertArrayEquals(a.features().toFloatArray(), b.features().toFloatArray(), "same seed, same features");
        assertArrayEquals(a.labels().toFloatArray(), b.labels().toFloatArray(), "same seed, same labels");
        assertFalse(java.util.Arrays.equals(a.features().toFloatArray(), c.features().toFloatArray()), "another seed, other features");
        assertEquals(classes, a.numClasses());
        int[] count = new int[classes];
        for (float y : a.labels().toFloatArray()) count[(int) y]++;
        for (int k = 0; k < classes; k++)
            assertTrue(Math.abs(count[k] - (double) n / classes) <= 1, "class " + k + " has " + count[k] + " of " + n);
        for (float v : a.features().toFloatArray()) assertTrue(Float.isFinite(v));
    }

    @Test
    void spirals() {
        assertDeterministicAndShaped(s -> Synthetic.spirals(301, 3, 0.05, s), 301, 2, 3);
        // Without noise every point lies on its arm: radius in [0.1, 1].
        TensorDataset clean = Synthetic.spirals(200, 2, 0, 1);
        float[] x = clean.features().toFloatArray();
        for (int i = 0; i < 200; i++) {
            double r = Math.hypot(x[2 * i], x[2 * i + 1]);
            assertTrue(r >= 0.1 - 1e-6 && r <= 1 + 1e-6, "radius " + r);
        }
    }

    @Test
    void moonsCirclesXorBlobs() {
        assertDeterministicAndShaped(s -> Synthetic.moons(200, 0.1, s), 200, 2, 2);
        assertDeterministicAndShaped(s -> Synthetic.circles(200, 0.05, 0.5, s), 200, 2, 2);
        assertDeterministicAndShaped(s -> Synthetic.blobs(150, 3, 4, 0.2, s), 150, 4, 3);
        TensorDataset x = Synthetic.xor(400, 0, 3);
        assertArrayEquals(new int[] {400, 2}, x.features().shape());
        float[] f = x.features().toFloatArray(), y = x.labels().toFloatArray();
        for (int i = 0; i < 400; i++) assertEquals(f[2 * i] * f[2 * i + 1] < 0 ? 1f : 0f, y[i], "xor label of sample " + i);
    }

    @Test
    void noiselessCirclesHaveTheirRadii() {
        TensorDataset c = Synthetic.circles(100, 0, 0.3, 5);
        float[] f = c.features().toFloatArray(), y = c.labels().toFloatArray();
        for (int i = 0; i < 100; i++) assertEquals(y[i] == 0 ? 1 : 0.3, Math.hypot(f[2 * i], f[2 * i + 1]), 1e-5);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Synthetic.spirals(0, 3, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.spirals(10, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.moons(10, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.circles(10, 0.1, 1.5, 1));
    }
}
