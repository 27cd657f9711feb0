package dev.jtensor.nn;

/** Repr helpers of the CNN modules: hyper-parameters and floats printed as PyTorch prints them. */
final class Pools {
    private Pools() {}

    /** One int when both dims agree, else a tuple. */
    static String repr(int[] v) { return v[0] == v[1] ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")"; }

    /** Python's {@code repr(float)}: {@code 1e-05}, {@code 0.1}, {@code 0.0001}, {@code 1.0}. */
    static String py(double v) {
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = new java.math.BigDecimal(Double.toString(v)).toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String s = Double.toString(v); // d.dddE-n
        int e = s.indexOf('E');
        String mantissa = s.substring(0, e).endsWith(".0") ? s.substring(0, e - 2) : s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
