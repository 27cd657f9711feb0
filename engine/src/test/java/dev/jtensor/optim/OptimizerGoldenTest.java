package dev.jtensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each optimizer, step by step, against torch.optim on the same parameters and gradients (golden/nn/optim.tsv). */
class OptimizerGoldenTest {
    static final GoldenNn G = GoldenNn.of("optim.tsv");

    static Stream<Arguments> configs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String tag : List.of("f32", "f64")) {
            b.add(Arguments.of(tag, "sgd", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1)));
            b.add(Arguments.of(tag, "sgd_momentum", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1).momentum(0.9)));
            b.add(Arguments.of(tag, "sgd_dampening_wd",
                    (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1).momentum(0.9).dampening(0.1).weightDecay(0.01)));
            b.add(Arguments.of(tag, "sgd_nesterov_wd",
                    (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.05).momentum(0.8).nesterov(true).weightDecay(0.1)));
            b.add(Arguments.of(tag, "sgd_maximize",
                    (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1).momentum(0.5).maximize(true)));
            b.add(Arguments.of(tag, "adam", (Function<List<Tensor>, Optimizer>) p -> new Adam(p, 0.01)));
            b.add(Arguments.of(tag, "adam_wd_amsgrad", (Function<List<Tensor>, Optimizer>) p ->
                    new Adam(p, 0.01).betas(0.8, 0.99).eps(1e-6).weightDecay(0.1).amsgrad(true)));
            b.add(Arguments.of(tag, "adamw", (Function<List<Tensor>, Optimizer>) p -> new AdamW(p, 0.01)));
            b.add(Arguments.of(tag, "adamw_amsgrad",
                    (Function<List<Tensor>, Optimizer>) p -> new AdamW(p, 0.02).weightDecay(0.5).amsgrad(true)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("configs")
    void matchesTorchOptimStepByStep(String tag, String name, Function<List<Tensor>, Optimizer> make) {
        // float32 matches PyTorch bit for bit; float64 within an ulp (pow and sqrt rounding)
        assertStepsMatchTorch(G, tag, name, make, tag.equals("f32") ? 0 : 1e-15);
    }

    /**
     * Two parameters from {@code g}'s {@code <tag>.init.*}, six steps with the recorded gradients, each step's
     * parameters compared with PyTorch's {@code <tag>.<name>.step<s>.*} within {@code rtol} (0: bit for bit).
     */
    static void assertStepsMatchTorch(GoldenNn g, String tag, String name, Function<List<Tensor>, Optimizer> make, double rtol) {
        Tensor p0 = g.tensor(tag + ".init.p0").requiresGrad_(true), p1 = g.tensor(tag + ".init.p1").requiresGrad_(true);
        Optimizer opt = make.apply(List.of(p0, p1));
        for (int s = 0; s < 6; s++) {
            p0.setGrad(g.tensor(tag + ".grad" + s + ".p0"));
            p1.setGrad(g.tensor(tag + ".grad" + s + ".p1"));
            opt.step();
            g.assertClose(tag + "." + name + ".step" + s + ".p0", p0, rtol, 0);
            g.assertClose(tag + "." + name + ".step" + s + ".p1", p1, rtol, 0);
        }
    }

    @Test
    void stepLrDecaysAsTorch() {
        Tensor w = dev.jtensor.Jt.zeros(1).requiresGrad_(true);
        SGD opt = new SGD(List.of(w), 0.1);
        StepLR sched = new StepLR(opt, 3, 0.1);
        double[] want = G.values("steplr_3_0.1");
        for (int e = 0; e < 10; e++) {
            opt.step();
            sched.step();
            assertEquals(want[e], sched.lastLr(), 0, "epoch " + e);
        }
    }

    @Test
    void parametersWithoutGradAreSkippedAndZeroGradClears() {
        Tensor a = dev.jtensor.Jt.ones(2).requiresGrad_(true), b = dev.jtensor.Jt.ones(2).requiresGrad_(true);
        SGD opt = new SGD(List.of(a, b), 0.5);
        a.setGrad(dev.jtensor.Jt.ones(2));
        opt.step();
        assertEquals(0.5, a.toDoubleArray()[0]);
        assertEquals(1.0, b.toDoubleArray()[0]);
        opt.zeroGrad(false);
        assertEquals(0.0, a.grad().toDoubleArray()[1]);
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void badOptionsThrowAsTorch() {
        Tensor a = dev.jtensor.Jt.ones(2).requiresGrad_(true);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), -1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(a), 0.1).betas(1.0, 0.9));
        a.setGrad(dev.jtensor.Jt.ones(2));
        SGD nesterov = new SGD(List.of(a), 0.1).nesterov(true);
        assertThrows(IllegalArgumentException.class, nesterov::step);
        Tensor ints = dev.jtensor.Jt.arange(3);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(ints), 0.1));
    }
}
