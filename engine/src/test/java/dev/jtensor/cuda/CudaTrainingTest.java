package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.nn.F;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.Adagrad;
import dev.jtensor.optim.Adam;
import dev.jtensor.optim.AdamW;
import dev.jtensor.optim.Optimizer;
import dev.jtensor.optim.RMSprop;
import dev.jtensor.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autograd, nn and every optimizer on a CUDA device against the same computation on the CPU: gradients for
 * every subset of inputs requiring grad, a small MLP trained for several steps with each optimizer (fused
 * steps on the device), Module.to, state dicts across devices, memory accounting and transfers.
 */
class CudaTrainingTest {
    @TempDir Path dir;

    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    private static Tensor randn(long seed, long... shape) { return Jt.randn(shape, DType.FLOAT64, new Generator(seed)); }

    /** Gradients of f on CPU and CUDA agree for every non-empty subset of its inputs requiring grad. */
    private static void gradientsAgree(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        int n = inputs.length;
        for (int mask = 1; mask < (1 << n); mask++) {
            List<Tensor> cpu = new ArrayList<>(), dev = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean grad = (mask & (1 << i)) != 0;
                cpu.add(inputs[i].detach().clone().requiresGrad_(grad));
                dev.add(inputs[i].detach().clone().to(CUDA).requiresGrad_(grad));
            }
            Tensor yc = f.apply(cpu), yd = f.apply(dev);
            assertClose(yc.detach(), yd.detach(), 1e-10, 1e-12, what + " forward");
            yc.sum().backward();
            yd.sum().backward();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) == 0) {
                    assertNull(dev.get(i).grad(), what + ": input " + i + " needs no grad");
                    continue;
                }
                assertEquals(CUDA, dev.get(i).grad().device(), what + ": gradient " + i + " stays on the device");
                assertClose(cpu.get(i).grad(), dev.get(i).grad(), 1e-10, 1e-12, what + " grad " + i + " (subset " + mask + ")");
            }
        }
    }

    @Test
    void gradientsOfOpFamiliesMatchTheCpu() {
        Tensor a = randn(1, 4, 5), b = randn(2, 5, 3), c = randn(3, 4, 3), v = randn(4, 5);
        gradientsAgree("matmul+bias+tanh", x -> x.get(0).matmul(x.get(1)).add(x.get(2)).tanh(), a, b, c);
        gradientsAgree("broadcast mul/div", x -> x.get(0).mul(x.get(1)).div(x.get(1).abs().add(1.0)), a, v);
        gradientsAgree("softmax/logsumexp", x -> x.get(0).softmax(1).mul(x.get(0).logsumexp(1, true)), a);
        gradientsAgree("reductions", x -> x.get(0).sum(0).add(x.get(0).amax(0)).add(x.get(0).mean(0)).add(x.get(0).std(0)), a);
        gradientsAgree("views and indexing", x -> x.get(0).t().get("1:4").mul(2.0).gather(1, Jt.tensor(new long[][] {{0}, {3}, {2}}).to(x.get(0).device())), a);
        gradientsAgree("cat/stack/where", x -> Jt.where(x.get(0).gt(0.0), Jt.cat(List.of(x.get(0), x.get(1)), 0).narrow(0, 0, 4),
                x.get(1).neg()), a, randn(5, 4, 5));
        gradientsAgree("losses", x -> F.mseLoss(x.get(0).sigmoid(), x.get(1).sigmoid()).add(F.crossEntropy(x.get(0),
                Jt.tensor(new long[] {0, 4, 2, 1}).to(x.get(0).device()))), a, randn(6, 4, 5));
        gradientsAgree("to/cpu round trip inside the graph", x -> x.get(0).cpu().mul(3.0).to(x.get(0).device()).exp(), a);
    }

    @Test
    void layersAndLossesMatchTheCpu() {
        Tensor x = randn(21, 6, 8), t01 = Jt.rand(new long[] {6, 8}, DType.FLOAT64, new Generator(22));
        Tensor w = randn(23, 8), b = randn(24, 8);
        gradientsAgree("layerNorm", v -> F.layerNorm(v.get(0), new long[] {8}, v.get(1), v.get(2), 1e-5), x, w, b);
        gradientsAgree("gelu/geluTanh/silu", v -> F.gelu(v.get(0)).add(F.geluTanh(v.get(0))).add(v.get(0).silu()), x);
        // targets as constants of the input's device (gradients flow to the input)
        gradientsAgree("bce with logits", v -> F.binaryCrossEntropyWithLogits(v.get(0), t01.to(v.get(0).device())), x);
        gradientsAgree("bce", v -> F.binaryCrossEntropy(v.get(0).sigmoid(), t01.to(v.get(0).device())), x);
        gradientsAgree("l1 + nll", v -> F.l1Loss(v.get(0), v.get(1)).add(F.nllLoss(v.get(0).logSoftmax(1),
                Jt.tensor(new long[] {0, 7, 3, 3, 1, 5}).to(v.get(0).device()))), x, t01);
        Tensor table = randn(25, 10, 4);
        gradientsAgree("embedding", v -> F.embedding(Jt.tensor(new long[][] {{1, 9}, {1, 0}}).to(v.get(0).device()), v.get(0)), table);
        // dropout: same mask for the same generator state (drawn on the host), zeros and scaling on the device
        Tensor ones = Jt.ones(new long[] {1000}, DType.FLOAT32, CUDA);
        Jt.manualSeed(5);
        Tensor d = F.dropout(ones, 0.25, true);
        assertEquals(CUDA, d.device());
        double kept = d.ne(0.0).sum().item();
        assertEquals(750, kept, 60, "dropout keeps about 1 - p");
        assertEquals(kept / 0.75, d.sum().item(), 1e-3, "kept values are scaled by 1 / (1 - p)");
    }

    private static Module mlp(long seed) {
        Jt.manualSeed(seed);
        return new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 4));
    }

    private static List<Double> train(Module model, Function<List<Tensor>, Optimizer> make, Tensor x, Tensor y, int steps) {
        Optimizer opt = make.apply(model.parameters());
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            losses.add(loss.item());
        }
        return losses;
    }

    @Test
    void everyOptimizerTrainsTheSameOnTheDevice() {
        Tensor x = Jt.randn(new long[] {32, 20}, DType.FLOAT32, new Generator(11));
        Tensor y = Jt.randint(0, 4, new long[] {32}, DType.INT64, new Generator(12));
        List<Function<List<Tensor>, Optimizer>> optimizers = List.of(
                p -> new SGD(p, 0.1),
                p -> new SGD(p, 0.05).momentum(0.9).nesterov(true).weightDecay(1e-3),
                p -> new Adam(p, 1e-2),
                p -> new Adam(p, 1e-2).amsgrad(true).weightDecay(1e-3),
                p -> new AdamW(p, 1e-2),
                p -> new RMSprop(p, 1e-3).momentum(0.5).centered(true),
                p -> new Adagrad(p, 0.1));
        for (int i = 0; i < optimizers.size(); i++) {
            Module onCpu = mlp(40 + i), onCuda = mlp(40 + i).to(CUDA);
            for (Tensor p : onCuda.parameters()) assertEquals(CUDA, p.device(), "Module.to moves every parameter");
            List<Double> lc = train(onCpu, optimizers.get(i), x, y, 8);
            List<Double> ld = train(onCuda, optimizers.get(i), x.to(CUDA), y.to(CUDA), 8);
            for (int s = 0; s < lc.size(); s++) assertEquals(lc.get(s), ld.get(s), 2e-5 * Math.max(1, Math.abs(lc.get(s))), "optimizer " + i + " step " + s);
            assertTrue(ld.get(7) < ld.get(0), "optimizer " + i + " lowers the loss on the device");
            var pc = onCpu.parameters();
            var pd = onCuda.parameters();
            for (int k = 0; k < pc.size(); k++) assertClose(pc.get(k).detach(), pd.get(k).detach(), 1e-4, 1e-5, "optimizer " + i + " param " + k);
        }
    }

    @Test
    void stateDictsMoveBetweenDevices() throws Exception {
        Module gpu = mlp(3).to(CUDA);
        Path file = dir.resolve("model.npz");
        gpu.save(file);
        Module cpu = mlp(4);
        cpu.load(file);
        var a = gpu.stateDict();
        var b = cpu.stateDict();
        for (String k : a.keySet()) assertClose(b.get(k), a.get(k), 0, 0, "state " + k);
        Module back = mlp(5).to(CUDA);
        back.loadStateDict(cpu.stateDict());
        for (String k : a.keySet()) assertClose(cpu.stateDict().get(k), back.stateDict().get(k), 0, 0, "loaded on the device " + k);
        Module home = back.cpu();
        for (Tensor p : home.parameters()) assertTrue(p.device().isCpu(), "Module.cpu");

        // optimizer state made on the device, saved, loaded into an optimizer of a CPU model and of a device model
        Tensor x = Jt.randn(new long[] {8, 20}, DType.FLOAT32, new Generator(1)).to(CUDA);
        Adam adam = new Adam(gpu.parameters(), 1e-2);
        gpu.forward(x).sum().backward();
        adam.step();
        Path state = dir.resolve("adam.npz");
        adam.save(state);
        Adam onCpu = new Adam(mlp(6).parameters(), 1e-2);
        onCpu.load(state);
        Adam onDevice = new Adam(mlp(7).to(CUDA).parameters(), 1e-2);
        onDevice.load(state);
        var saved = adam.stateDict();
        var cpuState = onCpu.stateDict();
        var devState = onDevice.stateDict();
        for (String k : saved.keySet()) {
            if (!k.startsWith("state.") || k.endsWith(".step")) continue;
            assertTrue(cpuState.get(k).device().isCpu() && devState.get(k).device().equals(CUDA), "state " + k + " lives with its parameter");
            assertClose(cpuState.get(k), saved.get(k), 0, 0, "optimizer state " + k + " (to the CPU)");
            assertClose(cpuState.get(k), devState.get(k), 0, 0, "optimizer state " + k + " (back to the device)");
        }
    }

    @Test
    void memoryIsAccountedAndReturned() {
        // tensors of earlier tests may be freed by the GC at any moment, so the figures only ever fall between two
        // reads: each check is one-sided or a difference across a single action
        Jt.cuda().synchronize();
        Tensor big = Jt.zeros(new long[] {1 << 20}, DType.FLOAT32, CUDA);
        long withBig = Jt.cuda().memoryAllocated();
        assertTrue(withBig >= 4L << 20, "allocated counts the live tensor");
        assertTrue(Jt.cuda().memoryReserved() >= withBig, "reserved covers allocated");
        big.close();
        assertTrue(withBig - Jt.cuda().memoryAllocated() >= 4L << 20, "close() gives the block back");
        long before = Jt.cuda().memoryAllocated();
        try (var scope = Jt.scope()) {
            Tensor t = Jt.ones(new long[] {1000, 1000}, DType.FLOAT32, CUDA).mul(2.0);
            assertTrue(Jt.cuda().memoryAllocated() >= 8_000_000, "two 4 MB tensors live in the scope");
            assertEquals(2e6, t.sum().item(), 0.5);
        }
        assertTrue(Jt.cuda().memoryAllocated() <= before, "a scope releases device tensors");
        Jt.cuda().emptyCache();
        assertTrue(Jt.cuda().memoryReserved() >= Jt.cuda().memoryAllocated());
    }

    @Test
    void largeTransfersAndMappedNpyGoToTheDeviceIntact() throws Exception {
        long n = 10_000_019; // 40 MB of float32: several staging chunks
        Tensor x = Jt.rand(new long[] {n}, DType.FLOAT32, new Generator(8));
        Tensor d = x.to(CUDA);
        Tensor back = d.cpu();
        assertTrue(x.equal(back), "round trip of " + n + " floats is exact");
        Path file = dir.resolve("x.npy");
        Npy.save(file, x.narrow(0, 0, 7000).reshape(1000, 7));
        Tensor mapped = Npy.map(file);
        Tensor onDevice = mapped.to(CUDA);
        assertTrue(mapped.equal(onDevice.cpu()), "mapped .npy to the device");
        Tensor strided = x.narrow(0, 0, 1000).reshape(100, 10).t();
        assertTrue(strided.equal(strided.to(CUDA).cpu()), "a strided view moves as its values");
        Tensor empty = Jt.zeros(0, 3).to(CUDA);
        assertEquals(0, empty.cpu().numel());
        Tensor scalar = Jt.tensor(2.5).to(CUDA);
        assertEquals(2.5, scalar.item());
    }
}
