package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** Streams, events and graphs where no CUDA device can be used: each refuses with the missing piece named. */
class CudaApiWithoutCudaTest {
    @Test
    void streamsEventsAndGraphsNameWhatIsMissing() {
        assumeFalse(Jt.cuda().isAvailable(), "CUDA is available here: CudaStreamsTest covers the device");
        var s = assertThrows(IllegalStateException.class, () -> Jt.cuda().stream());
        assertTrue(s.getMessage().startsWith("CUDA streams and events need a CUDA device: "), s.getMessage());
        assertThrows(IllegalStateException.class, () -> Jt.cuda().event());
        var g = assertThrows(IllegalStateException.class, () -> Jt.cuda().graph().capture());
        assertTrue(g.getMessage().contains(Jt.cuda().unavailableReason()), g.getMessage());
    }
}
