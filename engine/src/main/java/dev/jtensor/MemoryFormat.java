package dev.jtensor;

/**
 * How a tensor's elements are laid out in memory, PyTorch's {@code torch.memory_format}: the order of the
 * strides, not the shape (a channels-last {@code [N, C, H, W]} tensor keeps its shape and has strides
 * {@code [H*W*C, 1, W*C, C]}). Used by {@code contiguous(format)}, {@code clone(format)},
 * {@code isContiguous(format)} and {@code emptyLike(t, format)}.
 */
public enum MemoryFormat {
    /** Row-major (C order): {@code torch.contiguous_format}. */
    CONTIGUOUS_FORMAT,
    /** Channels last for 4-d {@code [N, C, H, W]} tensors (NHWC in memory): {@code torch.channels_last}. */
    CHANNELS_LAST,
    /** Channels last for 5-d {@code [N, C, D, H, W]} tensors (NDHWC): {@code torch.channels_last_3d}. */
    CHANNELS_LAST_3D,
    /** Keep the source's layout where it is dense (else row-major): {@code torch.preserve_format}. */
    PRESERVE_FORMAT
}
