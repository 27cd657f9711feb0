package dev.jtensor.io;

import java.io.IOException;

/**
 * A {@code .npy} or {@code .npz} file that jtensor will not read: malformed, truncated, hostile, or
 * holding a dtype jtensor refuses (objects, strings, structured, complex). The message names the file
 * and the byte offset (from the start of the file) where the problem was found.
 */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long byteOffset;

    /**
     * @param file       the file (for an {@code .npz} member: {@code archive.npz!member.npy})
     * @param byteOffset where in the file the problem is, counted from the file's first byte
     * @param detail     what is wrong
     */
    public NpyFormatException(String file, long byteOffset, String detail) {
        super(file + ": " + detail + " (at byte offset " + byteOffset + ")");
        this.file = file;
        this.byteOffset = byteOffset;
    }

    /** The file (or {@code archive!member}) that is malformed. */
    public String file() { return file; }

    /** Where the problem was found, in bytes from the start of the file. */
    public long byteOffset() { return byteOffset; }
}
