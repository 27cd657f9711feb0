package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.nn.F;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The GPU benchmarks of the CUDA issue, timed the way {@code bench/gpu_bench_torch.py} times PyTorch on the
 * same GPU in the same run: warm-up, then the median of repeated runs, each synchronized
 * ({@code Jt.cuda().synchronize()} before reading the clock). Not JMH: the GPU machine has no Maven and the
 * unit of work is a device kernel, so wall time around a synchronized batch of launches is what is measured.
 * Prints one line per benchmark: {@code name median_ms figure unit}.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp <engine jar, bench classes> dev.jtensor.bench.GpuBench [npy dir]}.
 */
public final class GpuBench {
    private static final Device CUDA = Device.cuda(0);

    private GpuBench() {}

    interface Work { void run() throws Exception; }

    /** Median milliseconds per call of {@code work} over {@code reps} synchronized batches of {@code inner} calls. */
    static double median(int reps, int inner, Work work) throws Exception {
        for (int i = 0; i < 3; i++) work.run();
        Jt.cuda().synchronize();
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < inner; i++) work.run();
            Jt.cuda().synchronize();
            t[r] = (System.nanoTime() - start) / 1e6 / inner;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    static void report(String name, double ms, double figure, String unit) {
        System.out.println(String.format(Locale.ROOT, "%-28s %10.4f ms %12.2f %s", name, ms, figure, unit));
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Jt.info());
        if (!Jt.cuda().isAvailable()) {
            System.out.println("no CUDA: " + Jt.cuda().unavailableReason());
            System.exit(3);
        }
        if (args.length > 0 && args[0].equals("--info")) return;
        Generator g = new Generator(0);

        // fp32 matmul 4096
        Tensor a = Jt.randn(new long[] {4096, 4096}, DType.FLOAT32, CUDA), b = Jt.randn(new long[] {4096, 4096}, DType.FLOAT32, CUDA);
        double mm = median(10, 5, () -> a.mm(b).close());
        report("matmul_fp32_4096", mm, 2.0 * 4096 * 4096 * 4096 / (mm * 1e-3) / 1e12, "TFLOP/s");
        a.close();
        b.close();

        // half-type matmul 8192 on the tensor cores (cublasGemmEx, float32 accumulation; issue 26)
        for (DType half : new DType[] {DType.BFLOAT16, DType.FLOAT16}) {
            Tensor ha = Jt.randn(new long[] {8192, 8192}, DType.FLOAT32, CUDA).to(half);
            Tensor hb = Jt.randn(new long[] {8192, 8192}, DType.FLOAT32, CUDA).to(half);
            double hm = median(10, 5, () -> ha.mm(hb).close());
            report("matmul_" + (half == DType.BFLOAT16 ? "bf16" : "fp16") + "_8192", hm, 2.0 * 8192 * 8192 * 8192 / (hm * 1e-3) / 1e12, "TFLOP/s");
            ha.close();
            hb.close();
        }

        // elementwise add and copy of 256M floats
        long n = 256L << 20;
        Tensor x = Jt.rand(new long[] {n}, DType.FLOAT32, CUDA);
        Tensor y = x.add(1.0);
        double add = median(10, 3, () -> x.add(y).close());
        report("add_256M_fp32", add, 3.0 * n * 4 / (add * 1e-3) / 1e9, "GB/s");
        double copy = median(10, 3, () -> x.clone().close());
        report("copy_256M_fp32", copy, 2.0 * n * 4 / (copy * 1e-3) / 1e9, "GB/s");
        double sum = median(10, 3, () -> x.sum().close());
        report("sum_256M_fp32", sum, 1.0 * n * 4 / (sum * 1e-3) / 1e9, "GB/s");
        y.close();

        // softmax 4096 x 4096
        Tensor s = Jt.randn(new long[] {4096, 4096}, DType.FLOAT32, CUDA);
        double sm = median(10, 5, () -> s.softmax(1).close());
        report("softmax_4096x4096", sm, 2.0 * 4096 * 4096 * 4 / (sm * 1e-3) / 1e9, "GB/s");

        // MLP 784-256-10 training step, batch 64
        Jt.manualSeed(0);
        Module mlp = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10)).to(CUDA);
        SGD opt = new SGD(mlp.parameters(), 0.01);
        Tensor bx = Jt.randn(new long[] {64, 784}, DType.FLOAT32, CUDA);
        Tensor by = Jt.randint(0, 10, new long[] {64}, DType.INT64, g).to(CUDA);
        double step = median(20, 20, () -> {
            try (var scope = Jt.scope()) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(mlp.forward(bx), by);
                loss.backward();
                opt.step();
            }
        });
        report("mlp_784_256_10_step_b64", step, 1e3 / step, "steps/s");
        double stepAmp = median(20, 20, () -> {
            try (var scope = Jt.scope()) {
                opt.zeroGrad();
                Tensor loss;
                try (var ac = Jt.autocast(CUDA, DType.BFLOAT16)) {
                    loss = F.crossEntropy(mlp.forward(bx), by);
                }
                loss.backward();
                opt.step();
            }
        });
        report("mlp_step_b64_autocast_bf16", stepAmp, 1e3 / stepAmp, "steps/s");

        // host -> device of a mapped 1 GiB .npy
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("gpubench");
        Path file = dir.resolve("one_gib.npy");
        if (!Files.exists(file)) {
            Tensor host = Npy.create(file, DType.FLOAT32, n);
            host.copy_(x.cpu());
            host.close();
        }
        Tensor mapped = Npy.map(file);
        double h2d = median(5, 1, () -> mapped.to(CUDA).close());
        report("h2d_mapped_npy_1GiB", h2d, (double) n * 4 / (h2d * 1e-3) / 1e9, "GB/s");
        Files.deleteIfExists(file);
        System.out.println("memory allocated " + Jt.cuda().memoryAllocated() + " reserved " + Jt.cuda().memoryReserved());
    }
}
