package dev.nabla.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), enough for safetensors headers and run
 * settings. Values map to Java as: object → {@code LinkedHashMap<String, Object>} (key order kept),
 * array → {@code List<Object>}, string → {@code String}, integer without fraction or exponent →
 * {@code Long}, any other number → {@code Double}, {@code true}/{@code false} → {@code Boolean},
 * {@code null} → {@code null}. Duplicate keys, trailing commas, comments and trailing text are
 * rejected with a message that gives the character position.
 */
public final class Json {
    private Json() {}

    /** Thrown for text that is not valid JSON; the message names the position and what was expected. */
    public static final class ParseException extends Exception {
        private final int position;

        ParseException(String message, int position) {
            super(message + " at character " + position);
            this.position = position;
        }

        /** Zero-based index into the text where the problem was found. */
        public int position() { return position; }
    }

    // ================================================================ reading

    /** Parses one JSON value that spans the whole text (surrounding whitespace allowed). */
    public static Object parse(String text) throws ParseException {
        Reader r = new Reader(text);
        r.skipWhitespace();
        Object v = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) throw new ParseException("unexpected text after the JSON value", r.pos);
        return v;
    }

    private static final int MAX_DEPTH = 256;

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) { this.s = s; }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++; else break;
            }
        }

        ParseException error(String message) { return new ParseException(message, pos); }

        Object value(int depth) throws ParseException {
            if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
            if (pos >= s.length()) throw error("unexpected end of text, expected a value");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + printable(c) + "', expected a value");
                }
            };
        }

        Object literal(String word, Object v) throws ParseException {
            if (!s.startsWith(word, pos)) throw error("invalid literal, expected " + word);
            pos += word.length();
            return v;
        }

        Map<String, Object> object(int depth) throws ParseException {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;   // '{'
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') { pos++; return m; }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key in an object");
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object v = value(depth + 1);
                if (m.containsKey(key)) throw new ParseException("duplicate key \"" + key + "\"", keyAt);
                m.put(key, v);
                skipWhitespace();
                if (pos >= s.length()) throw error("unexpected end of text inside an object, expected ',' or '}'");
                char c = s.charAt(pos++);
                if (c == '}') return m;
                if (c != ',') { pos--; throw error("expected ',' or '}' in an object, found '" + printable(c) + "'"); }
            }
        }

        List<Object> array(int depth) throws ParseException {
            List<Object> list = new ArrayList<>();
            pos++;   // '['
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') { pos++; return list; }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                if (pos >= s.length()) throw error("unexpected end of text inside an array, expected ',' or ']'");
                char c = s.charAt(pos++);
                if (c == ']') return list;
                if (c != ',') { pos--; throw error("expected ',' or ']' in an array, found '" + printable(c) + "'"); }
            }
        }

        void expect(char c) throws ParseException {
            if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
            pos++;
        }

        String string() throws ParseException {
            pos++;   // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c < 0x20) { pos--; throw error("control character U+" + String.format("%04X", (int) c) + " must be escaped in a string"); }
                if (c != '\\') { sb.append(c); continue; }
                if (pos >= s.length()) throw error("unterminated escape in a string");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(hex4());
                    default -> { pos--; throw error("invalid escape '\\" + printable(e) + "' in a string"); }
                }
            }
        }

        char hex4() throws ParseException {
            if (pos + 4 > s.length()) throw error("truncated \\u escape");
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0) throw error("invalid hex digit in \\u escape");
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        Object number() throws ParseException {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("a number needs digits after '-'");
            if (s.charAt(pos) == '0') pos++;
            else if (isDigit()) while (isDigit()) pos++;
            else throw error("a number needs digits");
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (!isDigit()) throw error("a number needs digits after '.'");
                while (isDigit()) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (!isDigit()) throw error("a number needs digits in its exponent");
                while (isDigit()) pos++;
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new ParseException("integer " + text + " does not fit in 64 bits", start);
                }
            }
            return Double.parseDouble(text);
        }

        boolean isDigit() { return pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9'; }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    // ================================================================ writing

    /**
     * Compact JSON for a value built of maps (string keys), lists, strings, numbers, booleans and
     * null. Doubles that are NaN or infinite have no JSON form and are rejected.
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String str -> quote(sb, str);
            case Boolean b -> sb.append(b);
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Number n -> {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d))
                    throw new IllegalArgumentException("Json.write: " + d + " has no JSON representation");
                sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d));
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("Json.write: object keys must be strings, got " + e.getKey());
                    if (!first) sb.append(',');
                    first = false;
                    quote(sb, k);
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, list.get(i));
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getSimpleName());
        }
    }

    /** The string as a JSON string literal: quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
