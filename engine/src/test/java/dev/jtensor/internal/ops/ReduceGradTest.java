package dev.jtensor.internal.ops;

import static dev.jtensor.testing.ReduceGradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Finite-difference checks (first and second order, float64) of every backward rule of the family. */
class ReduceGradTest {
    private static Tensor r(long... shape) {
        Jt.manualSeed(3);
        return Jt.randn(shape, DType.FLOAT64);
    }

    private static Tensor t(double[][] v) { return Jt.tensor(v, DType.FLOAT64); }

    private static void name(String expected, Function<List<Tensor>, Tensor> f, Tensor... in) {
        Tensor[] leaves = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) leaves[i] = in[i].to(DType.FLOAT64).detach().clone().requiresGrad_(true);
        assertEquals(expected, f.apply(List.of(leaves)).gradFn().name());
    }

    @Test
    void sumAndMean() {
        check(x -> x.get(0).sum(), r(3, 4));
        check(x -> x.get(0).sum(new int[] {0, 2}, true), r(2, 3, 4));
        check(x -> x.get(0).transpose(0, 1).sum(1), r(3, 4));
        check(x -> x.get(0).mean(), r(3, 4));
        check(x -> x.get(0).mean(-1, true), r(3, 4));
        name("SumBackward0", x -> x.get(0).sum(), r(2));
        name("SumBackward1", x -> x.get(0).sum(0), r(2));
        name("MeanBackward0", x -> x.get(0).mean(), r(2));
        name("MeanBackward1", x -> x.get(0).mean(0), r(2));
    }

    @Test
    void prodWithAndWithoutZeros() {
        check(x -> x.get(0).prod(), r(2, 3));
        check(x -> x.get(0).prod(1, true), r(3, 4));
        check(x -> x.get(0).prod(), false, t(new double[][] {{1.5, 0, 2}, {-1, 3, 0.5}}));
        check(x -> x.get(0).prod(1), false, t(new double[][] {{1.5, 0, 2}, {0, 3, 0}, {1, 2, 3}}));
        name("ProdBackward0", x -> x.get(0).prod(), r(2));
        name("ProdBackward1", x -> x.get(0).prod(0), r(2));
    }

    @Test
    void maxMinAmaxAmin() {
        check(x -> x.get(0).max(), r(3, 4));
        check(x -> x.get(0).max(), false, t(new double[][] {{1, 3}, {3, 0}})); // two ties share the gradient
        check(x -> x.get(0).max(1).values(), r(3, 4));
        check(x -> x.get(0).min(0, true).values(), r(3, 4));
        check(x -> x.get(0).amax(new int[] {0, 1}, false), r(2, 3, 2));
        check(x -> x.get(0).amin(1), false, t(new double[][] {{1, 1, 3}, {2, 0, 5}}));
        name("MaxBackward1", x -> x.get(0).max(), r(2));
        name("MaxBackward0", x -> x.get(0).max(0).values(), r(2));
        name("MinBackward1", x -> x.get(0).min(), r(2));
        name("MinBackward0", x -> x.get(0).min(0).values(), r(2));
        name("AmaxBackward0", x -> x.get(0).amax(0), r(2));
        name("AminBackward0", x -> x.get(0).amin(0), r(2));
    }

    @Test
    void varStdNormLogsumexp() {
        check(x -> x.get(0).var(), r(3, 4));
        check(x -> x.get(0).var(new int[] {1}, 0, true), r(3, 4));
        check(x -> x.get(0).std(0), r(3, 4));
        for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY}) check(x -> x.get(0).norm(p), r(3, 4));
        check(x -> x.get(0).norm(2, new int[] {1}, false), r(3, 4));
        check(x -> x.get(0).logsumexp(1), r(3, 4));
        check(x -> x.get(0).logsumexp(new int[] {0, 1}, true), r(3, 4));
        name("VarBackward0", x -> x.get(0).var(), r(3));
        name("StdBackward0", x -> x.get(0).std(), r(3));
        name("NormBackward1", x -> x.get(0).norm(), r(3));
        name("LogsumexpBackward0", x -> x.get(0).logsumexp(0), r(3));
    }

    @Test
    void scansAndSoftmax() {
        check(x -> x.get(0).cumsum(1), r(3, 4));
        check(x -> x.get(0).cumprod(0), r(3, 4));
        check(x -> x.get(0).softmax(1), r(3, 4));
        check(x -> x.get(0).transpose(0, 1).softmax(0), r(3, 4));
        check(x -> x.get(0).logSoftmax(0), r(3, 4));
        name("CumsumBackward0", x -> x.get(0).cumsum(0), r(3));
        name("CumprodBackward0", x -> x.get(0).cumprod(0), r(3));
        name("SoftmaxBackward0", x -> x.get(0).softmax(0), r(3));
        name("LogSoftmaxBackward0", x -> x.get(0).logSoftmax(0), r(3));
    }

    @Test
    void catAndStack() {
        check(x -> Jt.cat(List.of(x.get(0), x.get(1)), 1), r(2, 3), r(2, 2));
        check(x -> Jt.stack(List.of(x.get(0), x.get(1)), 1), r(2, 3), r(2, 3));
        name("CatBackward0", x -> Jt.cat(x.get(0), x.get(0)), r(2));
        name("StackBackward0", x -> Jt.stack(x.get(0), x.get(0)), r(2));
    }

    @Test
    void indexing() {
        Tensor idx = Jt.tensor(new long[][] {{0, 2, 1, 0}, {1, 1, 0, 2}});
        Tensor mask = Jt.tensor(new boolean[][] {{true, false, true, false}, {false, false, true, true}, {true, false, false, false}});
        check(x -> x.get(0).gather(0, idx), r(3, 4));
        check(x -> x.get(0).scatter(0, Jt.tensor(new long[][] {{2, 0, 1, 0}}), x.get(1)), r(3, 4), r(1, 4));
        check(x -> x.get(0).scatter(1, Jt.tensor(new long[][] {{3}, {0}, {1}}), 2.0), r(3, 4));
        check(x -> x.get(0).scatterAdd(0, idx, x.get(1)), r(3, 4), r(2, 4));
        check(x -> x.get(0).indexSelect(1, Jt.tensor(new long[] {3, 0, 3})), r(3, 4));
        check(x -> x.get(0).maskedFill(mask, 1.5), r(3, 4));
        check(x -> x.get(0).maskedSelect(mask), r(3, 4));
        check(x -> x.get(0).index(mask), r(3, 4));
        check(x -> x.get(0).index(Jt.tensor(new long[] {2, -3, 2})), r(3, 4));
        check(x -> x.get(0).indexPut(Jt.tensor(new long[] {2, 0}), x.get(1), false), r(3, 4), r(4));
        check(x -> x.get(0).clone().maskedFill_(mask, 0), r(3, 4));
        Tensor maskT = Jt.tensor(new boolean[][] {{true, false, true}, {false, false, false}, {false, true, false}, {true, true, false}});
        check(x -> {
            Tensor y = x.get(0).clone();
            y.t().maskedFill_(maskT, 0); // in place on a view: the base's history moves (CopySlices)
            return y;
        }, r(3, 4));
        check(x -> {
            Tensor y = x.get(0).clone();
            y.indexPut_(Jt.tensor(new long[] {2, 0}), x.get(1));
            return y;
        }, r(3, 4), r(4));
        check(x -> {
            Tensor y = x.get(0).clone();
            y.t().indexPut_(Jt.tensor(new long[] {1, 1}), x.get(1), true);
            return y;
        }, r(3, 4), r(3));
        name("GatherBackward0", x -> x.get(0).gather(0, Jt.tensor(new long[] {0})), r(2));
        name("IndexSelectBackward0", x -> x.get(0).indexSelect(0, Jt.tensor(new long[] {0})), r(2));
        name("MaskedFillBackward0", x -> x.get(0).maskedFill(Jt.tensor(new boolean[] {true, false}), 0), r(2));
        name("MaskedSelectBackward0", x -> x.get(0).maskedSelect(Jt.tensor(new boolean[] {true, false})), r(2));
        name("IndexBackward0", x -> x.get(0).index(Jt.tensor(new long[] {1})), r(2));
        name("ScatterAddBackward0", x -> x.get(0).scatterAdd(0, Jt.tensor(new long[] {1}), x.get(0)), r(2));
    }

    @Test
    void gradCheckCatchesAWrongRule() {
        Function<List<Tensor>, Tensor> wrong = x -> Autograd.record("WrongBackward0", x.get(0).detach().sum(), List.of(x.get(0)),
                List.of(), (g, s) -> List.of(g.expand(3).add(g.expand(3))));
        assertThrows(AssertionFailedError.class, () -> check(wrong, false, r(3)));
    }

    @Test
    void maxDimIndicesAreNotDifferentiable() {
        Tensor x = r(3, 4).requiresGrad_(true);
        var res = x.max(1);
        assertEquals(DType.INT64, res.indices().dtype());
        assertEquals(false, res.indices().requiresGrad());
        res.values().sum().backward();
        double[] g = x.grad().toDoubleArray();
        long[] at = res.indices().toLongArray();
        double[] want = new double[12];
        for (int i = 0; i < 3; i++) want[i * 4 + (int) at[i]] = 1;
        assertArrayEquals(want, g);
    }
}
