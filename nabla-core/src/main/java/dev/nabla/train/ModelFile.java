package dev.nabla.train;

import dev.nabla.array.NdArray;
import dev.nabla.io.Safetensors;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trained model on disk: its state dict as safetensors tensors (names as {@link Module#stateDict()}
 * gives them, so PyTorch's {@code load_state_dict} reads them too), written atomically, with string
 * metadata beside. When the model was built from an {@link Architecture} (an {@link Mlp} or a
 * {@link Cnn}), the metadata entry {@value #ARCHITECTURE_KEY} holds it as JSON, and
 * {@link #load(Path)} rebuilds the network without the code that made it (from a model file, or
 * from a training {@link Checkpoint} that carries the architecture). Files written before CNNs
 * existed hold an MLP's JSON, which reads as it always did.
 */
public final class ModelFile {
    private ModelFile() {}

    /** The metadata key holding the architecture ({@link Architecture#toJson}). */
    public static final String ARCHITECTURE_KEY = "nabla.architecture";

    /** Writes a model's parameters and the metadata to file, atomically. */
    public static void save(Path file, Module model, Map<String, String> metadata) throws IOException {
        Safetensors.write(file, model.stateDict(), metadata == null ? Map.of() : metadata);
    }

    /** Writes a network's parameters with its architecture (and the other metadata) to file, atomically. */
    public static void save(Path file, Module model, Architecture architecture, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        meta.put(ARCHITECTURE_KEY, architecture.toJson());
        save(file, model, meta);
    }

    /**
     * Copies the parameters stored in file into an existing model (same names and shapes) and
     * returns the file's metadata.
     */
    public static Map<String, String> loadInto(Path file, Module model) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        try {
            model.loadStateDict(c.tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the parameters do not fit the model: " + e.getMessage());
        }
        return c.metadata();
    }

    /** A model rebuilt from a file: the network, its architecture and the file's metadata. */
    public record Loaded(Sequential model, Architecture architecture, Map<String, String> metadata) {}

    /** Rebuilds the network (MLP or CNN) a file describes and loads its parameters. */
    public static Loaded load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        String arch = c.metadata().get(ARCHITECTURE_KEY);
        if (arch == null)
            throw new IOException(file + ": no \"" + ARCHITECTURE_KEY + "\" metadata, so the network cannot be rebuilt");
        Architecture architecture;
        try {
            architecture = Architecture.fromJson(arch);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        Sequential model = architecture.build(new SplittableRandom(0));
        Map<String, NdArray> tensors = c.tensors();
        if (c.metadata().containsKey(Checkpoint.VERSION_KEY)) {
            // A training checkpoint that carries the architecture: its model.* tensors are the weights.
            tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NdArray> e : c.tensors().entrySet())
                if (e.getKey().startsWith("model.")) tensors.put(e.getKey().substring("model.".length()), e.getValue());
        }
        try {
            model.loadStateDict(tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the parameters do not fit the architecture " + architecture + ": " + e.getMessage());
        }
        return new Loaded(model, architecture, c.metadata());
    }
}
