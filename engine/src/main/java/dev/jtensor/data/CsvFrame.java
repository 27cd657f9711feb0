package dev.jtensor.data;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A small, immutable table read from CSV (Apache Commons CSV), with the pandas steps a tutorial needs
 * to turn it into tensors:
 * <pre>{@code
 * CsvFrame data = CsvFrame.read(Path.of("house_tiny.csv"));
 * CsvFrame inputs = data.select(0, 2).fillNaWithMean().getDummies(true);  // iloc[:, 0:2], fillna(mean), get_dummies(dummy_na=True)
 * Tensor X = inputs.toTensor(), y = data.toTensor("Price");
 * }</pre>
 * The first row is the header. A column is numeric when every present cell is a decimal number
 * (pandas' {@code read_csv} rule); cells that are empty or one of pandas' NA tokens ({@code NA},
 * {@code NaN}, {@code null}, ...) are missing. Every method returns a new frame; none modifies this one.
 */
public final class CsvFrame {
    private final List<CsvColumn> columns;
    private final int rows;

    private CsvFrame(List<CsvColumn> columns, int rows) {
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    /** Reads a UTF-8 CSV file with a header row. */
    public static CsvFrame read(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** Reads CSV text with a header row from {@code reader} (read to the end, not closed). */
    public static CsvFrame read(Reader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = reader.read(buf)) > 0; ) sb.append(buf, 0, n);
        return parse(sb.toString(), "<csv>");
    }

    private static CsvFrame parse(String text, String source) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).build();
        List<String[]> cells = new ArrayList<>();
        List<String> header;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            header = parser.getHeaderNames();
            var it = parser.iterator();
            while (true) {
                CSVRecord r;
                try {
                    if (!it.hasNext()) break;
                    r = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new CsvFormatException(source, parser.getCurrentLineNumber(), "malformed CSV: " + e.getMessage());
                }
                if (r.size() != header.size()) {
                    throw new CsvFormatException(source, lineOf(text, r.getCharacterPosition()), "row has " + r.size()
                            + " fields but the header has " + header.size() + " (" + String.join(",", header) + ")");
                }
                String[] row = new String[r.size()];
                for (int i = 0; i < row.length; i++) row[i] = CsvColumn.NA_TOKENS.contains(r.get(i).strip()) ? null : r.get(i);
                cells.add(row);
            }
        } catch (IllegalArgumentException e) { // duplicate or missing header names
            throw new CsvFormatException(source, 1, "bad header: " + e.getMessage());
        }
        List<CsvColumn> cols = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String[] col = new String[cells.size()];
            for (int r = 0; r < col.length; r++) col[r] = cells.get(r)[c];
            cols.add(CsvColumn.infer(header.get(c), col));
        }
        return new CsvFrame(cols, cells.size());
    }

    private static long lineOf(String text, long charPosition) {
        long line = 1;
        for (int i = 0; i < charPosition && i < text.length(); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** Column names in order. */
    public List<String> columns() { return columns.stream().map(CsvColumn::name).toList(); }

    public int rowCount() { return rows; }

    /** True if the column holds numbers (possibly with missing values) or booleans (pandas' {@code is_numeric_dtype}). */
    public boolean isNumeric(String column) { return !(column(column) instanceof CsvColumn.Text); }

    /** True for a bool column (pandas' {@code bool} dtype, e.g. from {@link #getDummies}). */
    public boolean isBool(String column) { return column(column) instanceof CsvColumn.Bool; }

    /** A numeric cell; NaN when missing; 1 or 0 for a bool cell. */
    public double getDouble(int row, String column) {
        return switch (column(column)) {
            case CsvColumn.Numeric n -> n.values()[row];
            case CsvColumn.Bool b -> b.values()[row] ? 1 : 0;
            case CsvColumn.Text t -> throw new IllegalArgumentException("column '" + column + "' is text, not numeric");
        };
    }

    /** A cell as text (numbers as read or computed); null when missing. */
    public String getString(int row, String column) {
        return switch (column(column)) {
            case CsvColumn.Text t -> t.values()[row];
            case CsvColumn.Numeric n -> Double.isNaN(n.values()[row]) ? null : format(n, row);
            case CsvColumn.Bool b -> b.values()[row] ? "True" : "False";
        };
    }

    /** The named columns, in the order given ({@code df[[...]]}). */
    public CsvFrame select(String... names) {
        return new CsvFrame(Arrays.stream(names).map(this::column).toList(), rows);
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) by position ({@code df.iloc[:, from:to]}). */
    public CsvFrame select(int from, int to) {
        if (from < 0 || to > columns.size() || from > to) {
            throw new IndexOutOfBoundsException("columns [" + from + ", " + to + ") out of range for " + columns.size() + " columns");
        }
        return new CsvFrame(columns.subList(from, to), rows);
    }

    /** All columns but the named ones ({@code df.drop(columns=[...])}). */
    public CsvFrame drop(String... names) {
        List<String> gone = Arrays.asList(names);
        gone.forEach(this::column); // unknown names are an error, as in pandas
        return new CsvFrame(columns.stream().filter(c -> !gone.contains(c.name())).toList(), rows);
    }

    /**
     * Replaces missing numbers with their column's mean over the present values
     * ({@code df.fillna(df.mean(numeric_only=True))}); text columns and all-missing columns are kept as they are.
     */
    public CsvFrame fillNaWithMean() {
        List<CsvColumn> out = new ArrayList<>();
        for (CsvColumn c : columns) {
            if (!(c instanceof CsvColumn.Numeric n) || n.isIntegral()) { out.add(c); continue; }
            double sum = 0;
            int count = 0;
            for (double v : n.values()) if (!Double.isNaN(v)) { sum += v; count++; }
            double mean = sum / count;
            double[] filled = n.values().clone();
            for (int i = 0; i < filled.length; i++) if (Double.isNaN(filled[i]) && count > 0) filled[i] = mean;
            out.add(new CsvColumn.Numeric(n.name(), filled, null));
        }
        return new CsvFrame(out, rows);
    }

    /**
     * One-hot encodes every text column ({@code pd.get_dummies(df, dummy_na=...)}, pandas 2.x): numeric
     * columns first, in order, then for each text column one {@code bool} column per distinct value
     * (printed {@code True}/{@code False}), named {@code column_value} in sorted order, plus
     * {@code column_nan} for missing cells when {@code dummyNa}. {@link #toTensor()} turns bools into 0/1.
     */
    public CsvFrame getDummies(boolean dummyNa) { return getDummies(dummyNa, DType.BOOL); }

    /**
     * {@code pd.get_dummies(df, dummy_na=..., dtype=...)}: indicator columns of {@code dtype} (BOOL as pandas
     * 2.x's default; an integer dtype gives 0/1 integers, a floating one 0.0/1.0, as pandas 1.x's uint8 / float).
     */
    public CsvFrame getDummies(boolean dummyNa, DType dtype) {
        List<CsvColumn> out = new ArrayList<>(columns.stream().filter(c -> !(c instanceof CsvColumn.Text)).toList());
        for (CsvColumn c : columns) {
            if (!(c instanceof CsvColumn.Text t)) continue;
            TreeSet<String> categories = new TreeSet<>();
            for (String v : t.values()) if (v != null) categories.add(v);
            for (String cat : categories) out.add(indicator(t.name() + "_" + cat, t.values(), cat, dtype));
            if (dummyNa) out.add(indicator(t.name() + "_nan", t.values(), null, dtype));
        }
        return new CsvFrame(out, rows);
    }

    private static CsvColumn indicator(String name, String[] values, String category, DType dtype) {
        boolean[] b = new boolean[values.length];
        long[] l = new long[values.length];
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = category == null ? values[i] == null : category.equals(values[i]);
            l[i] = b[i] ? 1 : 0;
            d[i] = l[i];
        }
        if (dtype == DType.BOOL) return new CsvColumn.Bool(name, b);
        return new CsvColumn.Numeric(name, d, dtype.isFloatingPoint() ? null : l);
    }

    /**
     * {@link #toTensor(DType, String...)} with the dtype of pandas' {@code .values} where that is numeric:
     * BOOL when every column is bool, INT64 when every column is integral, else FLOAT64 (a mix with bool
     * columns is pandas' object array, which PyTorch readers convert with {@code .astype(float)}: FLOAT64, bools as 0/1).
     */
    public Tensor toTensor(String... columnNames) {
        List<CsvColumn> cols = chosen(columnNames);
        boolean bools = cols.stream().allMatch(c -> c instanceof CsvColumn.Bool);
        boolean integral = cols.stream().allMatch(c -> c instanceof CsvColumn.Numeric n && n.isIntegral());
        return toTensor(bools ? DType.BOOL : integral ? DType.INT64 : DType.FLOAT64, columnNames);
    }

    /**
     * The numeric and bool columns as a tensor of {@code dtype} (bools as 1/0): shape {@code [rows]} for
     * one column (a named one, or a one-column frame: as a pandas Series), else {@code [rows, columns]}
     * (all columns when none are named). Missing values become NaN (or fail for integer dtypes). Text
     * columns are refused: call {@link #getDummies} first.
     */
    public Tensor toTensor(DType dtype, String... columnNames) {
        List<CsvColumn> cols = chosen(columnNames).stream().map(CsvFrame::asNumeric).toList();
        boolean exact = !dtype.isFloatingPoint();
        double[] d = exact ? null : new double[rows * cols.size()];
        long[] l = exact ? new long[rows * cols.size()] : null;
        for (int c = 0; c < cols.size(); c++) {
            if (!(cols.get(c) instanceof CsvColumn.Numeric n)) {
                throw new IllegalArgumentException("column '" + cols.get(c).name() + "' is text; one-hot encode it with getDummies() first");
            }
            for (int r = 0; r < rows; r++) {
                if (exact && !n.isIntegral() && Double.isNaN(n.values()[r])) {
                    throw new IllegalArgumentException("column '" + n.name() + "' row " + r + " is missing: cannot convert to " + dtype);
                }
                if (exact) l[r * cols.size() + c] = n.isIntegral() ? n.integers()[r] : (long) n.values()[r];
                else d[r * cols.size() + c] = n.values()[r];
            }
        }
        Tensor flat = exact ? Jt.tensor(l, dtype) : Jt.tensor(d, dtype);
        return cols.size() == 1 ? flat : flat.view(rows, cols.size());
    }

    /** A bool column as 0/1 integers; other columns as they are. */
    private static CsvColumn asNumeric(CsvColumn c) {
        if (!(c instanceof CsvColumn.Bool b)) return c;
        long[] l = new long[b.values().length];
        double[] d = new double[l.length];
        for (int i = 0; i < l.length; i++) d[i] = l[i] = b.values()[i] ? 1 : 0;
        return new CsvColumn.Numeric(b.name(), d, l);
    }

    private List<CsvColumn> chosen(String... names) {
        return names.length == 0 ? columns : Arrays.stream(names).map(this::column).toList();
    }

    private CsvColumn column(String name) {
        for (CsvColumn c : columns) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("no column '" + name + "' (columns: " + columns() + ")");
    }

    private static String format(CsvColumn.Numeric n, int row) {
        return n.isIntegral() ? Long.toString(n.integers()[row]) : Double.toString(n.values()[row]);
    }

    /** A pandas-like table: index column, right-aligned cells, {@code NaN} for missing. */
    @Override
    public String toString() {
        String[][] cells = new String[rows + 1][columns.size() + 1];
        cells[0][0] = "";
        for (int c = 0; c < columns.size(); c++) cells[0][c + 1] = columns.get(c).name();
        for (int r = 0; r < rows; r++) {
            cells[r + 1][0] = Integer.toString(r);
            for (int c = 0; c < columns.size(); c++) {
                String s = getString(r, columns.get(c).name());
                cells[r + 1][c + 1] = s == null ? "NaN" : s;
            }
        }
        int[] width = new int[columns.size() + 1];
        for (String[] row : cells) for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) sb.append(c == 0 ? "" : "  ").append(" ".repeat(width[c] - row[c].length())).append(row[c]);
            sb.append('\n');
        }
        return sb.toString();
    }
}
