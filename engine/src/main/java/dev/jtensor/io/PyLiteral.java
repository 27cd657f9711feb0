package dev.jtensor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the small subset of Python literals an {@code .npy} header uses: dicts with string
 * keys, strings, ints (Python 2's {@code 3L} suffix accepted), {@code True}/{@code False}/{@code None},
 * tuples and lists, with any spacing and trailing commas. A real parser, not a regex: key order is free,
 * and anything else (floats, expressions, calls) is an error. Nesting is capped so a hostile header
 * cannot overflow the stack; every error names the byte offset in the file.
 */
final class PyLiteral {
    /** A Python tuple (as opposed to a list, which NumPy uses for structured dtypes). */
    record Tuple(List<Object> items) {}

    private static final int MAX_DEPTH = 16;

    private final String text;
    private final String file;
    private final long base;
    private int pos;

    private PyLiteral(String text, String file, long base) {
        this.text = text;
        this.file = file;
        this.base = base;
    }

    /**
     * Parses one literal filling {@code text} (trailing whitespace allowed).
     *
     * @param base the file offset of {@code text}'s first character, for error messages
     */
    static Object parse(String text, String file, long base) throws NpyFormatException {
        PyLiteral p = new PyLiteral(text, file, base);
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) throw p.error("unexpected text after the header literal");
        return v;
    }

    private Object value(int depth) throws NpyFormatException {
        if (depth > MAX_DEPTH) throw error("header literal nested deeper than " + MAX_DEPTH + " levels");
        skipSpace();
        if (pos >= text.length()) throw error("header literal ends early");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict(depth);
            case '(' -> sequence(depth, ')');
            case '[' -> sequence(depth, ']');
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) yield integer();
                if (Character.isLetter(c)) yield name();
                throw error("unexpected character '" + c + "' in header literal");
            }
        };
    }

    private Map<String, Object> dict(int depth) throws NpyFormatException {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == '}') { pos++; return map; }
            int keyAt = pos;
            if (!(value(depth + 1) instanceof String key)) {
                pos = keyAt;
                throw error("header dict keys must be strings");
            }
            skipSpace();
            expect(':');
            Object v = value(depth + 1);
            if (map.putIfAbsent(key, v) != null) {
                pos = keyAt;
                throw error("header dict repeats key '" + key + "'");
            }
            if (!separator('}')) { pos++; return map; }
        }
    }

    /** A tuple or list; {@code (x)} without a comma is just {@code x}, as in Python. */
    private Object sequence(int depth, char close) throws NpyFormatException {
        pos++;
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipSpace();
            if (peek() == close) { pos++; break; }
            items.add(value(depth + 1));
            if (separator(close)) sawComma = true; else { pos++; break; }
        }
        if (close == ']') return items;
        if (items.size() == 1 && !sawComma) return items.get(0);
        return new Tuple(items);
    }

    /** After an item: consumes a ',' and returns true, or returns false at {@code close} (not consumed). */
    private boolean separator(char close) throws NpyFormatException {
        skipSpace();
        char c = peek();
        if (c == ',') { pos++; return true; }
        if (c == close) return false;
        throw error("expected ',' or '" + close + "'");
    }

    private String string() throws NpyFormatException {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string in header literal");
            char c = text.charAt(pos++);
            if (c == quote) return sb.toString();
            if (c == '\n') throw error("line break inside a string in header literal");
            if (c != '\\') { sb.append(c); continue; }
            if (pos >= text.length()) throw error("unterminated escape in header literal");
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                default -> sb.append(e); // \\ \' \" and anything else taken literally
            }
        }
    }

    private int hex(int digits) throws NpyFormatException {
        if (pos + digits > text.length()) throw error("truncated escape in header literal");
        try {
            int v = Integer.parseInt(text, pos, pos + digits, 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("bad escape in header literal");
        }
    }

    private Long integer() throws NpyFormatException {
        int start = pos;
        if (peek() == '-' || peek() == '+') pos++;
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        if (pos == digits) throw error("expected digits in header literal");
        String number = text.substring(start, pos);
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) pos++; // Python 2 long
        if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error("only integers are allowed in header literal, found '" + number + text.charAt(pos) + "'");
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + number + " out of range");
        }
    }

    private Object name() throws NpyFormatException {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) pos++;
        String n = text.substring(start, pos);
        return switch (n) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> {
                pos = start;
                throw error("unexpected name '" + n + "' in header literal");
            }
        };
    }

    private void expect(char c) throws NpyFormatException {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private char peek() throws NpyFormatException {
        if (pos >= text.length()) throw error("header literal ends early");
        return text.charAt(pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private NpyFormatException error(String detail) {
        return new NpyFormatException(file, base + pos, detail);
    }
}
