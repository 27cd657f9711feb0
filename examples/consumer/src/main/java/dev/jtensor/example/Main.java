package dev.jtensor.example;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;

/** Uses jtensor as a dependency: tensors, views, autograd; exits 1 if a result is wrong. */
public final class Main {
    public static void main(String[] args) {
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
        boolean ok = y.item() == 17 && w.grad().item() == 3 && b.grad().item() == 1 && m.get(2, 1).itemLong() == 5
                && y.toString().equals("tensor(17., grad_fn=<AddBackward0>)")
                && p.toString().equals("tensor([3., 7.])");
        System.out.println(ok ? "consumer OK" : "consumer FAILED");
        if (!ok) System.exit(1);
    }
}
