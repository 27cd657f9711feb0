package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each loss, each reduction: value and input gradient against torch.nn.functional (golden/nn/loss.tsv). */
class LossGoldenTest {
    static final GoldenNn G = GoldenNn.of("loss.tsv");

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Reduction r : Reduction.values()) {
            String rn = r.name().toLowerCase();
            b.add(Arguments.of("cross_entropy", rn, "logits", (BiFunction<Tensor, Reduction, Tensor>) (x, red) ->
                    F.crossEntropy(x, G.tensor("classes"), red)));
            b.add(Arguments.of("nll", rn, "logits", (BiFunction<Tensor, Reduction, Tensor>) (x, red) ->
                    F.nllLoss(x.logSoftmax(1), G.tensor("classes"), red)));
            b.add(Arguments.of("mse", rn, "pred", (BiFunction<Tensor, Reduction, Tensor>) (x, red) -> F.mseLoss(x, G.tensor("target"), red)));
            b.add(Arguments.of("l1", rn, "pred", (BiFunction<Tensor, Reduction, Tensor>) (x, red) -> F.l1Loss(x, G.tensor("target"), red)));
            b.add(Arguments.of("bce", rn, "probs", (BiFunction<Tensor, Reduction, Tensor>) (x, red) ->
                    F.binaryCrossEntropy(x, G.tensor("labels"), red)));
            b.add(Arguments.of("bce_logits", rn, "pred", (BiFunction<Tensor, Reduction, Tensor>) (x, red) ->
                    F.binaryCrossEntropyWithLogits(x, G.tensor("labels"), red)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void valueAndGradientMatchTorch(String name, String reduction, String input, BiFunction<Tensor, Reduction, Tensor> loss) {
        Tensor x = G.tensor(input).requiresGrad_(true);
        Tensor out = loss.apply(x, Reduction.valueOf(reduction.toUpperCase()));
        G.assertClose(name + "." + reduction + ".out", out, 1e-5, 1e-6);
        Tensor weights = Jt.arange(1, out.numel() + 1).to(out.dtype()).reshape(out.shape().toArray());
        out.mul(weights).sum().backward();
        G.assertClose(name + "." + reduction + ".grad", x.grad(), 1e-5, 1e-6);
    }

    @Test
    void nodeNamesAreTorchs() {
        Tensor x = G.tensor("pred").requiresGrad_(true);
        assertEquals("MseLossBackward0", new MSELoss().forward(x, G.tensor("target")).gradFn().name());
        assertEquals("NllLossBackward0", new CrossEntropyLoss().forward(G.tensor("logits").requiresGrad_(true), G.tensor("classes")).gradFn().name());
    }

    @Test
    void badTargetsThrow() {
        Tensor logits = G.tensor("logits");
        assertThrows(IndexOutOfBoundsException.class, () -> F.crossEntropy(logits, Jt.tensor(new long[] {0, 1, 9, 2})));
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, Jt.tensor(new long[] {0, 1})));
        assertThrows(IllegalArgumentException.class, () -> F.mseLoss(Jt.ones(3), Jt.ones(4)));
    }
}
