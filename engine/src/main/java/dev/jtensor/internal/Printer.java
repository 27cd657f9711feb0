package dev.jtensor.internal;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.plan.Layout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code repr} exactly as PyTorch's {@code torch/_tensor_str.py} prints (precision 4, threshold 1000,
 * edge items 3, line width 80): int mode for whole floats ({@code 1.}), fixed or scientific notation
 * chosen from the finite non-zero values, aligned columns, {@code ...} summarisation, and the
 * {@code dtype=}, {@code grad_fn=}/{@code requires_grad=True} suffixes. Numbers are rounded from
 * their exact binary value half-to-even, as Python's {@code format} does.
 */
public final class Printer {
    static final int PRECISION = 4, THRESHOLD = 1000, EDGE_ITEMS = 3, LINE_WIDTH = 80;

    private Printer() {}

    public static String repr(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        if (!t.device().isCpu()) suffixes.add("device='" + t.device() + "'");
        DType d = t.dtype();
        boolean defaultDtype = d == DType.FLOAT32 || d == DType.INT64 || d == DType.BOOL;
        String body;
        if (t.numel() == 0) {
            if (t.dim() != 1) suffixes.add("size=" + pyTuple(t.shape().toArray()));
            if (d != DType.FLOAT32) suffixes.add("dtype=" + d);
            body = "[]";
        } else {
            if (!defaultDtype) suffixes.add("dtype=" + d);
            body = tensorStr(t, indent);
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        String repr = addSuffixes(prefix + body, suffixes, indent);
        return ParameterMarks.isMarked(t) ? "Parameter containing:\n" + repr : repr;
    }

    private static String pyTuple(long[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : ", ").append(s[i]);
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    private static String addSuffixes(String str, List<String> suffixes, int indent) {
        StringBuilder b = new StringBuilder(str);
        int lastLineLen = str.length() - str.lastIndexOf('\n') + 1;
        for (String s : suffixes) {
            if (lastLineLen + s.length() + 2 > LINE_WIDTH) {
                b.append(",\n").append(" ".repeat(indent)).append(s);
                lastLineLen = indent + s.length();
            } else {
                b.append(", ").append(s);
                lastLineLen += s.length() + 2;
            }
        }
        return b.append(')').toString();
    }

    /** The element values of a (sub)tensor view, read through its layout. */
    private record View(HostData.Bytes bytes, Layout layout) {
        double value() { return bytes.getDouble(layout.offset()); }
        long longValue() { return bytes.getLong(layout.offset()); }
        View sub(long i) { return new View(bytes, layout.select(0, i)); }
        long size0() { return layout.size(0); }
    }

    private static String tensorStr(Tensor t, int indent) {
        boolean summarize = t.numel() > THRESHOLD;
        return HostData.read(t, bytes -> { // a device tensor prints from one host copy
            View v = new View(bytes, bytes.layout());
            List<View> values = new ArrayList<>();
            collect(v, summarize, values);
            Formatter f = new Formatter(t.dtype(), values);
            return str(v, indent, summarize, f);
        });
    }

    /** get_summarized_data: the scalars the formatter measures (edge items only when summarising). */
    private static void collect(View v, boolean summarize, List<View> out) {
        int rank = v.layout.rank();
        if (rank == 0) {
            out.add(v);
            return;
        }
        long n = v.size0();
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) i = n - EDGE_ITEMS;
            collect(v.sub(i), summarize, out);
        }
    }

    private static String str(View v, int indent, boolean summarize, Formatter f) {
        int rank = v.layout.rank();
        if (rank == 0) return f.format(v);
        long n = v.size0();
        List<String> items = new ArrayList<>();
        if (rank == 1) {
            int elementLength = f.maxWidth + 2;
            int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
            for (long i = 0; i < n; i++) {
                if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                    items.add(" ...");
                    i = n - EDGE_ITEMS;
                }
                items.add(f.format(v.sub(i)));
            }
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) b.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                b.append(items.get(i));
            }
            return b.append(']').toString();
        }
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                items.add("...");
                i = n - EDGE_ITEMS;
            }
            items.add(str(v.sub(i), indent + 1, summarize, f));
        }
        String sep = "," + "\n".repeat(rank - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, items) + "]";
    }

    /** PyTorch's _Formatter. */
    private static final class Formatter {
        final boolean floating, bool;
        boolean intMode = true, sciMode = false;
        int maxWidth = 1;

        Formatter(DType dtype, List<View> values) {
            floating = dtype.isFloatingPoint();
            bool = dtype == DType.BOOL;
            if (!floating) {
                for (View v : values) maxWidth = Math.max(maxWidth, plain(v).length());
                return;
            }
            double min = Double.POSITIVE_INFINITY, max = 0;
            List<Double> finite = new ArrayList<>();
            for (View v : values) {
                double x = v.value();
                if (Double.isFinite(x) && x != 0) {
                    finite.add(x);
                    min = Math.min(min, Math.abs(x));
                    max = Math.max(max, Math.abs(x));
                }
            }
            if (finite.isEmpty()) return;
            for (double x : finite) {
                if (x != Math.ceil(x)) { intMode = false; break; }
            }
            if (intMode) {
                if (max / min > 1000.0 || max > 1.0e8) {
                    sciMode = true;
                    for (double x : finite) maxWidth = Math.max(maxWidth, sci(x).length());
                } else {
                    for (double x : finite) maxWidth = Math.max(maxWidth, fixed(x, 0).length() + 1);
                }
            } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
                sciMode = true;
                for (double x : finite) maxWidth = Math.max(maxWidth, sci(x).length());
            } else {
                for (double x : finite) maxWidth = Math.max(maxWidth, fixed(x, PRECISION).length());
            }
        }

        String plain(View v) {
            if (bool) return v.longValue() != 0 ? "True" : "False";
            return Long.toString(v.longValue());
        }

        String format(View v) {
            String s;
            if (floating) {
                double x = v.value();
                if (sciMode) s = sci(x);
                else if (intMode) s = fixed(x, 0) + (Double.isFinite(x) ? "." : "");
                else s = fixed(x, PRECISION);
            } else {
                s = plain(v);
            }
            return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
        }
    }

    /** Python's {@code f"{x:.{p}f}"}: exact binary value rounded half-even, "-" kept for negative zero results. */
    static String fixed(double x, int p) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String digits = new BigDecimal(Math.abs(x)).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return (x < 0 || (x == 0 && 1 / x < 0) ? "-" : "") + digits;
    }

    /** Python's {@code f"{x:.4e}"}: mantissa with 4 decimals, exponent sign and at least two digits. */
    static String sci(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String sign = x < 0 || (x == 0 && 1 / x < 0) ? "-" : "";
        if (x == 0) return sign + "0." + "0".repeat(PRECISION) + "e+00";
        BigDecimal r = new BigDecimal(Math.abs(x)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        String unscaled = r.unscaledValue().toString();
        while (unscaled.length() < PRECISION + 1) unscaled += "0";
        unscaled = unscaled.substring(0, PRECISION + 1);
        String e = String.format("%02d", Math.abs(exp));
        return sign + unscaled.charAt(0) + "." + unscaled.substring(1) + "e" + (exp < 0 ? "-" : "+") + e;
    }
}
