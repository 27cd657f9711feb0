package dev.jtensor;

/**
 * What {@link Jt#info()} reports (PyTorch's {@code print(torch.__config__.show())}): the BLAS library and
 * its kernels, threads, devices, native memory. The report is {@link #toString()}, so JShell and
 * {@code System.out.println(info())} show it as lines; {@link #text()} is the same string.
 */
public final class Info {
    private final String text;

    Info(String text) { this.text = text; }

    /** The report, one fact per line. */
    public String text() { return text; }

    /** True if the report contains {@code s} (a convenience for checks: {@code info().contains("OpenBLAS")}). */
    public boolean contains(CharSequence s) { return text.contains(s); }

    /** The report. */
    @Override
    public String toString() { return text; }
}
