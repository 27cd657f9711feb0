package dev.jtensor;

import dev.jtensor.backend.cuda.CudaDevices;

/**
 * A CUDA graph, as {@code torch.cuda.CUDAGraph}: {@link #capture} records the kernels a block of code
 * launches (a forward, or a whole training step on static input and output tensors) and {@link #replay}
 * launches them again at once.
 * <pre>{@code
 * CudaGraph g = Jt.cuda().graph();
 * try (var c = g.capture()) { staticOut.copy_(model.forward(staticIn)); }   // as: with torch.cuda.graph(g):
 * staticIn.copy_(batch); g.replay();                                         // staticOut holds the new result
 * }</pre>
 *
 * <p><b>Where capture works today: nowhere.</b> The emulated device ({@code -Djtensor.cuda.emulate=true})
 * refuses it: it runs each op on the host when called, so there are no launches to record and a replay
 * could not redo the work. On a GPU capture needs {@code cudaStreamBeginCapture}/{@code EndCapture}/
 * {@code cudaGraphInstantiate}/{@code cudaGraphLaunch} bound in {@code jtensor_cuda.h}, a private memory pool
 * in the caching allocator for the captured allocations, launches on a capturing (non-default) stream, and
 * errors naming the op for host synchronisations during capture ({@code item()}, printing, {@code nonzero});
 * that is the part of issue 26 that waits for a GPU session, where it can be run and checked bit for bit
 * against eager steps. Until then {@link #capture} throws {@link UnsupportedOperationException} with the
 * reason, and {@link #replay} before a successful capture throws {@link IllegalStateException}, as PyTorch.
 */
public final class CudaGraph {
    private final int device;

    CudaGraph(int device) { this.device = device; }

    /** The device the graph captures on. */
    public int device() { return device; }

    /**
     * Begins capturing; the returned scope ends the capture when closed.
     *
     * @throws IllegalStateException when CUDA is unavailable (the reason says what is missing)
     * @throws UnsupportedOperationException on the emulated device and, for now, on a GPU (see the class comment)
     */
    public AutoCloseable capture() {
        if (!CudaDevices.isAvailable()) {
            throw new IllegalStateException("CUDA graph capture needs a CUDA device: " + CudaDevices.unavailableReason());
        }
        if (CudaDevices.emulated()) {
            throw new UnsupportedOperationException("CUDA graph capture is not supported on the emulated CUDA device "
                    + "(-D" + CudaDevices.EMULATE_PROPERTY + "=true): it runs every op on the host when called, so there are no "
                    + "kernel launches to record or replay; run the steps eagerly");
        }
        throw new UnsupportedOperationException("CUDA graph capture is not implemented yet on GPUs (issue 26: stream capture, "
                + "graph instantiation and a private memory pool wait for a GPU session); run the steps eagerly");
    }

    /**
     * Launches the captured work again.
     *
     * @throws IllegalStateException before a successful capture
     */
    public void replay() {
        throw new IllegalStateException("replay(): this CUDAGraph has not captured anything (call capture() first; "
                + "capture is not available yet, see CudaGraph)");
    }

    /** Drops the captured work ({@code CUDAGraph.reset()}); nothing was captured, so nothing to drop. */
    public void reset() { }
}
