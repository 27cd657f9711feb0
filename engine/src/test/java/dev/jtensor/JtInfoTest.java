package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.cpu.Blas;
import org.junit.jupiter.api.Test;

/** Jt.info() names the BLAS, its detected core and the threads; one thread setting drives both pools. */
class JtInfoTest {
    @Test
    void infoReportsBlasCoreAndThreads() {
        String info = Jt.info();
        assertTrue(info.contains("OpenBLAS 0.3.28"), info);
        assertTrue(info.contains("blas core: "), info);
        assertTrue(info.contains("devices: cpu"), info);
    }

    @Test
    void setNumThreadsDrivesOpenBlasToo() {
        int before = Jt.getNumThreads();
        try {
            Jt.setNumThreads(1);
            assertEquals(1, Jt.getNumThreads());
            assertEquals(1, Blas.numThreads());
            Jt.setNumThreads(2);
            assertEquals(2, Blas.numThreads());
        } finally {
            Jt.setNumThreads(before);
        }
    }
}
