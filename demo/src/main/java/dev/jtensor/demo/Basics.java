package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.data.CsvFrame;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rest of the seed notes (动手学深度学习-style basics and "PyTorch 导数应用"): shapes and
 * {@code cat}, broadcasting, {@code sum} with keepdim, copies vs in-place, scalars, the house-price CSV
 * preprocessed as pandas does, norms, then autograd: {@code 2 * dot(x, x)}, gradient accumulation and
 * {@code zero_()}, non-scalar {@code backward(gradient)}, {@code detach}, {@code noGrad}. Each line prints
 * what PyTorch prints for the same code.
 */
final class Basics {
    private Basics() {}

    static void tensorOps() {
        Tutorial.section("Shapes, cat, broadcasting, sum");
        System.out.println("ones(4, 9).shape() -> " + ones(4, 9).shape());
        Tensor a = arange(36).reshape(4, 9);
        System.out.println("arange(36).reshape(4, 9) ->\n" + a);
        Tensor x = arange(12).reshape(3, 4).to(dev.jtensor.DType.FLOAT32);
        Tensor y = tensor(new double[][] {{2, 1, 4, 3}, {1, 2, 3, 4}, {4, 3, 2, 1}});
        System.out.println("cat(List.of(x, y), 0).shape() -> " + cat(List.of(x, y), 0).shape()
                + ", cat(List.of(x, y), 1).shape() -> " + cat(List.of(x, y), 1).shape());
        Tensor p = arange(3).reshape(3, 1), q = arange(2).reshape(1, 2);
        System.out.println("arange(3).reshape(3, 1) + arange(2).reshape(1, 2) ->\n" + p.add(q));
        Tensor twos = ones(2, 5, 4).mul(2);
        System.out.println("ones(2, 5, 4) * 2 summed over axis 0 with keepdim -> shape "
                + twos.sum(0, true).shape() + "\n" + twos.div(2).sum(0, true));
        Tensor z = x.clone();
        x.add_(y);
        System.out.println("z = x.clone(); x.add_(y) (in place, same memory) -> z unchanged: " + z.get(0));
        x.set(":", x.add(y));
        System.out.println("x.set(\":\", x.add(y))  (x[:] = x + y, same memory) -> x[0] = " + x.get("0")
                + ", x[1:3] ->\n" + x.get("1:3") + "\nx[-1] -> " + x.get("-1"));
        x.set("1, 2", 9);
        x.set("0:2, :", 12);
        System.out.println("x[1, 2] = 9; x[0:2, :] = 12 ->\n" + x);
        Tensor s = tensor(new double[] {3.5});
        System.out.println("a = tensor([3.5]) -> " + s + ", a.item() -> " + s.item() + ", (int) a.item() -> " + (int) s.item());
        System.out.println("norm(ones(4, 9)) -> " + norm(ones(4, 9)));
    }

    /** house_tiny.csv: fill missing numbers with the column mean, one-hot the strings with a NaN column. */
    static void csv() throws IOException {
        Tutorial.section("CSV to tensors (pandas fillna(mean) + get_dummies(dummy_na=True))");
        try (Reader r = new InputStreamReader(Basics.class.getResourceAsStream("/house_tiny.csv"), StandardCharsets.UTF_8)) {
            CsvFrame data = CsvFrame.read(r);
            System.out.println(data);
            CsvFrame inputs = data.select(0, 2).fillNaWithMean().getDummies(true);
            System.out.println("inputs = data.iloc[:, 0:2].fillna(mean) then get_dummies(dummy_na=True):\n" + inputs);
            Tensor bigX = inputs.toTensor(dev.jtensor.DType.FLOAT64);
            Tensor labels = data.select(2, 3).toTensor();  // data.iloc[:, 2]: one column, a vector as a Series
            System.out.println("X ->\n" + bigX + "\ny -> " + labels);
        }
    }

    static void autogradDetails() {
        Tutorial.section("Autograd: dot, accumulation, non-scalar backward, detach, noGrad");
        Tensor x = arange(0.0, 4.0, 1.0).requiresGrad_(true);
        Tensor y = dot(x, x).mul(2);
        System.out.println("x = arange(4.0) -> " + x.detach() + "; y = 2 * dot(x, x) -> " + y);
        y.backward();
        System.out.println("x.grad() -> " + x.grad() + "; x.grad() == 4 * x -> " + x.grad().eq(x.detach().mul(4)));
        x.grad().zero_();
        Tensor s = x.sum();
        s.backward();
        System.out.println("x.grad().zero_(); y = x.sum(); y.backward() -> " + s + ", " + x.grad());
        x.grad().zero_();
        Tensor sq = x.mul(x);
        sq.backward(onesLike(sq));
        System.out.println("y = x * x; y.backward(onesLike(y)) -> " + sq + ", " + x.grad());
        x.grad().zero_();
        Tensor u = x.mul(x).detach();
        x.mul(u).sum().backward();
        System.out.println("u = (x * x).detach(); (u * x).sum().backward(); x.grad() == u -> " + x.grad().eq(u));
        Tensor v = tensor(2.0, true);
        Tensor v2 = v.pow(2);
        v2.backward();
        System.out.println("x = tensor(2.0, true); y = x ** 2; y.backward(); x.grad() -> " + v.grad());
        try (var g = noGrad()) {
            Tensor w = v.mul(3);
            System.out.println("under noGrad(): (x * 3).requiresGrad() -> " + w.requiresGrad() + ", " + w);
        }
    }
}
