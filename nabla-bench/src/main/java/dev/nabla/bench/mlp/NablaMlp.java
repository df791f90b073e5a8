package dev.nabla.bench.mlp;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.autograd.Workspace;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Losses;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.parallel.Parallel;

import java.util.SplittableRandom;

/** The MLP workload (or the CNN one, {@link MlpRun.Model}) in Nabla, through the library's public API (nn, Losses, SGD). */
public final class NablaMlp implements MlpRun.Engine {
    private final Sequential model;
    private final boolean images;
    private final SGD sgd;
    private final float[] labels;
    private final Workspace workspace = new Workspace();

    public NablaMlp(double lr, int batch, long seed) { this(MlpRun.Model.MLP, lr, batch, seed); }

    public NablaMlp(MlpRun.Model kind, double lr, int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        images = kind == MlpRun.Model.CNN;
        model = images
            ? new Sequential(
                new Conv2d(1, 16, 3, 1, 1, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 7 * 7, MlpData.CLASSES, true, DType.FLOAT32, rng))
            : new Sequential(
                new Linear(MlpData.FEATURES, 256, true, DType.FLOAT32, rng), new ReLU(),
                new Linear(256, 256, true, DType.FLOAT32, rng), new ReLU(),
                new Linear(256, MlpData.CLASSES, true, DType.FLOAT32, rng));
        sgd = new SGD(model.parameters(), lr);
        labels = new float[batch];
    }

    @Override public String name() { return "nabla"; }

    @Override
    public float step(float[] x, int[] y, int batch) { return step(x, y, batch, null); }

    /**
     * The step; where {@code at} is given (5 elements), the System.nanoTime() after each phase: set-up,
     * forward, loss, backward, and the SGD step with the workspace step's end ({@link StepPhases}).
     */
    float step(float[] x, int[] y, int batch, long[] at) {
        for (int i = 0; i < batch; i++) labels[i] = y[i];
        float value;
        try (Workspace.Step step = workspace.step()) {   // this step's arrays are the last step's, reused
            Tensor input = Tensor.of(images ? NdArray.of(x, batch, 1, 28, 28) : NdArray.of(x, batch, MlpData.FEATURES));
            Tensor target = Tensor.of(NdArray.of(labels, batch));
            sgd.zeroGrad(false);                          // keep the gradient arrays
            if (at != null) at[0] = System.nanoTime();
            Tensor logits = model.forward(input);
            if (at != null) at[1] = System.nanoTime();
            Tensor loss = Losses.crossEntropy(logits, target, Reduction.MEAN);
            if (at != null) at[2] = System.nanoTime();
            loss.backward();
            if (at != null) at[3] = System.nanoTime();
            sgd.step();
            value = (float) loss.item();
        }
        if (at != null) at[4] = System.nanoTime();
        return value;
    }

    public static void main(String[] args) throws Exception {
        MlpRun.Options o = MlpRun.Options.parse(args);
        Parallel.setThreads(o.threads());
        MlpRun.run(o, MlpData.load(o.data()), new NablaMlp(o.model(), o.lr(), o.batch(), o.seed()));
        System.exit(0);
    }
}
