package dev.jtensor.spark;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * DDP's gradient buckets: the parameters, in order, grouped into flat off-heap float32 buffers of at most
 * {@code bucketBytes}. Each step the gradients are copied into the buckets (one engine copy), every bucket
 * is all-reduced in place by the {@link ProcessGroup} straight from that memory, divided by the world size,
 * and copied back into the gradients. The last bucket carries one extra float, the rank's loss, so the
 * mean loss over ranks costs no extra round trip.
 */
final class GradientBuckets implements AutoCloseable {
    private record Slot(Tensor param, Tensor flat) {}

    private final Arena arena = Arena.ofShared();
    private final List<MemorySegment> buckets = new ArrayList<>();
    private final List<List<Slot>> slots = new ArrayList<>();
    private final Tensor lossSlot;

    GradientBuckets(List<Tensor> params, long bucketBytes) {
        List<List<Tensor>> groups = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long bytes = 0;
        for (Tensor p : params) {
            if (p.dtype() != DType.FLOAT32) throw new IllegalArgumentException("data-parallel training needs FLOAT32 parameters, got " + p.dtype());
            long b = p.numel() * 4;
            if (!current.isEmpty() && bytes + b > bucketBytes) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(p);
            bytes += b;
        }
        groups.add(current);
        Tensor last = null;
        for (int g = 0; g < groups.size(); g++) {
            List<Tensor> group = groups.get(g);
            boolean isLast = g == groups.size() - 1;
            long floats = group.stream().mapToLong(Tensor::numel).sum() + (isLast ? 1 : 0);
            MemorySegment seg = arena.allocate(floats * 4, 64);
            Tensor flat = Tensor.wrap(seg, DType.FLOAT32, floats);
            List<Slot> s = new ArrayList<>();
            long off = 0;
            for (Tensor p : group) {
                s.add(new Slot(p, flat.narrow(0, off, p.numel()).view(p.shape().toArray())));
                off += p.numel();
            }
            if (isLast) last = flat.narrow(0, off, 1);
            buckets.add(seg);
            slots.add(s);
        }
        lossSlot = last;
    }

    /**
     * Replaces every parameter's gradient by its mean over the ranks (a missing gradient counts as zeros)
     * and returns the mean of {@code localLoss} over the ranks.
     */
    double allReduceMean(ProcessGroup group, double localLoss) throws IOException {
        int w = group.worldSize();
        try (var _ = Jt.noGrad()) {
            lossSlot.fill_(localLoss);
            for (int b = 0; b < buckets.size(); b++) {
                for (Slot s : slots.get(b)) {
                    if (s.param.grad() == null) s.flat.zero_();
                    else s.flat.copy_(s.param.grad());
                }
                group.allReduceFloats(buckets.get(b));
                Tensor.wrap(buckets.get(b), DType.FLOAT32, buckets.get(b).byteSize() / 4).div_(w);
                for (Slot s : slots.get(b)) {
                    if (s.param.grad() == null) s.param.setGrad(s.flat.clone());
                    else s.param.grad().copy_(s.flat);
                }
            }
            return lossSlot.item();
        }
    }

    /** Overwrites every rank's parameters with rank {@code root}'s (DDP's initial broadcast). */
    static void broadcastParameters(ProcessGroup group, List<Tensor> params, int root) throws IOException {
        long floats = params.stream().mapToLong(Tensor::numel).sum();
        if (floats == 0) return;
        try (Arena a = Arena.ofConfined(); var _ = Jt.noGrad()) {
            MemorySegment seg = a.allocate(floats * 4, 64);
            Tensor flat = Tensor.wrap(seg, DType.FLOAT32, floats);
            long off = 0;
            for (Tensor p : params) {
                flat.narrow(0, off, p.numel()).view(p.shape().toArray()).copy_(p);
                off += p.numel();
            }
            group.broadcastBytes(seg, root);
            off = 0;
            for (Tensor p : params) {
                p.copy_(flat.narrow(0, off, p.numel()).view(p.shape().toArray()));
                off += p.numel();
            }
        }
    }

    @Override
    public void close() { arena.close(); }
}
