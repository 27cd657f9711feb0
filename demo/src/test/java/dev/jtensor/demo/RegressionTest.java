package dev.jtensor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's regression prints PyTorch's numbers: the initial parameters are torch's bit for bit and
 * every epoch's loss equals torch's when printed with 4 decimals. Golden: tutorial.tsv from
 * engine/src/test/golden/make_nn.py, the same program as bench/torch_tutorial.py.
 */
class RegressionTest {
    static double[] golden(String name) throws IOException {
        try (InputStream in = RegressionTest.class.getResourceAsStream("/tutorial.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] r = line.split("\t", -1);
                if (r[0].equals(name)) return Arrays.stream(r[3].split(",")).mapToDouble(Double::parseDouble).toArray();
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void lossesMatchPyTorchToFourDecimals() throws IOException {
        Regression.Result r = Regression.train(100, false);
        double[] want = golden("losses");
        for (int e = 0; e < want.length; e++) {
            assertEquals(String.format("%.4f", want[e]), String.format("%.4f", r.losses()[e]), "epoch " + (e + 1));
            assertEquals(want[e], r.losses()[e], 1e-5 * want[e], "epoch " + (e + 1));
        }
        assertEquals(golden("weight")[0], r.model().weight().item(), 1e-5);
        assertEquals(golden("bias")[0], r.model().bias().item(), 1e-5);
        assertEquals(Arrays.toString(golden("X")), Arrays.toString(r.x().toDoubleArray()), "data X");
    }
}
