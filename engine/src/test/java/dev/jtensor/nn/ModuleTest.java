package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module plumbing (names, modes, state dicts) and PyTorch-identical initialisation. */
class ModuleTest {
    static final GoldenNn INIT = GoldenNn.of("init.tsv");

    /** A module with nn.Linear's parameters and init, without its forward. */
    static final class Affine extends Module {
        final Tensor weight, bias;

        Affine(long in, long out) {
            weight = registerParameter("weight", zeros(out, in));
            bias = registerParameter("bias", zeros(out));
            Init.kaimingUniform_(weight, Math.sqrt(5));
            Init.uniform_(bias, -1 / Math.sqrt(in), 1 / Math.sqrt(in));
        }

        @Override
        public Tensor forward(Tensor input) { return input; }
    }

    static final class Block extends Module {
        Block() {
            registerModule("inner", new Sequential(new Affine(2, 3), new Affine(3, 1)));
            registerParameter("scale", ones(1));
            registerBuffer("steps", zeros(1));
        }

        @Override
        public Tensor forward(Tensor input) { return input; }
    }

    @Test
    void kaimingUniformInitMatchesTorchLinear() {
        manualSeed(42);
        Affine a = new Affine(3, 2);
        INIT.assertClose("linear_3_2.weight", a.weight, 0, 0);
        INIT.assertClose("linear_3_2.bias", a.bias, 0, 0);
        manualSeed(0);
        Sequential seq = new Sequential(new Affine(4, 8), new Affine(8, 3));
        Map<String, Tensor> sd = seq.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(sd.keySet()));
        INIT.assertClose("seq.0.weight", sd.get("0.weight"), 0, 0);
        INIT.assertClose("seq.2.bias", sd.get("1.bias"), 0, 0);
        manualSeed(1);
        Affine big = new Affine(784, 256);
        double[] head = INIT.values("linear_784_256.weight_head");
        double[] got = big.weight.toDoubleArray();
        for (int i = 0; i < head.length; i++) assertEquals(head[i], got[i], 0, "weight[" + i + "]");
        INIT.assertClose("linear_784_256.bias", big.bias, 0, 0);
    }

    @Test
    void normalInitMatchesTorchEmbedding() {
        manualSeed(3);
        Tensor w = zeros(10, 4);
        Init.normal_(w, 0, 1);
        // PyTorch draws 16 normals at a time in float SIMD math (Sleef); the core computes them in double
        INIT.assertClose("embedding_10_4.weight", w, 1e-5, 1e-6);
    }

    @Test
    void namesComposeAsPyTorchStateDict() {
        Block b = new Block();
        assertEquals(List.of("scale", "inner.0.weight", "inner.0.bias", "inner.1.weight", "inner.1.bias"),
                List.copyOf(b.namedParameters().keySet()));
        assertEquals(List.of("scale", "steps", "inner.0.weight", "inner.0.bias", "inner.1.weight", "inner.1.bias"),
                List.copyOf(b.stateDict().keySet()));
        assertEquals(5, b.parameters().size());
        assertEquals(4, b.modules().size());
        assertTrue(b.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void trainAndEvalAreRecursive() {
        Block b = new Block();
        assertTrue(b.isTraining());
        b.eval();
        assertTrue(b.modules().stream().noneMatch(Module::isTraining));
        b.train();
        assertTrue(b.modules().stream().allMatch(Module::isTraining));
    }

    @Test
    void loadStateDictCopiesInPlaceAndChecksKeysAndShapes() {
        Block a = new Block(), b = new Block();
        Tensor target = b.namedParameters().get("inner.0.weight");
        b.loadStateDict(a.stateDict());
        assertSame(target, b.namedParameters().get("inner.0.weight"));
        assertArrayEquals(a.namedParameters().get("inner.0.weight").toDoubleArray(), target.toDoubleArray());
        Map<String, Tensor> missing = new java.util.LinkedHashMap<>(a.stateDict());
        missing.remove("scale");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(missing));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"scale\""), e.getMessage());
        Map<String, Tensor> wrong = new java.util.LinkedHashMap<>(a.stateDict());
        wrong.put("scale", ones(2));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong));
        assertTrue(e.getMessage().contains("size mismatch for scale"), e.getMessage());
    }

    @Test
    void zeroGradDropsOrZeroes() {
        Block b = new Block();
        Tensor p = b.parameters().get(0);
        p.setGrad(ones(1));
        b.zeroGrad(false);
        assertEquals(0.0, p.grad().item());
        b.zeroGrad();
        assertNull(p.grad());
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { registerParameter("a.b", ones(1)); }

            @Override
            public Tensor forward(Tensor input) { return input; }
        });
        Sequential s = new Sequential();
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(0));
        assertFalse(s.namedChildren().containsKey("0"));
    }
}
