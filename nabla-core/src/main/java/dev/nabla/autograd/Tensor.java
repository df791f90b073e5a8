package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.array.Window2d;
import dev.nabla.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A differentiable n-dimensional array. Operations on tensors that require a gradient record a
 * graph (define-by-run); {@link #backward()} walks it in reverse and leaves ∂L/∂t in {@link #grad()}
 * of every leaf tensor t that requires a gradient. Gradients accumulate across backward calls until
 * {@link #zeroGrad()}.
 *
 * <pre>{@code
 * Tensor w = Tensor.of(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
 * Tensor x = Tensor.of(new double[] {0.5, -1});
 * Tensor loss = w.matmul(x).tanh().sum();
 * loss.backward();
 * w.grad();   // ∂loss/∂w, shape [2, 2]
 * }</pre>
 *
 * This class is a facade: the math lives in {@link NdArray} and the kernels, each primitive's
 * forward and gradient rule in {@link Op}, the backward walk in {@code Autograd}.
 */
public final class Tensor {
    private final NdArray data;
    private boolean requiresGrad;
    private boolean retainsGrad;
    private Tensor grad;
    /** True when grad is an array the engine made for this tensor (not one given with setGrad). */
    private boolean gradOwned;
    final Node node;
    /**
     * Set by a VJP (never under createGraph) on a gradient whose data is a new array that no other
     * tensor or caller holds, so that the engine may store it as a leaf's grad without copying it.
     * The engine clears it wherever the same tensor object could reach two owners.
     */
    boolean fresh;

    /** Set when the workspace step that lent this tensor's storage has closed: the values are gone. */
    private boolean released;
    /**
     * Set on a kept gradient by {@code zeroGrad(false)}: its values are zeros, written when it is next
     * read (any accessor of its values) or overwritten by the next backward instead of added to.
     */
    private boolean zeroPending;

    private Tensor(NdArray data, boolean requiresGrad, Node node) {
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.node = node;
        Workspace w = Workspace.open();
        if (w != null) w.track(this);
    }

    // ================================================================ creation

    /** A leaf tensor over the given array (not copied), not requiring a gradient. */
    public static Tensor of(NdArray data) { return new Tensor(data, false, null); }

    /** A float64 tensor from a nested Java array ({@code double[]}, {@code double[][]}, ...). */
    public static Tensor of(Object nested) { return of(NdArray.fromNested(DType.FLOAT64, nested)); }

    public static Tensor of(DType dtype, Object nested) { return of(NdArray.fromNested(dtype, nested)); }

    public static Tensor scalar(double value) { return of(NdArray.scalar(DType.FLOAT64, value)); }

    public static Tensor scalar(DType dtype, double value) { return of(NdArray.scalar(dtype, value)); }

    public static Tensor zeros(DType dtype, int... shape) { return of(NdArray.zeros(dtype, shape)); }

    public static Tensor ones(DType dtype, int... shape) { return of(NdArray.ones(dtype, shape)); }

    public static Tensor full(DType dtype, double value, int... shape) { return of(NdArray.full(dtype, value, shape)); }

    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) { return of(NdArray.randn(rng, dtype, shape)); }

    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) { return of(NdArray.rand(rng, dtype, shape)); }

    /** Uniform numbers in [lo, hi) drawn from the generator (a seeded one reproduces the tensor). */
    public static Tensor uniform(RandomGenerator rng, DType dtype, double lo, double hi, int... shape) {
        return of(NdArray.uniform(rng, dtype, lo, hi, shape));
    }

    /** start, start + step, ... up to but excluding end (a 1-d tensor). */
    public static Tensor arange(DType dtype, double start, double end, double step) { return of(NdArray.arange(dtype, start, end, step)); }

    /** A tensor that never requires a gradient (a mask, a target). */
    static Tensor constant(NdArray data) { return new Tensor(data, false, null); }

    // ================================================================ state

    /** The values (shared, not copied). */
    public NdArray data() { checkLive(); return data; }

    /** The data without the released check (shape queries, the workspace's bookkeeping). */
    NdArray rawData() { return data; }

    void release() { released = true; }

    /**
     * Before any read of the values: writes a kept gradient's pending zeros, and fails for a tensor
     * whose workspace step has closed (its storage now holds another step's values).
     */
    private void checkLive() {
        if (zeroPending) {   // a kept gradient cleared by zeroGrad(false): its zeros are written now, when read
            zeroPending = false;
            fillZeros(data);
        }
        if (released)
            throw new IllegalStateException("this " + Shapes.str(data.shape()) + " tensor was made inside a Workspace step that has "
                + "closed, and its memory now holds other values; read what you need inside the step, or keep the tensor "
                + "with Workspace.keep(tensor) before the step closes");
    }
    public int[] shape() { return data.shape(); }
    public int rank() { return data.rank(); }
    public int size(int dim) { return data.size(dim); }
    public int numel() { return data.numel(); }
    public DType dtype() { return data.dtype(); }
    public double item() { checkLive(); return data.item(); }
    public double get(int... index) { checkLive(); return data.get(index); }

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf tensor as a parameter whose gradient backward computes. Returns this. */
    public Tensor requiresGrad(boolean value) {
        if (node != null && !value)
            throw new IllegalStateException("requiresGrad(false): the tensor was computed by " + node.op.name()
                + "; only leaf tensors can change it (use detach() for a copy outside the graph)");
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or null when none has been computed. */
    public Tensor grad() { return grad; }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), shape()))
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape()) + " for a tensor of shape " + Shapes.str(shape()));
        this.grad = g;
        this.gradOwned = false;
    }

    /** Clears the gradient: {@link #grad()} is null until the next backward (PyTorch's {@code zero_grad()}). */
    public void zeroGrad() { zeroGrad(true); }

    /**
     * Clears the gradient. With setToNone, {@link #grad()} becomes null and the next backward stores a
     * new array. Without (PyTorch's {@code set_to_none=False}), a gradient array that backward made is
     * kept and filled with zeros, and the next backward adds into it in place: a training loop then
     * allocates no gradient arrays after its first step. A gradient given with {@link #setGrad}, or one
     * recorded with createGraph, is never written: it is dropped instead.
     */
    public void zeroGrad(boolean setToNone) {
        if (!setToNone && grad != null && gradOwned && grad.node == null) {
            grad.zeroPending = true;   // the zeros are written when the gradient is next read; backward overwrites instead
        } else {
            grad = null;
            gradOwned = false;
        }
    }

    /** Asks a non-leaf tensor to keep its gradient in {@link #grad()} during backward. Returns this. */
    public Tensor retainGrad() { retainsGrad = true; return this; }

    boolean retainsGrad() { return retainsGrad; }

    /** True for a tensor made by the user, false for one made by a recorded operation (which has a graph). */
    public boolean isLeaf() { return node == null; }

    /** The operation that made this tensor, or null for a leaf. */
    public Op op() { return node == null ? null : node.op; }

    /**
     * The inputs of the operation that made this tensor (empty for a leaf).
     *
     * @throws IllegalStateException when a backward without {@code retainGraph} has freed the graph here
     */
    public List<Tensor> inputs() {
        if (node == null) return List.of();
        if (node.freed())
            throw new IllegalStateException("inputs: the graph that made this tensor (its " + node.op.name()
                + " node) was freed by backward. Pass retainGraph = true to backward to keep it.");
        return List.of(node.inputs);
    }

    /** The same data (shared, not copied), outside the graph: no gradient flows through it. */
    public Tensor detach() { return new Tensor(data, false, null); }

    /** A copy with its own contiguous storage; differentiable (the gradient passes through unchanged). */
    public Tensor clone() { return apply(new Op.Unary(UnaryOp.IDENTITY, 0, 0), this); }

    /**
     * grad += g. A gradient the engine stores is always a fresh contiguous array that this tensor alone
     * owns (never the engine's g itself, which may be a broadcast view or shared with another input), so
     * that an optimizer may update it in place; a leaf adopts a dense gradient that a VJP has just made
     * ({@link #fresh}) instead of copying it. A later accumulation adds into that array in place, as
     * PyTorch does (a caller holding the old {@code grad()} sees the sum). With createGraph the sum is
     * recorded instead, so the gradient can be differentiated again; a gradient given with
     * {@link #setGrad} is never written in place.
     */
    void accumulateGrad(Tensor g, boolean createGraph) {
        if (grad != null && gradOwned && !createGraph && grad.node == null) {
            if (grad.zeroPending) { grad.zeroPending = false; grad.data.copyFrom(g.data); }   // 0 + g
            else grad.data.addInPlace(g.data);
        }
        else if (grad != null) grad = grad.add(g);
        else if (createGraph) grad = g.clone();
        else if (g.fresh && node == null && g.data.contiguous() == g.data) { g.fresh = false; grad = g; }   // adopt: exclusively ours, dense
        else grad = of(g.data.copy());
        gradOwned = true;
        Workspace w = Workspace.open();
        if (w != null) w.keepData(grad.data);   // lasting state: not lent back when the step closes
    }

    /**
     * The stored gradient's array when a first-order backward may write into it in place (the engine
     * made it, it has no graph), else null; overwrite when it holds pending zeros (the caller must then
     * write every element). A VJP that writes there accumulates exactly as {@link #accumulateGrad}
     * would, without an array for the contribution.
     */
    GradSink gradSink() {
        if (grad == null || !gradOwned || grad.node != null) return null;
        boolean overwrite = grad.zeroPending;
        grad.zeroPending = false;
        return new GradSink(grad.data, overwrite);
    }

    /** Where a VJP may write a leaf's gradient directly: add into the array, or overwrite it (it holds pending zeros). */
    record GradSink(NdArray array, boolean overwrite) {}

    private static void fillZeros(NdArray a) {
        if (a.floatData() != null) Arrays.fill(a.floatData(), 0f); else Arrays.fill(a.doubleData(), 0.0);
    }

    /** Opens a scope in which no operation records a graph. */
    public static GradMode.Scope noGrad() { return GradMode.set(false); }

    // ================================================================ backward

    /** Backward from a one-element tensor (∂L/∂L = 1). */
    public void backward() { backward(null, false, false); }

    /** Backward with ∂L/∂this given (required when this tensor has more than one element). */
    public void backward(Tensor gradOutput) { backward(gradOutput, false, false); }

    /**
     * Backward with all options: retainGraph keeps the graph for another backward; createGraph
     * records the backward pass itself, so that the resulting gradients can be differentiated again
     * (second derivatives, Hessian-vector products).
     */
    public void backward(Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        Autograd.run(this, seed(gradOutput, "backward"), retainGraph || createGraph, createGraph, List.of(), true);
    }

    /**
     * The gradients of this tensor with respect to the given inputs, returned rather than accumulated
     * into {@code grad()} (PyTorch's {@code torch.autograd.grad}). An input the output does not depend
     * on gets a zero gradient.
     */
    public List<Tensor> gradient(List<Tensor> inputs, Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        for (Tensor in : inputs)
            if (!in.requiresGrad()) throw new IllegalArgumentException("gradient: an input of shape " + Shapes.str(in.shape()) + " does not require grad");
        Tensor[] g = Autograd.run(this, seed(gradOutput, "gradient"), retainGraph || createGraph, createGraph, inputs, false);
        Tensor[] out = new Tensor[g.length];
        for (int i = 0; i < g.length; i++) out[i] = g[i] != null ? g[i] : zeros(inputs.get(i).dtype(), inputs.get(i).shape());
        return List.of(out);
    }

    private Tensor seed(Tensor gradOutput, String op) {
        if (gradOutput != null) return gradOutput.to(dtype());
        if (numel() != 1)
            throw new IllegalStateException(op + ": the output has shape " + Shapes.str(shape()) + "; backward() without an "
                + "argument needs a one-element output (a loss). Pass ∂L/∂output as backward(gradient).");
        return of(NdArray.ones(dtype(), shape()));
    }

    // ================================================================ recording

    /** Applies a primitive: computes its forward and, when gradients are on and needed, records it. */
    static Tensor apply(Op op, Tensor... inputs) {
        NdArray[] xs = new NdArray[inputs.length];
        boolean needs = false;
        for (int i = 0; i < inputs.length; i++) { inputs[i].checkLive(); xs[i] = inputs[i].data; needs |= inputs[i].requiresGrad; }
        Workspace w = Workspace.open();
        NdArray out;
        if (w == null) out = op.forward(xs);
        else {
            w.beginLending();
            try { out = op.forward(xs); } finally { w.endLending(); }
        }
        if (needs && GradMode.isEnabled()) return new Tensor(out, true, new Node(op, inputs.clone()));
        return new Tensor(out, false, null);
    }

    private static Tensor apply2(Op op, String name, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            DType t = DType.promote(a.dtype(), b.dtype());
            a = a.to(t);
            b = b.to(t);
        }
        int[] sa = a.shape(), sb = b.shape();
        if (!Arrays.equals(sa, sb)) {
            int[] s = Shapes.broadcast(name, sa, sb);
            if (!Arrays.equals(sa, s)) a = a.expand(s);
            if (!Arrays.equals(sb, s)) b = b.expand(s);
        }
        return apply(op, a, b);
    }

    private Tensor scalarLike(double v) { return constant(NdArray.scalar(dtype(), v)); }

    private Tensor unary(UnaryOp fn) { return apply(new Op.Unary(fn, 0, 0), this); }

    // ================================================================ arithmetic (broadcasting)

    public Tensor add(Tensor o) { return apply2(new Op.Add(), "add", this, o); }
    public Tensor sub(Tensor o) { return apply2(new Op.Sub(), "sub", this, o); }
    public Tensor mul(Tensor o) { return apply2(new Op.Mul(), "mul", this, o); }
    public Tensor div(Tensor o) { return apply2(new Op.Div(), "div", this, o); }
    public Tensor pow(Tensor o) { return apply2(new Op.Pow(), "pow", this, o); }
    public Tensor maximum(Tensor o) { return apply2(new Op.Extremum(true), "maximum", this, o); }
    public Tensor minimum(Tensor o) { return apply2(new Op.Extremum(false), "minimum", this, o); }

    public Tensor add(double c) { return apply(new Op.Unary(UnaryOp.ADD_SCALAR, c, 0), this); }
    public Tensor sub(double c) { return add(-c); }
    public Tensor mul(double c) { return apply(new Op.Unary(UnaryOp.MUL_SCALAR, c, 0), this); }
    public Tensor div(double c) { return mul(1.0 / c); }
    /** c - this. */
    public Tensor rsub(double c) { return apply(new Op.Unary(UnaryOp.RSUB_SCALAR, c, 0), this); }
    public Tensor pow(double p) { return apply(new Op.Unary(UnaryOp.POW_SCALAR, p, 0), this); }
    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor square() { return unary(UnaryOp.SQUARE); }
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor abs() { return unary(UnaryOp.ABS); }
    /**
     * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, element-wise (as {@code torch.erf}); the exact
     * {@link dev.nabla.nn.GELU} is built on it. ∂x = g ⊙ (2/√π)·e^(−x²), in tensor operations, so it
     * has derivatives of every order. Any shape; nothing is modified.
     */
    public Tensor erf() { return unary(UnaryOp.ERF); }

    /**
     * The exact GELU x·Φ(x) = x·½·(1 + erf(x/√2)), element-wise, as one operation (PyTorch's
     * {@code F.gelu(x)}); {@link dev.nabla.nn.GELU} uses it. ∂x = g ⊙ (Φ(x) + x·φ(x)), with derivatives
     * of every order. Any shape; nothing is modified.
     */
    public Tensor gelu() { return unary(UnaryOp.GELU); }

    /**
     * GELU's tanh approximation ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), element-wise, as one operation
     * (PyTorch's {@code F.gelu(x, approximate='tanh')}), with derivatives of every order.
     */
    public Tensor geluTanh() { return unary(UnaryOp.GELU_TANH); }

    /** min(max(x, lo), hi); the gradient is 0 outside [lo, hi]. */
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lower bound " + lo + " exceeds upper bound " + hi);
        return apply(new Op.Unary(UnaryOp.CLAMP, lo, hi), this);
    }

    /** cond != 0 ? a : b element-wise, with broadcasting; cond is a constant mask. */
    public static Tensor where(NdArray cond, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        a = a.to(t);
        b = b.to(t);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        if (!Arrays.equals(a.shape(), s)) a = a.expand(s);
        if (!Arrays.equals(b.shape(), s)) b = b.expand(s);
        return apply(new Op.Where(cond.expand(s)), a, b);
    }

    // ================================================================ activations

    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Tensor tanh() { return unary(UnaryOp.TANH); }
    public Tensor relu() { return unary(UnaryOp.RELU); }
    public Tensor leakyRelu(double slope) { return apply(new Op.Unary(UnaryOp.LEAKY_RELU, slope, 0), this); }
    /** log(1 + e^x), computed without overflow. */
    public Tensor softplus() { return unary(UnaryOp.SOFTPLUS); }
    public Tensor softmax(int dim) { return apply(new Op.Softmax(dim), this); }
    public Tensor logSoftmax(int dim) { return apply(new Op.LogSoftmax(dim), this); }

    /**
     * Per-sample cross-entropy of these logits [N, C] against class indices [N, 1] (integral values in
     * [0, C), as {@link #gather} takes them): −log softmax(x_n)_{y_n}, shape [N], as one primitive
     * ({@link Op.CrossEntropy}); ∂x = (softmax(x) − onehot(y)) ⊙ g. Nothing is modified.
     */
    public Tensor crossEntropyTerms(NdArray classIndex) { return apply(new Op.CrossEntropy(classIndex), this); }

    // ================================================================ linear algebra

    /**
     * Matrix product with PyTorch's rules (1-d operands promoted and the added dimension removed,
     * batch dimensions broadcast). Shapes that do not fit raise an error naming both.
     */
    public Tensor matmul(Tensor o) {
        if (rank() == 0 || o.rank() == 0)
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape()) + " @ " + Shapes.str(o.shape()) + ": both operands need at least 1 dimension");
        Tensor a = rank() == 1 ? unsqueeze(0) : this, b = o.rank() == 1 ? o.unsqueeze(1) : o;
        int k = a.size(-1), k2 = b.size(-2);
        if (k != k2)
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape()) + " @ " + Shapes.str(o.shape()) + ": inner dimensions " + k + " and " + k2 + " differ");
        DType t = DType.promote(dtype(), o.dtype());
        a = a.to(t);
        b = b.to(t);
        Tensor r = apply(new Op.MatMul(), a, b);
        if (rank() == 1) r = r.squeeze(-2);
        if (o.rank() == 1) r = r.squeeze(-1);
        return r;
    }

    /**
     * A fully connected layer's map y = x Wᵀ + b (PyTorch's {@code F.linear}): x of shape [..., in]
     * (or [in]), the weight [out, in], the bias [out] or null; the result has shape [..., out]. It is one
     * primitive ({@link Op.Linear}): one array written forward, no transposed copy of W, and a VJP of
     * three GEMM-sized steps. Dtypes are promoted as in {@link #matmul}.
     */
    public Tensor linear(Tensor weight, Tensor bias) { return linear("linear", weight, bias, false); }

    /**
     * relu(x Wᵀ + b): {@link #linear} followed by {@link #relu}, with the same values and gradients bit
     * for bit, as one primitive ({@code linear_relu}): the bias and the ReLU are applied in one pass
     * over the product, and the graph holds one node and one array where the two ops hold two of each.
     * {@code Sequential} uses it for a {@code Linear} layer followed by a {@code ReLU}.
     */
    public Tensor linearRelu(Tensor weight, Tensor bias) { return linear("linearRelu", weight, bias, true); }

    private Tensor linear(String name, Tensor weight, Tensor bias, boolean relu) {
        if (weight.rank() != 2)
            throw new IllegalArgumentException(name + ": the weight has shape " + Shapes.str(weight.shape()) + "; expected [out, in]");
        int in = weight.size(1), out = weight.size(0);
        if (rank() == 0 || size(-1) != in)
            throw new IllegalArgumentException(name + ": input of shape " + Shapes.str(shape()) + " should have " + in
                + " features in its last dimension (the weight is " + Shapes.str(weight.shape()) + ", [out, in])");
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out))
            throw new IllegalArgumentException(name + ": the bias has shape " + Shapes.str(bias.shape()) + "; the weight "
                + Shapes.str(weight.shape()) + " needs a bias of shape [" + out + "]");
        DType t = DType.promote(dtype(), weight.dtype());
        if (bias != null) t = DType.promote(t, bias.dtype());
        Tensor x = to(t), w = weight.to(t), b = bias == null ? null : bias.to(t);
        if (rank() != 2) x = x.reshape(-1, in);
        Op.Linear op = new Op.Linear(relu);
        Tensor y = b == null ? apply(op, x, w) : apply(op, x, w, b);
        if (rank() == 2) return y;
        int[] s = shape().clone();
        s[s.length - 1] = out;
        return y.reshape(s);
    }

    /** The transpose of a 2-d tensor (a view). */
    public Tensor t() {
        if (rank() != 2) throw new IllegalArgumentException("t: expects a 2-d tensor, got shape " + Shapes.str(shape()));
        return transpose(0, 1);
    }

    // ================================================================ reductions

    /** Sum of all elements (a scalar). */
    public Tensor sum() { return apply(new Op.Sum(new int[0], false), this); }
    public Tensor sum(int... dims) { return apply(new Op.Sum(dims.clone(), false), this); }
    public Tensor sum(boolean keepdim, int... dims) { return apply(new Op.Sum(dims.clone(), keepdim), this); }

    public Tensor mean() { return sum().div(numel()); }
    public Tensor mean(int... dims) { return mean(false, dims); }
    public Tensor mean(boolean keepdim, int... dims) {
        long count = 1;
        for (int d : Shapes.dims("mean", dims, rank())) count *= size(d);
        return sum(keepdim, dims).div(count);
    }

    /** Largest value along dim (the gradient goes to the maximal entries, split evenly on ties). */
    public Tensor max(int dim, boolean keepdim) { return max(keepdim, dim); }

    /** Largest element (a scalar). */
    public Tensor max() { return max(false); }

    /** Largest value over the given dims (all when none given); keepdim keeps them as size 1. */
    public Tensor max(boolean keepdim, int... dims) {
        return apply(new Op.Max(Shapes.dims("max", dims, rank()), keepdim), this);
    }

    /** Index of the largest value along dim (not differentiable). */
    public Tensor argmax(int dim, boolean keepdim) { return of(data.argmax(dim, keepdim)); }

    /** Sums a broadcast gradient back to the given shape (the adjoint of expand). */
    public Tensor sumTo(int[] target) {
        int[] s = shape();
        if (Arrays.equals(s, target)) return this;
        int lead = s.length - target.length;
        if (lead < 0) throw new IllegalArgumentException("sumTo: cannot sum shape " + Shapes.str(s) + " to larger " + Shapes.str(target));
        int[] dims = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++)
            if (i < lead || (target[i - lead] == 1 && s[i] != 1)) dims[n++] = i;
        Tensor r = n == 0 ? this : sum(true, Arrays.copyOf(dims, n));
        return r.reshape(target);
    }

    // ================================================================ views

    /** Same elements, new shape (one size may be -1); a view of the data whenever the strides allow. */
    public Tensor reshape(int... shape) {
        int[] s = Shapes.inferReshape("reshape", shape(), shape);
        if (Arrays.equals(s, shape())) return this;
        return apply(new Op.Reshape(s), this);
    }

    public Tensor view(int... shape) { return reshape(shape); }
    public Tensor flatten() { return reshape(-1); }

    /** Flattens all dimensions from start on: [N, C, H, W].flatten(1) is [N, C·H·W]. */
    public Tensor flatten(int startDim) {
        int sd = Shapes.dim("flatten", startDim, rank());
        int[] s = Arrays.copyOf(shape(), sd + 1);
        s[sd] = -1;
        return reshape(s);
    }

    public Tensor permute(int... order) {
        data.permute(order);   // validates
        return apply(new Op.Permute(order.clone()), this);
    }

    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.dim("transpose", dim0, rank()), b = Shapes.dim("transpose", dim1, rank());
        int[] order = new int[rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Broadcasts to a larger shape (a view; -1 keeps a size); the gradient is summed back. */
    public Tensor expand(int... shape) {
        int[] s = data.expand(shape).shape();   // validates, resolves -1
        if (Arrays.equals(s, shape())) return this;
        return apply(new Op.Expand(s), this);
    }

    public Tensor narrow(int dim, int start, int length) {
        data.narrow(dim, start, length);   // validates
        return apply(new Op.Narrow(Shapes.dim("narrow", dim, rank()), start, length), this);
    }

    /** The slice at index along dim, with the dimension removed. */
    public Tensor select(int dim, int index) {
        data.select(dim, index);   // validates, naming select
        return narrow(dim, index, 1).squeeze(dim);
    }

    public Tensor squeeze(int dim) { return reshape(data.squeeze(dim).shape()); }
    public Tensor unsqueeze(int dim) { return reshape(data.unsqueeze(dim).shape()); }

    /** Joins tensors along an existing dimension; the other sizes must agree, dtypes are promoted. */
    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: needs at least one tensor");
        int d = Shapes.dim("concat", dim, parts.get(0).rank());
        checkConcat(parts, d);
        DType t = parts.stream().map(Tensor::dtype).reduce(DType::promote).orElseThrow();
        return apply(new Op.Concat(d), parts.stream().map(p -> p.to(t)).toArray(Tensor[]::new));
    }

    private static void checkConcat(List<Tensor> parts, int d) {
        int[] first = parts.get(0).shape();
        for (int p = 1; p < parts.size(); p++) {
            int[] s = parts.get(p).shape();
            if (s.length != first.length)
                throw new IllegalArgumentException("concat: tensor " + p + " has shape " + Shapes.str(s) + ", whose rank differs from "
                    + "tensor 0's shape " + Shapes.str(first));
            for (int i = 0; i < s.length; i++)
                if (i != d && s[i] != first[i])
                    throw new IllegalArgumentException("concat: tensor " + p + " has shape " + Shapes.str(s) + ", which differs from tensor 0's "
                        + Shapes.str(first) + " in dimension " + i + " (only dimension " + d + " may differ)");
        }
    }

    /** Stacks equally shaped tensors along a new dimension at position dim. */
    public static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: needs at least one tensor");
        int d = Shapes.insertPosition("stack", dim, parts.get(0).rank());
        for (int i = 1; i < parts.size(); i++)
            if (!Arrays.equals(parts.get(i).shape(), parts.get(0).shape()))
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(parts.get(i).shape())
                    + ", tensor 0 has " + Shapes.str(parts.get(0).shape()) + "; stack needs equal shapes");
        return concat(parts.stream().map(p -> p.unsqueeze(d)).toList(), d);
    }

    // ================================================================ indexing

    /** out[i][j] = this[i][index[i][j]] for dim 1 (PyTorch's gather); index holds integral positions. */
    public Tensor gather(int dim, NdArray index) { return apply(new Op.Gather(Shapes.dim("gather", dim, rank()), index), this); }

    public Tensor gather(int dim, Tensor index) { return gather(dim, index.data); }

    /** The slices at the given positions along dim. */
    public Tensor indexSelect(int dim, int... indices) {
        return apply(new Op.IndexSelect(Shapes.dim("indexSelect", dim, rank()), indices.clone()), this);
    }

    /**
     * The entries at the given row-major positions of this tensor, as a tensor of the given shape
     * (PyTorch's {@code torch.take(x, index).reshape(shape)}; see {@link NdArray#take}). Its gradient
     * adds g back at the positions (a position taken twice receives both). The positions are not copied:
     * do not change them afterwards.
     */
    public Tensor take(int[] positions, int... shape) { return apply(new Op.Take(positions, shape.clone()), this); }

    // ================================================================ sliding windows

    /**
     * im2col, PyTorch's {@code F.unfold}: every window position of this [N, C, H, W] tensor as a
     * column of the result [N, C·kh·kw, L], L = oh·ow, with zeros from the padding (see
     * {@link NdArray#unfold(Window2d)}). A convolution is a matrix product with these columns. The
     * gradient is {@link #fold} of g, and fold's is unfold, so derivatives of every order flow.
     */
    public Tensor unfold(Window2d window) { return unfold(window, 0); }

    /**
     * {@link #unfold(Window2d)} with padValue in the padding: −∞ makes max pooling's padding never
     * win. The pad value is a constant: no gradient flows to it.
     */
    public Tensor unfold(Window2d window, double padValue) { return apply(new Op.Unfold(window, padValue), this); }

    /**
     * col2im, PyTorch's {@code F.fold(input, output_size=(height, width), ...)}: the adjoint of
     * {@link #unfold(Window2d)}, adding the columns of this [N, C·kh·kw, L] tensor into
     * [N, C, height, width] (entries that fall in the padding are dropped). Its gradient is unfold of g.
     */
    public Tensor fold(int height, int width, Window2d window) { return apply(new Op.Fold(height, width, window), this); }

    /**
     * 2-d convolution of this [N, C, H, W] tensor with weight [O, C, kh, kw] and bias [O] (or null) over
     * the window (whose kernel size must be the weight's), PyTorch's {@code F.conv2d} with groups 1; see
     * {@link NdArray#conv2d}. One primitive, whose gradients (and their gradients) are those of
     * {@code weight.reshape(O, -1).matmul(unfold(window))} plus the bias. Operands must have one dtype.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, Window2d window) { return conv2d(weight, bias, window, false); }

    /**
     * relu({@link #conv2d}) as one primitive: what {@code Sequential} runs for a Conv2d layer followed
     * by a ReLU. The same values and gradients as the two; one pass and one array fewer.
     */
    public Tensor conv2dRelu(Tensor weight, Tensor bias, Window2d window) { return conv2d(weight, bias, window, true); }

    private Tensor conv2d(Tensor weight, Tensor bias, Window2d window, boolean relu) {
        Op op = new Op.Conv2d(window, relu);
        return bias == null ? apply(op, this, weight) : apply(op, this, weight, bias);
    }

    // ================================================================ conversion

    /** This tensor in another dtype; differentiable (the gradient is converted back). */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) return this;
        return apply(new Op.Cast(dtype), this);
    }

    @Override
    public String toString() {
        if (released) return "tensor(<released: made in a Workspace step that has closed>, shape=" + Shapes.str(data.shape()) + ")";
        checkLive();   // a gradient with pending zeros prints zeros
        String s = data.toString().replaceFirst("^array", "tensor");
        if (node != null) s = s.substring(0, s.length() - 1) + ", grad_fn=" + node.op.name() + ")";
        else if (requiresGrad) s = s.substring(0, s.length() - 1) + ", requires_grad=true)";
        return s;
    }
}
