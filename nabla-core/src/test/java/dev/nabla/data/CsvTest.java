package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CsvTest {
    @TempDir Path dir;

    private Path csv(String text) throws IOException {
        Path p = dir.resolve("data.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void headerAndLabelByName() throws IOException {
        Csv.Table t = Csv.read(csv("x1,species,x2\n1.5,0,-2\n\n3,2,4e-1\n-0.5,1,+7\n"), "species");
        assertEquals(List.of("x1", "x2"), t.featureNames());
        assertEquals("species", t.labelName());
        assertEquals(1, t.labelIndex());
        assertArrayEquals(new int[] {3, 2}, t.features().shape());
        assertArrayEquals(new float[] {1.5f, -2, 3, 0.4f, -0.5f, 7}, t.features().toFloatArray());
        assertArrayEquals(new float[] {0, 2, 1}, t.labels().toFloatArray());
        assertEquals(3, t.dataset().numClasses());
    }

    @Test
    void noHeaderAndLabelByNegativeIndex() throws IOException {
        Csv.Table t = Csv.read(csv("1,2,0\n3,4,1\n"), "-1");
        assertEquals(List.of("column0", "column1"), t.featureNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.features().toFloatArray());
        assertArrayEquals(new float[] {0, 1}, t.labels().toFloatArray());
        Csv.Table first = Csv.read(csv("1,2,0\n3,4,1\n"), "0");
        assertArrayEquals(new float[] {2, 0, 4, 1}, first.features().toFloatArray());
    }

    @Test
    void quotesSemicolonsAndByteOrderMark() throws IOException {
        Csv.Table t = Csv.read(csv("\uFEFF\"a\";\"b;c\";label\n\"1.25\"; 2 ;1\n"), "label");
        assertEquals(List.of("a", "b;c"), t.featureNames());
        assertArrayEquals(new float[] {1.25f, 2}, t.features().toFloatArray());
    }

    @Test
    void withoutLabelColumnEveryColumnIsAFeature() throws IOException {
        Csv.Table t = Csv.read(csv("a,b\n1,2\n"), null);
        assertNull(t.labels());
        assertArrayEquals(new int[] {1, 2}, t.features().shape());
        assertThrows(IllegalStateException.class, t::dataset);
    }

    @Test
    void labelsThatAreNamesBecomeClassIndicesInSortedOrder() throws IOException {
        Csv.Table t = Csv.read(csv("a,b,species\n1,2,versicolor\n3,4,setosa\n5,6,virginica\n7,8,setosa\n"), "species");
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classNames());
        assertArrayEquals(new float[] {1, 0, 2, 0}, t.labels().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, t.features().toFloatArray());
        assertEquals(3, t.dataset().numClasses());

        // no header: the first row is data, although its label is text
        Csv.Table h = Csv.read(csv("1,2,cat\n3,4,dog\n"), "-1");
        assertEquals(List.of("column0", "column1"), h.featureNames());
        assertArrayEquals(new float[] {0, 1}, h.labels().toFloatArray());
        assertEquals(List.of("cat", "dog"), h.classNames());

        // numbered by a given list (a trained model's), which may hold classes the file lacks
        Csv.Table g = Csv.read(csv("x,y\n1,dog\n2,dog\n"), "y", null, List.of("cat", "dog", "emu"));
        assertArrayEquals(new float[] {1, 1}, g.labels().toFloatArray());
        assertEquals(List.of("cat", "dog", "emu"), g.classNames());

        assertTrue(Csv.read(csv("x,y\n1,0\n2,1\n"), "y").classNames().isEmpty(), "numbers stay numbers");
    }

    @Test
    void labelNamesErrors() throws IOException {
        Path p = csv("x,y\n1,dog\n2,yak\n");
        IOException e = assertThrows(IOException.class, () -> Csv.read(p, "y", null, List.of("cat", "dog")));
        assertEquals(p + ":3: label \"yak\" in column \"y\" is not one of the classes cat, dog", e.getMessage());
        assertError("x,y\n1,dog\n2,\n", "y", ":3: empty label in column \"y\"");
    }

    private void assertError(String text, String label, String expected) throws IOException {
        Path p = csv(text);
        IOException e = assertThrows(IOException.class, () -> Csv.read(p, label));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void nonNumericFieldNamesLineAndColumn() throws IOException {
        assertError("x,y,label\n1,2,0\n\n3,abc,1\n", "label", ":4: column 2 (\"y\"): \"abc\" is not a number");
        assertError("1,2,0\n3,,1\n", "-1", ":2: column 2: empty field");
        assertError("x,label\n1,0\nNaN,1\n", "label", ":3: column 1 (\"x\"): \"NaN\" is not a number");
        assertError("x,label\n1,0\n0x10,1\n", "label", "\"0x10\" is not a number");
    }

    @Test
    void structuralErrors() throws IOException {
        assertError("x,y,label\n1,2,0\n1,2\n", "label", ":3: 2 fields, expected 3 (as in the header)");
        assertError("x,y\n1,2\n", "label", "no column named \"label\"; the columns are x, y");
        assertError("1,2\n", "5", "label column 5 is out of range: the file has 2 columns");
        assertError("", "0", "the file is empty");
        assertError("x,y\n", "y", "has a header but no rows");
        assertError("label\n1\n", "label", "there are no features");
        assertError("x,label\n\"1,0\n", "label", ":2: a quoted field is not closed");
    }

    @Test
    void explicitHeaderFlagOverridesDetection() throws IOException {
        Csv.Table t = Csv.read(csv("10,20\n1,0\n"), "1", true);
        assertEquals(List.of("10"), t.featureNames());
        assertEquals(1, t.features().size(0));
    }
}
