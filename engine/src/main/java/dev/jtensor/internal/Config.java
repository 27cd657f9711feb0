package dev.jtensor.internal;

import java.util.Locale;

/**
 * Reads jtensor's {@code -Djtensor.*} system properties strictly: every property that jtensor reads goes
 * through here, so that a malformed value fails with an {@link IllegalArgumentException} naming the
 * property, the value and what was expected, instead of being silently ignored (as {@code Long.getLong}
 * ignores {@code 2g}). An absent or blank property means the default. The README's "Configuration" table
 * lists every property with its default.
 *
 * <p>Sizes accept what the JVM's {@code -Xmx} accepts: plain bytes ({@code 1048576}) or a number with a
 * binary unit {@code k}, {@code m}, {@code g} or {@code t} in either case ({@code 1024k}, {@code 512m},
 * {@code 2g}; {@code kb}/{@code mb}/{@code gb}/{@code tb} too). Booleans are {@code true} or {@code false},
 * in any case.
 */
public final class Config {
    private Config() {}

    /** The property as set, stripped; null when absent or blank. */
    public static String string(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A boolean property: {@code true} or {@code false} (any case), else an error. */
    public static boolean bool(String name, boolean dflt) {
        String v = string(name);
        if (v == null) return dflt;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw malformed(name, v, "true or false");
        };
    }

    /** A whole-number property at least {@code min}. */
    public static long longValue(String name, long dflt, long min) {
        String v = string(name);
        if (v == null) return dflt;
        long n;
        try {
            n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw malformed(name, v, "a whole number");
        }
        if (n < min) throw malformed(name, v, "a whole number of at least " + min);
        return n;
    }

    /** An int property at least {@code min}. */
    public static int intValue(String name, int dflt, int min) {
        long n = longValue(name, dflt, min);
        if (n > Integer.MAX_VALUE) throw malformed(name, string(name), "a whole number of at most " + Integer.MAX_VALUE);
        return (int) n;
    }

    /** A size in bytes (see the class comment for the units), at least {@code min}. */
    public static long bytes(String name, long dflt, long min) {
        String v = string(name);
        if (v == null) return dflt;
        long n = parseBytes(v);
        if (n < 0) throw malformed(name, v, "a size in bytes: plain bytes or a number with k, m, g or t (1048576, 1024k, 512m, 2g)");
        if (n < min) throw malformed(name, v, "a size of at least " + min + " bytes");
        return n;
    }

    /** {@code 2g}, {@code 512m}, {@code 1024k}, {@code 1048576} to bytes; -1 if malformed or past 2^63 - 1. */
    static long parseBytes(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("b") && s.length() > 1 && "kmgt".indexOf(s.charAt(s.length() - 2)) >= 0) s = s.substring(0, s.length() - 1);
        int shift = 0;
        if (!s.isEmpty()) {
            int unit = "kmgt".indexOf(s.charAt(s.length() - 1));
            if (unit >= 0) {
                shift = 10 * (unit + 1);
                s = s.substring(0, s.length() - 1);
            }
        }
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
        if (n > (Long.MAX_VALUE >> shift)) return -1;
        return n << shift;
    }

    private static IllegalArgumentException malformed(String name, String value, String expected) {
        return new IllegalArgumentException("-D" + name + "=" + value + " is malformed: expected " + expected);
    }
}
