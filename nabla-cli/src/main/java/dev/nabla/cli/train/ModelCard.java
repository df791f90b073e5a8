package dev.nabla.cli.train;

import dev.nabla.cli.UserError;
import dev.nabla.io.Json;
import dev.nabla.train.Architecture;
import dev.nabla.train.ModelFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code nabla train} writes beside a model's weights so that predict and evaluate can use it
 * alone: the run's settings, the task (number of classes, 0 for regression), the loss, the input
 * normalization, the feature and label names. Stored as metadata entries of model.safetensors.
 */
public record ModelCard(Settings settings, int classes, String loss, Normalization normalization, List<String> featureNames,
                        String labelName, String datasetName, List<String> classNames) {

    public static final String SETTINGS = "nabla.settings", TASK = "nabla.task", LOSS = "nabla.loss", INPUT = "nabla.input",
        FEATURES = "nabla.features", LABEL = "nabla.label", DATASET = "nabla.dataset", METRICS = "nabla.metrics";

    public ModelCard {
        featureNames = List.copyOf(featureNames);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** Class k's name: its label in the training file, or k itself when the labels were numbers. */
    public String className(int k) { return classNames.isEmpty() ? String.valueOf(k) : classNames.get(k); }

    public static ModelCard of(Settings settings, PreparedData data) {
        return new ModelCard(settings, data.classes(), settings.loss(), data.normalization(), data.featureNames(), data.labelName(), data.name(),
            data.classNames());
    }

    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SETTINGS, settings.toJson());
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("classes", (long) classes);
        if (!classNames.isEmpty()) task.put("class_names", classNames);
        m.put(TASK, Json.write(task));
        m.put(LOSS, loss);
        m.put(INPUT, normalization.toJson());
        m.put(FEATURES, Json.write(featureNames));
        m.put(LABEL, labelName);
        m.put(DATASET, datasetName);
        return m;
    }

    /** A model file written by nabla train, rebuilt, with its card. */
    public record LoadedModel(ModelFile.Loaded model, ModelCard card) {
        public Architecture architecture() { return model.architecture(); }
    }

    /** Loads a model file and its card; a file without one gets a UserError saying what it lacks. */
    public static LoadedModel load(Path file) throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(file);
        Map<String, String> m = loaded.metadata();
        for (String key : List.of(SETTINGS, TASK, LOSS, INPUT, FEATURES, LABEL, DATASET))
            if (!m.containsKey(key)) throw new UserError(file + ": no \"" + key + "\" metadata; not a model written by nabla train");
        try {
            Settings settings = Settings.fromJson(m.get(SETTINGS));
            if (!(Json.parse(m.get(TASK)) instanceof Map<?, ?> task) || !(task.get("classes") instanceof Long classes))
                throw new IllegalArgumentException("\"" + TASK + "\" should be {\"classes\": n}");
            List<String> names = new ArrayList<>();
            if (!(Json.parse(m.get(FEATURES)) instanceof List<?> list)) throw new IllegalArgumentException("\"" + FEATURES + "\" should be a list");
            for (Object o : list) names.add(String.valueOf(o));
            List<String> classNames = new ArrayList<>();
            if (task.get("class_names") != null) {
                if (!(task.get("class_names") instanceof List<?> cl) || cl.size() != classes)
                    throw new IllegalArgumentException("\"" + TASK + "\": \"class_names\" should be a list of " + classes + " names");
                for (Object o : cl) classNames.add(String.valueOf(o));
            }
            ModelCard card = new ModelCard(settings, (int) (long) classes, m.get(LOSS), Normalization.fromJson(m.get(INPUT)), names,
                m.get(LABEL), m.get(DATASET), classNames);
            if (names.size() != loaded.architecture().inputs())
                throw new IllegalArgumentException(names.size() + " feature names for a network with " + loaded.architecture().inputs() + " inputs");
            return new LoadedModel(loaded, card);
        } catch (Json.ParseException | IllegalArgumentException e) {
            throw new UserError(file + ": malformed model metadata: " + e.getMessage());
        }
    }
}
