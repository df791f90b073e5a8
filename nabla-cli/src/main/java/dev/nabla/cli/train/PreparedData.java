package dev.nabla.cli.train;

import dev.nabla.data.TensorDataset;

import java.util.List;

/**
 * A dataset ready for training: normalized training and validation parts, what the labels are,
 * and what is needed to treat new inputs the same way.
 *
 * @param name          a short name for messages and the run folder (spirals, mnist, a CSV file's base name)
 * @param validation    the validation part (may be empty)
 * @param classes       the number of classes, or 0 for regression (labels are targets)
 * @param normalization applied to the features already; to be applied to new inputs
 * @param featureNames  one per input feature
 * @param labelName     the label column's name (CSV), else "label"
 * @param imageShape    [height, width] for image data (each sample flattened), else null
 * @param note          a line about how the data was split or found, or null
 * @param classNames    the classes' names when the labels were names (class k is classNames[k]), else empty
 */
public record PreparedData(String name, TensorDataset train, TensorDataset validation, int classes, Normalization normalization,
                           List<String> featureNames, String labelName, int[] imageShape, String note, List<String> classNames) {
    public PreparedData {
        featureNames = List.copyOf(featureNames);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    public int features() { return train.featureShape()[0]; }

    public boolean isClassification() { return classes > 0; }
}
