package dev.jtensor.nn;

import static dev.jtensor.testing.Parity2Golden.check;
import static dev.jtensor.testing.Parity2Golden.grads;
import static dev.jtensor.testing.Parity2Golden.in;
import static dev.jtensor.testing.Parity2Golden.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20's losses against PyTorch 1.13 (golden/nn/parity2.tsv): cross entropy and NLL with K-dimensional
 * inputs, class weights (PyTorch's weighted mean), ignore_index, label smoothing, class-probability targets,
 * every reduction; BCE and BCE-with-logits with weight, pos_weight and the gradient of the target. Values
 * and gradients on every device, through F and the modules; finite differences in float64 on the inputs.
 */
class Parity2LossTest {
    static final String DEVICES = "dev.jtensor.testing.Devices#available";
    static final double TOL = 1e-12;

    static Reduction reduction(String name) { return Reduction.valueOf(name.toUpperCase()); }

    static void gradCheck(Device device, Function<List<Tensor>, Tensor> f, Tensor... float64Inputs) {
        GradCheck.check(xs -> f.apply(xs.stream().map(t -> t.to(device)).toList()).to(Device.CPU), float64Inputs);
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void crossEntropyOfKDimensionalInputsWithWeightsIgnoreIndexAndSmoothing(Device d) {
        Tensor target = in("ce/target", d), weight = in("ce/weight", d);
        for (String red : new String[] {"none", "mean", "sum"}) {
            for (double ls : new double[] {0.0, 0.2}) {
                for (boolean weighted : new boolean[] {true, false}) {
                    String name = "ce/" + red + "_" + ls + "_" + (weighted ? "w" : "nw");
                    Tensor logits = leaf("ce/logits", d);
                    Tensor w = weighted ? weight : null;
                    Tensor out = ls == 0 && !weighted && red.equals("mean") ? F.crossEntropy(logits, target)
                            : F.crossEntropy(logits, target, w, -100, reduction(red), ls);
                    check(name, out.cpu(), TOL, TOL);
                    check(name + "/grad_input", grads(out, logits).get(0).cpu(), TOL, TOL);
                    Tensor viaModule = new CrossEntropyLoss(w, -100, reduction(red), ls).forward(logits, target);
                    check(name, viaModule.cpu(), TOL, TOL);
                }
            }
            Tensor logits = leaf("ce/logits", d);
            Tensor out = F.crossEntropy(logits, target.clamp(0L, 2L), weight, 1, reduction(red), 0);
            check("ce/ignore1_" + red, out.cpu(), TOL, TOL);
            check("ce/ignore1_" + red + "/grad_input", grads(out, logits).get(0).cpu(), TOL, TOL);
            Tensor logp = in("ce/logits", d).logSoftmax(1).detach().requiresGrad_(true);
            Tensor nll = F.nllLoss(logp, target, weight, -100, reduction(red));
            check("nll/" + red, nll.cpu(), TOL, TOL);
            check("nll/" + red + "/grad_input", grads(nll, logp).get(0).cpu(), TOL, TOL);
            check("nll/" + red, new NLLLoss(weight, -100, reduction(red)).forward(logp, target).cpu(), TOL, TOL);
        }
        Tensor t = target;
        gradCheck(d, xs -> F.crossEntropy(xs.get(0), t.to(xs.get(0).device()), weight.to(xs.get(0).device()), -100, Reduction.MEAN, 0.2),
                in("ce/logits", Device.CPU));
        gradCheck(d, xs -> F.nllLoss(xs.get(0), t.to(xs.get(0).device()), weight.to(xs.get(0).device()), -100, Reduction.NONE),
                in("ce/logits", Device.CPU));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void crossEntropyWithClassProbabilityTargets(Device d) {
        Tensor weight = in("ce/weight", d);
        for (String red : new String[] {"none", "mean", "sum"}) {
            for (double ls : new double[] {0.0, 0.3}) {
                String name = "ce_prob/" + red + "_" + ls;
                Tensor logits = leaf("ce/logits", d), probs = leaf("ce_prob/target", d);
                Tensor out = new CrossEntropyLoss(weight, -100, reduction(red), ls).forward(logits, probs);
                check(name, out.cpu(), TOL, TOL);
                List<Tensor> g = grads(out, logits, probs);
                check(name + "/grad_input", g.get(0).cpu(), TOL, TOL);
                check(name + "/grad_target", g.get(1).cpu(), TOL, TOL);
            }
        }
        gradCheck(d, xs -> F.crossEntropy(xs.get(0), xs.get(1), weight.to(xs.get(0).device()), -100, Reduction.SUM, 0.3),
                in("ce/logits", Device.CPU), in("ce_prob/target", Device.CPU));
        Tensor one = leaf("ce_1d/input", d);
        Tensor out = F.crossEntropy(one, Jt.tensor(2L).to(d), 0.1);
        check("ce_1d/out", out.cpu(), TOL, TOL);
        check("ce_1d/grad_input", grads(out, one).get(0).cpu(), TOL, TOL);
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void classLossesRejectBadShapesAndTargets(Device d) {
        Tensor logits = in("ce/logits", d);
        var e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, Jt.zeros(new long[] {2, 2}, DType.INT64).to(d)));
        assertTrue(e.getMessage().contains("[2, 2, 2]"), e.getMessage());
        // a GPU reports at the download, the gather's record: "index 3 is out of bounds ... (reported by an earlier CUDA kernel ...)"
        var o = assertThrows(IndexOutOfBoundsException.class, () -> F.nllLoss(logits, Jt.full(new long[] {2, 2, 2}, 3, DType.INT64).to(d)).cpu());
        boolean gpu = !d.isCpu() && !Boolean.getBoolean("jtensor.cuda.emulate");
        assertTrue(o.getMessage().contains(gpu ? "index 3 is out of bounds" : "target 3 is out of bounds"), o.getMessage());
        var w = assertThrows(IllegalArgumentException.class, () -> new NLLLoss(Jt.ones(2).to(d), -100, Reduction.MEAN)
                .forward(logits, in("ce/target", d)));
        assertTrue(w.getMessage().contains("weight"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 1.5));
        Tensor allIgnored = F.nllLoss(logits, Jt.full(new long[] {2, 2, 2}, -100, DType.INT64).to(d));
        assertTrue(Double.isNaN(allIgnored.item()), "mean over no counted target is NaN, as PyTorch");
        assertEquals(List.of("weight"), List.copyOf(new CrossEntropyLoss(in("ce/weight", d), -100, Reduction.MEAN, 0)
                .stateDict().keySet()));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void binaryCrossEntropyGivesTheTargetItsGradient(Device d) {
        Tensor weight = in("bce/weight", d), posWeight = in("bce/pos_weight", d);
        for (String red : new String[] {"none", "mean", "sum"}) {
            Tensor p = leaf("bce/p", d), y = leaf("bce/y", d);
            Tensor out = new BCELoss(weight, reduction(red)).forward(p, y);
            check("bce/" + red, out.cpu(), TOL, TOL);
            List<Tensor> g = grads(out, p, y);
            check("bce/" + red + "/grad_input", g.get(0).cpu(), TOL, TOL);
            check("bce/" + red + "/grad_target", g.get(1).cpu(), TOL, TOL);

            p = leaf("bce/p", d);
            y = leaf("bce/y", d);
            Tensor logits = p.mul(6.0).sub(3.0);
            out = new BCEWithLogitsLoss(weight, reduction(red), posWeight).forward(logits, y);
            check("bcel/" + red, out.cpu(), TOL, TOL);
            g = grads(out, p, y);
            check("bcel/" + red + "/grad_input", g.get(0).cpu(), TOL, TOL);
            check("bcel/" + red + "/grad_target", g.get(1).cpu(), TOL, TOL);

            p = leaf("bce/p", d);
            y = leaf("bce/y", d);
            out = F.binaryCrossEntropyWithLogits(p.mul(6.0).sub(3.0), y, reduction(red));
            check("bcel_plain/" + red, out.cpu(), TOL, TOL);
            g = grads(out, p, y);
            check("bcel_plain/" + red + "/grad_input", g.get(0).cpu(), TOL, TOL);
            check("bcel_plain/" + red + "/grad_target", g.get(1).cpu(), TOL, TOL);
        }
        gradCheck(d, xs -> F.binaryCrossEntropy(xs.get(0), xs.get(1), weight.to(xs.get(0).device()), Reduction.MEAN),
                in("bce/p", Device.CPU), in("bce/y", Device.CPU));
        gradCheck(d, xs -> F.binaryCrossEntropyWithLogits(xs.get(0), xs.get(1), weight.to(xs.get(0).device()), Reduction.NONE,
                posWeight.to(xs.get(0).device())), in("bce/p", Device.CPU).mul(6.0).sub(3.0), in("bce/y", Device.CPU));
        gradCheck(d, xs -> F.binaryCrossEntropyWithLogits(xs.get(0), xs.get(1), Reduction.SUM),
                in("bce/p", Device.CPU), in("bce/y", Device.CPU));
        assertEquals(List.of("pos_weight"), List.copyOf(new BCEWithLogitsLoss(null, Reduction.MEAN, posWeight).stateDict().keySet()));
    }
}
