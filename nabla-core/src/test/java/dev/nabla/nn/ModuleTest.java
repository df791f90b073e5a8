package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {
    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(3, 2, true, DType.FLOAT64, rng), new Sigmoid(), new Linear(2, 1, false, DType.FLOAT64, rng));
    }

    @Test
    void parameterNamesAreDottedInRegistrationOrder() {
        Sequential m = net(1);
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(3, m.parameters().size());
        assertSame(((Linear) m.get(0)).weight(), m.parameters().get(0));
        assertTrue(m.parameters().stream().allMatch(Tensor::requiresGrad));
        assertEquals(List.of("0", "1", "2"), List.copyOf(m.namedChildren().keySet()));
    }

    @Test
    void toStringPrintsTheStructureLikePyTorch() {
        Sequential m = new Sequential(new Linear(3, 2), new Sigmoid());
        assertEquals("Sequential(\n  (0): Linear(in_features=3, out_features=2, bias=True)\n  (1): Sigmoid()\n)", m.toString());
        Sequential nested = new Sequential(new Sequential(new Linear(2, 2, false, DType.FLOAT32, new SplittableRandom(1)), new ReLU()),
            new Dropout(0.25), new LeakyReLU(0.1), new Softmax(1));
        assertEquals("""
            Sequential(
              (0): Sequential(
                (0): Linear(in_features=2, out_features=2, bias=False)
                (1): ReLU()
              )
              (1): Dropout(p=0.25)
              (2): LeakyReLU(negative_slope=0.1)
              (3): Softmax(dim=1)
            )""", nested.toString());
    }

    @Test
    void stateDictRoundTrip() {
        Sequential a = net(1), b = net(2);
        assertNotEquals(a.stateDict().get("0.weight").get(0, 0), b.stateDict().get("0.weight").get(0, 0));
        Map<String, NdArray> copy = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        b.loadStateDict(copy);
        for (String k : a.stateDict().keySet())
            assertEquals(0.0, a.stateDict().get(k).maxAbsDiff(b.stateDict().get(k)), k);
        Tensor x = Tensor.of(new double[][] {{0.1, 0.2, 0.3}});
        assertEquals(a.forward(x).item(), b.forward(x).item(), 0.0);
        // shared, not copied: a state dict sees later changes of the parameters
        NdArray w = a.stateDict().get("0.weight");
        ((Linear) a.get(0)).weight().data().set(42.0, 0, 0);
        assertEquals(42.0, w.get(0, 0));
    }

    @Test
    void loadStateDictNamesMissingUnexpectedAndMisshapedEntries() {
        Sequential m = net(1);
        Map<String, NdArray> s = new LinkedHashMap<>();
        s.put("0.weight", NdArray.zeros(DType.FLOAT64, 3, 2));
        s.put("2.weight", NdArray.zeros(DType.FLOAT64, 1, 2));
        s.put("3.bias", NdArray.zeros(DType.FLOAT64, 1));
        double before = m.stateDict().get("2.weight").get(0, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(s));
        assertEquals("loadStateDict: Sequential: missing entries [0.bias]; unexpected entries [3.bias]; "
            + "entry '0.weight' has shape [3, 2] but the parameter has shape [2, 3]", e.getMessage());
        assertEquals(before, m.stateDict().get("2.weight").get(0, 0), "nothing is copied on error");
    }

    @Test
    void trainAndEvalAreRecursive() {
        Sequential inner = new Sequential(new Dropout(0.5));
        Sequential m = new Sequential(new Linear(2, 2), inner);
        assertTrue(m.isTraining() && inner.get(0).isTraining());
        assertSame(m, m.eval());
        assertFalse(m.isTraining() || inner.isTraining() || inner.get(0).isTraining() || m.get(0).isTraining());
        m.train();
        assertTrue(inner.get(0).isTraining());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Sequential m = net(3);
        m.forward(Tensor.of(new double[][] {{1, 2, 3}})).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
    }
}
