package dev.jtensor.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.cpu.CpuSum;
import dev.jtensor.backend.cpu.CpuSoftmax;
import java.io.File;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scalar path, which runs with {@code -Djtensor.simd=false} or without the incubator module: the
 * scalar twins called directly, and a child JVM started without {@code --add-modules} that sums and
 * softmaxes through the engine with no error and no incubator warning.
 */
class ScalarPathTest {
    @Test
    void scalarTwinsComputeTheFormulas() {
        MemorySegment s = MemorySegment.ofArray(new float[] {9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        assertEquals(55f, CpuSum.blockF32(s, 4, 10)); // 1 + ... + 10, from byte 4, tail included
        double[] row = {1, 2, 3};
        CpuSoftmax.normalizeRow(row, false);
        double z = Math.exp(-2) + Math.exp(-1) + 1;
        assertEquals(Math.exp(-2) / z, row[0], 1e-15);
        assertEquals(1 / z, row[2], 1e-15);
    }

    @Test
    void enabledFollowsModuleAndProperty() {
        boolean off = "false".equalsIgnoreCase(System.getProperty(Simd.PROPERTY));
        assertEquals(Simd.moduleAvailable() && !off, Simd.ENABLED);
    }

    /** Entry point of the child JVM: prints the sum of 10^6 ones and one softmax value. */
    public static void main(String[] args) {
        try (var x = dev.jtensor.Jt.ones(1_000_000); var y = dev.jtensor.Jt.ones(3, 40).softmax(1)) {
            System.out.println("simd=" + Simd.ENABLED + " sum=" + x.sum().item() + " softmax=" + y.toFloatArray()[0]);
        }
    }

    @Test
    void engineRunsScalarWithoutTheModuleAndPrintsNoWarning() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        for (List<String> flags : List.of(List.<String>of(), List.of("--add-modules", "jdk.incubator.vector", "-Djtensor.simd=false"))) {
            var cmd = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScalarPathTest.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("simd=false sum=1000000.0 softmax=" + (1f / 40)), output);
            if (flags.isEmpty()) assertFalse(output.contains("incubator"), output);
        }
    }
}
