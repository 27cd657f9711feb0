package dev.jtensor.io;

/**
 * A weight file (safetensors, a sharded safetensors index, a PyTorch zip checkpoint) that jtensor will not
 * read: malformed, truncated, hostile, or using something jtensor refuses (a pickle global off the
 * weights-only allowlist, a legacy pre-1.6 {@code torch.save} file). As its parent {@link NpyFormatException}
 * the message names the file and the byte offset; where the problem belongs to one tensor it names that
 * tensor too ({@link #tensor()}).
 */
public class WeightsFormatException extends NpyFormatException {
    private static final long serialVersionUID = 1L;

    private final String tensor;

    /**
     * @param file       the file ({@code archive.pt!archive/data.pkl} for a member of a zip)
     * @param tensor     the tensor concerned, or null when the problem is not one tensor's
     * @param byteOffset where in the file the problem is, counted from the file's first byte
     * @param detail     what is wrong
     */
    public WeightsFormatException(String file, String tensor, long byteOffset, String detail) {
        super(file, byteOffset, tensor == null ? detail : "tensor '" + tensor + "': " + detail);
        this.tensor = tensor;
    }

    /** The tensor the problem belongs to, or null. */
    public String tensor() { return tensor; }
}
