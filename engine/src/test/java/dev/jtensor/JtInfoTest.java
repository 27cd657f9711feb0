package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.cpu.Blas;
import org.junit.jupiter.api.Test;

/** Jt.info() names the BLAS, its detected core and the threads; one thread setting drives both pools. */
class JtInfoTest {
    @Test
    void infoReportsBlasCoreAndThreads() {
        Info info = Jt.info();
        assertTrue(info.contains("OpenBLAS 0.3.28"), info.text());
        assertTrue(info.contains("blas core: "), info.text());
        assertTrue(info.contains("devices: cpu"), info.text());
        assertEquals(info.text(), info.toString(), "JShell shows the report itself, not a quoted string");
    }

    @Test
    void saysWhenTheEnvironmentForcesOpenBlasKernels() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        String line = Jt.info().text().lines().filter(l -> l.startsWith("blas core: ")).findFirst().orElseThrow();
        if (forced != null && !forced.isBlank()) {
            assertTrue(line.contains("forced by OPENBLAS_CORETYPE=" + forced.strip()), line);
            assertTrue(!line.contains("kernels detected"), line);
        } else {
            assertTrue(line.contains("detected from the CPU"), line);
        }
    }

    @Test
    void setNumThreadsSizesThePoolAndOpenBlasStaysSingleThreadedPerCall() {
        int before = Jt.getNumThreads();
        try {
            Jt.setNumThreads(1);
            assertEquals(1, Jt.getNumThreads());
            assertEquals(1, Blas.numThreads());
            Jt.setNumThreads(2);
            assertEquals(2, Jt.getNumThreads());
            assertEquals(1, Blas.numThreads(), "jtensor splits matmuls itself; OpenBLAS's own pool stays idle");
        } finally {
            Jt.setNumThreads(before);
        }
    }
}
