package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A user's mistake gets a message naming the op and the shapes or positions involved, and an
 * exception type that says what kind of mistake it is: never an ArrayIndexOutOfBoundsException or
 * a NullPointerException from inside the library.
 */
class ErrorMessagesTest {
    static Tensor t(int... shape) { return Tensor.zeros(DType.FLOAT64, shape).requiresGrad(true); }

    static Stream<Arguments> mistakes() {
        Tensor m23 = t(2, 3);
        return Stream.of(
            Arguments.of("matmul inner dimensions", (Executable) () -> t(3, 4).matmul(t(5, 2)), IllegalArgumentException.class,
                "matmul: [3, 4] @ [5, 2]: inner dimensions 4 and 5 differ"),
            Arguments.of("matmul 1-d inner dimensions", (Executable) () -> t(3).matmul(t(4)), IllegalArgumentException.class,
                "matmul: [3] @ [4]: inner dimensions 3 and 4 differ"),
            Arguments.of("matmul batch dimensions", (Executable) () -> t(2, 3, 4).matmul(t(3, 4, 5)), IllegalArgumentException.class,
                "matmul: [2, 3, 4] @ [3, 4, 5]: batch dimensions [2] and [3] cannot be broadcast"),
            Arguments.of("matmul of a 0-d tensor", (Executable) () -> Tensor.scalar(2).matmul(t(2)), IllegalArgumentException.class,
                "matmul: [] @ [2]: both operands need at least 1 dimension"),
            Arguments.of("broadcast failure names both shapes", (Executable) () -> m23.add(t(4)), IllegalArgumentException.class,
                "add: shapes [2, 3] and [4] cannot be broadcast: dimension -1 is 3 and 4 (sizes must match or one of them be 1)"),
            Arguments.of("broadcast failure in mul", (Executable) () -> t(5, 2).mul(t(4, 3, 1)), IllegalArgumentException.class,
                "mul: shapes [5, 2] and [4, 3, 1] cannot be broadcast: dimension -2 is 5 and 3 (sizes must match or one of them be 1)"),
            Arguments.of("reshape size mismatch", (Executable) () -> m23.reshape(4, 2), IllegalArgumentException.class,
                "reshape: shape [2, 3] (6 elements) cannot be viewed as [4, 2] (8 elements)"),
            Arguments.of("reshape with an impossible -1", (Executable) () -> m23.reshape(-1, 4), IllegalArgumentException.class,
                "reshape: shape [2, 3] (6 elements) cannot be viewed as [-1, 4]: no size for -1 makes 6 elements"),
            Arguments.of("reshape with two -1", (Executable) () -> m23.reshape(-1, -1), IllegalArgumentException.class,
                "reshape: only one size may be -1 in [-1, -1]"),
            Arguments.of("narrow out of range", (Executable) () -> m23.narrow(1, 2, 3), IllegalArgumentException.class,
                "narrow: range [2, 5) is outside dimension 1 of size 3"),
            Arguments.of("narrow on a missing dimension", (Executable) () -> m23.narrow(2, 0, 1), IllegalArgumentException.class,
                "narrow: dimension 2 is out of range for a 2-d array (expected -2 to 1)"),
            Arguments.of("select index out of range", (Executable) () -> m23.select(0, 2), IndexOutOfBoundsException.class,
                "select: index 2 is out of range for dimension 0 of size 2"),
            Arguments.of("gather index out of range", (Executable) () -> m23.gather(1, NdArray.of(new double[] {0, 3}, 2, 1)),
                IndexOutOfBoundsException.class, "gather: index element [1, 0] is 3, out of range for dimension 1 of size 3 (expected 0 to 2)"),
            Arguments.of("gather negative index", (Executable) () -> m23.gather(1, NdArray.of(new double[] {-1, 0}, 2, 1)),
                IndexOutOfBoundsException.class, "gather: index element [0, 0] is -1, out of range for dimension 1 of size 3 (expected 0 to 2)"),
            Arguments.of("gather index too large in another dimension", (Executable) () -> m23.gather(1, NdArray.zeros(DType.FLOAT64, 3, 1)),
                IllegalArgumentException.class, "gather: index shape [3, 1] exceeds input shape [2, 3] in dimension 0 (only dimension 1 may be larger)"),
            Arguments.of("indexSelect out of range", (Executable) () -> m23.indexSelect(1, 0, 5), IndexOutOfBoundsException.class,
                "indexSelect: position 1 of the indices is 5, out of range for a dimension of size 3 (expected 0 to 2)"),
            Arguments.of("concat mismatch", (Executable) () -> Tensor.concat(List.of(m23, t(3, 3)), 1), IllegalArgumentException.class,
                "concat: tensor 1 has shape [3, 3], which differs from tensor 0's [2, 3] in dimension 0 (only dimension 1 may differ)"),
            Arguments.of("concat rank mismatch", (Executable) () -> Tensor.concat(List.of(m23, t(3)), 0), IllegalArgumentException.class,
                "concat: tensor 1 has shape [3], whose rank differs from tensor 0's shape [2, 3]"),
            Arguments.of("concat of nothing", (Executable) () -> Tensor.concat(List.of(), 0), IllegalArgumentException.class,
                "concat: needs at least one tensor"),
            Arguments.of("stack mismatch", (Executable) () -> Tensor.stack(List.of(m23, t(3, 2)), 0), IllegalArgumentException.class,
                "stack: tensor 1 has shape [3, 2], tensor 0 has [2, 3]; stack needs equal shapes"),
            Arguments.of("permute with a repeated dimension", (Executable) () -> m23.permute(0, 0), IllegalArgumentException.class,
                "permute: dimension 0 appears twice in [0, 0]"),
            Arguments.of("permute with too few dimensions", (Executable) () -> m23.permute(0), IllegalArgumentException.class,
                "permute: order [0] has 1 entries for a 2-d array"),
            Arguments.of("transpose of a missing dimension", (Executable) () -> m23.transpose(0, 3), IllegalArgumentException.class,
                "transpose: dimension 3 is out of range for a 2-d array (expected -2 to 1)"),
            Arguments.of("squeeze of a dimension that is not 1", (Executable) () -> m23.squeeze(0), IllegalArgumentException.class,
                "squeeze: dimension 0 of shape [2, 3] has size 2, not 1"),
            Arguments.of("unsqueeze out of range", (Executable) () -> m23.unsqueeze(4), IllegalArgumentException.class,
                "unsqueeze: position 4 is out of range for inserting a dimension into a 2-d array (expected -3 to 2)"),
            Arguments.of("expand incompatible", (Executable) () -> m23.expand(2, 4), IllegalArgumentException.class,
                "expand: shape [2, 3] cannot be broadcast to [2, 4]: dimension 1 has size 3, which is neither 1 nor 4"),
            Arguments.of("expand to fewer dimensions", (Executable) () -> m23.expand(6), IllegalArgumentException.class,
                "expand: cannot expand shape [2, 3] to [6], which has fewer dimensions"),
            Arguments.of("sum over a missing dimension", (Executable) () -> m23.sum(2), IllegalArgumentException.class,
                "sum: dimension 2 is out of range for a 2-d array (expected -2 to 1)"),
            Arguments.of("softmax over a missing dimension", (Executable) () -> m23.softmax(-3), IllegalArgumentException.class,
                "softmax: dimension -3 is out of range for a 2-d array (expected -2 to 1)"),
            Arguments.of("max over a missing dimension", (Executable) () -> m23.max(5, false), IllegalArgumentException.class,
                "max: dimension 5 is out of range for a 2-d array (expected -2 to 1)"),
            Arguments.of("clamp with crossed bounds", (Executable) () -> m23.clamp(1, 0), IllegalArgumentException.class,
                "clamp: lower bound 1.0 exceeds upper bound 0.0"),
            Arguments.of("get with an index out of range", (Executable) () -> m23.get(0, 3), IndexOutOfBoundsException.class,
                "get: index 3 is out of range for dimension 1 of size 3"),
            Arguments.of("get with too few indices", (Executable) () -> m23.get(0), IllegalArgumentException.class,
                "get: 1 indices for a 2-d array of shape [2, 3]"),
            Arguments.of("item of many elements", (Executable) () -> m23.item(), IllegalStateException.class,
                "item: array of shape [2, 3] has 6 elements, not 1"),
            Arguments.of("t of a 3-d tensor", (Executable) () -> t(1, 2, 3).t(), IllegalArgumentException.class,
                "t: expects a 2-d tensor, got shape [1, 2, 3]"),
            Arguments.of("setGrad of the wrong shape", (Executable) () -> m23.setGrad(t(3)), IllegalArgumentException.class,
                "setGrad: gradient of shape [3] for a tensor of shape [2, 3]"),
            Arguments.of("backward of a non-scalar", (Executable) () -> m23.mul(2).backward(), IllegalStateException.class,
                "backward: the output has shape [2, 3]; backward() without an argument needs a one-element output (a loss). "
                    + "Pass ∂L/∂output as backward(gradient)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeGetsAWordedMessage(String what, Executable call, Class<? extends Throwable> type, String message) {
        Throwable e = assertThrows(Throwable.class, call);
        assertFalse(e instanceof ArrayIndexOutOfBoundsException, "a bare array index exception: " + e);
        assertFalse(e instanceof NullPointerException, "a null pointer: " + e);
        assertEquals(type, e.getClass(), e.toString());
        assertEquals(message, e.getMessage());
    }
}
