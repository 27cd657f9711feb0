package dev.jtensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 14: RMSprop, Adagrad and the schedulers, step by step against torch.optim (golden/nn/parity.tsv). */
class ParityOptimizerGoldenTest {
    static final GoldenNn G = GoldenNn.of("parity.tsv");

    static Stream<Arguments> configs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String tag : List.of("f32", "f64")) {
            b.add(Arguments.of(tag, "rmsprop", (Function<List<Tensor>, Optimizer>) p -> new RMSprop(p, 0.01)));
            b.add(Arguments.of(tag, "rmsprop_momentum_centered", (Function<List<Tensor>, Optimizer>) p ->
                    new RMSprop(p, 0.01).alpha(0.9).eps(1e-6).momentum(0.9).centered(true)));
            b.add(Arguments.of(tag, "rmsprop_wd",
                    (Function<List<Tensor>, Optimizer>) p -> new RMSprop(p, 0.02).weightDecay(0.1).momentum(0.5)));
            b.add(Arguments.of(tag, "adagrad", (Function<List<Tensor>, Optimizer>) p -> new Adagrad(p, 0.1)));
            b.add(Arguments.of(tag, "adagrad_decay_wd_init", (Function<List<Tensor>, Optimizer>) p ->
                    new Adagrad(p, 0.1).lrDecay(0.01).weightDecay(0.1).initialAccumulatorValue(0.5).eps(1e-6)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("configs")
    void matchesTorchOptimStepByStep(String tag, String name, Function<List<Tensor>, Optimizer> make) {
        // float32: PyTorch's ops in its order and rounding, bit for bit; float64 within a few ulps
        // (PyTorch's vectorised float64 loops may contract differently from Java's plain double ops)
        OptimizerGoldenTest.assertStepsMatchTorch(G, tag, name, make, tag.equals("f32") ? 0 : 1e-14);
    }

    static void assertRates(String golden, LRScheduler sched, Optimizer opt, double rtol) {
        double[] want = G.values(golden);
        for (int e = 0; e < want.length; e++) {
            opt.step();
            sched.step();
            assertEquals(want[e], sched.lastLr(), rtol * Math.abs(want[e]), golden + " epoch " + e);
        }
    }

    static SGD sgd() { return new SGD(List.of(Jt.zeros(1).requiresGrad_(true)), 0.1); }

    @Test
    void schedulersMatchTorch() {
        SGD a = sgd();
        assertRates("multisteplr_2_5_0.5", new MultiStepLR(a, new int[] {2, 5, 5}, 0.5), a, 0);
        SGD b = sgd();
        assertRates("exponentiallr_0.9", new ExponentialLR(b, 0.9), b, 0);
        SGD c = sgd();
        // Math.cos and glibc's cos may differ in the last bit
        assertRates("cosine_5_0.01", new CosineAnnealingLR(c, 5, 0.01), c, 1e-14);
        SGD d = sgd();
        assertRates("lambdalr_0.95pow", new LambdaLR(d, e -> Math.pow(0.95, e)), d, 1e-15);
    }

    static void assertPlateau(String golden, Supplier<SGD> make, Function<SGD, ReduceLROnPlateau> sched) {
        SGD opt = make.get();
        ReduceLROnPlateau s = sched.apply(opt);
        double[] metrics = G.values("plateau_metrics"), want = G.values(golden);
        for (int e = 0; e < want.length; e++) {
            s.step(metrics[e]);
            assertEquals(want[e], s.lastLr(), 0, golden + " epoch " + e);
        }
    }

    @Test
    void reduceOnPlateauMatchesTorch() {
        assertPlateau("plateau_min_p2", ParityOptimizerGoldenTest::sgd, o -> new ReduceLROnPlateau(o).patience(2).factor(0.5));
        assertPlateau("plateau_max_abs_cooldown", ParityOptimizerGoldenTest::sgd, o -> new ReduceLROnPlateau(o)
                .mode(ReduceLROnPlateau.Mode.MAX).patience(1).threshold(0.01, ReduceLROnPlateau.ThresholdMode.ABS)
                .cooldown(2).minLr(0.02));
    }

    @Test
    void badOptionsThrowAsTorch() {
        Tensor a = Jt.ones(2).requiresGrad_(true);
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(List.of(a), 0.1).alpha(-1));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(List.of(a), 0.1).lrDecay(-1));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(sgd(), new int[] {5, 2}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(sgd()).factor(1.0));
    }
}
