package dev.jtensor.data;

import java.io.IOException;

/** A CSV row jtensor cannot read (wrong field count, broken quoting); names the 1-based line number. */
public class CsvFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long lineNumber;

    public CsvFormatException(String source, long lineNumber, String detail) {
        super(source + ", line " + lineNumber + ": " + detail);
        this.lineNumber = lineNumber;
    }

    /** The line (1-based, the header is line 1) where the malformed row starts. */
    public long lineNumber() { return lineNumber; }
}
