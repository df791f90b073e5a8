package dev.nabla.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Json.ParseException {
        Object v = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\": -12, \"big\": 9007199254740993,"
            + " \"d\": 1.5e-3, \"z\": 0, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, [], {}]} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"b\\c/d\b\f\n\r\té😀", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(9007199254740993L, m.get("big"));
        assertEquals(1.5e-3, m.get("d"));
        assertEquals(0L, m.get("z"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(List.of("s", "i", "big", "d", "z", "t", "f", "n", "a"), List.copyOf(m.keySet()), "key order kept");
    }

    @Test
    void writeThenParseRoundTrips() throws Json.ParseException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "tab\there \"q\" \\ \u0001 ünï");
        m.put("list", List.of(1L, 2.5, "x", true));
        m.put("nested", Map.of("k", List.of()));
        m.put("none", null);
        String json = Json.write(m);
        assertTrue(json.contains("\\u0001"), json);
        assertEquals(m, Json.parse(json));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"a":1,}           | expected a string key
        [1,2,]             | unexpected character ']'
        {"a" 1}            | expected ':'
        "abc               | unterminated string
        "a\\qb"            | invalid escape
        "\\u12G4"          | invalid hex digit
        01                 | unexpected text after the JSON value
        1.                 | digits after '.'
        -                  | needs digits
        1e                 | exponent
        tru                | expected true
        {"a":1,"a":2}      | duplicate key "a"
        99999999999999999999 | does not fit in 64 bits
        // comment         | unexpected character '/'
        """)
    void rejectsMalformedText(String text, String expected) {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().contains("at character "), e.getMessage());
    }

    @Test
    void rawControlCharacterInStringIsRejected() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("\"a\nb\""));
        assertTrue(e.getMessage().contains("must be escaped"), e.getMessage());
        assertEquals(2, e.position());
    }
}
