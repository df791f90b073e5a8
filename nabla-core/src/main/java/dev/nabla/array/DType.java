package dev.nabla.array;

/** Element type of an array: float32 for speed, float64 for gradient checks and exact teaching numbers. */
public enum DType {
    FLOAT32("F32", 4), FLOAT64("F64", 8);

    private final String safetensorsName;
    private final int bytes;

    DType(String safetensorsName, int bytes) {
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    /** The dtype's name in the safetensors header ({@code F32}, {@code F64}). */
    public String safetensorsName() { return safetensorsName; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }

    /** The dtype of a result computed from operands of dtypes a and b (float64 wins, as in PyTorch promotion). */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    @Override public String toString() { return name().toLowerCase(java.util.Locale.ROOT); }
}
