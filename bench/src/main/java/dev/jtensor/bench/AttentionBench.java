package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.nn.F;
import dev.jtensor.nn.LSTM;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 23's sequence workloads on the CPU: {@code F.scaledDotProductAttention} forward and forward+backward (causal,
 * float32, batch 8 x 12 heads x length x head dim 64; issue 23's size is length 1024), and one LSTM forward+backward.
 * Float32 runs the fused CPU kernel ({@code native/cpu/attention.c}); {@code -jvmArgsAppend -Djtensor.fusedAttention=false}
 * measures the composite (matmul, softmax, matmul; an {@code [L, S]} matrix per head) instead. PyTorch's figure for
 * attention is {@code torch.nn.functional.scaled_dot_product_attention} on the same shapes.
 * Run: {@code ./jt bench AttentionBench} (or {@code -p length=1024}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AttentionBench {
    @Param({"256"})
    int length;

    Tensor q, k, v, grad;
    LSTM lstm;
    Tensor sequence;

    @Setup
    public void setup() {
        manualSeed(0);
        long[] shape = {8, 12, length, 64};
        q = randn(shape, DType.FLOAT32).requiresGrad_();
        k = randn(shape, DType.FLOAT32).requiresGrad_();
        v = randn(shape, DType.FLOAT32).requiresGrad_();
        grad = randn(shape, DType.FLOAT32);
        lstm = new LSTM(64, 128, 2, true, true, 0.0, false);
        sequence = randn(16, 64, 64);
    }

    @Benchmark
    public Tensor attentionForward() {
        try (var g = noGrad()) {
            return F.scaledDotProductAttention(q, k, v, null, true);
        }
    }

    @Benchmark
    public List<Tensor> attentionForwardBackward() {
        Tensor out = F.scaledDotProductAttention(q, k, v, null, true);
        return Autograd.grad(List.of(out), List.of(q, k, v), List.of(grad), false, false);
    }

    @Benchmark
    public Tensor lstmForwardBackward() {
        lstm.zeroGrad();
        Tensor out = lstm.forward(sequence);
        out.sum().backward();
        return out;
    }
}
