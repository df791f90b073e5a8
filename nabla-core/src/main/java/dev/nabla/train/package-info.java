/**
 * Training: the loop, its metrics, and what it writes. The vocabulary:
 * <ul>
 *   <li>an {@link dev.nabla.train.Objective} says what outputs and labels mean: class indices,
 *       one-hot targets, or regression targets; it gives a batch's loss and counts correct
 *       predictions;</li>
 *   <li>a {@link dev.nabla.train.Trainer} runs <b>epochs</b> of forward, loss, backward and
 *       optimizer step over a {@link dev.nabla.data.DataLoader}, evaluates validation data, steps a
 *       learning-rate schedule, applies {@link dev.nabla.train.EarlyStopping}, writes a
 *       {@link dev.nabla.train.Checkpoint} and calls {@link dev.nabla.train.Callback}s;</li>
 *   <li>{@link dev.nabla.train.EpochMetrics} are one epoch's losses, accuracies, learning rate and
 *       time; a {@link dev.nabla.train.History} is all of them;</li>
 *   <li>a checkpoint holds model, optimizer and schedule state and the history, so a resumed run
 *       gives the same numbers as an uninterrupted one; a model file
 *       ({@link dev.nabla.train.ModelFile}) holds the weights and, for an
 *       {@link dev.nabla.train.Architecture} (an {@link dev.nabla.train.Mlp} or a
 *       {@link dev.nabla.train.Cnn}), the architecture to rebuild it.</li>
 * </ul>
 * Every file is written atomically (temporary file, then rename).
 */
package dev.nabla.train;
