package dev.jtensor.data;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One column of a {@link CsvFrame}: numeric (doubles with NaN for missing; also exact longs when every
 * value is an integer and none is missing, pandas' {@code int64}) or text (null for missing).
 */
sealed interface CsvColumn {
    /** pandas' default {@code na_values}: these cells (and empty ones) are missing. */
    Set<String> NA_TOKENS = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
            "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");
    Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(inf|Infinity)");
    Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

    String name();

    /** @param integers exact values when the column is integral (no missing values), else null */
    record Numeric(String name, double[] values, long[] integers) implements CsvColumn {
        boolean isIntegral() { return integers != null; }
    }

    record Text(String name, String[] values) implements CsvColumn {}

    /** pandas' {@code bool} column (what {@code get_dummies} makes in pandas 2.x); prints True/False. */
    record Bool(String name, boolean[] values) implements CsvColumn {}

    /** Types a column from its raw cells as pandas' {@code read_csv} does: numeric if every present cell is a number. */
    static CsvColumn infer(String name, String[] cells) {
        boolean numeric = true, integral = true;
        for (String c : cells) {
            if (c == null) { integral = false; continue; }
            String s = c.strip();
            if (!DECIMAL.matcher(s).matches()) { numeric = false; break; }
            integral &= INTEGER.matcher(s).matches();
        }
        if (!numeric) return new Text(name, cells);
        double[] v = new double[cells.length];
        long[] l = integral ? new long[cells.length] : null;
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i] == null ? null : cells[i].strip().replace("Infinity", "inf");
            v[i] = s == null ? Double.NaN : s.endsWith("inf") ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : Double.parseDouble(s);
            if (l != null) l[i] = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        }
        return new Numeric(name, v, l);
    }
}
