package dev.jtensor.io;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for weight-file headers: objects become insertion-ordered maps from each key
 * to a {@link Keyed} (the value and the byte offset of its key; a repeated key is an error, since safetensors
 * names must be unique), arrays lists, strings strings (UTF-8 checked),
 * integers {@link Long} (out of range: an error), other numbers {@link Double}, and true/false/null. It reads
 * the bytes in place, so every error names the byte offset in the file; nesting is capped so a hostile
 * header cannot overflow the stack.
 */
final class Json {
    private static final int MAX_DEPTH = 64;

    private final MemorySegment src;
    private final long end;
    private final String file;
    private long pos;

    private Json(MemorySegment src, long start, long end, String file) {
        this.src = src;
        this.pos = start;
        this.end = end;
        this.file = file;
    }

    /** Parses the one value filling bytes {@code [start, end)} of {@code src} (surrounding whitespace allowed). */
    static Object parse(MemorySegment src, long start, long end, String file) throws WeightsFormatException {
        Json j = new Json(src, start, end, file);
        Object v = j.value(0);
        j.skipSpace();
        if (j.pos != end) throw j.error("unexpected text after the JSON value");
        return v;
    }

    /** An object member's value and the file offset of its key, for callers' messages. */
    record Keyed(Object value, long offset) {}

    private Object value(int depth) throws WeightsFormatException {
        if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        skipSpace();
        int c = peek();
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character " + describe(c) + " in JSON");
            }
        };
    }

    private Map<String, Object> object(int depth) throws WeightsFormatException {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            skipSpace();
            long keyAt = pos;
            if (peek() != '"') throw error("expected a string key in JSON object");
            String key = string();
            skipSpace();
            expect(':');
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("JSON object repeats the key \"" + key + "\"");
            }
            map.put(key, new Keyed(v, keyAt));
            skipSpace();
            int c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') { pos--; throw error("expected ',' or '}' in JSON object"); }
        }
    }

    private List<Object> array(int depth) throws WeightsFormatException {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') { pos++; return list; }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            int c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') { pos--; throw error("expected ',' or ']' in JSON array"); }
        }
    }

    private String string() throws WeightsFormatException {
        long start = pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int c = peek();
            pos++;
            if (c == '"') break;
            if (c < 0x20) { pos--; throw error("control character " + describe(c) + " inside a JSON string"); }
            if (c != '\\') { bytes.write(c); continue; }
            int e = peek();
            pos++;
            switch (e) {
                case '"', '\\', '/' -> bytes.write(e);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'u' -> unicodeEscape(bytes);
                default -> { pos--; throw error("bad escape " + describe(e) + " in JSON string"); }
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException x) {
            pos = start;
            throw error("JSON string is not valid UTF-8");
        }
    }

    private void unicodeEscape(ByteArrayOutputStream bytes) throws WeightsFormatException {
        int cp = hex4();
        if (Character.isHighSurrogate((char) cp)) {
            if (peek() != '\\' || at(pos + 1) != 'u') throw error("unpaired surrogate in JSON string");
            pos += 2;
            int low = hex4();
            if (!Character.isLowSurrogate((char) low)) throw error("unpaired surrogate in JSON string");
            cp = Character.toCodePoint((char) cp, (char) low);
        } else if (Character.isLowSurrogate((char) cp)) {
            throw error("unpaired surrogate in JSON string");
        }
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    }

    private int hex4() throws WeightsFormatException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(peek(), 16);
            if (d < 0) throw error("bad \\u escape in JSON string");
            v = v * 16 + d;
            pos++;
        }
        return v;
    }

    private Object number() throws WeightsFormatException {
        long start = pos;
        boolean integral = true;
        if (peek() == '-') pos++;
        if (peek() == '0') pos++; else digits();
        if (pos < end && at(pos) == '.') { pos++; digits(); integral = false; }
        if (pos < end && (at(pos) == 'e' || at(pos) == 'E')) {
            pos++;
            if (pos < end && (at(pos) == '+' || at(pos) == '-')) pos++;
            digits();
            integral = false;
        }
        byte[] b = src.asSlice(start, pos - start).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(b, StandardCharsets.US_ASCII);
        if (!integral) return Double.parseDouble(text);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException x) {
            pos = start;
            throw error("integer " + text + " out of range");
        }
    }

    private void digits() throws WeightsFormatException {
        int c = peek();
        if (c < '0' || c > '9') throw error("expected a digit in JSON number");
        while (pos < end && at(pos) >= '0' && at(pos) <= '9') pos++;
    }

    private Object word(String w, Object v) throws WeightsFormatException {
        for (int i = 0; i < w.length(); i++) {
            if (peek() != w.charAt(i)) throw error("unexpected text in JSON (expected " + w + ")");
            pos++;
        }
        return v;
    }

    private void expect(char c) throws WeightsFormatException {
        if (peek() != c) throw error("expected '" + c + "' in JSON");
        pos++;
    }

    private int peek() throws WeightsFormatException {
        if (pos >= end) throw error("JSON ends early");
        return at(pos);
    }

    private int at(long p) { return p < end ? src.get(ValueLayout.JAVA_BYTE, p) & 0xff : -1; }

    private void skipSpace() {
        while (pos < end) {
            int c = at(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private static String describe(int c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02x", c);
    }

    private WeightsFormatException error(String detail) { return new WeightsFormatException(file, null, pos, detail); }

    /** Writes {@code s} as a JSON string literal (serde_json's escaping: quotes, backslashes and controls). */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c)); else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
