package dev.nabla.array;

import dev.nabla.kernels.BinaryOp;
import dev.nabla.kernels.Elementwise;
import dev.nabla.kernels.Fused;
import dev.nabla.kernels.Reduce;
import dev.nabla.kernels.Softmax;
import dev.nabla.kernels.Transpose;
import dev.nabla.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of float32 or float64 numbers: a flat primitive array plus shape, strides and
 * offset. Views ({@link #reshape}, {@link #permute}, {@link #narrow}, {@link #expand}, ...) share the
 * storage and copy nothing; every math method returns a new contiguous array and leaves its operands
 * unmodified, except the methods whose name ends in {@code InPlace}.
 *
 * <p>Broadcasting follows NumPy/PyTorch: shapes are aligned at the trailing dimension, and each pair
 * of sizes must agree or one of them be 1.
 */
public final class NdArray {
    // Package-private so that the helpers of this package (MatMul, Indexing) read them directly.
    final DType dtype;
    final float[] f;
    final double[] d;
    final int[] shape;
    final int[] strides;
    final int offset;

    NdArray(DType dtype, float[] f, double[] d, int[] shape, int[] strides, int offset) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ================================================================ creation

    public static NdArray zeros(DType dtype, int... shape) { return make(dtype, true, shape); }

    /**
     * A new contiguous array whose values are unspecified (PyTorch's {@code torch.empty}): zeros when
     * its storage is newly allocated, whatever an earlier step left when a workspace lends it (see
     * {@code dev.nabla.autograd.Workspace}). For code that writes every element before reading any;
     * it saves the pass that {@link #zeros} spends filling reused storage.
     */
    public static NdArray empty(DType dtype, int... shape) { return make(dtype, false, shape); }

    private static NdArray make(DType dtype, boolean zero, int... shape) {
        int[] s = checkShape(shape);
        int n = Shapes.numel(s);
        ArrayPool pool = ArrayPool.lendingOnThisThread();   // inside a workspace step: reused storage
        if (pool != null)
            return dtype == DType.FLOAT32
                ? new NdArray(dtype, pool.floats(n, zero), null, s, Shapes.contiguousStrides(s), 0)
                : new NdArray(dtype, null, pool.doubles(n, zero), s, Shapes.contiguousStrides(s), 0);
        return dtype == DType.FLOAT32
            ? new NdArray(dtype, new float[n], null, s, Shapes.contiguousStrides(s), 0)
            : new NdArray(dtype, null, new double[n], s, Shapes.contiguousStrides(s), 0);
    }

    public static NdArray ones(DType dtype, int... shape) { return full(dtype, 1.0, shape); }

    public static NdArray full(DType dtype, double value, int... shape) {
        NdArray a = zeros(dtype, shape);
        if (a.f != null) Arrays.fill(a.f, (float) value); else Arrays.fill(a.d, value);
        return a;
    }

    public static NdArray scalar(DType dtype, double value) { return full(dtype, value); }

    /** start, start + step, ... up to but excluding end. */
    public static NdArray arange(DType dtype, double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        NdArray a = zeros(dtype, n);
        for (int i = 0; i < n; i++) a.setFlat(i, start + i * step);
        return a;
    }

    /** Wraps (does not copy) a flat float array as a contiguous array of the given shape. */
    public static NdArray of(float[] data, int... shape) {
        int[] s = checkShape(shape);
        if (Shapes.numel(s) != data.length)
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s));
        return new NdArray(DType.FLOAT32, data, null, s, Shapes.contiguousStrides(s), 0);
    }

    /** Wraps (does not copy) a flat double array as a contiguous array of the given shape. */
    public static NdArray of(double[] data, int... shape) {
        int[] s = checkShape(shape);
        if (Shapes.numel(s) != data.length)
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s));
        return new NdArray(DType.FLOAT64, null, data, s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * Copies a nested Java array ({@code double[]}, {@code double[][]}, {@code float[][][]},
     * {@code int[][]}, {@code Object[]} of those, ..., or a boxed {@code Number} for a 0-d array) into a
     * new array. The shape is read from the first element at each depth; rows must not be ragged, and
     * the error names the first element that breaks the shape.
     */
    public static NdArray fromNested(DType dtype, Object nested) {
        int[] s = nestedShape(nested);
        NdArray a = zeros(dtype, s);
        int[] pos = {0};
        fill(nested, a, pos, "", 0, s);
        return a;
    }

    public static NdArray fromNested(Object nested) { return fromNested(DType.FLOAT64, nested); }

    /** The length of a Java array of numbers or of arrays, or -1 when o is not such an array. */
    private static int nestedLength(Object o) {
        return switch (o) {
            case double[] a -> a.length;
            case float[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case Object[] a -> a.length;
            case null, default -> -1;
        };
    }

    private static Object nestedElement(Object o, int i) {
        return switch (o) {
            case double[] a -> a[i];
            case float[] a -> a[i];
            case int[] a -> a[i];
            case long[] a -> a[i];
            case Object[] a -> a[i];
            default -> throw new IllegalStateException("not an array");
        };
    }

    private static int[] nestedShape(Object o) {
        java.util.ArrayList<Integer> dims = new java.util.ArrayList<>();
        for (int len = nestedLength(o); len >= 0; len = nestedLength(o)) {
            dims.add(len);
            o = len > 0 ? nestedElement(o, 0) : null;
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void fill(Object o, NdArray a, int[] pos, String path, int depth, int[] shape) {
        String where = path.isEmpty() ? "(the whole input)" : path;
        if (depth == shape.length) {
            if (!(o instanceof Number num))
                throw new IllegalArgumentException("fromNested: ragged input: element " + where + " should be a number, got "
                    + (o == null ? "null" : nestedLength(o) >= 0 ? "an array of length " + nestedLength(o) : o.getClass().getSimpleName()));
            a.setFlat(pos[0]++, num.doubleValue());
            return;
        }
        int len = nestedLength(o);
        if (len != shape[depth])
            throw new IllegalArgumentException("fromNested: ragged input: element " + where + " should be an array of length "
                + shape[depth] + " (as the first element at that depth), got "
                + (len >= 0 ? "length " + len : o == null ? "null" : "a " + o.getClass().getSimpleName()));
        for (int i = 0; i < len; i++)
            fill(nestedElement(o, i), a, pos, path + "[" + i + "]", depth + 1, shape);
    }

    /**
     * Uniform numbers in [lo, hi) drawn from the generator, one {@code nextDouble()} per element in
     * row-major order (a seeded generator reproduces the array). A value that rounds up to hi (in
     * float32 this happens for draws close to 1) is replaced by the largest number below hi.
     */
    public static NdArray uniform(RandomGenerator rng, DType dtype, double lo, double hi, int... shape) {
        NdArray a = zeros(dtype, shape);
        double top = dtype == DType.FLOAT32 ? Math.nextDown((float) hi) : Math.nextDown(hi);
        for (int i = 0, n = a.numel(); i < n; i++) {
            double v = lo + (hi - lo) * rng.nextDouble();
            boolean roundsToHi = dtype == DType.FLOAT32 ? (float) v >= (float) hi : v >= hi;
            a.setFlat(i, roundsToHi && hi > lo ? top : v);
        }
        return a;
    }

    public static NdArray rand(RandomGenerator rng, DType dtype, int... shape) { return uniform(rng, dtype, 0, 1, shape); }

    /** Standard normal numbers drawn from the generator. */
    public static NdArray randn(RandomGenerator rng, DType dtype, int... shape) {
        NdArray a = zeros(dtype, shape);
        for (int i = 0, n = a.numel(); i < n; i++) a.setFlat(i, rng.nextGaussian());
        return a;
    }

    private static int[] checkShape(int[] shape) {
        for (int s : shape)
            if (s < 0) throw new IllegalArgumentException("shape " + Shapes.str(shape) + " has a negative size");
        return shape.clone();
    }

    // ================================================================ accessors

    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int[] strides() { return strides.clone(); }
    public int offset() { return offset; }
    public int rank() { return shape.length; }
    public int size(int dim) { return shape[Shapes.dim("size", dim, shape.length)]; }
    public int numel() { return Shapes.numel(shape); }

    /** The backing float array (shared, not copied), or null for float64. For kernels and io. */
    public float[] floatData() { return f; }

    /** The backing double array (shared, not copied), or null for float32. */
    public double[] doubleData() { return d; }

    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    public boolean sameShape(NdArray o) { return Arrays.equals(shape, o.shape); }

    public double get(int... index) { return getAt(offsetOf("get", index)); }

    public void set(double value, int... index) { setAt(offsetOf("set", index), value); }

    /** The value of a one-element array. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item: array of shape " + Shapes.str(shape) + " has " + numel() + " elements, not 1");
        return getAt(offset);
    }

    private int offsetOf(String op, int[] index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a " + shape.length + "-d array of shape " + Shapes.str(shape));
        int o = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " is out of range for dimension " + i + " of size " + shape[i]);
            o += index[i] * strides[i];
        }
        return o;
    }

    double getAt(int storageIndex) { return f != null ? f[storageIndex] : d[storageIndex]; }

    void setAt(int storageIndex, double v) { if (f != null) f[storageIndex] = (float) v; else d[storageIndex] = v; }

    /** Sets element i in row-major order of a contiguous array. */
    private void setFlat(int i, double v) { setAt(offset + i, v); }

    /** The elements in row-major order, as doubles. */
    public double[] toDoubleArray() {
        NdArray c = contiguous().to(DType.FLOAT64);
        return c.d.length == c.numel() && c.offset == 0 ? c.d.clone() : Arrays.copyOfRange(c.d, c.offset, c.offset + c.numel());
    }

    /** The elements in row-major order, as floats. */
    public float[] toFloatArray() {
        NdArray c = contiguous().to(DType.FLOAT32);
        return Arrays.copyOfRange(c.f, c.offset, c.offset + c.numel());
    }

    // ================================================================ views

    /**
     * Same elements in row-major order, new shape; one size may be -1 (inferred). A view sharing the
     * storage whenever the strides allow it (always for a contiguous array, and for many strided ones,
     * e.g. inserting size-1 dimensions into a transposed view); otherwise a contiguous copy.
     */
    public NdArray reshape(int... newShape) {
        int[] s = Shapes.inferReshape("reshape", shape, newShape);
        if (Arrays.equals(s, shape)) return this;
        int[] st = viewStrides(s);
        if (st != null) return new NdArray(dtype, f, d, s, st, offset);
        return copy().reshape(s);
    }

    /**
     * Strides under which this array's elements, read in row-major order, take the new shape, or null
     * when no such strides exist. The old dimensions are cut into chunks that are laid out as one
     * uniformly strided block (each dimension's stride is the next one's stride times its size); every
     * chunk must be covered by a run of new dimensions of the same element count, which then take
     * strides inside that block.
     */
    private int[] viewStrides(int[] newShape) {
        int[] st = new int[newShape.length];
        if (numel() == 0 || shape.length == 0) return Shapes.contiguousStrides(newShape);
        int v = newShape.length - 1;
        int chunkStride = strides[shape.length - 1];
        long chunkCount = 1, viewCount = 1;
        for (int t = shape.length - 1; t >= 0; t--) {
            chunkCount *= shape[t];
            boolean chunkEnds = t == 0 || (shape[t - 1] != 1 && strides[t - 1] != chunkCount * chunkStride);
            if (!chunkEnds) continue;
            while (v >= 0 && (viewCount < chunkCount || newShape[v] == 1)) {
                st[v] = (int) (viewCount * chunkStride);
                viewCount *= newShape[v];
                v--;
            }
            if (viewCount != chunkCount) return null;
            if (t > 0) { chunkStride = strides[t - 1]; chunkCount = 1; viewCount = 1; }
        }
        return v == -1 ? st : null;
    }

    /** Reorders the dimensions: result dimension i is this array's dimension {@code order[i]}. */
    public NdArray permute(int... order) {
        if (order.length != shape.length)
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length + " entries for a " + shape.length + "-d array");
        int[] s = new int[order.length], st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int o = Shapes.dim("permute", order[i], shape.length);
            if (seen[o]) throw new IllegalArgumentException("permute: dimension " + o + " appears twice in " + Arrays.toString(order));
            seen[o] = true;
            s[i] = shape[o];
            st[i] = strides[o];
        }
        return new NdArray(dtype, f, d, s, st, offset);
    }

    /** Swaps two dimensions (a view). */
    public NdArray transpose(int dim0, int dim1) {
        int a = Shapes.dim("transpose", dim0, shape.length), b = Shapes.dim("transpose", dim1, shape.length);
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements start..start+length-1 along dim (a view). */
    public NdArray narrow(int dim, int start, int length) {
        int dd = Shapes.dim("narrow", dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[dd])
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") is outside dimension " + dd + " of size " + shape[dd]);
        int[] s = shape.clone();
        s[dd] = length;
        return new NdArray(dtype, f, d, s, strides.clone(), offset + start * strides[dd]);
    }

    /** The slice at position index along dim, with that dimension removed (a view). */
    public NdArray select(int dim, int index) {
        int dd = Shapes.dim("select", dim, shape.length);
        if (index < 0 || index >= shape[dd])
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + dd + " of size " + shape[dd]);
        return narrow(dd, index, 1).squeeze(dd);
    }

    /**
     * Broadcasts to a shape with as many or more dimensions by repeating size-1 dimensions with
     * stride 0 (a view; new leading dimensions are added in front). A size of -1 keeps that size.
     */
    public NdArray expand(int... newShape) {
        if (Arrays.equals(newShape, shape)) return this;
        if (newShape.length < shape.length)
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(newShape)
                + ", which has fewer dimensions");
        int lead = newShape.length - shape.length;
        int[] s = newShape.clone(), st = new int[newShape.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && i >= lead) s[i] = shape[i - lead];
            if (s[i] < 0)
                throw new IllegalArgumentException("expand: size " + newShape[i] + " in " + Shapes.str(newShape) + " is invalid"
                    + (i < lead ? " for a new leading dimension" : "") + " (sizes must be ≥ 0, or -1 to keep a size)");
            if (i < lead) continue;   // new leading dimension: stride 0
            int old = shape[i - lead];
            if (old == s[i]) st[i] = strides[i - lead];
            else if (old != 1)
                throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot be broadcast to "
                    + Shapes.str(newShape) + ": dimension " + (i - lead) + " has size " + old + ", which is neither 1 nor " + s[i]);
        }
        return new NdArray(dtype, f, d, s, st, offset);
    }

    /** Removes dimension dim, which must have size 1 (a view). A 0-d array's dimension 0 or -1 leaves it as it is. */
    public NdArray squeeze(int dim) {
        if (Shapes.scalarDim("squeeze", dim, shape.length)) return this;
        int dd = Shapes.dim("squeeze", dim, shape.length);
        if (shape[dd] != 1) throw new IllegalArgumentException("squeeze: dimension " + dd + " of shape " + Shapes.str(shape) + " has size " + shape[dd] + ", not 1");
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dd) { s[j] = shape[i]; st[j++] = strides[i]; }
        return new NdArray(dtype, f, d, s, st, offset);
    }

    /** Inserts a size-1 dimension at position dim (0..rank; negative counts from the end). */
    public NdArray unsqueeze(int dim) {
        int dd = Shapes.insertPosition("unsqueeze", dim, shape.length);
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i <= shape.length; i++) {
            if (i == dd) { s[i] = 1; st[i] = dd < shape.length ? strides[dd] * shape[dd] : 1; }
            else { s[i] = shape[j]; st[i] = strides[j++]; }
        }
        return new NdArray(dtype, f, d, s, st, offset);
    }

    /** This array when contiguous, else a contiguous copy. */
    public NdArray contiguous() { return isContiguous() && offset == 0 && storageLength() == numel() ? this : copy(); }

    private int storageLength() { return f != null ? f.length : d.length; }

    /** A new contiguous array with the same elements. */
    public NdArray copy() {
        if (rank() == 2 && strides[0] == 1 && strides[1] >= shape[0] && shape[0] > 1 && shape[1] > 1) {
            // a transposed 2-d view (a weight gradient, x.t()): a tiled transpose, not a strided walk
            NdArray out = empty(dtype, shape);
            if (f != null) Transpose.transpose(f, offset, strides[1], shape[1], shape[0], out.f, 0, shape[1]);
            else Transpose.transpose(d, offset, strides[1], shape[1], shape[0], out.d, 0, shape[1]);
            return out;
        }
        return unary(UnaryOp.IDENTITY);
    }

    /** This array in another dtype (this array itself when the dtype already matches). */
    public NdArray to(DType target) {
        if (target == dtype) return this;
        NdArray out = empty(target, shape);
        StridedLoop.forEach(shape, new int[][] {strides, out.strides}, new int[] {offset, 0}, (o, st, n) -> {
            if (f != null) for (int i = 0; i < n; i++) out.d[o[1] + i * st[1]] = f[o[0] + i * st[0]];
            else for (int i = 0; i < n; i++) out.f[o[1] + i * st[1]] = (float) d[o[0] + i * st[0]];
        });
        return out;
    }

    // ================================================================ element-wise math

    public NdArray unary(UnaryOp op) { return unary(op, 0, 0); }

    public NdArray unary(UnaryOp op, double p, double q) {
        NdArray out = empty(dtype, shape);   // every element is written below
        if (isContiguous()) {   // one run: straight to the kernel
            if (f != null) Elementwise.unary(op, (float) p, (float) q, f, offset, 1, out.f, 0, out.f.length);
            else Elementwise.unary(op, p, q, d, offset, 1, out.d, 0, out.d.length);
            return out;
        }
        StridedLoop.forEach(shape, new int[][] {strides, out.strides}, new int[] {offset, 0}, (o, st, n) -> {
            if (f != null) Elementwise.unary(op, (float) p, (float) q, f, o[0], st[0], out.f, o[1], n);
            else Elementwise.unary(op, p, q, d, o[0], st[0], out.d, o[1], n);
        });
        return out;
    }

    /** op(this, other) with broadcasting; the result dtype is the promoted one. */
    public NdArray binary(BinaryOp op, NdArray other) {
        DType t = DType.promote(dtype, other.dtype);
        NdArray a = to(t), b = other.to(t);
        int[] s = Shapes.broadcast(op.label(), shape, other.shape);
        NdArray ea = a.expand(s), eb = b.expand(s);
        NdArray out = empty(t, s);   // every element is written below
        if (ea.isContiguous() && eb.isContiguous()) {   // same shape, both dense: one run
            int n = out.numel();
            if (t == DType.FLOAT32) Elementwise.binary(op, ea.f, ea.offset, 1, eb.f, eb.offset, 1, out.f, 0, n);
            else Elementwise.binary(op, ea.d, ea.offset, 1, eb.d, eb.offset, 1, out.d, 0, n);
            return out;
        }
        StridedLoop.forEach(s, new int[][] {ea.strides, eb.strides, out.strides}, new int[] {ea.offset, eb.offset, 0}, (o, st, n) -> {
            if (t == DType.FLOAT32) Elementwise.binary(op, ea.f, o[0], st[0], eb.f, o[1], st[1], out.f, o[2], n);
            else Elementwise.binary(op, ea.d, o[0], st[0], eb.d, o[1], st[1], out.d, o[2], n);
        });
        return out;
    }

    public NdArray add(NdArray o) { return binary(BinaryOp.ADD, o); }
    public NdArray sub(NdArray o) { return binary(BinaryOp.SUB, o); }
    public NdArray mul(NdArray o) { return binary(BinaryOp.MUL, o); }
    public NdArray div(NdArray o) { return binary(BinaryOp.DIV, o); }
    public NdArray add(double s) { return unary(UnaryOp.ADD_SCALAR, s, 0); }
    public NdArray mul(double s) { return unary(UnaryOp.MUL_SCALAR, s, 0); }
    public NdArray neg() { return unary(UnaryOp.NEG); }

    /** cond != 0 ? a : b, element-wise with broadcasting of all three. */
    public static NdArray where(NdArray cond, NdArray a, NdArray b) {
        DType t = DType.promote(a.dtype, b.dtype);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        NdArray c = cond.to(t).expand(s), ea = a.to(t).expand(s), eb = b.to(t).expand(s);
        NdArray out = empty(t, s);   // every element is written below
        StridedLoop.forEach(s, new int[][] {c.strides, ea.strides, eb.strides, out.strides},
            new int[] {c.offset, ea.offset, eb.offset, 0}, (o, st, n) -> {
                if (t == DType.FLOAT32) Elementwise.where(c.f, o[0], st[0], ea.f, o[1], st[1], eb.f, o[2], st[2], out.f, o[3], n);
                else Elementwise.where(c.d, o[0], st[0], ea.d, o[1], st[1], eb.d, o[2], st[2], out.d, o[3], n);
            });
        return out;
    }

    // ================================================================ in-place (for optimizers and accumulation)

    /** this += other (other broadcast to this shape). Returns this. */
    public NdArray addInPlace(NdArray other) { return binaryInPlace(BinaryOp.ADD, other); }

    /** this = op(this, other) (other broadcast to this shape). Returns this. */
    public NdArray binaryInPlace(BinaryOp op, NdArray other) {
        NdArray b = operandFor(op.label() + "InPlace", other);
        StridedLoop.forEach(shape, new int[][] {strides, b.strides}, new int[] {offset, b.offset}, (o, st, n) -> {
            if (st[0] == 1) {
                if (f != null) Elementwise.binary(op, f, o[0], 1, b.f, o[1], st[1], f, o[0], n);
                else Elementwise.binary(op, d, o[0], 1, b.d, o[1], st[1], d, o[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    int ai = o[0] + i * st[0], bi = o[1] + i * st[1];
                    if (f != null) f[ai] = op.apply(f[ai], b.f[bi]); else d[ai] = op.apply(d[ai], b.d[bi]);
                }
            }
        });
        return this;
    }

    /** other in this array's dtype, broadcast to this array's shape (an in-place result cannot grow). */
    private NdArray operandFor(String op, NdArray other) {
        int[] s = Shapes.broadcast(op, shape, other.shape);
        if (!Arrays.equals(s, shape))
            throw new IllegalArgumentException(op + ": the operand of shape " + Shapes.str(other.shape)
                + " does not broadcast to this array's shape " + Shapes.str(shape) + " (it would give " + Shapes.str(s) + ")");
        return other.to(dtype).expand(shape);
    }

    /** this = op(this). Returns this. */
    public NdArray unaryInPlace(UnaryOp op, double p, double q) {
        StridedLoop.forEach(shape, new int[][] {strides}, new int[] {offset}, (o, st, n) -> {
            if (st[0] == 1) {
                if (f != null) Elementwise.unary(op, (float) p, (float) q, f, o[0], 1, f, o[0], n);
                else Elementwise.unary(op, p, q, d, o[0], 1, d, o[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    int ai = o[0] + i * st[0];
                    if (f != null) f[ai] = op.apply(f[ai], (float) p, (float) q); else d[ai] = op.apply(d[ai], p, q);
                }
            }
        });
        return this;
    }

    /** Copies other (broadcast to this shape) into this array. Returns this. */
    public NdArray copyFrom(NdArray other) {
        NdArray b = operandFor("copyFrom", other);
        StridedLoop.forEach(shape, new int[][] {strides, b.strides}, new int[] {offset, b.offset}, (o, st, n) -> {
            if (st[0] == 1 && st[1] == 1) {   // runs of consecutive elements: one block copy each
                if (f != null) System.arraycopy(b.f, o[1], f, o[0], n); else System.arraycopy(b.d, o[1], d, o[0], n);
            } else {
                for (int i = 0; i < n; i++) setAt(o[0] + i * st[0], b.getAt(o[1] + i * st[1]));
            }
        });
        return this;
    }

    /** Sets every element to value (also those that were NaN or infinite). Returns this. */
    public NdArray fill(double value) {
        StridedLoop.forEach(shape, new int[][] {strides}, new int[] {offset}, (o, st, n) -> {
            for (int i = 0; i < n; i++) setAt(o[0] + i * st[0], value);
        });
        return this;
    }

    // ================================================================ reductions

    /** Sum over dims (all when none given); keepdim keeps them as size 1. */
    public NdArray sum(boolean keepdim, int... dims) { return reduce("sum", false, keepdim, dims); }

    public NdArray mean(boolean keepdim, int... dims) {
        int[] ds = Shapes.dims("mean", dims, shape.length);
        long count = 1;
        for (int dd : ds) count *= shape[dd];
        return reduce("mean", false, keepdim, dims).mul(1.0 / count);
    }

    /** Largest value over dims (all when none given). */
    public NdArray max(boolean keepdim, int... dims) { return reduce("max", true, keepdim, dims); }

    /** Sum of all elements, as a double. */
    public double sumAll() { return sum(false).item(); }

    private NdArray reduce(String op, boolean isMax, boolean keepdim, int[] dims) {
        int[] ds = Shapes.dims(op, dims, shape.length);
        boolean[] red = new boolean[shape.length];
        for (int dd : ds) red[dd] = true;
        int[] kept = new int[shape.length];
        for (int i = 0; i < shape.length; i++) kept[i] = red[i] ? 1 : shape[i];
        if (isMax) for (int dd : ds) if (shape[dd] == 0) throw new IllegalArgumentException(op + ": cannot take the max over empty dimension " + dd);
        // Move the reduced dims last, make contiguous, then reduce each contiguous row.
        int[] order = new int[shape.length];
        int j = 0;
        for (int i = 0; i < shape.length; i++) if (!red[i]) order[j++] = i;
        int keptCount = j;
        for (int i = 0; i < shape.length; i++) if (red[i]) order[j++] = i;
        NdArray out = zeros(dtype, kept);
        int rows = out.numel();
        int len = rows == 0 ? 0 : numel() / Math.max(rows, 1);
        if (rows > 0 && len > 0 && keptCount > 0 && leadingKeptIsTrailingReduced(red) && isContiguous() && offset == 0) {
            // reduced dims are a leading prefix of a contiguous array: accumulate rows (bias gradients)
            int inner = rows, outer = len;
            if (isMax) { if (f != null) Arrays.fill(out.f, Float.NEGATIVE_INFINITY); else Arrays.fill(out.d, Double.NEGATIVE_INFINITY); }
            for (int r = 0; r < outer; r++) {
                if (f != null) { if (isMax) Reduce.accumulateMax(out.f, 0, f, r * inner, inner); else Reduce.accumulate(out.f, 0, f, r * inner, inner); }
                else { if (isMax) Reduce.accumulateMax(out.d, 0, d, r * inner, inner); else Reduce.accumulate(out.d, 0, d, r * inner, inner); }
            }
        } else {
            NdArray src = permute(order).contiguous();
            for (int r = 0; r < rows; r++) {
                if (f != null) out.f[r] = len == 0 ? 0f : isMax ? Reduce.max(src.f, src.offset + r * len, len) : Reduce.sum(src.f, src.offset + r * len, len);
                else out.d[r] = len == 0 ? 0.0 : isMax ? Reduce.max(src.d, src.offset + r * len, len) : Reduce.sum(src.d, src.offset + r * len, len);
            }
        }
        if (keepdim) return out;
        int[] s = new int[keptCount];
        for (int i = 0, k = 0; i < shape.length; i++) if (!red[i]) s[k++] = shape[i];
        return out.reshape(s);
    }

    private static boolean leadingKeptIsTrailingReduced(boolean[] red) {
        // true when the reduced dims form a prefix: red = [T, ..., T, F, ..., F]
        int i = 0;
        while (i < red.length && red[i]) i++;
        if (i == 0) return false;
        for (int k = i; k < red.length; k++) if (red[k]) return false;
        return true;
    }

    /**
     * Index of the largest element along dim (the first one on ties; NaN counts as largest, as in
     * PyTorch), as an array of the same dtype whose shape is this one without dim (kept as 1 with
     * keepdim). Of a 0-d array (dimension 0 or -1): 0.
     */
    public NdArray argmax(int dim, boolean keepdim) {
        if (Shapes.scalarDim("argmax", dim, shape.length)) return zeros(dtype);
        int dd = Shapes.dim("argmax", dim, shape.length);
        int n = shape[dd], st = strides[dd];
        if (n == 0) throw new IllegalArgumentException("argmax: dimension " + dd + " of shape " + Shapes.str(shape) + " is empty");
        int[] kept = shape.clone();
        kept[dd] = 1;
        NdArray out = zeros(dtype, kept);
        NdArray base = narrow(dd, 0, 1);
        int[] outSt = out.strides;
        StridedLoop.forEach(kept, new int[][] {base.strides, outSt}, new int[] {base.offset, 0}, (o, s, len) -> {
            for (int i = 0; i < len; i++)
                out.setAt(o[1] + i * s[1], f != null ? Reduce.argmax(f, o[0] + i * s[0], st, n) : Reduce.argmax(d, o[0] + i * s[0], st, n));
        });
        return keepdim ? out : out.squeeze(dd);
    }

    // ================================================================ softmax

    /** softmax over dim, computed stably (row maximum subtracted). */
    public NdArray softmax(int dim) { return softmaxLike(dim, false); }

    /** log-softmax over dim: x - max - log Σ e^(x - max). */
    public NdArray logSoftmax(int dim) { return softmaxLike(dim, true); }

    private NdArray softmaxLike(int dim, boolean log) {
        // a 0-d array over dimension 0 or -1: its one element (softmax 1, log-softmax 0; NaN stays NaN)
        if (Shapes.scalarDim(log ? "logSoftmax" : "softmax", dim, shape.length)) return reshape(1).softmaxLike(0, log).reshape();
        int dd = Shapes.dim(log ? "logSoftmax" : "softmax", dim, shape.length);
        int last = shape.length - 1;
        NdArray src = (dd == last ? this : transpose(dd, last)).contiguous();
        int n = src.shape[last], rows = n == 0 ? 0 : src.numel() / n;
        NdArray out = empty(dtype, src.shape);   // every element is written below
        if (f != null) {
            if (log) Softmax.logSoftmax(src.f, src.offset, out.f, 0, rows, n); else Softmax.softmax(src.f, src.offset, out.f, 0, rows, n);
        } else {
            if (log) Softmax.logSoftmax(src.d, src.offset, out.d, 0, rows, n); else Softmax.softmax(src.d, src.offset, out.d, 0, rows, n);
        }
        return dd == last ? out : out.transpose(dd, last).contiguous();
    }

    /**
     * Cross-entropy terms of logits [N, C] against class indices [N, 1]: out_n = −log softmax(x_n)_{y_n},
     * shape [N]: log-softmax, then each row's term picked, without the gather's and negation's
     * arrays. An index that is not a whole number in [0, C) is an error naming its row.
     */
    public NdArray crossEntropyTerms(NdArray index) {
        if (shape.length != 2 || index.shape.length != 2 || index.shape[0] != shape[0] || index.shape[1] != 1)
            throw new IllegalArgumentException("crossEntropyTerms: logits " + Shapes.str(shape) + " and class indices "
                + Shapes.str(index.shape) + ", expected [N, C] and [N, 1]");
        int rows = shape[0], n = shape[1];
        // log-softmax into a scratch array (many short rows take Softmax's flat path), then each row's term
        NdArray src = contiguous(), logP = empty(dtype, rows, n), out = empty(dtype, rows);
        if (f != null) Softmax.logSoftmax(src.f, src.offset, logP.f, 0, rows, n);
        else Softmax.logSoftmax(src.d, src.offset, logP.d, 0, rows, n);
        for (int r = 0; r < rows; r++) {
            double v = index.getAt(index.offset + r * index.strides[0]);
            if (!(v >= 0 && v < n) || v != Math.rint(v))
                throw new IllegalArgumentException("crossEntropyTerms: class index " + v + " in row " + r + " is not one of 0.." + (n - 1));
            out.setAt(r, -logP.getAt(r * n + (int) v));
        }
        return out;
    }

    // ================================================================ matmul

    /**
     * Matrix product with PyTorch's rules: 1-d operands are promoted to a row (left) or column (right)
     * and the added dimension removed; leading (batch) dimensions broadcast; dtypes are promoted.
     * For [.., m, k] @ [.., k, n] the result is [batch.., m, n] with out[.., i, j] = Σ_p a[.., i, p] b[.., p, j].
     * Operands whose last two dimensions are a transposed or broadcast view are read in place.
     */
    public NdArray matmul(NdArray other) { return MatMul.matmul(this, other); }

    /**
     * this += a @ b for 2-d a [m, k], b [k, n] and this [m, n], all of one dtype (PyTorch's
     * {@code addmm_}): the product accumulates into this array inside the GEMM, without an array for
     * the product; a and b are read in place when they are transposed views. Returns this.
     */
    public NdArray addMatmulInPlace(NdArray a, NdArray b) { return MatMul.addmm(this, a, b, 1); }

    /**
     * this = a @ b, written into this array (2-d operands as for {@link #addMatmulInPlace}; the old
     * values are not read). Returns this.
     */
    public NdArray setMatmul(NdArray a, NdArray b) { return MatMul.addmm(this, a, b, 0); }

    /**
     * A fully connected layer's forward: this [m, k] times the weight w [n, k] transposed, plus the bias
     * b [n] (or null) added to every row: out[i, j] = Σ_p this[i, p] w[j, p] + b[j], one [m, n] array.
     * w is read transposed in place; the bias is added in place after the product, so the result is
     * the same, bit for bit, as {@code matmul(w.transpose(0, 1)).add(b)}. Operands must have one dtype.
     */
    public NdArray linear(NdArray w, NdArray b) { return linear("linear", w, b, false); }

    /**
     * relu(this · wᵀ + b), as {@link #linear} followed by {@code unary(RELU)} and the same bit for bit,
     * with the bias and the ReLU applied in one pass over the product's fresh array.
     */
    public NdArray linearRelu(NdArray w, NdArray b) { return linear("linearRelu", w, b, true); }

    private NdArray linear(String op, NdArray w, NdArray b, boolean relu) {
        if (rank() != 2 || w.rank() != 2 || size(1) != w.size(1) || (b != null && (b.rank() != 1 || b.size(0) != w.size(0))))
            throw new IllegalArgumentException(op + ": input " + Shapes.str(shape) + ", weight " + Shapes.str(w.shape)
                + (b != null ? ", bias " + Shapes.str(b.shape) : "") + ": expected input [N, in], weight [out, in], bias [out]");
        if (w.dtype != dtype || (b != null && b.dtype != dtype))
            throw new IllegalArgumentException(op + ": input is " + dtype + ", weight " + w.dtype + (b != null ? ", bias " + b.dtype : "")
                + "; all must have one dtype");
        NdArray out = MatMul.matmul(this, w.transpose(0, 1));
        if (dtype == DType.FLOAT32 && out.isContiguous() && (b == null || b.strides[0] == 1)) {
            // bias and activation in one vector pass over the rows: the same float sums and max(·, 0) as the two ops
            int rows = out.shape[0], cols = out.shape[1];
            Fused.biasActivation(rows, cols, out.f, out.offset, cols, b == null ? null : b.f, b == null ? 0 : b.offset,
                relu ? Fused.Activation.RELU : Fused.Activation.IDENTITY);
            return out;
        }
        if (b != null) out.addInPlace(b);
        return relu ? out.unaryInPlace(UnaryOp.RELU, 0, 0) : out;
    }

    // ================================================================ joining and indexing

    /** Joins arrays along an existing dimension; all other sizes must agree; dtypes are promoted. */
    public static NdArray concat(List<NdArray> parts, int dim) { return Indexing.concat(parts, dim); }

    /** Stacks equally shaped arrays along a new dimension inserted at position dim. */
    public static NdArray stack(List<NdArray> parts, int dim) { return Indexing.stack(parts, dim); }

    /**
     * PyTorch's gather: out[i][j] = this[i][index[i][j]] for dim = 1, and likewise for any dim. index
     * has this array's rank, sizes no larger than this array's outside dim, and integral values in
     * [0, size(dim)); the result has index's shape and this array's dtype.
     */
    public NdArray gather(int dim, NdArray index) { return Indexing.gather(this, dim, index); }

    /**
     * The adjoint of gather: zeros of the given shape with src added at the positions that gather
     * would read: out[i][index[i][j]] += src[i][j] for dim = 1. src has index's shape.
     */
    public static NdArray scatterAdd(int[] shape, int dim, NdArray index, NdArray src) { return Indexing.scatterAdd(shape, dim, index, src); }

    /** The slices at the given positions along dim, in that order (positions may repeat). */
    public NdArray indexSelect(int dim, int[] indices) { return Indexing.indexSelect(this, dim, indices); }

    /**
     * The adjoint of indexSelect: zeros of the given shape with src's slices added at the positions
     * (a repeated position receives the sum of its slices).
     */
    public static NdArray indexAdd(int[] shape, int dim, int[] indices, NdArray src) { return Indexing.indexAdd(shape, dim, indices, src); }

    /**
     * The entries at the given positions of this array taken in row-major order, as an array of the
     * given shape (PyTorch's {@code torch.take(x, index).reshape(shape)}): out.flat[i] = this.flat[positions[i]].
     * shape must hold positions.length elements; every position must be within [0, numel).
     */
    public NdArray take(int[] positions, int... shape) { return Indexing.take(this, positions, shape); }

    /**
     * The adjoint of {@link #take}: zeros of the given shape with src's entries, in row-major order,
     * added at the positions (a repeated position receives the sum): out.flat[positions[i]] += src.flat[i].
     */
    public static NdArray putAdd(int[] shape, int[] positions, NdArray src) { return Indexing.putAdd(shape, positions, src); }

    // ================================================================ sliding windows

    /**
     * im2col, PyTorch's {@code F.unfold}: every window position of this [N, C, H, W] array, as the
     * columns of a new [N, C·kh·kw, L] array, L = oh·ow (see {@link Window2d}):
     * out[n, (c·kh + i)·kw + j, oy·ow + ox] = this[n, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw], and 0
     * where that position is in the padding. A convolution is then a matrix product with the columns.
     */
    public NdArray unfold(Window2d window) { return Unfolding.unfold(this, window, 0); }

    /**
     * {@link #unfold(Window2d)} with padValue at the positions in the padding (−∞ for max pooling, so
     * that padding never wins a maximum).
     */
    public NdArray unfold(Window2d window, double padValue) { return Unfolding.unfold(this, window, padValue); }

    /**
     * col2im, PyTorch's {@code F.fold}, the adjoint of {@link #unfold(Window2d)}: this [N, C·kh·kw, L]
     * array's entries added into a new zero [N, C, height, width] array at the pixels unfold would
     * have read them from (entries that fall in the padding are dropped). L must be oh·ow for that
     * output size, so that ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩.
     */
    public NdArray fold(int height, int width, Window2d window) { return Unfolding.fold(this, height, width, window); }

    /**
     * 2-d convolution (cross-correlation, PyTorch's {@code F.conv2d} with groups 1) of this [N, C, H, W]
     * array with weight [O, C, kh, kw] and bias [O] (or null): [N, O, oh, ow] with
     * out[n, o, y, x] = b[o] + Σ_{c, i, j} w[o, c, i, j] · this[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]
     * (zeros outside the image). The weight's kernel size must be the window's; all operands one dtype.
     * Computed image by image as im2col and one GEMM, without an [N, C·kh·kw, L] array.
     */
    public NdArray conv2d(NdArray weight, NdArray bias, Window2d window) { return Convolution.forward(this, weight, bias, window, false); }

    /**
     * relu({@link #conv2d}), the ReLU applied in the same pass as the bias, image by image: equal, bit
     * for bit, to {@code conv2d(weight, bias, window).unary(RELU)} (relu(NaN) = NaN).
     */
    public NdArray conv2dRelu(NdArray weight, NdArray bias, Window2d window) { return Convolution.forward(this, weight, bias, window, true); }

    /**
     * The gradients of {@link #conv2d} with respect to its input and its weight, given g = ∂L/∂out
     * [N, O, oh, ow]: {∂input [N, C, H, W] (fold of wᵀ g), ∂weight [O, C, kh, kw] (Σₙ g[n] · unfold(x)[n]ᵀ)},
     * each null unless asked for. (The bias's gradient is g summed over N, oh and ow.)
     */
    public static NdArray[] conv2dBackward(NdArray input, NdArray weight, NdArray g, Window2d window, boolean inputGrad, boolean weightGrad) {
        return Convolution.backward(input, weight, g, window, inputGrad, weightGrad);
    }

    /**
     * Max pooling's choice for this [N, C, H, W] array: for every window position, the row-major index
     * (into this array, see {@link #take}) of the window's maximum, in the order of the output
     * [N, C, oh, ow]. Padding never wins; ties go to the first maximal entry of the window (row by row),
     * a NaN wins over any number (the last NaN, when there are several), as in PyTorch. The pooled
     * values are then {@code take(positions, N, C, oh, ow)}.
     */
    public int[] maxPoolPositions(Window2d window) { return Unfolding.maxPoolPositions(this, window); }

    // ================================================================ comparison and printing

    /** Largest absolute difference to another array of the same shape. */
    public double maxAbsDiff(NdArray o) {
        if (!sameShape(o)) throw new IllegalArgumentException("maxAbsDiff: shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape) + " differ");
        double[] a = toDoubleArray(), b = o.toDoubleArray();
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("array(");
        double[] v = toDoubleArray();
        format(sb, v, new int[] {0}, 0);
        return sb.append(", dtype=").append(dtype).append(')').toString();
    }

    private void format(StringBuilder sb, double[] v, int[] pos, int depth) {
        if (depth == shape.length) { sb.append(fmt(v[pos[0]++])); return; }
        sb.append('[');
        int n = shape[depth];
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            if (n > 12 && i == 6) {
                sb.append("...");
                int skip = (n - 12) * Shapes.numel(Arrays.copyOfRange(shape, depth + 1, shape.length));
                pos[0] += skip;
                i = n - 6 - 1;
                continue;
            }
            format(sb, v, pos, depth + 1);
        }
        sb.append(']');
    }

    private static String fmt(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.valueOf((long) x) + ".";
        String g = String.format(java.util.Locale.ROOT, "%.4g", x);   // 4 significant digits, trailing zeros dropped
        int e = g.indexOf('e');
        String mantissa = e < 0 ? g : g.substring(0, e), exponent = e < 0 ? "" : g.substring(e);
        if (mantissa.contains(".")) mantissa = mantissa.replaceAll("0+$", "");
        return mantissa + exponent;
    }
}
