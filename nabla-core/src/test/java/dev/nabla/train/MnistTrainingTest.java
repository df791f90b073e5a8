package dev.nabla.train;

import dev.nabla.data.DataLoader;
import dev.nabla.data.Mnist;
import dev.nabla.data.MnistFiles;
import dev.nabla.data.RandomShift;
import dev.nabla.data.Split;
import dev.nabla.data.TensorDataset;
import dev.nabla.array.NdArray;
import dev.nabla.nn.BatchNorm2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Trains on the real MNIST test digits when they are present (8,000 to train, 2,000 to validate),
 * for two epochs only, to stay cheap; the ten-epoch result is measured with {@code nabla train}.
 */
class MnistTrainingTest {

    @Test
    void twoEpochsOfAnMlpReachNinetyPercent() throws IOException {
        Path dir = MnistFiles.locate();
        Assumptions.assumeTrue(dir != null, MnistFiles.SKIP);
        TensorDataset all = Mnist.load(dir).test().flattened();
        float[] x = all.features().floatData();
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - 0.1307f) / 0.3081f;   // the usual MNIST standardization
        Split split = Split.random(all, 0.2, 1);
        assertEquals(8000, split.train().size());
        assertEquals(2000, split.validation().size());
        Sequential model = new Mlp(784, List.of(256), 10, "relu").build(new SplittableRandom(1));
        Trainer t = new Trainer(model, new Adam(model.parameters(), 2e-3),
            new Objective.ClassIndices(new CrossEntropyLoss(Reduction.MEAN, 0.1)));
        DataLoader loader = new DataLoader(split.train(), 32, true, 1, false)
            .withTransform(new RandomShift(28, 28, 1, -0.1307f / 0.3081f));
        History h = t.fit(loader, split.validation(), 2);
        assertTrue(h.last().valAccuracy() > 0.90, "validation accuracy after 2 epochs: " + h.last().valAccuracy());
    }

    @Test
    void oneEpochOfASmallConvolutionalNetworkReachesNinetyPercent() throws IOException {
        Path dir = MnistFiles.locate();
        Assumptions.assumeTrue(dir != null, MnistFiles.SKIP);
        TensorDataset test = Mnist.load(dir).test();
        NdArray images = test.features().contiguous();
        float[] x = images.floatData();
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - 0.1307f) / 0.3081f;
        Split split = Split.random(new TensorDataset(images.reshape(test.size(), 1, 28, 28), test.labels()), 0.2, 1);
        Sequential model = new Sequential(new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 7 * 7, 10));
        Trainer t = new Trainer(model, new Adam(model.parameters(), 2e-3), new Objective.ClassIndices(new CrossEntropyLoss()));
        History h = t.fit(new DataLoader(split.train(), 64, true, 1, false), split.validation(), 1);
        assertTrue(h.last().valAccuracy() > 0.90, "validation accuracy after 1 epoch: " + h.last().valAccuracy());
    }
}
