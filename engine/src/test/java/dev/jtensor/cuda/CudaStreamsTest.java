package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.emulated;
import static dev.jtensor.cuda.CudaTestSupport.requireCuda;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.CudaEvent;
import dev.jtensor.CudaGraph;
import dev.jtensor.CudaStream;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The stream, event and graph API of issue 26 on a CUDA device: current streams are per thread and nest,
 * work on a side stream gives the eager results, events time on the emulated device; graph capture is
 * refused with the reason (emulated: nothing to record; GPU: not implemented yet).
 */
class CudaStreamsTest {
    @Test
    void withStreamIsThreadLocalAndNests() throws Exception {
        requireCuda();
        CudaStream outerStream = Jt.cuda().stream(), innerStream = Jt.cuda().stream();
        assertTrue(Jt.cuda().currentStream().isDefault());
        try (var outer = Jt.cuda().withStream(outerStream)) {
            assertSame(outerStream, Jt.cuda().currentStream());
            try (var inner = Jt.cuda().withStream(innerStream)) {
                assertSame(innerStream, Jt.cuda().currentStream());
                assertTrue(CompletableFuture.supplyAsync(() -> Jt.cuda().currentStream().isDefault()).get(), "other thread");
            }
            assertSame(outerStream, Jt.cuda().currentStream(), "the outer stream again");
            Tensor a = Jt.randn(5, 7), b = Jt.randn(7, 3);
            Tensor onSide = a.to(CUDA).mm(b.to(CUDA));
            outerStream.synchronize();
            assertTrue(outerStream.query());
            innerStream.waitStream(outerStream);
            assertClose(a.mm(b), onSide, 1e-5, 1e-5, "mm on a side stream");
        }
        assertTrue(Jt.cuda().currentStream().isDefault());
        assertFalse(outerStream.isDefault());
        assertEquals(0, outerStream.device());
    }

    @Test
    void eventsTimeWorkOnTheDevice() {
        requireCuda();
        CudaEvent start = Jt.cuda().event(), end = Jt.cuda().event();
        assertThrows(IllegalStateException.class, () -> start.elapsedTime(end), "not recorded yet");
        assertTrue(start.query(), "never recorded: done, as PyTorch");
        start.record();
        Tensor x = Jt.randn(256, 256).to(CUDA);
        for (int i = 0; i < 5; i++) x = x.mm(x).div(256.0);
        end.record();
        end.synchronize();
        assertTrue(end.query());
        assertTrue(start.elapsedTime(end) >= 0);
        Jt.cuda().currentStream().waitEvent(Jt.cuda().currentStream().recordEvent());
        assertEquals(0, end.device());
    }

    @Test
    void graphCaptureIsRefusedWithTheReason() {
        requireCuda();
        CudaGraph g = Jt.cuda().graph();
        var e = assertThrows(UnsupportedOperationException.class, g::capture);
        assertTrue(e.getMessage().contains(emulated() ? "emulated CUDA device" : "not implemented yet on GPUs"), e.getMessage());
        var r = assertThrows(IllegalStateException.class, g::replay);
        assertTrue(r.getMessage().contains("has not captured anything"), r.getMessage());
    }
}
