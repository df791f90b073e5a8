/**
 * Data for training. The vocabulary:
 * <ul>
 *   <li>a <b>sample</b> is one (features, label) pair; a <b>dataset</b> ({@link dev.nabla.data.Dataset})
 *       is N samples that can be gathered by position; {@link dev.nabla.data.TensorDataset} holds them
 *       in two arrays, features [N, ...] and labels [N] (class indices or targets);</li>
 *   <li>a <b>batch</b> ({@link dev.nabla.data.Batch}) is B samples stacked; a
 *       {@link dev.nabla.data.DataLoader} cuts a dataset into batches, shuffling each <b>epoch</b>
 *       (one pass over the data) with a permutation that depends only on (seed, epoch), so a
 *       resumed run sees the same batches;</li>
 *   <li>a {@link dev.nabla.data.Split} divides a dataset into training and validation parts;</li>
 *   <li>readers: {@link dev.nabla.data.Idx} (MNIST's format), {@link dev.nabla.data.Csv},
 *       {@link dev.nabla.data.Mnist} (the four files, with a checked download), and
 *       {@link dev.nabla.data.Synthetic} (spirals, moons, circles, xor, blobs from a seed).</li>
 * </ul>
 * Readers report a bad file with an IOException that names the file, where, and what was expected.
 */
package dev.nabla.data;
