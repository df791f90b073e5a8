package dev.nabla.nn;

import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.Arrays;

/**
 * Splits one dimension into several (PyTorch's {@code nn.Unflatten(dim, unflattened_size)}), the
 * inverse of {@link Flatten}: with dim = 1 and sizes (1, 28, 28), rows [N, 784] become images
 * [N, 1, 28, 28] (a view when the input is contiguous). dim may be negative (counted from the
 * end); one size may be -1, inferred from the others. The sizes must multiply to the size of that
 * dimension of the input, or forward throws an IllegalArgumentException saying so.
 */
public final class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    /**
     * @param dim   the dimension to split
     * @param sizes what it becomes: each at least 1, or one of them -1 (inferred)
     */
    public Unflatten(int dim, int... sizes) {
        if (sizes == null || sizes.length == 0)
            throw new IllegalArgumentException("Unflatten: unflattened_size must hold at least one size");
        int inferred = 0;
        for (int s : sizes) {
            if (s == -1) inferred++;
            else if (s < 1)
                throw new IllegalArgumentException("Unflatten: size " + s + " in unflattened_size " + tuple(sizes) + " must be at least 1 (or -1, inferred)");
        }
        if (inferred > 1)
            throw new IllegalArgumentException("Unflatten: only one size in unflattened_size " + tuple(sizes) + " may be -1");
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    /** The dimension that is split (as given: possibly negative). */
    public int dim() { return dim; }

    /** The sizes it becomes (as given: possibly with a -1). */
    public int[] unflattenedSize() { return sizes.clone(); }

    @Override
    public Tensor forward(Tensor x) {
        int[] in = x.shape();
        int d = Shapes.dim(toString(), dim, in.length);
        long known = 1;
        int infer = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) infer = i;
            else known *= sizes[i];
        }
        int[] split = sizes.clone();
        if (infer >= 0 && in[d] % known == 0) split[infer] = (int) (in[d] / known);
        else if (infer >= 0 || known != in[d])
            throw new IllegalArgumentException(this + ": the sizes " + tuple(sizes) + " do not multiply up to the size of dimension "
                + dim + " (" + in[d] + ") of the input " + Shapes.str(in));
        int[] out = new int[in.length - 1 + split.length];
        System.arraycopy(in, 0, out, 0, d);
        System.arraycopy(split, 0, out, d, split.length);
        System.arraycopy(in, d + 1, out, d + split.length, in.length - d - 1);
        return x.reshape(out);
    }

    /** Python's tuple notation: (1, 28, 28), and (5,) for one element. */
    private static String tuple(int[] sizes) {
        String s = Arrays.toString(sizes);
        return "(" + s.substring(1, s.length() - 1) + (sizes.length == 1 ? ",)" : ")");
    }

    @Override
    protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + tuple(sizes); }
}
