package dev.nabla.train;

import dev.nabla.io.Json;
import dev.nabla.nn.Sequential;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A network's architecture as data, which a {@link ModelFile} carries as JSON so that the network
 * can be rebuilt without the code that made it: an {@link Mlp} ({@code "type": "mlp"}) or a
 * {@link Cnn} ({@code "type": "cnn"}). Both take flat rows [N, {@link #inputs()}] and give
 * [N, {@link #outputs()}].
 */
public sealed interface Architecture permits Mlp, Cnn {

    /** Input features per sample: the width of the rows the network takes. */
    int inputs();

    /** Outputs per sample. */
    int outputs();

    /** The number of learned parameters (buffers such as running statistics not counted). */
    long parameterCount();

    /** A new float32 network with PyTorch's default initialization, drawn from rng. */
    Sequential build(RandomGenerator rng);

    /** The architecture as a JSON object with its "type"; {@link #fromJson} reads it back. */
    String toJson();

    /**
     * The architecture an {@link Mlp#toJson} or {@link Cnn#toJson} wrote, by its "type"; malformed
     * JSON, an unknown type or a bad field gets an IllegalArgumentException saying what is wrong.
     */
    static Architecture fromJson(String json) {
        Object o;
        try {
            o = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("architecture: malformed JSON: " + e.getMessage());
        }
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("architecture: expected a JSON object, found " + json);
        Object type = m.get("type");
        if ("mlp".equals(type)) return Mlp.fromJson(json);
        if ("cnn".equals(type)) return Cnn.fromJson(json);
        throw new IllegalArgumentException("architecture: " + (type == null ? "no \"type\"" : "unknown \"type\" " + Json.write(type))
            + " (expected \"mlp\" or \"cnn\"): " + json);
    }
}
