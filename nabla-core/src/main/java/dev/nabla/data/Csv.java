package dev.nabla.data;

import dev.nabla.array.NdArray;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a table of numbers from a CSV file: one sample per line, one column of it the label, the
 * others the features. Fields are separated by commas (or semicolons or tabs, when the first line
 * has more of those than commas) and may be double-quoted ({@code "1.5"}, with {@code ""} for a
 * quote inside). Blank lines are skipped. A header line is recognized by having a field that is not
 * a number, unless the caller says whether there is one.
 *
 * <p>The label column is given by name (with a header) or by 0-based position, negative positions
 * counting from the end ({@code -1} is the last column). Every other field must be a finite decimal
 * number; the first one that is not gets an IOException naming the file, line and column. Labels
 * that are all numbers are read as numbers (class indices or regression targets); otherwise they are
 * class names ({@code setosa}, {@code versicolor}, ...), numbered 0, 1, ... in sorted order, as
 * scikit-learn's LabelEncoder does, or by a given list of names (a trained model's).
 *
 * <p>Header detection: the first line is a header when one of its fields is not a number while the
 * second line's field in that column is (or, in a one-line file, when any field is not a number), so
 * that a file without a header whose label column holds names keeps its first row.
 */
public final class Csv {
    private Csv() {}

    /**
     * A table read from a file: features [N, D] float32, labels [N] float32 (null when read without a
     * label column), the feature columns' names (header names, or {@code column<i>}), the label
     * column's name, its 0-based position in the file (-1 when none), and the class names when the
     * labels were names (label k is classNames[k]; empty when the labels were numbers).
     */
    public record Table(NdArray features, NdArray labels, List<String> featureNames, String labelName, int labelIndex,
                        List<String> classNames) {
        public Table {
            featureNames = List.copyOf(featureNames);
            classNames = classNames == null ? List.of() : List.copyOf(classNames);
        }

        /** A table whose labels, if any, are numbers (no class names). */
        public Table(NdArray features, NdArray labels, List<String> featureNames, String labelName, int labelIndex) {
            this(features, labels, featureNames, labelName, labelIndex, List.of());
        }

        /** The table as a dataset; needs a label column. */
        public TensorDataset dataset() {
            if (labels == null) throw new IllegalStateException("Csv.Table: read without a label column");
            return new TensorDataset(features, labels);
        }
    }

    /** Reads a file with the header detected and the given label column (null: every column is a feature). */
    public static Table read(Path file, String labelColumn) throws IOException { return read(file, labelColumn, null); }

    /**
     * Reads a file.
     *
     * @param labelColumn the label column's name or 0-based position (negative from the end); null
     *                    when every column is a feature
     * @param header      whether the first line is a header; null to detect it
     */
    public static Table read(Path file, String labelColumn, Boolean header) throws IOException {
        return read(file, labelColumn, header, null);
    }

    /**
     * Reads a file whose labels, when they are names, are numbered by {@code classNames} (label k is
     * classNames[k]; a name not in the list is an error naming it); null numbers them in sorted order.
     */
    public static Table read(Path file, String labelColumn, Boolean header, List<String> classNames) throws IOException {
        String src = file.toString();
        List<String> lines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (no == 1 && line.startsWith("\uFEFF")) line = line.substring(1);   // byte-order mark
                if (line.isBlank()) continue;
                lines.add(line);
                lineNumbers.add(no);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(src + ": not a text file in UTF-8 (is it a CSV file?)");
        }
        if (lines.isEmpty()) throw new IOException(src + ": the file is empty, expected a header or rows of numbers");
        char sep = separator(lines.get(0));
        List<String> first = split(lines.get(0), sep, src, lineNumbers.get(0));
        boolean hasHeader = header != null ? header
            : looksLikeHeader(first, lines.size() > 1 ? split(lines.get(1), sep, src, lineNumbers.get(1)) : null);
        int columns = first.size();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < columns; c++) names.add(hasHeader ? first.get(c).strip() : "column" + c);
        int label = labelColumn == null ? -1 : resolveColumn(labelColumn, names, hasHeader, src);
        int rows = lines.size() - (hasHeader ? 1 : 0);
        if (rows == 0) throw new IOException(src + ": the file has a header but no rows of data");
        int d = columns - (label >= 0 ? 1 : 0);
        if (d == 0) throw new IOException(src + ": the only column is the label column \"" + names.get(label) + "\"; there are no features");
        float[] x = new float[Math.multiplyExact(rows, d)];
        float[] y = label >= 0 ? new float[rows] : null;
        String[] labelText = label >= 0 ? new String[rows] : null;
        int[] rowLine = new int[rows];
        for (int r = 0; r < rows; r++) {
            int li = r + (hasHeader ? 1 : 0);
            int lineNo = lineNumbers.get(li);
            List<String> fields = r == 0 && !hasHeader ? first : split(lines.get(li), sep, src, lineNo);
            if (fields.size() != columns)
                throw new IOException(src + ":" + lineNo + ": " + fields.size() + " fields, expected " + columns
                    + (hasHeader ? " (as in the header)" : " (as in the first line)"));
            rowLine[r] = lineNo;
            int k = 0;
            for (int c = 0; c < columns; c++) {
                if (c == label) labelText[r] = fields.get(c).strip();
                else x[r * d + k++] = parse(fields.get(c), src, lineNo, c, names, hasHeader);
            }
        }
        List<String> classes = label >= 0 ? labels(labelText, y, classNames, src, rowLine, label, names, hasHeader) : List.of();
        List<String> featureNames = new ArrayList<>(names);
        String labelName = null;
        if (label >= 0) labelName = featureNames.remove(label);
        return new Table(NdArray.of(x, rows, d), y == null ? null : NdArray.of(y, rows), featureNames, labelName, label, classes);
    }

    /**
     * Fills y from the label fields: numbers when they all are (and no class names are given), else
     * class indices; returns the class names (empty for numbers).
     */
    private static List<String> labels(String[] text, float[] y, List<String> given, String src, int[] rowLine, int label,
                                       List<String> columns, boolean hasHeader) throws IOException {
        boolean numbers = given == null;
        for (int r = 0; numbers && r < text.length; r++) numbers = isNumber(text[r]);
        if (numbers) {
            for (int r = 0; r < text.length; r++) y[r] = parse(text[r], src, rowLine[r], label, columns, hasHeader);
            return List.of();
        }
        String column = columns.get(label);
        List<String> names = given != null ? given : new java.util.TreeSet<>(java.util.Arrays.asList(text)).stream().toList();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int k = 0; k < names.size(); k++) index.put(names.get(k), k);
        for (int r = 0; r < text.length; r++) {
            if (text[r].isEmpty()) throw new IOException(src + ":" + rowLine[r] + ": empty label in column \"" + column + "\"");
            Integer k = index.get(text[r]);
            if (k == null)
                throw new IOException(src + ":" + rowLine[r] + ": label \"" + text[r] + "\" in column \"" + column
                    + "\" is not one of the classes " + String.join(", ", names));
            y[r] = k;
        }
        return names;
    }

    /** See the class comment: a header when a field is text above a number (or, with one line, when any field is text). */
    static boolean looksLikeHeader(List<String> first, List<String> second) {
        if (second == null) return first.stream().anyMatch(f -> !isNumber(f.strip()));
        if (first.stream().noneMatch(f -> isNumber(f.strip()))) return true;
        for (int c = 0; c < first.size() && c < second.size(); c++)
            if (!isNumber(first.get(c).strip()) && isNumber(second.get(c).strip())) return true;
        return false;
    }

    private static int resolveColumn(String spec, List<String> names, boolean hasHeader, String src) throws IOException {
        String s = spec.strip();
        if (hasHeader) {
            int at = names.indexOf(s);
            if (at >= 0) return at;
        }
        try {
            int i = Integer.parseInt(s);
            int at = i < 0 ? names.size() + i : i;
            if (at < 0 || at >= names.size())
                throw new IOException(src + ": label column " + i + " is out of range: the file has " + names.size()
                    + " columns (0 to " + (names.size() - 1) + ", or -1 for the last)");
            return at;
        } catch (NumberFormatException e) {
            throw new IOException(src + ": no column named \"" + s + "\""
                + (hasHeader ? "; the columns are " + String.join(", ", names) : " (the file has no header; give the label column's position)"));
        }
    }

    private static char separator(String line) {
        long commas = line.chars().filter(c -> c == ',').count();
        long semis = line.chars().filter(c -> c == ';').count();
        long tabs = line.chars().filter(c -> c == '\t').count();
        if (tabs > commas && tabs >= semis) return '\t';
        if (semis > commas) return ';';
        return ',';
    }

    /** Splits one line into fields; double quotes group a field and "" inside them is a quote. */
    static List<String> split(String line, char sep, String src, int lineNo) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') { f.append('"'); i++; }
                    else quoted = false;
                } else f.append(c);
            } else if (c == '"' && f.toString().isBlank() && !wasQuoted) {
                quoted = wasQuoted = true;
                f.setLength(0);
            } else if (c == sep) {
                out.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else f.append(c);
        }
        if (quoted) throw new IOException(src + ":" + lineNo + ": a quoted field is not closed (quoted fields cannot span lines)");
        out.add(f.toString());
        return out;
    }

    private static float parse(String field, String src, int lineNo, int column, List<String> names, boolean hasHeader) throws IOException {
        String s = field.strip();
        if (!isNumber(s)) {
            String col = "column " + (column + 1) + (hasHeader ? " (\"" + names.get(column) + "\")" : "");
            throw new IOException(src + ":" + lineNo + ": " + col + ": " + (s.isEmpty() ? "empty field" : "\"" + s + "\" is not a number")
                + ", expected a decimal number");
        }
        double v = Double.parseDouble(s);
        if (Double.isInfinite((float) v))
            throw new IOException(src + ":" + lineNo + ": column " + (column + 1) + ": " + s + " is too large for float32");
        return (float) v;
    }

    /** A decimal number: [+-] digits [. digits] [e [+-] digits], with at least one digit before the exponent. */
    static boolean isNumber(String s) {
        int i = 0, n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; digits++; }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = 0;
            while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == n;
    }
}
