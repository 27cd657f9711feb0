package dev.jtensor.nn;

import static dev.jtensor.Jt.*;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Finite-difference checks (float64) of the backward rules nn defines itself, for every reduction. */
class NnGradCheckTest {
    static final Generator G = new Generator(11);

    static Tensor randn64(long... shape) { return randn(shape, DType.FLOAT64, G); }

    static Tensor rand64(long... shape) { return rand(shape, DType.FLOAT64, G); }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void regressionLosses(Reduction r) {
        Tensor x = randn64(3, 4), t = randn64(3, 4);
        GradCheck.check(in -> F.mseLoss(in.get(0), in.get(1), r), x, t);
        GradCheck.check(in -> F.l1Loss(in.get(0), in.get(1), r), x, t);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void classificationLosses(Reduction r) {
        Tensor logits = randn64(5, 4);
        Tensor target = tensor(new long[] {0, 3, 1, 1, 2});
        GradCheck.check(in -> F.crossEntropy(in.get(0), target, r), logits);
        GradCheck.check(in -> F.nllLoss(in.get(0).logSoftmax(1), target, r), logits);
        Tensor p = rand64(6).mul(0.8).add(0.1), y = rand64(6);
        GradCheck.check(in -> F.binaryCrossEntropy(in.get(0), y, r), p);
        GradCheck.check(in -> F.binaryCrossEntropyWithLogits(in.get(0), y, r), randn64(6));
    }

    @Test
    void nllIgnoresIgnoreIndex() {
        Tensor target = tensor(new long[] {0, -100, 2});
        GradCheck.check(in -> F.nllLoss(in.get(0), target, Reduction.MEAN, -100), randn64(3, 3));
    }

    @Test
    void activationsAndLayers() {
        Tensor x = randn64(4, 6);
        GradCheck.check(in -> F.gelu(in.get(0)), x);
        GradCheck.check(in -> F.geluTanh(in.get(0)), x);
        GradCheck.check(in -> F.linear(in.get(0), in.get(1), in.get(2)), x, randn64(3, 6), randn64(3));
        GradCheck.check(in -> F.layerNorm(in.get(0), new long[] {6}, in.get(1), in.get(2), 1e-5), x, randn64(6), randn64(6));
        Tensor idx = tensor(new long[][] {{0, 2}, {2, 1}});
        GradCheck.check(in -> F.embedding(idx, in.get(0)), randn64(3, 5));
    }
}
