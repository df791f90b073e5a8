package dev.nabla.array;

import java.util.Arrays;
import java.util.List;

/**
 * Joining and indexing behind {@link NdArray}: concat and stack; gather and its adjoint scatterAdd;
 * indexSelect and its adjoint indexAdd; take and its adjoint putAdd. Index values are checked, and a bad one is reported with
 * where it sits and the valid range.
 */
final class Indexing {
    private Indexing() {}

    /** Joins arrays along an existing dimension; all other sizes must agree. */
    static NdArray concat(List<NdArray> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: needs at least one array");
        NdArray first = parts.get(0);
        int dd = Shapes.dim("concat", dim, first.rank());
        DType t = first.dtype;
        int total = 0;
        for (int p = 0; p < parts.size(); p++) {
            NdArray x = parts.get(p);
            t = DType.promote(t, x.dtype);
            if (x.rank() != first.rank())
                throw new IllegalArgumentException("concat: array " + p + " has shape " + Shapes.str(x.shape) + ", rank differs from " + Shapes.str(first.shape));
            for (int i = 0; i < x.rank(); i++)
                if (i != dd && x.shape[i] != first.shape[i])
                    throw new IllegalArgumentException("concat: array " + p + " has shape " + Shapes.str(x.shape) + ", which differs from "
                        + Shapes.str(first.shape) + " in dimension " + i + " (only dimension " + dd + " may differ)");
            total += x.shape[dd];
        }
        int[] s = first.shape.clone();
        s[dd] = total;
        NdArray out = NdArray.zeros(t, s);
        int at = 0;
        for (NdArray x : parts) {
            out.narrow(dd, at, x.shape[dd]).copyFrom(x);
            at += x.shape[dd];
        }
        return out;
    }

    /** Stacks equally shaped arrays along a new dimension. */
    static NdArray stack(List<NdArray> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: needs at least one array");
        int[] first = parts.get(0).shape;
        for (int i = 1; i < parts.size(); i++)
            if (!Arrays.equals(parts.get(i).shape, first))
                throw new IllegalArgumentException("stack: array " + i + " has shape " + Shapes.str(parts.get(i).shape)
                    + ", array 0 has " + Shapes.str(first) + "; stack needs equal shapes");
        int d = Shapes.insertPosition("stack", dim, first.length);
        return concat(parts.stream().map(p -> p.unsqueeze(d)).toList(), d);
    }

    /** x.take(positions, shape), as documented on {@link NdArray#take}. */
    static NdArray take(NdArray x, int[] positions, int[] shape) {
        int[] s = shape.clone();
        if (Shapes.numel(checkSizes("take", s)) != positions.length)
            throw new IllegalArgumentException("take: " + positions.length + " positions do not fill shape " + Shapes.str(s)
                + " (" + Shapes.numel(s) + " elements)");
        NdArray in = x.isContiguous() ? x : x.copy();
        int n = in.numel(), off = in.offset;
        NdArray out = NdArray.empty(x.dtype, s);   // every element is written
        for (int i = 0; i < positions.length; i++) {
            int q = positions[i];
            if (q < 0 || q >= n) throw badPosition("take", i, q, x.shape);
            if (in.f != null) out.f[i] = in.f[off + q];
            else out.d[i] = in.d[off + q];
        }
        return out;
    }

    /** NdArray.putAdd(shape, positions, src), as documented there. */
    static NdArray putAdd(int[] shape, int[] positions, NdArray src) {
        int[] s = shape.clone();
        checkSizes("putAdd", s);
        if (src.numel() != positions.length)
            throw new IllegalArgumentException("putAdd: source of shape " + Shapes.str(src.shape) + " has " + src.numel()
                + " elements for " + positions.length + " positions");
        NdArray in = src.isContiguous() ? src : src.copy(), out = NdArray.zeros(src.dtype, s);
        int n = out.numel(), off = in.offset;
        for (int i = 0; i < positions.length; i++) {
            int q = positions[i];
            if (q < 0 || q >= n) throw badPosition("putAdd", i, q, s);
            if (in.f != null) out.f[q] += in.f[off + i];
            else out.d[q] += in.d[off + i];
        }
        return out;
    }

    private static int[] checkSizes(String op, int[] shape) {
        for (int v : shape)
            if (v < 0) throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " has a negative size");
        return shape;
    }

    private static IndexOutOfBoundsException badPosition(String op, int i, int q, int[] shape) {
        return new IndexOutOfBoundsException(op + ": position " + i + " of the positions is " + q + ", out of range for an array of shape "
            + Shapes.str(shape) + " (expected 0 to " + (Shapes.numel(shape) - 1) + ")");
    }

    /** x.gather(dim, index), as documented on {@link NdArray#gather}. */
    static NdArray gather(NdArray x, int dim, NdArray index) {
        int[] shape = x.shape;
        int dd = Shapes.dim("gather", dim, shape.length);
        checkIndexShape("gather", index.shape, shape, dd);
        NdArray out = NdArray.zeros(x.dtype, index.shape);
        int[] pos = new int[shape.length];
        for (int flat = 0, n = out.numel(); flat < n; flat++) {
            unravel(flat, index.shape, pos);
            int at = checkIndex("gather", index.get(pos), shape[dd], pos, dd);
            int o = x.offset;
            for (int i = 0; i < shape.length; i++) o += (i == dd ? at : pos[i]) * x.strides[i];
            out.setAt(flat, x.getAt(o));   // out is fresh and contiguous: storage index = row-major index
        }
        return out;
    }

    /**
     * The adjoint of gather: zeros of the given shape with src added at the positions that gather
     * would read: out[i][index[i][j]] += src[i][j] for dim = 1. src has index's shape.
     */
    static NdArray scatterAdd(int[] shape, int dim, NdArray index, NdArray src) {
        int dd = Shapes.dim("scatterAdd", dim, shape.length);
        checkIndexShape("scatterAdd", index.shape, shape, dd);
        if (!Arrays.equals(index.shape, src.shape))
            throw new IllegalArgumentException("scatterAdd: source of shape " + Shapes.str(src.shape) + " must have the index's shape " + Shapes.str(index.shape));
        NdArray out = NdArray.zeros(src.dtype, shape);
        int[] pos = new int[shape.length];
        for (int flat = 0, n = index.numel(); flat < n; flat++) {
            unravel(flat, index.shape, pos);
            int at = checkIndex("scatterAdd", index.get(pos), shape[dd], pos, dd);
            int o = 0;
            for (int i = 0; i < shape.length; i++) o += (i == dd ? at : pos[i]) * out.strides[i];
            out.setAt(o, out.getAt(o) + src.get(pos));
        }
        return out;
    }

    private static void checkIndexShape(String op, int[] index, int[] shape, int dd) {
        if (index.length != shape.length)
            throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(index) + " must have the rank of the input " + Shapes.str(shape));
        for (int i = 0; i < shape.length; i++)
            if (i != dd && index[i] > shape[i])
                throw new IllegalArgumentException(op + ": index shape " + Shapes.str(index) + " exceeds input shape " + Shapes.str(shape)
                    + " in dimension " + i + " (only dimension " + dd + " may be larger)");
    }

    private static void unravel(int flat, int[] shape, int[] pos) {
        for (int i = shape.length - 1; i >= 0; i--) { pos[i] = flat % shape[i]; flat /= shape[i]; }
    }

    /** The slices at the given positions along dim, in that order (positions may repeat). */
    static NdArray indexSelect(NdArray x, int dim, int[] indices) {
        int[] shape = x.shape;
        int dd = Shapes.dim("indexSelect", dim, shape.length);
        int[] s = shape.clone();
        s[dd] = indices.length;
        NdArray out = NdArray.zeros(x.dtype, s);
        for (int i = 0; i < indices.length; i++) {
            int at = checkIndex("indexSelect", indices[i], shape[dd], new int[] {i}, -1);
            out.narrow(dd, i, 1).copyFrom(x.narrow(dd, at, 1));
        }
        return out;
    }

    /**
     * The adjoint of indexSelect: zeros of the given shape with src's slices added at the positions
     * (a repeated position receives the sum of its slices).
     */
    static NdArray indexAdd(int[] shape, int dim, int[] indices, NdArray src) {
        int dd = Shapes.dim("indexAdd", dim, shape.length);
        int[] expected = shape.clone();
        expected[dd] = indices.length;
        if (!Arrays.equals(expected, src.shape))
            throw new IllegalArgumentException("indexAdd: source of shape " + Shapes.str(src.shape) + " should have shape "
                + Shapes.str(expected) + " for " + indices.length + " positions into " + Shapes.str(shape));
        NdArray out = NdArray.zeros(src.dtype, shape);
        for (int i = 0; i < indices.length; i++) {
            int at = checkIndex("indexAdd", indices[i], shape[dd], new int[] {i}, -1);
            out.narrow(dd, at, 1).addInPlace(src.narrow(dd, i, 1));
        }
        return out;
    }

    /** An index value as an int, with an error naming the op, where the value sits and the valid range. */
    private static int checkIndex(String op, double v, int size, int[] at, int dim) {
        int i = (int) v;
        String where = dim < 0 ? "position " + at[0] + " of the indices" : "index element " + Arrays.toString(at);
        if (i != v)
            throw new IllegalArgumentException(op + ": " + where + " holds " + v + ", which is not an integer position");
        if (i < 0 || i >= size)
            throw new IndexOutOfBoundsException(op + ": " + where + " is " + i + ", out of range for "
                + (dim < 0 ? "a dimension" : "dimension " + dim) + " of size " + size + " (expected 0 to " + (size - 1) + ")");
        return i;
    }
}
