package dev.nabla.autograd;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.array.Window2d;
import dev.nabla.kernels.BinaryOp;
import dev.nabla.kernels.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The differentiable primitives. Each one states, side by side, its forward computation on arrays,
 * its vector-Jacobian product (VJP) written with {@link Tensor} operations, and the VJP's formula as
 * text (which the explain mode prints). Because VJPs are tensor operations, a gradient computed with
 * {@code createGraph} has a graph of its own and can be differentiated again.
 *
 * <p>In {@link #vjp}, {@code g} is ∂L/∂out, {@code x} the inputs and {@code out} the output; the
 * result holds ∂L/∂x_i for each input, or null where input i needs no gradient. Binary element-wise
 * primitives see operands of equal shape: broadcasting is an explicit {@link Expand}, whose VJP
 * sums back, so no other rule knows about broadcasting.
 */
public sealed interface Op {

    /** Short name of the op, as graph drawings and error messages show it. */
    String name();

    /** The VJP formula as one line of text. */
    String formula();

    NdArray forward(NdArray... x);

    Tensor[] vjp(Tensor g, Tensor[] x, Tensor out);

    private static boolean needs(Tensor[] x, int i) { return x[i].requiresGrad(); }

    // ================================================================ element-wise binary

    record Add() implements Op {
        public String name() { return "add"; }
        public String formula() { return "∂a = g, ∂b = g"; }
        public NdArray forward(NdArray... x) { return x[0].add(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g, g}; }
    }

    record Sub() implements Op {
        public String name() { return "sub"; }
        public String formula() { return "∂a = g, ∂b = -g"; }
        public NdArray forward(NdArray... x) { return x[0].sub(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g, needs(x, 1) ? g.neg() : null}; }
    }

    record Mul() implements Op {
        public String name() { return "mul"; }
        public String formula() { return "∂a = g ⊙ b, ∂b = g ⊙ a"; }
        public NdArray forward(NdArray... x) { return x[0].mul(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {needs(x, 0) ? g.mul(x[1]) : null, needs(x, 1) ? g.mul(x[0]) : null};
        }
    }

    record Div() implements Op {
        public String name() { return "div"; }
        public String formula() { return "∂a = g / b, ∂b = -g ⊙ a / b²"; }
        public NdArray forward(NdArray... x) { return x[0].div(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {needs(x, 0) ? g.div(x[1]) : null,
                                 needs(x, 1) ? g.mul(x[0]).div(x[1].square()).neg() : null};
        }
    }

    record Pow() implements Op {
        public String name() { return "pow"; }
        public String formula() { return "∂a = g ⊙ b ⊙ a^(b-1), ∂b = g ⊙ a^b ⊙ log a"; }
        public NdArray forward(NdArray... x) { return x[0].binary(BinaryOp.POW, x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {needs(x, 0) ? g.mul(x[1]).mul(x[0].pow(x[1].sub(1.0))) : null,
                                 needs(x, 1) ? g.mul(out).mul(x[0].log()) : null};
        }
    }

    /** Element-wise maximum (isMax) or minimum; on ties the gradient is split evenly, as in PyTorch. */
    record Extremum(boolean isMax) implements Op {
        public String name() { return isMax ? "maximum" : "minimum"; }
        public String formula() { return "∂a = g ⊙ [a wins] (½ on ties), ∂b = g ⊙ [b wins] (½ on ties)"; }
        public NdArray forward(NdArray... x) { return x[0].binary(isMax ? BinaryOp.MAX : BinaryOp.MIN, x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            NdArray a = x[0].data(), b = x[1].data();
            NdArray aWins = isMax ? a.binary(BinaryOp.GT, b) : b.binary(BinaryOp.GT, a);
            NdArray tie = a.binary(BinaryOp.EQ, b).mul(0.5);
            NdArray wa = aWins.add(tie);
            NdArray wb = wa.unary(UnaryOp.RSUB_SCALAR, 1, 0);
            return new Tensor[] {needs(x, 0) ? g.mul(Tensor.constant(wa)) : null,
                                 needs(x, 1) ? g.mul(Tensor.constant(wb)) : null};
        }
    }

    /** cond ? a : b, with cond a constant mask. */
    record Where(NdArray cond) implements Op {
        public String name() { return "where"; }
        public String formula() { return "∂a = g ⊙ cond, ∂b = g ⊙ (1 - cond)"; }
        public NdArray forward(NdArray... x) { return NdArray.where(cond, x[0], x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            NdArray zero = NdArray.zeros(g.dtype());
            return new Tensor[] {needs(x, 0) ? Tensor.where(cond, g, Tensor.constant(zero)) : null,
                                 needs(x, 1) ? Tensor.where(cond, Tensor.constant(zero), g) : null};
        }
    }

    // ================================================================ element-wise unary

    /** An element-wise function of one input with scalar parameters p, q (see {@link UnaryOp}). */
    record Unary(UnaryOp fn, double p, double q) implements Op {
        public String name() {
            return switch (fn) {
                case ADD_SCALAR -> "add_scalar";
                case MUL_SCALAR -> "mul_scalar";
                case POW_SCALAR -> "pow_scalar";
                case LEAKY_RELU -> "leaky_relu";
                default -> fn.name().toLowerCase(java.util.Locale.ROOT);
            };
        }

        public String formula() {
            return switch (fn) {
                case NEG -> "∂x = -g";
                case EXP -> "∂x = g ⊙ e^x = g ⊙ out";
                case LOG -> "∂x = g / x";
                case SQRT -> "∂x = g / (2 √x)";
                case ABS -> "∂x = g ⊙ sign(x)";
                case SIGMOID -> "∂x = g ⊙ σ(x)(1 - σ(x))";
                case TANH -> "∂x = g ⊙ (1 - tanh²(x))";
                case RELU -> "∂x = g ⊙ [x > 0]";
                case LEAKY_RELU -> "∂x = g ⊙ (1 if x > 0 else slope)";
                case SOFTPLUS -> "∂x = g ⊙ σ(x)";
                case POW_SCALAR -> "∂x = g ⊙ p x^(p-1)";
                case CLAMP -> "∂x = g ⊙ [lo ≤ x ≤ hi]";
                case ADD_SCALAR -> "∂x = g";
                case MUL_SCALAR -> "∂x = c g";
                case SQUARE -> "∂x = 2 g ⊙ x";
                case RSUB_SCALAR -> "∂x = -g";
                case RECIPROCAL -> "∂x = -g ⊙ out²";
                case RDIV_SCALAR -> "∂x = -g ⊙ out / x";
                case IDENTITY -> "∂x = g";
                case ERF -> "∂x = g ⊙ (2/√π) e^(−x²)";
                case GELU -> "∂x = g ⊙ (Φ(x) + x φ(x))";
                case GELU_TANH -> "∂x = g ⊙ (½(1 + t) + ½x(1 − t²)√(2/π)(1 + 3·0.044715x²)), t = tanh(√(2/π)(x + 0.044715x³))";
                default -> "∂x = g ⊙ f'(x)";
            };
        }

        public NdArray forward(NdArray... x) { return x[0].unary(fn, p, q); }

        private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor in = x[0];
            Tensor r = switch (fn) {
                case NEG -> g.neg();
                case EXP -> g.mul(out);
                case LOG -> g.div(in);
                case SQRT -> g.div(out).mul(0.5);
                case ABS -> g.mul(Tensor.constant(in.data().unary(UnaryOp.SIGN)));
                case SIGMOID -> g.mul(out.mul(out.rsub(1.0)));
                case TANH -> g.mul(out.square().rsub(1.0));
                case RELU -> reluVjp(g, out);
                case LEAKY_RELU -> g.mul(Tensor.constant(in.data().unary(UnaryOp.LEAKY_STEP, p, 0)));
                case SOFTPLUS -> g.mul(in.sigmoid());
                case POW_SCALAR -> p == 0 ? g.mul(0.0) : g.mul(in.pow(p - 1).mul(p));
                case CLAMP -> g.mul(Tensor.constant(in.data().unary(UnaryOp.IN_RANGE, p, q)));
                case ADD_SCALAR -> g;
                case MUL_SCALAR -> g.mul(p);
                case RSUB_SCALAR -> g.neg();
                case SQUARE -> g.mul(in).mul(2.0);
                case RECIPROCAL -> g.mul(out.square()).neg();
                case RDIV_SCALAR -> g.mul(out).div(in).neg();
                case IDENTITY -> g;
                case ERF -> g.mul(in.square().neg().exp().mul(TWO_OVER_SQRT_PI));
                case GELU, GELU_TANH -> geluVjp(fn, g, in);
                case SIGN, STEP, LEAKY_STEP, IN_RANGE, GT_SCALAR ->
                    throw new UnsupportedOperationException(name() + " is piecewise constant; it is not recorded as a differentiable op");
                case GELU_GRAD, GELU_TANH_GRAD ->
                    throw new UnsupportedOperationException(name() + " is the derivative kernel of a GELU's backward pass; "
                        + "it is not recorded as a differentiable op (a recorded backward composes it of tensor operations)");
            };
            return new Tensor[] {r};
        }
    }

    /**
     * GELU's VJP g ⊙ GELU′(x), for either form. When no graph is recorded it is one pass over g and x
     * (fused for dense float32 operands of one shape); otherwise GELU′ is composed of tensor operations
     * (erf, exp, tanh), so that it has derivatives of every order:
     * exact, GELU′ = ½(1 + erf(x/√2)) + x·e^(−x²/2)/√(2π); tanh form, with t = tanh(√(2/π)(x + 0.044715x³)),
     * GELU′ = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
     */
    private static Tensor geluVjp(UnaryOp fn, Tensor g, Tensor in) {
        boolean tanh = fn == UnaryOp.GELU_TANH;
        if (!GradMode.isEnabled()) {
            NdArray gd = g.data(), xd = in.data();
            if (denseFloat32Pair(gd, xd)) {
                NdArray r = NdArray.empty(dev.nabla.array.DType.FLOAT32, gd.shape());   // every element is written
                dev.nabla.kernels.Fused.geluBackward(tanh, gd.floatData(), gd.offset(), xd.floatData(), xd.offset(), r.floatData(), 0, r.numel());
                return markFresh(Tensor.constant(r));
            }
            return g.mul(Tensor.constant(xd.unary(tanh ? UnaryOp.GELU_TANH_GRAD : UnaryOp.GELU_GRAD)));
        }
        double sqrt1_2 = Math.sqrt(0.5), invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI), sqrt2OverPi = Math.sqrt(2 / Math.PI), c = 0.044715;
        if (!tanh) {
            Tensor cdf = in.mul(sqrt1_2).erf().add(1.0).mul(0.5);
            return g.mul(cdf.add(in.mul(in.square().mul(-0.5).exp()).mul(invSqrt2Pi)));
        }
        Tensor t = in.add(in.pow(3).mul(c)).mul(sqrt2OverPi).tanh();
        Tensor inner = in.square().mul(3 * c).add(1.0).mul(0.5 * sqrt2OverPi);
        return g.mul(t.add(1.0).mul(0.5).add(in.mul(t.square().rsub(1.0)).mul(inner)));
    }

    /** Whether a fused first-order VJP kernel can read both arrays: dense float32 of one shape. */
    private static boolean denseFloat32Pair(NdArray a, NdArray b) {
        return a.dtype() == dev.nabla.array.DType.FLOAT32 && b.dtype() == dev.nabla.array.DType.FLOAT32
            && a.isContiguous() && b.isContiguous() && java.util.Arrays.equals(a.shape(), b.shape());
    }

    /**
     * ReLU's VJP g ⊙ [x &gt; 0], the mask read off the output ([out &gt; 0] = [x &gt; 0] for every x, NaN
     * included), which is all that linear_relu keeps. When no graph is recorded and g and the output are
     * dense float32, it is one fused pass with one array allocated; otherwise it multiplies by a
     * constant mask, which stays differentiable in g.
     */
    private static Tensor reluVjp(Tensor g, Tensor out) {
        NdArray gd = g.data(), od = out.data();
        if (!GradMode.isEnabled() && denseFloat32Pair(gd, od)) {
            NdArray r = NdArray.empty(dev.nabla.array.DType.FLOAT32, gd.shape());   // every element is written
            dev.nabla.kernels.Fused.reluBackward(gd.floatData(), gd.offset(), od.floatData(), od.offset(), r.floatData(), 0, r.numel());
            return markFresh(Tensor.constant(r));
        }
        return g.mul(Tensor.constant(od.unary(UnaryOp.STEP)));
    }

    // ================================================================ linear algebra

    /**
     * Matrix product of operands with at least 2 dimensions; batch dimensions broadcast. When B is a
     * 2-d transposed view (Linear's Wᵀ), ∂B is computed as (gᵀ A)ᵀ, so that the permute's VJP hands
     * W a gradient already in W's row-major layout (which the engine then stores without a copy).
     */
    record MatMul() implements Op {
        public String name() { return "matmul"; }
        public String formula() { return "∂A = g Bᵀ, ∂B = Aᵀ g"; }
        public NdArray forward(NdArray... x) { return x[0].matmul(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor a = x[0], b = x[1];
            Tensor ga = needs(x, 0) ? g.matmul(b.transpose(-1, -2)).sumTo(a.shape()) : null, gb = null;
            if (needs(x, 1)) {
                gb = a.rank() == 2 && isTransposed(b.data())
                    ? g.transpose(0, 1).matmul(a).transpose(0, 1)
                    : a.transpose(-1, -2).matmul(g).sumTo(b.shape());
            }
            return new Tensor[] {markFresh(ga), markFresh(gb)};
        }

        /** True for a 2-d view whose transpose is dense row-major (the layout {@code t()} of a matrix has). */
        private static boolean isTransposed(NdArray b) {
            if (b.rank() != 2 || b.size(0) < 2 || b.size(1) < 2) return false;
            int[] st = b.strides();
            return st[0] == 1 && st[1] == b.size(0);
        }
    }

    /**
     * A fully connected layer as one primitive: y = x Wᵀ + b for x [N, in], the weight W [out, in] and
     * the bias b [out] (a third input; absent for a layer without bias), or with {@code relu} y =
     * relu(x Wᵀ + b) (a Linear layer followed by a ReLU, fused). The forward writes one array (W read
     * transposed in place, the bias and the ReLU applied in one pass). Without a recorded graph the VJP
     * works on arrays: g masked by [y &gt; 0] when fused (as the ReLU's own VJP, read off the output), then
     * ∂x = g W and ∂W = gᵀ x as GEMMs reading g transposed in place (∂W comes out in W's row-major
     * layout), ∂b = Σ over rows of g; with createGraph it is written in tensor ops, so it can be
     * differentiated again.
     */
    record Linear(boolean relu) implements Op {
        public String name() { return relu ? "linear_relu" : "linear"; }
        public String formula() {
            return relu ? "g' = g ⊙ [y > 0]; ∂x = g' W, ∂W = g'ᵀ x, ∂b = Σₙ g'" : "∂x = g W, ∂W = gᵀ x, ∂b = Σₙ g";
        }
        public NdArray forward(NdArray... x) {
            NdArray b = x.length > 2 ? x[2] : null;
            return relu ? x[0].linearRelu(x[1], b) : x[0].linear(x[1], b);
        }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor in = x[0], w = x[1];
            if (GradMode.isEnabled()) {
                if (relu) g = reluVjp(g, out);
                Tensor[] r = new Tensor[x.length];
                if (needs(x, 0)) r[0] = g.matmul(w);
                if (needs(x, 1)) r[1] = g.t().matmul(in);
                if (x.length > 2 && needs(x, 2)) r[2] = g.sum(0);
                return r;
            }
            return firstOrder(g, x, out, null);
        }

        /**
         * The VJP on arrays (no graph recorded). Where {@code into[k]} is given (the engine passes a
         * leaf's own stored gradient for W or b), that input's gradient is written straight into it
         * (∂W inside the GEMM: beta 1 adds, beta 0 overwrites pending zeros) and null is returned for it.
         */
        Tensor[] firstOrder(Tensor g, Tensor[] x, Tensor out, Tensor.GradSink[] into) {
            Tensor in = x[0], w = x[1];
            Tensor[] r = new Tensor[x.length];
            if (relu) g = reluVjp(g, out);
            NdArray gd = g.data();
            if (needs(x, 0)) r[0] = markFresh(Tensor.constant(gd.matmul(w.data())));
            if (needs(x, 1)) {
                Tensor.GradSink s = into == null ? null : into[1];
                if (s == null) r[1] = markFresh(Tensor.constant(gd.transpose(0, 1).matmul(in.data())));
                else if (s.overwrite()) s.array().setMatmul(gd.transpose(0, 1), in.data());
                else s.array().addMatmulInPlace(gd.transpose(0, 1), in.data());
            }
            if (x.length > 2 && needs(x, 2)) {
                Tensor.GradSink s = into == null ? null : into[2];
                if (s == null) r[2] = markFresh(Tensor.constant(gd.sum(false, 0)));
                else if (s.overwrite()) s.array().copyFrom(gd.sum(false, 0));
                else s.array().addInPlace(gd.sum(false, 0));
            }
            return r;
        }
    }

    /** Marks a gradient whose data a matmul or a reduction has just allocated as the engine's to adopt. */
    private static Tensor markFresh(Tensor t) {
        if (t != null && !t.requiresGrad()) t.fresh = true;
        return t;
    }

    // ================================================================ reductions

    record Sum(int[] dims, boolean keepdim) implements Op {
        public String name() { return "sum"; }
        public String formula() { return "∂x = g broadcast back over the summed dimensions"; }
        public NdArray forward(NdArray... x) { return x[0].sum(keepdim, dims); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {restoreReduced(g, x[0].shape(), dims, keepdim).expand(x[0].shape())};
        }
        @Override public boolean equals(Object o) { return o instanceof Sum s && Arrays.equals(dims, s.dims) && keepdim == s.keepdim; }
        @Override public int hashCode() { return Arrays.hashCode(dims) * 31 + (keepdim ? 1 : 0); }
        @Override public String toString() { return "Sum[dims=" + Arrays.toString(dims) + ", keepdim=" + keepdim + "]"; }
    }

    /** Maximum over dims (normalized, sorted); the gradient goes to the maximal entries (split evenly on ties). */
    record Max(int[] dims, boolean keepdim) implements Op {
        public String name() { return "max"; }
        public String formula() { return "∂x = g routed to the maximal entries (split evenly on ties; to the NaNs when the max is NaN)"; }
        public NdArray forward(NdArray... x) { return x[0].max(keepdim, dims); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            int[] shape = x[0].shape();
            NdArray xd = x[0].data(), m = restoreReduced(out.data(), shape, dims, keepdim);
            // the maximal entries; where the max is NaN (a NaN was in the slice), the NaN entries
            NdArray nanX = xd.binary(BinaryOp.EQ, xd).unary(UnaryOp.RSUB_SCALAR, 1, 0), nanM = m.binary(BinaryOp.EQ, m).unary(UnaryOp.RSUB_SCALAR, 1, 0);
            NdArray mask = xd.binary(BinaryOp.EQ, m).add(nanX.mul(nanM));
            NdArray weight = mask.div(mask.sum(true, dims));
            return new Tensor[] {restoreReduced(g, shape, dims, keepdim).mul(Tensor.constant(weight))};
        }
        @Override public boolean equals(Object o) { return o instanceof Max m && Arrays.equals(dims, m.dims) && keepdim == m.keepdim; }
        @Override public int hashCode() { return Arrays.hashCode(dims) * 31 + (keepdim ? 1 : 0); }
        @Override public String toString() { return "Max[dims=" + Arrays.toString(dims) + ", keepdim=" + keepdim + "]"; }
    }

    private static Tensor restoreReduced(Tensor g, int[] inShape, int[] dims, boolean keepdim) {
        return keepdim ? g : g.reshape(keptShape(inShape, dims));
    }

    private static NdArray restoreReduced(NdArray g, int[] inShape, int[] dims, boolean keepdim) {
        return keepdim ? g : g.reshape(keptShape(inShape, dims));
    }

    private static int[] keptShape(int[] inShape, int[] dims) {
        int[] ds = Shapes.dims("sum", dims, inShape.length);
        int[] s = inShape.clone();
        for (int d : ds) s[d] = 1;
        return s;
    }

    // ================================================================ views

    record Reshape(int[] shape) implements Op {
        public String name() { return "reshape"; }
        public String formula() { return "∂x = reshape(g, shape of x)"; }
        public NdArray forward(NdArray... x) { return x[0].reshape(shape); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.reshape(x[0].shape())}; }
        @Override public boolean equals(Object o) { return o instanceof Reshape r && Arrays.equals(shape, r.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
        @Override public String toString() { return "Reshape" + Arrays.toString(shape); }
    }

    record Permute(int[] order) implements Op {
        public String name() { return "permute"; }
        public String formula() { return "∂x = permute(g, inverse order)"; }
        public NdArray forward(NdArray... x) { return x[0].permute(order); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            int[] inv = new int[order.length];
            for (int i = 0; i < order.length; i++) inv[Math.floorMod(order[i], order.length)] = i;
            Tensor r = g.permute(inv);
            r.fresh = g.fresh && !r.requiresGrad();   // a view of g's new array, which g hands on
            return new Tensor[] {r};
        }
        @Override public boolean equals(Object o) { return o instanceof Permute p && Arrays.equals(order, p.order); }
        @Override public int hashCode() { return Arrays.hashCode(order); }
        @Override public String toString() { return "Permute" + Arrays.toString(order); }
    }

    /** Broadcast to a larger shape; the VJP sums back (the single un-broadcasting rule). */
    record Expand(int[] shape) implements Op {
        public String name() { return "expand"; }
        public String formula() { return "∂x = g summed over the broadcast dimensions"; }
        public NdArray forward(NdArray... x) { return x[0].expand(shape); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.sumTo(x[0].shape())}; }
        @Override public boolean equals(Object o) { return o instanceof Expand e && Arrays.equals(shape, e.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
        @Override public String toString() { return "Expand" + Arrays.toString(shape); }
    }

    record Narrow(int dim, int start, int length) implements Op {
        public String name() { return "narrow"; }
        public String formula() { return "∂x = g placed at [start, start + length) along dim, zeros elsewhere"; }
        public NdArray forward(NdArray... x) { return x[0].narrow(dim, start, length); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {Tensor.apply(new Pad(dim, start, x[0].shape()[Shapes.dim("narrow", dim, x[0].rank())]), g)};
        }
    }

    /** Zero-pads along dim so that the input lands at [start, start + its size): the adjoint of narrow. */
    record Pad(int dim, int start, int size) implements Op {
        public String name() { return "pad"; }
        public String formula() { return "∂x = narrow(g, dim, start, size of x)"; }
        public NdArray forward(NdArray... x) {
            int[] s = x[0].shape();
            int d = Shapes.dim("pad", dim, s.length);
            int len = s[d];
            s[d] = size;
            NdArray out = NdArray.zeros(x[0].dtype(), s);
            out.narrow(d, start, len).copyFrom(x[0]);
            return out;
        }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {g.narrow(dim, start, x[0].shape()[Shapes.dim("pad", dim, x[0].rank())])};
        }
    }

    record Concat(int dim) implements Op {
        public String name() { return "concat"; }
        public String formula() { return "∂x_i = the slice of g where x_i was placed"; }
        public NdArray forward(NdArray... x) { return NdArray.concat(List.of(x), dim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor[] r = new Tensor[x.length];
            int at = 0;
            for (int i = 0; i < x.length; i++) {
                int len = x[i].shape()[Shapes.dim("concat", dim, x[i].rank())];
                if (needs(x, i)) r[i] = g.narrow(dim, at, len);
                at += len;
            }
            return r;
        }
    }

    /** Conversion to another dtype; the gradient is converted back. */
    record Cast(dev.nabla.array.DType dtype) implements Op {
        public String name() { return "to_" + dtype; }
        public String formula() { return "∂x = g converted to the dtype of x"; }
        public NdArray forward(NdArray... x) { return x[0].to(dtype); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.to(x[0].dtype())}; }
    }

    // ================================================================ indexing

    /** out = x gathered along dim at the (constant) index positions. */
    record Gather(int dim, NdArray index) implements Op {
        public String name() { return "gather"; }
        public String formula() { return "∂x = g scattered (added) back to the gathered positions"; }
        public NdArray forward(NdArray... x) { return x[0].gather(dim, index); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {Tensor.apply(new ScatterAdd(x[0].shape(), dim, index), g)};
        }
    }

    /** The adjoint of gather: zeros of shape with the input added at the index positions. */
    record ScatterAdd(int[] shape, int dim, NdArray index) implements Op {
        public String name() { return "scatter_add"; }
        public String formula() { return "∂x = gather(g, dim, index)"; }
        public NdArray forward(NdArray... x) { return NdArray.scatterAdd(shape, dim, index, x[0]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.gather(dim, index)}; }
    }

    record IndexSelect(int dim, int[] indices) implements Op {
        public String name() { return "index_select"; }
        public String formula() { return "∂x = g added back at the selected positions"; }
        public NdArray forward(NdArray... x) { return x[0].indexSelect(dim, indices); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {Tensor.apply(new IndexAdd(x[0].shape(), dim, indices), g)};
        }
    }

    record IndexAdd(int[] shape, int dim, int[] indices) implements Op {
        public String name() { return "index_add"; }
        public String formula() { return "∂x = index_select(g, dim, indices)"; }
        public NdArray forward(NdArray... x) { return NdArray.indexAdd(shape, dim, indices, x[0]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.indexSelect(dim, indices)}; }
    }

    /**
     * Entries at fixed row-major positions of x, as an array of the given shape (see
     * {@link NdArray#take}); max pooling is this with the positions of each window's maximum. Linear in
     * x, so its VJP is its transpose, {@link PutAdd}, and PutAdd's is Take again.
     */
    record Take(int[] positions, int[] shape) implements Op {
        public String name() { return "take"; }
        public String formula() { return "∂x = g added back at the taken positions"; }
        public NdArray forward(NdArray... x) { return x[0].take(positions, shape); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {Tensor.apply(new PutAdd(x[0].shape(), positions), g)};
        }
        @Override public boolean equals(Object o) { return o instanceof Take t && Arrays.equals(positions, t.positions) && Arrays.equals(shape, t.shape); }
        @Override public int hashCode() { return Arrays.hashCode(positions) * 31 + Arrays.hashCode(shape); }
        @Override public String toString() { return "Take[" + positions.length + " positions, shape=" + Arrays.toString(shape) + "]"; }
    }

    /** The adjoint of {@link Take}: zeros of shape with x's entries added at the positions. */
    record PutAdd(int[] shape, int[] positions) implements Op {
        public String name() { return "put_add"; }
        public String formula() { return "∂x = g taken at the positions"; }
        public NdArray forward(NdArray... x) { return NdArray.putAdd(shape, positions, x[0]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {g.take(positions, x[0].shape())}; }
        @Override public boolean equals(Object o) { return o instanceof PutAdd t && Arrays.equals(positions, t.positions) && Arrays.equals(shape, t.shape); }
        @Override public int hashCode() { return Arrays.hashCode(positions) * 31 + Arrays.hashCode(shape); }
        @Override public String toString() { return "PutAdd[shape=" + Arrays.toString(shape) + ", " + positions.length + " positions]"; }
    }

    // ================================================================ sliding windows

    /**
     * 2-d convolution as one primitive (see {@link NdArray#conv2d}): inputs x [N, C, H, W], the weight
     * W [O, C, kh, kw] and, when present, the bias b [O]. The forward pass goes image by image (im2col
     * into a scratch buffer, one GEMM into the output). Without a recorded graph the VJP works on
     * arrays the same way ({@link NdArray#conv2dBackward}: the weight gradient summed over the images
     * inside the GEMMs); with createGraph it is written in tensor ops (unfold, matmul, fold), so it can
     * be differentiated again. With {@code relu}, y = relu(conv2d(x, W, b)) (a Conv2d followed by a
     * ReLU, fused as linear_relu is): the ReLU is applied in the bias's pass and its VJP is the mask
     * read off the output.
     */
    record Conv2d(Window2d window, boolean relu) implements Op {
        public String name() { return relu ? "conv2d_relu" : "conv2d"; }
        public String formula() {
            return relu ? "g' = g ⊙ [y > 0]; ∂x = fold(Wᵀ g'), ∂W = Σₙ g'[n] unfold(x)[n]ᵀ, ∂b = Σ_{n,y,x} g'"
                : "∂x = fold(Wᵀ g), ∂W = Σₙ g[n] unfold(x)[n]ᵀ, ∂b = Σ_{n,y,x} g";
        }
        public NdArray forward(NdArray... x) {
            NdArray b = x.length > 2 ? x[2] : null;
            return relu ? x[0].conv2dRelu(x[1], b, window) : x[0].conv2d(x[1], b, window);
        }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor in = x[0], w = x[1];
            if (relu) g = reluVjp(g, out);
            Tensor[] r = new Tensor[x.length];
            boolean bias = x.length > 2 && needs(x, 2);
            if (GradMode.isEnabled()) {
                int[] s = in.shape();
                int o = w.size(0);
                Tensor g3 = g.reshape(s[0], o, -1);                                                   // [N, O, L]
                if (needs(x, 0)) r[0] = w.reshape(o, -1).t().matmul(g3).fold(s[2], s[3], window);    // [C·kh·kw, O] @ [N, O, L]
                if (needs(x, 1)) r[1] = g3.matmul(in.unfold(window).transpose(1, 2)).sum(0).reshape(w.shape());
                if (bias) r[2] = g.sum(0, 2, 3);
                return r;
            }
            NdArray[] d = NdArray.conv2dBackward(in.data(), w.data(), g.data(), window, needs(x, 0), needs(x, 1));
            if (d[0] != null) r[0] = markFresh(Tensor.constant(d[0]));
            if (d[1] != null) r[1] = markFresh(Tensor.constant(d[1]));
            if (bias) r[2] = markFresh(Tensor.constant(g.data().sum(false, 0, 2, 3)));
            return r;
        }
    }

    /**
     * im2col ({@link NdArray#unfold}): [N, C, H, W] to the columns [N, C·kh·kw, L] of every window
     * position, padValue where a window reaches into the padding (0, or −∞ for max pooling). The map
     * is linear in x (plus a constant), so its VJP is its transpose, fold; fold's is unfold again.
     */
    record Unfold(Window2d window, double padValue) implements Op {
        public String name() { return "unfold"; }
        public String formula() { return "∂x = fold(g): each column entry added back to the pixel it was copied from (padding dropped)"; }
        public NdArray forward(NdArray... x) { return x[0].unfold(window, padValue); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {markFresh(g.fold(x[0].size(2), x[0].size(3), window))};
        }
    }

    /** col2im ({@link NdArray#fold}), the adjoint of unfold: columns [N, C·kh·kw, L] added into [N, C, height, width]. */
    record Fold(int height, int width, Window2d window) implements Op {
        public String name() { return "fold"; }
        public String formula() { return "∂x = unfold(g): each column entry reads the gradient of the pixel it was added to"; }
        public NdArray forward(NdArray... x) { return x[0].fold(height, width, window); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) { return new Tensor[] {markFresh(g.unfold(window))}; }
    }

    // ================================================================ softmax

    record Softmax(int dim) implements Op {
        public String name() { return "softmax"; }
        public String formula() { return "∂x = s ⊙ (g - Σ_j g_j s_j), the softmax Jacobian s_i(δ_ij - s_j) applied to g"; }
        public NdArray forward(NdArray... x) { return x[0].softmax(dim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {out.mul(g.sub(g.mul(out).sum(true, dim)))};
        }
    }

    record LogSoftmax(int dim) implements Op {
        public String name() { return "log_softmax"; }
        public String formula() { return "∂x = g - softmax(x) ⊙ Σ_j g_j"; }
        public NdArray forward(NdArray... x) { return x[0].logSoftmax(dim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            return new Tensor[] {g.sub(out.exp().mul(g.sum(true, dim)))};
        }
    }

    /**
     * Cross-entropy terms of logits x [N, C] against class indices [N, 1] (integral values in [0, C)):
     * out_n = −log softmax(x_n)_{y_n}, shape [N]. One primitive in place of log_softmax, gather and neg;
     * its VJP is made of tensor ops, so it has second derivatives.
     */
    record CrossEntropy(NdArray index) implements Op {
        public String name() { return "cross_entropy"; }
        public String formula() { return "∂x = (softmax(x) − onehot(y)) ⊙ g[:, None]"; }
        public NdArray forward(NdArray... x) { return x[0].crossEntropyTerms(index); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            int rows = x[0].size(0);
            if (!GradMode.isEnabled() && x[0].rank() == 2)   // no graph wanted: the same values in one array
                return new Tensor[] {markFresh(Tensor.constant(firstOrder(x[0].data(), g.data())))};
            NdArray oneHot = NdArray.scatterAdd(x[0].shape(), 1, index, NdArray.ones(x[0].dtype(), rows, 1));
            return new Tensor[] {x[0].softmax(1).sub(Tensor.of(oneHot)).mul(g.reshape(rows, 1))};
        }

        /** (softmax(x) − onehot(y)) ⊙ g[:, None] computed in place in softmax's fresh [N, C] array. */
        private NdArray firstOrder(NdArray x, NdArray g) {
            NdArray r = x.softmax(1);
            int rows = r.shape()[0], classes = r.shape()[1];
            float[] f = r.dtype() == dev.nabla.array.DType.FLOAT32 ? r.floatData() : null;
            double[] d = f == null ? r.doubleData() : null;
            for (int n = 0; n < rows; n++) {
                int o = n * classes, label = (int) index.get(n, 0);
                double gn = g.get(n);
                if (f != null) {
                    float gf = (float) gn;
                    f[o + label] -= 1f;
                    for (int j = 0; j < classes; j++) f[o + j] *= gf;
                } else {
                    d[o + label] -= 1.0;
                    for (int j = 0; j < classes; j++) d[o + j] *= gn;
                }
            }
            return r;
        }
    }

    // ================================================================ user-defined

    /**
     * A primitive defined by the user (PyTorch's {@code autograd.Function}): a forward on arrays and a
     * VJP on tensors, applied with {@link #apply}. Like the built-in rules, the VJP receives g, the
     * inputs and the output, and returns one gradient per input (null where none flows); it is
     * checked against the inputs' shapes, and it can be verified with {@link GradCheck}.
     *
     * <pre>{@code
     * Op.Custom cube = new Op.Custom("cube", "∂x = 3 g ⊙ x²",
     *     xs -> xs[0].mul(xs[0]).mul(xs[0]),
     *     (g, xs, out) -> new Tensor[] {g.mul(xs[0].square()).mul(3)});
     * Tensor y = cube.apply(x);
     * }</pre>
     */
    record Custom(String name, String formula, java.util.function.Function<NdArray[], NdArray> fn, Rule rule) implements Op {
        /** The VJP of a custom primitive. */
        @FunctionalInterface
        public interface Rule {
            Tensor[] vjp(Tensor g, Tensor[] x, Tensor out);
        }

        public NdArray forward(NdArray... x) { return fn.apply(x); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor out) {
            Tensor[] r = rule.vjp(g, x, out);
            if (r == null || r.length != x.length)
                throw new IllegalStateException(name + ": the VJP returned " + (r == null ? "null" : r.length + " gradients")
                    + " for " + x.length + " inputs");
            return r;
        }

        /** Runs the forward on the inputs' data and records the op when a gradient is needed. */
        public Tensor apply(Tensor... inputs) { return Tensor.apply(this, inputs); }
    }

    /** Names of every primitive, for documentation and coverage tests. */
    static List<String> primitiveNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) names.add(c.getSimpleName());
        return names;
    }
}
