package dev.nabla.array;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-thread scratch buffers behind the convolution's image columns. */
class ScratchTest {
    @Test
    void aThreadGetsItsBufferBackAndItGrowsOnDemand() throws Exception {
        float[] first = Scratch.floats(100);
        assertTrue(first.length >= 100);
        assertSame(first, Scratch.floats(50), "a smaller request reuses the kept buffer");
        float[] grown = Scratch.floats(first.length + 1);
        assertTrue(grown.length > first.length);
        assertSame(grown, Scratch.floats(10), "the grown buffer is the one kept");
        double[] d = Scratch.doubles(64);
        assertSame(d, Scratch.doubles(64));
        // another thread has buffers of its own
        AtomicReference<float[]> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(Scratch.floats(10)));
        t.start();
        t.join();
        assertNotSame(grown, other.get());
    }

    @Test
    void requestsOverTheLimitAreFreshAndNotKept() {
        float[] kept = Scratch.floats(16);
        float[] big = Scratch.floats(Scratch.MAX_KEPT + 1);
        assertNotSame(big, Scratch.floats(Scratch.MAX_KEPT + 1), "a large buffer is not held by the thread");
        assertSame(kept, Scratch.floats(16), "a large request leaves the kept buffer in place");
    }

    @Test
    void aConvolutionAfterALargerOneOnTheSameThreadSeesNoStaleColumns() {
        // the kept buffer is longer than the second convolution needs, and holds the first one's columns
        SplittableRandom rng = new SplittableRandom(11);
        NdArray big = NdArray.randn(rng, DType.FLOAT32, 1, 4, 9, 9), bigW = NdArray.randn(rng, DType.FLOAT32, 3, 4, 3, 3);
        NdArray small = NdArray.randn(rng, DType.FLOAT32, 1, 2, 5, 5), smallW = NdArray.randn(rng, DType.FLOAT32, 2, 2, 3, 3);
        Window2d w = Window2d.kernel(3).padding(1);
        // the reference does not use the scratch: W [O, C·kh·kw] @ unfold(x) [1, C·kh·kw, L]
        NdArray expected = smallW.reshape(2, 18).matmul(small.unfold(w, 0.0)).reshape(1, 2, 5, 5);
        big.conv2d(bigW, null, w);
        double diff = small.conv2d(smallW, null, w).maxAbsDiff(expected);
        assertTrue(diff < 1e-5, "after a larger convolution the smaller one differs from its reference by " + diff);
    }
}
