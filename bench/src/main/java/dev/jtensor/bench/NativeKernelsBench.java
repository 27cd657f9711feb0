package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.backend.cpu.CpuBackend;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the C kernels of libjtensor_cpu.so start to pay (issue 12): each verb the CPU backend hands to
 * {@code NativeKernels}, over sizes around the thresholds, with default JVM flags (no Vector API). Run it
 * twice, the kernels forced on at every size and then off, and read the crossover per row:
 * <pre>
 * flock /tmp/jmh.lock env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./jt bench NativeKernelsBench \
 *     -jvmArgsAppend -Djtensor.native.minElements=0
 * flock /tmp/jmh.lock env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./jt bench NativeKernelsBench \
 *     -jvmArgsAppend -Djtensor.native=false
 * </pre>
 * Softmax rows are 256 long ({@code n / 256} rows); the SGD step is momentum SGD with weight decay. The
 * elementwise rows: exp, relu and gelu of n float32 (in [0, 1)) into an out tensor; a 2 x n add whose left operand is a
 * transposed n x 2 tensor (spans of n elements, stride 2); an int32 add of n elements.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class NativeKernelsBench {
    @Param({"512", "2048", "8192", "32768", "131072"})
    public int n;

    Tensor a, b, out, rows, strided, b2, out2, ia, ib, iout;
    Arena arena;
    Buffer p;
    Operand param, grad, momentum;
    OptimizerStep.Sgd step = new OptimizerStep.Sgd(1e-3, 0.9, 0, 1e-4, false, false, false);

    @Setup
    public void setup() {
        a = Jt.rand(n);
        b = Jt.rand(n);
        out = Jt.zeros(n);
        rows = Jt.randn(n / 256, 256);
        strided = Jt.rand(n, 2).t();
        b2 = Jt.rand(2, n);
        out2 = Jt.zeros(2, n);
        ia = Jt.rand(n).mul(1000.0).to(DType.INT32);
        ib = Jt.rand(n).mul(1000.0).to(DType.INT32);
        iout = Jt.zeros(new long[] {n}, DType.INT32);
        arena = Arena.ofShared();
        p = new Buffer.HostMemory(floats(0.5f));
        param = new Operand(p, DType.FLOAT32, Layout.contiguous(new long[] {n}));
        // param, momentum settle at normal values: no subnormal slow path
        grad = new Operand(new Buffer.HostMemory(floats(0.25f)), DType.FLOAT32, Layout.contiguous(new long[] {n}));
        momentum = new Operand(new Buffer.HostMemory(floats(0f)), DType.FLOAT32, Layout.contiguous(new long[] {n}));
    }

    private MemorySegment floats(float v) {
        MemorySegment s = arena.allocate(4L * n, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, v);
        return s;
    }

    @TearDown
    public void tearDown() { arena.close(); }

    @Benchmark
    public Tensor addOut() { return Jt.add(a, b, out); }

    @Benchmark
    public Tensor expOut() { return Jt.exp(a, out); }

    @Benchmark
    public Tensor reluOut() { return Jt.relu(a, out); }

    @Benchmark
    public Tensor geluOut() { return Jt.gelu(a, out); }

    @Benchmark
    public Tensor addStridedOut() { return Jt.add(strided, b2, out2); }

    @Benchmark
    public Tensor addInt32Out() { return Jt.add(ia, ib, iout); }

    @Benchmark
    public double sum() { return a.sum().item(); }

    @Benchmark
    public void softmax() { rows.softmax(1).close(); }

    @Benchmark
    public void castToDouble() { a.to(DType.FLOAT64).close(); }

    @Benchmark
    public MemorySegment sgdMomentumStep() {
        CpuBackend.INSTANCE.optimizerStep(step, param, grad, momentum);
        return ((Buffer.HostMemory) p).segment();
    }
}
