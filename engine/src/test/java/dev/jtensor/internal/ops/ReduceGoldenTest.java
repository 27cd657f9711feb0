package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.testing.GoldenReduce;
import dev.jtensor.testing.GoldenReduce.Case;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of golden/reduce/cases.txt (made by PyTorch, see make_reduce.py) run through jtensor. */
class ReduceGoldenTest {
    static Stream<Case> cases() throws Exception {
        return GoldenReduce.load("/golden/reduce/cases.txt").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Case c) {
        List<Tensor> in = c.inputs().stream().map(GoldenReduce.Data::tensor).toList();
        List<Tensor> out = run(c, in);
        assertEquals(c.outputs().size(), out.size(), "number of outputs");
        for (int k = 0; k < out.size(); k++) {
            GoldenReduce.Data want = c.outputs().get(k);
            Tensor got = out.get(k);
            assertEquals(want.dtype(), got.dtype(), "dtype of output " + k);
            assertArrayEquals(want.shape(), got.shape().toArray(), "shape of output " + k);
            double[] g = got.toDoubleArray();
            double tol = switch (got.dtype()) {
                case FLOAT32 -> 2e-6;
                case FLOAT64 -> 1e-12;
                default -> 0;
            };
            for (int i = 0; i < g.length; i++) {
                double w = want.values()[i];
                boolean same = Double.compare(w, g[i]) == 0 || Math.abs(w - g[i]) <= tol * Math.max(1, Math.abs(w));
                assertTrue(same, "output " + k + " element " + i + ": expected " + w + " got " + g[i]);
            }
        }
    }

    static List<Tensor> run(Case c, List<Tensor> in) {
        Tensor x = in.get(0);
        return switch (c.op()) {
            case "sum" -> List.of(c.arg("dims") == null ? x.sum() : x.sum(c.dims("dims"), c.flag("keepdim")));
            case "mean" -> List.of(c.arg("dims") == null ? x.mean() : x.mean(c.dims("dims"), c.flag("keepdim")));
            case "prod" -> List.of(c.arg("dim") == null ? x.prod() : x.prod(c.intArg("dim"), c.flag("keepdim")));
            case "amax" -> List.of(x.amax(c.dims("dims"), c.flag("keepdim")));
            case "amin" -> List.of(x.amin(c.dims("dims"), c.flag("keepdim")));
            case "max_dim" -> pair(x.max(c.intArg("dim"), c.flag("keepdim")));
            case "min_dim" -> pair(x.min(c.intArg("dim"), c.flag("keepdim")));
            case "max" -> List.of(x.max());
            case "argmax" -> List.of(x.argmax());
            case "argmin_dim" -> List.of(x.argmin(c.intArg("dim"), c.flag("keepdim")));
            case "all" -> List.of(x.all(c.intArg("dim")));
            case "any" -> List.of(x.any(c.intArg("dim")));
            case "cumsum" -> List.of(x.cumsum(c.intArg("dim")));
            case "cumprod" -> List.of(x.cumprod(c.intArg("dim")));
            case "var" -> List.of(x.var(c.dims("dims"), Double.parseDouble(c.arg("correction")), c.flag("keepdim")));
            case "std" -> List.of(x.std(c.dims("dims"), Double.parseDouble(c.arg("correction")), c.flag("keepdim")));
            case "norm" -> List.of(x.norm(Double.parseDouble(c.arg("p").replace("inf", "Infinity")), c.dims("dims"), c.flag("keepdim")));
            case "logsumexp" -> List.of(x.logsumexp(c.dims("dims"), c.flag("keepdim")));
            case "softmax" -> List.of(x.softmax(c.intArg("dim")));
            case "log_softmax" -> List.of(x.logSoftmax(c.intArg("dim")));
            case "cat" -> List.of(Jt.cat(third(c, in), c.intArg("dim")));
            case "stack" -> List.of(Jt.stack(in, c.intArg("dim")));
            case "gather" -> List.of(x.gather(c.intArg("dim"), in.get(1)));
            case "scatter" -> List.of(x.scatter(c.intArg("dim"), in.get(1), in.get(2)));
            case "scatter_value" -> List.of(x.scatter(c.intArg("dim"), in.get(1), Double.parseDouble(c.arg("value"))));
            case "scatter_add" -> List.of(x.scatterAdd(c.intArg("dim"), in.get(1), in.get(2)));
            case "index_select" -> List.of(x.indexSelect(c.intArg("dim"), in.get(1)));
            case "masked_fill" -> List.of(x.maskedFill(in.get(1), Double.parseDouble(c.arg("value"))));
            case "masked_select" -> List.of(x.maskedSelect(in.get(1)));
            case "index" -> List.of(x.index(in.get(1)));
            case "index_put" -> List.of(x.clone().indexPut_(in.get(1), in.get(2), c.flag("accumulate")));
            default -> throw new IllegalArgumentException("unknown golden op " + c.op());
        };
    }

    private static List<Tensor> pair(ValuesIndices r) { return List.of(r.values(), r.indices()); }

    private static List<Tensor> third(Case c, List<Tensor> in) {
        if (!"t".equals(c.arg("third"))) return in;
        return List.of(in.get(0), in.get(1), in.get(2).transpose(0, 1));
    }
}
