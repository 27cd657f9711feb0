package dev.jtensor.io;

import dev.jtensor.internal.Config;

/**
 * How strictly {@link Npy} and {@link Npz} read, as NumPy's {@code np.load(..., max_header_size=...)}.
 * {@link #defaults()} is as strict as NumPy; relax a check only for files you trust:
 * <pre>{@code
 * Npz.load(path, NpyReadOptions.defaults().withVerifyCrc(false));        // skip the CRC-32 pass
 * Npy.load(path, NpyReadOptions.defaults().withMaxHeaderSize(1 << 20));  // a header of up to 1 MiB
 * }</pre>
 *
 * @param maxHeaderSize the longest {@code .npy} header text accepted, in characters (NumPy's
 *                      {@code max_header_size}, 10,000 by default): a longer header is refused with
 *                      {@link NpyFormatException} before it is read or parsed, a guard against files
 *                      built to make the reader slow or hungry
 * @param verifyCrc     whether every {@code .npz} member's CRC-32 is checked. Copied members (deflated,
 *                      big-endian, non-{@code .npy}) are always checked while they are copied; this
 *                      switch decides whether <em>mapped</em> members (stored, little-endian) are read
 *                      once in full to check theirs when the archive is opened, as NumPy does, at the
 *                      cost of touching every page. {@code false} keeps {@code Npz.load} lazy; a corrupt
 *                      member then loads with wrong values. {@code .npy} files carry no checksum.
 */
public record NpyReadOptions(long maxHeaderSize, boolean verifyCrc) {
    /** NumPy's {@code _MAX_HEADER_SIZE}. */
    public static final long NUMPY_MAX_HEADER_SIZE = 10_000;
    static final String MAX_HEADER_PROPERTY = "jtensor.npy.maxHeaderSize";
    static final String VERIFY_CRC_PROPERTY = "jtensor.npz.verifyCrc";

    public NpyReadOptions {
        if (maxHeaderSize < 0) throw new IllegalArgumentException("maxHeaderSize must be >= 0, got " + maxHeaderSize);
    }

    /**
     * NumPy's strictness: headers up to 10,000 characters, CRC-32 checked. The system properties
     * {@code -Djtensor.npy.maxHeaderSize} and {@code -Djtensor.npz.verifyCrc} change these defaults for
     * a whole JVM.
     *
     * @throws IllegalArgumentException if one of those properties is malformed
     */
    public static NpyReadOptions defaults() {
        return new NpyReadOptions(Config.longValue(MAX_HEADER_PROPERTY, NUMPY_MAX_HEADER_SIZE, 0),
                Config.bool(VERIFY_CRC_PROPERTY, true));
    }

    /** These options with another header limit. */
    public NpyReadOptions withMaxHeaderSize(long size) { return new NpyReadOptions(size, verifyCrc); }

    /** These options with CRC-32 checking of mapped {@code .npz} members on or off. */
    public NpyReadOptions withVerifyCrc(boolean verify) { return new NpyReadOptions(maxHeaderSize, verify); }
}
