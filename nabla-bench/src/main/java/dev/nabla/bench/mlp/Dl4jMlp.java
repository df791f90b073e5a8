package dev.nabla.bench.mlp;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MLP workload (or the CNN one, {@link MlpRun.Model}: convolution and subsampling layers on
 * {@code InputType.convolutionalFlat(28, 28, 1)}, so the rows are read as images) in DL4J on ND4J's native CPU backend (OpenBLAS): a MultiLayerNetwork with two
 * dense ReLU layers and a softmax output with multi-class cross-entropy (MCXENT, averaged over the
 * batch), SGD 0.1, float32, net.fit per batch. Threads come from OMP_NUM_THREADS and
 * OPENBLAS_NUM_THREADS, which the side-by-side run sets.
 */
public final class Dl4jMlp implements MlpRun.Engine {
    private final MultiLayerNetwork net;
    private final float[] oneHot;

    public Dl4jMlp(MlpRun.Model kind, double lr, int batch, long seed) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var layers = new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(lr))
            .weightInit(WeightInit.RELU)
            .list();
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(MlpData.CLASSES).activation(Activation.SOFTMAX).build();
        MultiLayerConfiguration conf = kind == MlpRun.Model.CNN
            ? layers
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(16).padding(1, 1).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(out)
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build()
            : layers
                .layer(new DenseLayer.Builder().nIn(MlpData.FEATURES).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(MlpData.CLASSES)
                    .activation(Activation.SOFTMAX).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        oneHot = new float[batch * MlpData.CLASSES];
    }

    @Override public String name() { return "dl4j"; }

    @Override
    public float step(float[] x, int[] y, int batch) {
        java.util.Arrays.fill(oneHot, 0f);
        for (int i = 0; i < batch; i++) oneHot[i * MlpData.CLASSES + y[i]] = 1f;
        INDArray input = Nd4j.create(x, new long[] {batch, MlpData.FEATURES}, 'c');
        INDArray target = Nd4j.create(oneHot, new long[] {batch, MlpData.CLASSES}, 'c');
        net.fit(input, target);
        return (float) net.score();
    }

    public static void main(String[] args) throws Exception {
        MlpRun.Options o = MlpRun.Options.parse(args);
        MlpData data = MlpData.load(o.data());
        MlpRun.run(o, data, new Dl4jMlp(o.model(), o.lr(), o.batch(), o.seed()));
        System.exit(0);
    }
}
