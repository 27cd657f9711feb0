package dev.jtensor.amp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.F;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Autocast on the CPU against torch 1.13's (golden/amp/autocast_cpu_bf16.tsv, made by make_amp.py): the
 * result dtype of every recorded op with float32, bfloat16 and mixed inputs, inside and outside the scope;
 * nesting with an inner disabled scope; gradients in the parameters' dtypes.
 */
class AutocastGoldenTest {
    private static final Device CPU = Device.cpu();
    private static final Generator G = new Generator(26);

    private static Tensor x(DType d, long... shape) { return Jt.randn(shape, DType.FLOAT32, G).to(d); }

    /** The ops of make_amp.py: (dtype of the first operand, dtype of the others) -> result. */
    static Map<String, BiFunction<DType, DType, Tensor>> ops() {
        Tensor tgt = Jt.tensor(new long[] {1, 0, 3});
        return Map.ofEntries(
                Map.entry("mm", (a, b) -> Jt.mm(x(a, 3, 4), x(b, 4, 5))),
                Map.entry("bmm", (a, b) -> Jt.bmm(x(a, 2, 3, 4), x(b, 2, 4, 5))),
                Map.entry("matmul", (a, b) -> Jt.matmul(x(a, 2, 3, 4), x(b, 4, 5))),
                Map.entry("addmm", (a, b) -> Jt.addmm(x(a, 5), x(b, 3, 4), x(b, 4, 5))),
                Map.entry("baddbmm", (a, b) -> Jt.baddbmm(x(a, 2, 3, 5), x(b, 2, 3, 4), x(b, 2, 4, 5), 1, 1)),
                Map.entry("linear", (a, b) -> F.linear(x(a, 3, 4), x(b, 5, 4), x(b, 5))),
                Map.entry("softmax", (a, b) -> x(a, 3, 4).softmax(1)),
                Map.entry("log_softmax", (a, b) -> x(a, 3, 4).logSoftmax(1)),
                Map.entry("layer_norm", (a, b) -> F.layerNorm(x(a, 3, 4), new long[] {4}, x(b, 4), x(b, 4), 1e-5)),
                Map.entry("sum", (a, b) -> x(a, 3, 4).sum()),
                Map.entry("mean", (a, b) -> x(a, 3, 4).mean()),
                Map.entry("prod", (a, b) -> x(a, 3, 4).prod()),
                Map.entry("cumsum", (a, b) -> x(a, 3, 4).cumsum(1)),
                Map.entry("exp", (a, b) -> x(a, 3, 4).exp()),
                Map.entry("log", (a, b) -> x(a, 3, 4).abs().log()),
                Map.entry("pow", (a, b) -> x(a, 3, 4).pow(2.0)),
                Map.entry("relu", (a, b) -> x(a, 3, 4).relu()),
                Map.entry("gelu", (a, b) -> F.gelu(x(a, 3, 4))),
                Map.entry("tanh", (a, b) -> x(a, 3, 4).tanh()),
                Map.entry("sigmoid", (a, b) -> x(a, 3, 4).sigmoid()),
                Map.entry("add", (a, b) -> x(a, 3, 4).add(x(b, 3, 4))),
                Map.entry("mul", (a, b) -> x(a, 3, 4).mul(x(b, 3, 4))),
                Map.entry("mse_loss", (a, b) -> F.mseLoss(x(a, 3, 4), x(b, 3, 4))),
                Map.entry("l1_loss", (a, b) -> F.l1Loss(x(a, 3, 4), x(b, 3, 4))),
                Map.entry("cross_entropy", (a, b) -> F.crossEntropy(x(a, 3, 4), tgt)),
                Map.entry("nll_loss", (a, b) -> F.nllLoss(x(a, 3, 4), tgt)),
                Map.entry("binary_cross_entropy_with_logits", (a, b) -> F.binaryCrossEntropyWithLogits(x(a, 3, 4), x(b, 3, 4).sigmoid())));
    }

    static List<String[]> golden() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                AutocastGoldenTest.class.getResourceAsStream("/golden/amp/autocast_cpu_bf16.tsv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#") || line.startsWith("op\t") || line.isBlank()) continue;
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    private static DType dtype(String name) { return DType.valueOf(name.toUpperCase(java.util.Locale.ROOT)); }

    @Test
    void resultDtypesPerOpAsTorch113() throws IOException {
        var ops = ops();
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (String[] r : golden()) {
            if (r[0].startsWith("_")) continue;
            var op = ops.get(r[0]);
            assertTrue(op != null, "no jtensor op for golden row " + r[0]);
            DType f32 = DType.FLOAT32, bf16 = DType.BFLOAT16;
            String eager = op.apply(f32, f32).dtype().toString();
            if (!dtype(r[1]).toString().equals(eager)) wrong.add(r[0] + " eager: " + eager + " != " + r[1]);
            DType[][] inputs = {{f32, f32}, {bf16, bf16}, {bf16, f32}};
            try (var ac = Jt.autocast(CPU, bf16)) {
                for (int i = 0; i < 3; i++) {
                    if (r[2 + i].equals("error")) continue; // torch 1.13's CPU kernel refuses the mix; jtensor may run it
                    DType got = op.apply(inputs[i][0], inputs[i][1]).dtype();
                    if (got != dtype(r[2 + i])) wrong.add(r[0] + " " + List.of("f32", "bf16", "mixed").get(i) + ": " + got + " != " + r[2 + i]);
                    checked++;
                }
            }
        }
        assertTrue(wrong.isEmpty(), "autocast dtypes differ from torch 1.13: " + wrong);
        assertTrue(checked >= 80, "checked " + checked + " cases");
    }

    @Test
    void nestedDisabledScopeAndGradientsAsTorch() throws IOException {
        String[] nested = golden().stream().filter(r -> r[0].equals("_nested")).findFirst().orElseThrow();
        String[] grad = golden().stream().filter(r -> r[0].equals("_grad")).findFirst().orElseThrow();
        Tensor a = x(DType.FLOAT32, 3, 4), b = x(DType.FLOAT32, 4, 5);
        try (var outer = Jt.autocast(CPU, DType.BFLOAT16)) {
            try (var inner = Jt.autocast(CPU, DType.BFLOAT16, false)) {
                assertEquals(dtype(nested[1]), a.mm(b).dtype(), "inner disabled scope");
            }
            assertEquals(dtype(nested[2]), a.mm(b).dtype(), "outer scope after the inner closed");
        }
        Tensor w = x(DType.FLOAT32, 5, 4).requiresGrad_(true), in = x(DType.FLOAT32, 3, 4).requiresGrad_(true);
        Tensor out;
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            out = F.linear(in, w, null);
        }
        out.to(DType.FLOAT32).sum().backward();
        assertEquals(dtype(grad[1]), out.dtype(), "linear's output");
        assertEquals(dtype(grad[2]), w.grad().dtype(), "weight's grad");
        assertEquals(dtype(grad[3]), in.grad().dtype(), "input's grad");
        // the values: the bf16 product's gradient, sum over rows of in for w (rounded once to bf16 in backward)
        Tensor expectW = Jt.ones(new long[] {3, 5}).t().mm(in.detach());
        assertTrue(w.grad().allclose(expectW, 2e-2, 2e-2), "weight grad " + w.grad() + " vs " + expectW);
    }
}
