/**
 * Optimizers and learning-rate schedules.
 *
 * <h2>Vocabulary</h2>
 * <ul>
 *   <li><b>parameter</b> θ: a leaf {@link dev.nabla.autograd.Tensor} whose {@code grad()} backward
 *       fills; an optimizer changes its data in place.</li>
 *   <li><b>gradient</b> g: {@code θ.grad()}; a parameter whose gradient is null is not updated.</li>
 *   <li><b>hyper-parameters</b>: an immutable record per optimizer ({@link dev.nabla.optim.SGD.Options},
 *       ...), with PyTorch's defaults from {@code Options.defaults(lr)} and {@code withX} copies.</li>
 *   <li><b>parameter group</b> ({@link dev.nabla.optim.ParamGroup}): parameters sharing hyper-parameters.</li>
 *   <li><b>learning rate</b> η and its <b>initial</b> value η₀, the one a group was built with.</li>
 *   <li><b>step count</b> t: updates a parameter has received (1 during its first update).</li>
 *   <li><b>buffers</b>: per-parameter state with the parameter's shape and dtype, named as in PyTorch
 *       ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq},
 *       {@code square_avg}, {@code grad_avg}, {@code sum}).</li>
 *   <li><b>state dict</b>: a {@code Map<String, NdArray>} that holds all of an optimizer's or a
 *       schedule's state, scalars as 0-d float64 arrays, so that a checkpoint can resume training exactly.</li>
 *   <li><b>schedule</b> ({@link dev.nabla.optim.LRScheduler}): sets η each step; closed-form schedules
 *       ({@link dev.nabla.optim.ClosedFormLR}) compute η from η₀ and t alone.</li>
 * </ul>
 *
 * <h2>Training loop</h2>
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * var schedule = new LinearWarmup(opt, 500, 0.01).then(new CosineAnnealingLR(opt, 9_500, 0));
 * for (var batch : loader) {
 *     opt.zeroGrad();
 *     lossFn.forward(model.forward(batch.x()), batch.y()).backward();
 *     opt.step();
 *     schedule.step();
 * }
 * }</pre>
 *
 * Each update rule is written as in its paper, over double arrays, in {@code update}; the
 * {@link dev.nabla.optim.Optimizer} base class does the rest (skipping, buffers, float32 blocks, state dicts).
 */
package dev.nabla.optim;
