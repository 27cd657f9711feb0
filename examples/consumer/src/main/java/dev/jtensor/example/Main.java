package dev.jtensor.example;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uses jtensor as a dependency from the module path: tensors, views, autograd, NumPy files (Npy, Npz),
 * nn and optim with a scope per training step. Prints each check and exits 1 if any fails.
 */
public final class Main {
    private static final List<String> FAILED = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Tensor x = tensor(3.0);
        Tensor w = tensor(4.0, true);
        Tensor b = tensor(5.0, true);
        Tensor y = x.mul(w).add(b);             // y = x * w + b
        y.backward();
        Tensor m = arange(6).reshape(2, 3).t();
        System.out.println("y = " + y);
        System.out.println("dy/dw = " + w.grad());
        System.out.println("m.t() =\n" + m);
        System.out.println(info());
        Tensor p = tensor(new double[][] {{1, 2}, {3, 4}}).matmul(tensor(new double[] {1, 1}));
        System.out.println("[[1, 2], [3, 4]] @ [1, 1] = " + p);
        check("autograd", y.item() == 17 && w.grad().item() == 3 && b.grad().item() == 1 && m.get(2, 1).itemLong() == 5
                && y.toString().equals("tensor(17., grad_fn=<AddBackward0>)") && p.toString().equals("tensor([3., 7.])"));

        Path dir = Files.createTempDirectory("jtensor-consumer");
        try {
            numpyFiles(dir);
            training(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        System.out.println(FAILED.isEmpty() ? "consumer OK" : "consumer FAILED: " + FAILED);
        if (!FAILED.isEmpty()) System.exit(1);
    }

    /** Npy.save / load / map and Npz.save / load, as the README shows them. */
    private static void numpyFiles(Path dir) throws Exception {
        Tensor a = arange(12).reshape(3, 4).to(dev.jtensor.DType.FLOAT32);
        Path npy = dir.resolve("a.npy");
        Npy.save(npy, a);
        Tensor loaded = Npy.load(npy), mapped = Npy.map(npy);
        check("Npy.save/load/map", loaded.equal(a) && mapped.equal(a) && mapped.sum().item() == 66);
        mapped.close();
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("a", a);
        arrays.put("col", a.get(1));
        Path npz = dir.resolve("arrays.npz");
        Npz.save(npz, arrays);
        Map<String, Tensor> back = Npz.load(npz);
        check("Npz.save/load", back.keySet().equals(arrays.keySet()) && back.get("a").equal(a) && back.get("col").equal(a.get(1)));
    }

    /** y = 2x - 1 learned by nn.Linear with SGD, a scope per step; the model saved and loaded as a .npz state dict. */
    private static void training(Path dir) throws Exception {
        manualSeed(0);
        Tensor xs = linspace(-1, 1, 64).reshape(64, 1), ys = xs.mul(2).sub(1);
        var model = new Linear(1, 1);
        var opt = new SGD(model.parameters(), 0.1).momentum(0.9);
        var criterion = new MSELoss();
        double first = 0, last = 0;
        for (int step = 0; step < 200; step++) {
            try (var scope = scope()) {
                opt.zeroGrad();
                Tensor loss = criterion.forward(model.forward(xs), ys);
                loss.backward();
                opt.step();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
        }
        System.out.printf("training: loss %.4f -> %.6f, weight %s, bias %s%n", first, last, model.weight(), model.bias());
        check("nn + optim", last < 1e-4 && Math.abs(model.weight().item() - 2) < 0.01 && Math.abs(model.bias().item() + 1) < 0.01);
        Path state = dir.resolve("model.npz");
        model.save(state);
        var copy = new Linear(1, 1);
        copy.load(state);
        check("Module.save/load", copy.forward(xs).equal(model.forward(xs)));
    }

    private static void check(String what, boolean ok) {
        System.out.println((ok ? "ok     " : "FAILED ") + what);
        if (!ok) FAILED.add(what);
    }
}
