/**
 * Arrays: n-dimensional float32 and float64 numbers over a flat Java array, and the
 * non-differentiable math on them, which calls {@link dev.nabla.kernels}. Knows nothing of autograd.
 *
 * <p>Vocabulary, defined once here:
 * <ul>
 *   <li><b>shape</b>: the size of each dimension, outermost first; {@code []} is a 0-d array (a
 *       scalar) with one element. <b>rank</b> is the number of dimensions, <b>numel</b> the number of
 *       elements (the product of the sizes).</li>
 *   <li><b>storage</b>: the backing {@code float[]} or {@code double[]}, shared by all views of it.</li>
 *   <li><b>strides</b> and <b>offset</b>: element {@code [i0, i1, ...]} sits at storage index
 *       {@code offset + i0·strides[0] + i1·strides[1] + ...}. A stride of 0 repeats one element along
 *       that dimension (a broadcast view); strides need not be positive-ordered (a transposed view).</li>
 *   <li><b>contiguous</b>: the strides of a row-major layout (each stride the product of the sizes
 *       after it; size-1 dimensions may have any stride). Every math method returns a new contiguous
 *       array that owns its storage.</li>
 *   <li><b>view</b>: an array sharing another's storage with other shape, strides or offset:
 *       {@code reshape} (when the strides allow), {@code permute}/{@code transpose}, {@code narrow}/
 *       {@code select}, {@code expand}, {@code squeeze}/{@code unsqueeze}. Writing through a view
 *       changes its base. Views copy nothing.</li>
 *   <li><b>dim</b>: a dimension index; negative values count from the end ({@code -1} is the last).</li>
 *   <li><b>broadcasting</b> (NumPy/PyTorch): shapes are aligned at their trailing dimensions, missing
 *       leading dimensions count as 1, and each pair of sizes must be equal or one of them 1; the
 *       result takes the larger. {@code [2, 1, 4]} and {@code [3, 1]} broadcast to {@code [2, 3, 4]}.</li>
 *   <li><b>keepdim</b>: a reduction keeps the reduced dimensions with size 1, so that the result
 *       broadcasts against its input.</li>
 *   <li><b>promotion</b>: an operation on float32 and float64 operands computes in float64.</li>
 *   <li><b>in place</b>: only methods whose names end in {@code InPlace} (and {@code copyFrom},
 *       {@code fill}, {@code set}) modify an array; everything else leaves its operands unmodified.</li>
 *   <li><b>images</b> and <b>window</b>: convolution and pooling read images [N, C, H, W] (batch,
 *       channels, height, width) through a sliding {@link Window2d}; {@code unfold} (im2col) lays its
 *       positions out as columns [N, C·kh·kw, L], one per output pixel, and {@code fold} adds them back.</li>
 * </ul>
 *
 * <p>Errors: a shape that does not fit names the operation and the shapes
 * ({@code matmul: [3, 4] @ [5, 2]: inner dimensions 4 and 5 differ}); an index out of range is an
 * {@link java.lang.IndexOutOfBoundsException} saying which index, where, and the valid range.
 */
package dev.nabla.array;
