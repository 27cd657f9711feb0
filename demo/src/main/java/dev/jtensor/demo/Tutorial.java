package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed tutorial ("PyTorch进阶之路(一):张量与梯度" and "PyTorch 导数应用的使用教程") as a Java program:
 * tensors and their dtypes and shapes, {@code y = x * w + b} with gradients, NumPy interop through
 * {@code .npy} files, views, broadcasting, in-place and {@code out} ops, the chain rule, and the linear
 * regression {@code Y = 2X + 1 + noise} fitted with {@code Linear}, {@code SGD} and {@code MSELoss}
 * (see {@link Regression}). Every number printed is the one PyTorch prints for the same code and seed
 * ({@code bench/torch_tutorial.py} runs the regression in PyTorch).
 *
 * <p>Run with {@code ./jt demo}; charts go to {@code out/} in the working directory (or the directory
 * given as the first argument).
 */
public final class Tutorial {
    private Tutorial() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true"); // before any AWT class loads (charts)
        Path out = Path.of(args.length > 0 ? args[0] : "out");
        Files.createDirectories(out);
        tensors();
        Basics.tensorOps();
        gradients();
        numpyInterop(out);
        Basics.csv();
        viewsAndBroadcasting();
        inPlaceAndOut();
        chainRule();
        Basics.autogradDetails();
        Regression.run(out);
    }

    static void section(String title) {
        System.out.println();
        System.out.println("== " + title + " ==");
    }

    /** Scalars, vectors, matrices and a 3-d tensor, with dtype and shape. */
    static void tensors() {
        section("Tensors");
        Tensor t1 = tensor(4.0);
        System.out.println("t1 = tensor(4.0)            -> " + t1 + "   dtype " + t1.dtype());
        Tensor t2 = tensor(new double[] {1.0, 2, 3, 4});
        System.out.println("t2 = tensor([1.0, 2, 3, 4]) -> " + t2);
        Tensor t3 = tensor(new long[][] {{5, 6}, {7, 8}, {9, 10}});
        System.out.println("t3 = tensor([[5, 6], [7, 8], [9, 10]]) ->\n" + t3);
        Tensor t4 = tensor(new long[][][] {{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}});
        System.out.println("t4 (3-d) ->\n" + t4);
        System.out.println("shapes: t1 " + t1.shape() + ", t2 " + t2.shape() + ", t3 " + t3.shape() + ", t4 " + t4.shape());
    }

    /** {@code y = x * w + b}; {@code y.backward()} fills dy/dw = x and dy/db = 1; x does not require grad. */
    static void gradients() {
        section("Tensor operations and gradients");
        Tensor x = tensor(3.0);
        Tensor w = tensor(4.0, true);
        Tensor b = tensor(5.0, true);
        Tensor y = x.mul(w).add(b);
        System.out.println("y = x * w + b -> " + y);
        y.backward();
        System.out.println("dy/dx: " + x.grad());
        System.out.println("dy/dw: " + w.grad());
        System.out.println("dy/db: " + b.grad());
    }

    /**
     * NumPy interop through {@code .npy} files: jtensor writes an array NumPy reads, and maps an array
     * NumPy wrote without copying (the {@code torch.from_numpy} of the tutorial). Python is optional.
     */
    static void numpyInterop(Path out) throws IOException, InterruptedException {
        section("Interoperability with NumPy (.npy files)");
        Path fromNumpy = out.resolve("from_numpy.npy");
        boolean python = Python.run("import numpy as np; np.save(r'" + fromNumpy + "', np.array([[1, 2], [3, 4]]))") != null;
        if (!python) Npy.save(fromNumpy, tensor(new long[][] {{1, 2}, {3, 4}})); // same file NumPy would write
        Tensor y = Npy.map(fromNumpy);
        System.out.println("x = np.array([[1, 2], [3, 4]]) " + (python ? "written by NumPy" : "(python3/numpy not found: written by jtensor)"));
        System.out.println("y = Npy.map(\"" + fromNumpy + "\") -> " + y.toString().replace("\n", "\n" + " ".repeat(0)));
        System.out.println("y.dtype() -> " + y.dtype());
        Path toNumpy = out.resolve("to_numpy.npy");
        Npy.save(toNumpy, y.mul(10));
        String seen = Python.run("import numpy as np; a = np.load(r'" + toNumpy + "'); print(repr(a), a.dtype)");
        System.out.println("Npy.save(\"" + toNumpy + "\", y * 10); NumPy reads: "
                + (seen != null ? "\n" + seen.strip() : Npy.load(toNumpy) + " (read back by jtensor)"));
    }

    /** Views share memory with their base; operands broadcast as in PyTorch. */
    static void viewsAndBroadcasting() {
        section("Views share memory; broadcasting");
        Tensor a = arange(6).reshape(2, 3);
        Tensor row = a.get("1");
        Tensor col = a.get(":, 1:2");
        row.fill_(7);
        System.out.println("a = arange(6).reshape(2, 3); a.get(\"1\").fill_(7)  (a[1].fill_(7)) -> a =\n" + a);
        System.out.println("a.get(\":, 1:2\")  (a[:, 1:2], a view) ->\n" + col);
        System.out.println("a.get(\"..., -1\")  (a[..., -1]) -> " + a.get("..., -1") + ";  a.T() ->\n" + a.T());
        a.set(":, 0", -1);
        System.out.println("a.set(\":, 0\", -1)  (a[:, 0] = -1) -> a =\n" + a);
        a.set(a.gt(5), 0);
        System.out.println("a.set(a.gt(5), 0)  (a[a > 5] = 0) -> a =\n" + a + "\na.tolist() -> " + a.tolist());
        Tensor m = ones(3, 1).mul(tensor(new double[] {1, 2, 3}));
        System.out.println("ones(3, 1) * tensor([1, 2, 3]) broadcasts to " + m.shape() + " ->\n" + m);
    }

    /** In-place ops end with an underscore; {@code out} variants write into a given tensor. */
    static void inPlaceAndOut() {
        section("In-place and out");
        Tensor x = tensor(new double[] {1, 2, 3});
        x.add_(tensor(new double[] {10, 10, 10}));
        System.out.println("x.add_(10s) -> " + x);
        Tensor z = zeros(3);
        add(x, tensor(new double[] {1, 1, 1}), z);
        System.out.println("add(x, ones, z) -> z = " + z);
    }

    /** y = x*w + b, z = l*y + m, e = c*z + d: de/dw = c*l*x, de/db = c*l, and so on. */
    static void chainRule() {
        section("Chain rule");
        Tensor x = tensor(2.0), w = tensor(3.0, true), b = tensor(1.0, true);
        Tensor l = tensor(4.0, true), m = tensor(5.0, true);
        Tensor c = tensor(6.0, true), d = tensor(7.0, true);
        Tensor y = x.mul(w).add(b);
        Tensor z = l.mul(y).add(m);
        Tensor e = c.mul(z).add(d);
        System.out.println("y = x*w + b = " + y + ";  z = l*y + m = " + z + ";  e = c*z + d = " + e);
        e.backward();
        System.out.println("de/dw = c*l*x = " + w.grad() + "   de/db = c*l = " + b.grad());
        System.out.println("de/dl = c*y = " + l.grad() + "   de/dm = c = " + m.grad());
        System.out.println("de/dc = z = " + c.grad() + "   de/dd = 1 = " + d.grad());
    }
}
