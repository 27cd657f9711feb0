package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.cpu.CpuCopy;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Layout;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Writes into parameters and gradients outside the tape (loading a state dict, zeroing grads). */
final class ParamOps {
    private ParamOps() {}

    /** {@code dst.copy_(src)} without recording: same shape, values converted to dst's dtype; bumps dst's version. */
    static void copyInto(Tensor dst, Tensor src) {
        Storage in = Tensors.storage(src);
        MemorySegment s = in.acquire();
        try {
            CpuCopy.copy(s, src.dtype(), Tensors.layout(src), Tensors.storage(dst).writableSegment(), dst.dtype(),
                    Tensors.layout(dst));
        } finally {
            in.release();
        }
        Tensors.bumpVersion(dst);
    }

    /** Each parameter's grad set to null ({@code setToNone}) or filled with zeros in place. */
    static void zeroGrads(List<Tensor> params, boolean setToNone) {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) {
                p.setGrad(null);
                continue;
            }
            fillZero(g);
        }
    }

    /** {@code t.zero_()} without recording. */
    static void fillZero(Tensor t) {
        Layout l = Tensors.layout(t);
        MemorySegment seg = Tensors.storage(t).writableSegment();
        long eb = t.dtype().byteSize();
        if (l.isContiguous()) {
            seg.asSlice(l.offset() * eb, l.numel() * eb).fill((byte) 0);
        } else {
            l.forEachOffset(off -> dev.jtensor.internal.Elements.setDouble(seg, t.dtype(), off * eb, 0));
        }
        Tensors.bumpVersion(t);
    }
}
