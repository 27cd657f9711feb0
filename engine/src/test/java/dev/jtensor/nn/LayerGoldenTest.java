package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layers' outputs and gradients against torch.nn (golden/nn/modules.tsv). */
class LayerGoldenTest {
    static final GoldenNn G = GoldenNn.of("modules.tsv");

    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of("relu", (Supplier<Module>) ReLU::new),
                Arguments.of("sigmoid", (Supplier<Module>) Sigmoid::new),
                Arguments.of("tanh", (Supplier<Module>) Tanh::new),
                Arguments.of("gelu", (Supplier<Module>) GELU::new),
                Arguments.of("gelu_tanh", (Supplier<Module>) () -> new GELU(true)),
                Arguments.of("softmax", (Supplier<Module>) () -> new Softmax(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationMatchesTorch(String name, Supplier<Module> make) {
        Tensor x = G.tensor("x").requiresGrad_(true);
        Tensor y = make.get().forward(x);
        G.assertClose(name + ".out", y, 1e-5, 1e-6);
        y.mul(G.tensor("u")).sum().backward();
        G.assertClose(name + ".grad", x.grad(), 1e-5, 1e-6);
    }

    @Test
    void linearMatchesTorch() {
        manualSeed(42);
        Linear lin = new Linear(5, 3);
        Tensor x = G.tensor("x").requiresGrad_(true);
        Tensor y = lin.forward(x);
        assertEquals("AddmmBackward0", y.gradFn().name());
        // tolerances, not bits: the product runs on OpenBLAS, whose summation order varies by CPU kernel
        G.assertClose("linear.out", y, 1e-5, 1e-6);
        y.mul(G.tensor("linear.v")).sum().backward();
        G.assertClose("linear.grad", x.grad(), 1e-5, 1e-6);
        G.assertClose("linear.weight_grad", lin.weight().grad(), 1e-5, 1e-6);
        G.assertClose("linear.bias_grad", lin.bias().grad(), 1e-5, 1e-6);
        assertEquals("Linear(in_features=5, out_features=3, bias=True)", lin.toString());
    }

    @Test
    void layerNormMatchesTorch() {
        LayerNorm ln = new LayerNorm(5);
        ln.loadStateDict(java.util.Map.of("weight", G.tensor("layernorm.weight"), "bias", G.tensor("layernorm.bias")));
        Tensor x = G.tensor("x").requiresGrad_(true);
        Tensor y = ln.forward(x);
        G.assertClose("layernorm.out", y, 1e-5, 1e-5);
        y.mul(G.tensor("u")).sum().backward();
        G.assertClose("layernorm.grad", x.grad(), 1e-4, 1e-5);
        G.assertClose("layernorm.weight_grad", ln.weight().grad(), 1e-5, 1e-5);
        G.assertClose("layernorm.bias_grad", ln.bias().grad(), 1e-5, 1e-5);
    }

    @Test
    void embeddingMatchesTorch() {
        manualSeed(3);
        Embedding emb = new Embedding(10, 4);
        Tensor y = emb.forward(G.tensor("embedding.idx"));
        G.assertClose("embedding.out", y, 1e-5, 1e-6);
        y.mul(G.tensor("embedding.w")).sum().backward();
        G.assertClose("embedding.weight_grad", emb.weight().grad(), 1e-5, 1e-6);
    }

    @Test
    void dropoutScalesInTrainingAndIsIdentityInEval() {
        manualSeed(0);
        Dropout d = new Dropout(0.25);
        Tensor x = ones(10000);
        double[] y = d.forward(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.75, v, 1e-6);
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
        d.eval();
        assertEquals(x, d.forward(x));
        assertNotEquals(0, zeros);
    }
}
