package dev.nabla.bench.mlp;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The MLP workload (or the CNN one, {@link MlpRun.Model}) in DJL with the PyTorch engine (CPU), written the way DJL's own training loop
 * (EasyTrain.trainBatch) does it: a sub-manager per batch, a gradient collector, trainer.step().
 * Threads come from the JVM options the side-by-side run sets: -Dai.djl.pytorch.num_threads,
 * -Dai.djl.pytorch.num_interop_threads and OMP_NUM_THREADS.
 */
public final class DjlMlp implements MlpRun.Engine {
    private final Model model;
    private final Trainer trainer;
    private final long[] labels;
    private final Shape inputShape;

    public DjlMlp(MlpRun.Model kind, double lr, int batch) {
        SequentialBlock net = new SequentialBlock();
        if (kind == MlpRun.Model.CNN) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(MlpData.CLASSES).build());
            inputShape = new Shape(batch, 1, 28, 28);
        } else {
            net.add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(MlpData.CLASSES).build());
            inputShape = new Shape(batch, MlpData.FEATURES);
        }
        model = Model.newInstance("mlp", "PyTorch");
        model.setBlock(net);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) lr)).build());
        trainer = model.newTrainer(config);
        trainer.initialize(inputShape);
        labels = new long[batch];
    }

    @Override public String name() { return "djl-pytorch"; }

    @Override
    public float step(float[] x, int[] y, int batch) {
        for (int i = 0; i < batch; i++) labels[i] = y[i];
        float loss;
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray input = batchManager.create(x, inputShape);
            NDArray target = batchManager.create(labels, new Shape(batch));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList prediction = trainer.forward(new NDList(input));
                NDArray l = trainer.getLoss().evaluate(new NDList(target), prediction);
                collector.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
        }
        return loss;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    public static void main(String[] args) throws Exception {
        MlpRun.Options o = MlpRun.Options.parse(args);
        MlpData data = MlpData.load(o.data());
        try (DjlMlp engine = new DjlMlp(o.model(), o.lr(), o.batch())) {
            MlpRun.run(o, data, engine);
        }
        System.exit(0);
    }
}
