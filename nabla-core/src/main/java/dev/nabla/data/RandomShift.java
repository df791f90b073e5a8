package dev.nabla.data;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;

import java.util.random.RandomGenerator;

/**
 * Shifts each image of a batch by a random whole number of pixels, dx and dy each uniform in
 * [−maxShift, maxShift], filling the uncovered border with a constant: the classic augmentation
 * for digits, which teaches a network that a digit moved by a pixel or two is the same digit.
 * Images are float32 features of shape [B, height, width], or [B, height·width] when flattened;
 * labels pass through unchanged.
 */
public record RandomShift(int height, int width, int maxShift, float fill) implements BatchTransform {
    public RandomShift {
        if (height < 1 || width < 1) throw new IllegalArgumentException("RandomShift: image size " + height + " x " + width + " must be positive");
        if (maxShift < 0 || maxShift >= Math.min(height, width))
            throw new IllegalArgumentException("RandomShift: maximum shift " + maxShift + " must be in [0, " + (Math.min(height, width) - 1) + "]");
    }

    @Override
    public Batch apply(Batch batch, RandomGenerator rng) {
        NdArray x = batch.features();
        int b = batch.size(), hw = height * width;
        if (x.dtype() != DType.FLOAT32 || x.numel() != b * hw)
            throw new IllegalArgumentException("RandomShift: expected float32 images of " + height + " x " + width + ", got "
                + x.dtype() + " features of shape " + Shapes.str(x.shape()));
        NdArray src = x.contiguous();
        float[] in = src.floatData();
        int base = src.offset();
        NdArray out = NdArray.zeros(DType.FLOAT32, x.shape());
        float[] o = out.floatData();
        java.util.Arrays.fill(o, fill);
        for (int i = 0; i < b; i++) {
            int dx = rng.nextInt(-maxShift, maxShift + 1), dy = rng.nextInt(-maxShift, maxShift + 1);
            int inImage = base + i * hw, outImage = i * hw;
            int c0 = Math.max(0, dx), c1 = Math.min(width, width + dx);   // destination columns
            for (int r = Math.max(0, dy); r < Math.min(height, height + dy); r++)
                System.arraycopy(in, inImage + (r - dy) * width + (c0 - dx), o, outImage + r * width + c0, c1 - c0);
        }
        return new Batch(out, batch.labels());
    }
}
