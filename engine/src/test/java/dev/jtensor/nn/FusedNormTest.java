package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.ops.LayerNorms;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused layer norm ({@link Jt#layerNorm}: one kernel and one node, {@code NativeLayerNormBackward0}) and GELU's fused
 * backward against their composites: values and gradients (float32 and float64, with and without affine parameters,
 * transposed inputs, several trailing dims), finite differences in float64 for every subset of inputs, and double
 * backward (createGraph) equal to the composite's. The PyTorch goldens of LayerNorm and GELU are in LayerGoldenTest.
 */
class FusedNormTest {
    private static Tensor randn(long seed, DType t, long... shape) { return Jt.randn(shape, t, new Generator(seed)); }

    private static List<Tensor> valueAndGrads(Tensor out, List<Tensor> leaves, long seed) {
        Tensor w = randn(seed, out.dtype(), out.shape().toArray());
        List<Tensor> present = new ArrayList<>();
        for (Tensor l : leaves) if (l != null) present.add(l);
        List<Tensor> r = new ArrayList<>(List.of(out.detach()));
        r.addAll(Autograd.grad(List.of(out), present, List.of(w), false, false));
        return r;
    }

    private static Tensor leaf(Tensor t) { return t == null ? null : t.detach().clone().requiresGrad_(true); }

    @Test
    void layerNormEqualsTheComposite() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
            for (boolean affine : new boolean[] {true, false}) {
                for (boolean transposed : new boolean[] {false, true}) {
                    for (long[] norm : new long[][] {{48}, {6, 8}}) {
                        long[] shape = norm.length == 1 ? new long[] {5, 7, 48} : new long[] {5, 6, 8};
                        Tensor x = transposed && norm.length == 1 ? randn(1, t, 7, 5, 48).transpose(0, 1) : randn(1, t, shape).mul(3).add(1);
                        Tensor w = affine ? randn(2, t, norm) : null, b = affine ? randn(3, t, norm) : null;
                        List<Tensor> l1 = java.util.Arrays.asList(leaf(x), leaf(w), leaf(b)), l2 = java.util.Arrays.asList(leaf(x), leaf(w), leaf(b));
                        Tensor fused = Jt.layerNorm(l1.get(0), norm, l1.get(1), l1.get(2), 1e-5);
                        if (l1.get(0).numel() > 0) assertEquals("NativeLayerNormBackward0", fused.gradFn().name());
                        Tensor comp = LayerNorms.composite(l2.get(0), norm.length, l2.get(1), l2.get(2), 1e-5);
                        List<Tensor> a = valueAndGrads(fused, l1, 9), c = valueAndGrads(comp, l2, 9);
                        for (int i = 0; i < a.size(); i++) {
                            GoldenSeq.assertClose(c.get(i), a.get(i), tol, tol, t + " affine=" + affine + " transposed=" + transposed + " "
                                    + java.util.Arrays.toString(norm) + " result " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void layerNormGradCheckEverySubsetAndDoubleBackward() {
        Tensor x = randn(4, DType.FLOAT64, 3, 5), w = randn(5, DType.FLOAT64, 5), b = randn(6, DType.FLOAT64, 5);
        GradCheck.check(t -> Jt.layerNorm(t.get(0), new long[] {5}, t.get(1), t.get(2), 1e-5), x, w, b);
        // double backward: the recording pass differentiates the composite
        Tensor[] f = {leaf(x), leaf(w), leaf(b)}, c = {leaf(x), leaf(w), leaf(b)};
        Tensor gOut = randn(7, DType.FLOAT64, 3, 5);
        List<Tensor> gf = Autograd.grad(List.of(Jt.layerNorm(f[0], new long[] {5}, f[1], f[2], 1e-5)), List.of(f), List.of(gOut), true, true);
        List<Tensor> gc = Autograd.grad(List.of(LayerNorms.composite(c[0], 1, c[1], c[2], 1e-5)), List.of(c), List.of(gOut), true, true);
        Tensor sf = gf.get(0).square().sum().add(gf.get(1).square().sum()), sc = gc.get(0).square().sum().add(gc.get(1).square().sum());
        List<Tensor> hf = Autograd.grad(List.of(sf), List.of(f[0], f[1]), null, false, false);
        List<Tensor> hc = Autograd.grad(List.of(sc), List.of(c[0], c[1]), null, false, false);
        for (int i = 0; i < 2; i++) GoldenSeq.assertClose(hc.get(i), hf.get(i), 1e-10, 1e-12, "second derivative " + i);
    }

    @Test
    void layerNormShapeErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jt.layerNorm(Jt.randn(2, 3), new long[] {4}, null, null, 1e-5));
        assertEquals("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size [2, 3]", e.getMessage());
        Tensor empty = Jt.layerNorm(Jt.zeros(0, 4), new long[] {4}, Jt.ones(4), Jt.zeros(4), 1e-5);
        assertEquals(List.of(0L, 4L), List.of(empty.size(0), empty.size(1)));
    }

    @Test
    void geluBackwardEqualsTheComposite() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (String approximate : new String[] {"none", "tanh"}) {
                Tensor x = randn(8, t, 33, 40).mul(3), g = randn(9, t, 33, 40);
                Tensor a = leaf(x), c = leaf(x);
                Tensor fused = Autograd.grad(List.of(a.gelu(approximate)), List.of(a), List.of(g), false, false).get(0);
                // the composite: what a recording pass (createGraph) computes
                Tensor comp = Autograd.grad(List.of(c.gelu(approximate)), List.of(c), List.of(g), true, true).get(0).detach();
                double tol = t == DType.FLOAT32 ? 2e-6 : 1e-13;
                GoldenSeq.assertClose(comp, fused, tol, tol, "gelu backward " + t + " " + approximate);
            }
        }
        GradCheck.check(t -> t.get(0).gelu("none"), randn(10, DType.FLOAT64, 4, 3));
        GradCheck.check(t -> t.get(0).gelu("tanh"), randn(11, DType.FLOAT64, 4, 3));
    }
}
