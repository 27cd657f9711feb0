package dev.jtensor.amp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.F;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Autocast's scope rules (thread-local, per device type, nesting, close) and the CUDA op table's documented entries. */
class AutocastTest {
    private static final Device CPU = Device.cpu();

    @Test
    void scopeIsThreadLocalAndPerDeviceType() throws Exception {
        Tensor a = Jt.randn(3, 4), b = Jt.randn(4, 2);
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            assertTrue(Autocast.isEnabled(CPU));
            assertFalse(Autocast.isEnabled(Device.cuda(0)), "a CPU scope leaves CUDA alone");
            assertEquals(DType.BFLOAT16, a.mm(b).dtype());
            DType other = CompletableFuture.supplyAsync(() -> a.mm(b).dtype()).get();
            assertEquals(DType.FLOAT32, other, "another thread is not in the scope");
        }
        assertFalse(Autocast.isEnabled(CPU));
        assertEquals(DType.FLOAT32, a.mm(b).dtype(), "after the scope");
    }

    @Test
    void nestedScopesRestoreTheOuterTypeAndCloseIsIdempotent() {
        Tensor a = Jt.randn(3, 4), b = Jt.randn(4, 2);
        Autocast outer = Jt.autocast(CPU, DType.BFLOAT16);
        Autocast inner = Jt.autocast(CPU, DType.FLOAT16);
        assertEquals(DType.FLOAT16, a.mm(b).dtype(), "the inner scope's type");
        inner.close();
        inner.close();
        assertEquals(DType.BFLOAT16, a.mm(b).dtype(), "the outer scope's type again");
        assertEquals(DType.BFLOAT16, Autocast.lowPrecisionType(CPU));
        outer.close();
        assertEquals(DType.FLOAT32, a.mm(b).dtype());
    }

    @Test
    void float64AndIntegerOperandsAreNeverCast() {
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            Tensor d = Jt.randn(new long[] {3, 3}, DType.FLOAT64);
            assertEquals(DType.FLOAT64, d.mm(d).dtype());
            Tensor i = Jt.tensor(new long[][] {{1, 2}, {3, 4}});
            assertEquals(DType.INT64, i.mm(i).dtype());
            assertEquals(DType.FLOAT64, F.mseLoss(d, d).dtype(), "fp32 list leaves float64 alone");
        }
    }

    @Test
    void refusesOtherLowTypesAndForeignThreadsClosing() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> Jt.autocast(CPU, DType.FLOAT64));
        assertTrue(e.getMessage().contains("float16 or bfloat16"), e.getMessage());
        Autocast ac = Jt.autocast(CPU, DType.BFLOAT16);
        try {
            var f = CompletableFuture.runAsync(ac::close);
            var thrown = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
            assertTrue(thrown.getCause() instanceof IllegalStateException, thrown.getCause().toString());
        } finally {
            ac.close();
        }
    }

    @Test
    void valuesOfALowPrecisionProductAreTheRoundedOperandsProduct() {
        Tensor a = Jt.randn(6, 5), b = Jt.randn(5, 7);
        Tensor got;
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            got = a.mm(b);
        }
        Tensor want = a.to(DType.BFLOAT16).to(DType.FLOAT32).mm(b.to(DType.BFLOAT16).to(DType.FLOAT32)).to(DType.BFLOAT16);
        assertTrue(got.to(DType.FLOAT32).allclose(want.to(DType.FLOAT32), 1e-2, 1e-3), got + " vs " + want);
    }

    @Test
    void backwardRunsWithoutAutocastAndGradsKeepParameterTypes() {
        Tensor w = Jt.randn(4, 3).requiresGrad_(true), x = Jt.randn(2, 3);
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            Tensor loss = F.linear(x, w, null).pow(2.0).sum(); // backward inside the scope: still float32 grads
            assertEquals(DType.BFLOAT16, loss.dtype());
            loss.backward();
        }
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertTrue(w.grad().abs().sum().item() > 0);
    }

    @Test
    void cudaTableHasPyTorchsDocumentedLists() {
        for (String op : new String[] {"mm", "bmm", "matmul", "addmm", "baddbmm", "linear", "conv2d", "scaled_dot_product_attention"}) {
            assertEquals(AutocastPolicy.Cast.LOWER, AutocastPolicy.of(op, true), op);
            assertEquals(AutocastPolicy.Cast.LOWER, AutocastPolicy.of(op, false), op + " (CPU)");
        }
        for (String op : new String[] {"softmax", "log_softmax", "layer_norm", "sum", "prod", "cumsum", "exp", "log", "pow",
                "mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy_with_logits"}) {
            assertEquals(AutocastPolicy.Cast.FP32, AutocastPolicy.of(op, true), op);
        }
        assertEquals(AutocastPolicy.Cast.PROMOTE, AutocastPolicy.of("dot", true));
        assertSame(null, AutocastPolicy.of("relu", true), "relu runs in its input type");
        assertSame(null, AutocastPolicy.of("softmax", false), "CPU softmax runs in its input type (torch 1.13)");
    }

    @Test
    void promoteCastsToTheWidestOperand() {
        try (var ac = Jt.autocast(Device.cuda(0), DType.FLOAT16)) {
            // CPU tensors are outside a CUDA scope: nothing happens to them
            Tensor h = Jt.randn(3).to(DType.FLOAT16), f = Jt.randn(3);
            Tensor[] same = Autocast.inputs("dot", h, f);
            assertSame(h, same[0]);
        }
        try (var ac = Jt.autocast(CPU, DType.BFLOAT16)) {
            Tensor h = Jt.randn(3).to(DType.BFLOAT16), f = Jt.randn(3);
            Tensor[] cast = Autocast.inputs("cat", h, f);
            assertEquals(DType.FLOAT32, cast[0].dtype());
            assertSame(f, cast[1]);
            Tensor[] withNull = Autocast.inputs("linear", f, null);
            assertEquals(DType.BFLOAT16, withNull[0].dtype());
            assertSame(null, withNull[1]);
        }
    }
}
