package dev.jtensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Jt.info() tells forced OpenBLAS kernels (OPENBLAS_CORETYPE) from detected ones. */
class RuntimeInfoTest {
    @Test
    void coreOriginNamesTheEnvironmentOverride() {
        assertEquals(" (kernels detected from the CPU)", RuntimeInfo.coreOrigin(null));
        assertEquals(" (kernels detected from the CPU)", RuntimeInfo.coreOrigin(" "));
        assertEquals(" (kernels forced by OPENBLAS_CORETYPE=Haswell in the environment, not detected from the CPU)",
                RuntimeInfo.coreOrigin("Haswell"));
    }
}
