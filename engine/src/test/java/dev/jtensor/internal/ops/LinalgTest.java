package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dot/mv/mm/matmul/bmm/outer/addmm/baddbmm against PyTorch (golden/linalg/cases.tsv, made by
 * engine/src/test/golden/make_linalg.py): values for every matmul shape rule, dtypes, strided and empty
 * operands; for float64 also the gradients and the grad_fn name. Other behaviour is in
 * LinalgBehaviourTest.
 */
class LinalgTest {

    record Case(String[] row) {
        String name() { return row[0]; }
        String op() { return row[1]; }
        DType dtype() { return DType.valueOf(row[2]); }
        double beta() { return Double.parseDouble(row[3]); }
        double alpha() { return Double.parseDouble(row[4]); }
        int inputs() { return op().equals("addmm") || op().equals("baddbmm") ? 3 : 2; }
        String outShape() { return row[14]; }
        String outValues() { return row[15]; }
        String gradOut() { return row[16]; }
        String grad(int i) { return row[17 + i]; }
        String gradFn() { return row.length > 20 ? row[20] : ""; }
        @Override public String toString() { return name(); }
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = LinalgTest.class.getResourceAsStream("/golden/linalg/cases.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Case> out = new ArrayList<>();
            for (String line : text.split("\n")) if (!line.isBlank()) out.add(new Case(line.split("\t", -1)));
            return out;
        }
    }

    static Stream<Arguments> allCases() throws IOException {
        return cases().stream().map(Arguments::of);
    }

    static Stream<Arguments> gradCases() throws IOException {
        return cases().stream().filter(c -> !c.gradOut().isEmpty()).map(Arguments::of);
    }

    static long[] dims(String shape) {
        return shape.isEmpty() ? new long[0] : Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** A contiguous tensor of {@code dtype} from the golden text (floats parsed as doubles, then rounded exactly). */
    static Tensor build(DType d, String shape, String values) {
        String[] v = values.isEmpty() ? new String[0] : values.split(",");
        Tensor flat;
        if (d.isFloatingPoint()) {
            double[] a = new double[v.length];
            for (int i = 0; i < v.length; i++) a[i] = Double.parseDouble(v[i]);
            flat = tensor(a, DType.FLOAT64).to(d);
        } else {
            long[] a = new long[v.length];
            for (int i = 0; i < v.length; i++) a[i] = Long.parseLong(v[i]);
            flat = tensor(a, d);
        }
        return flat.reshape(dims(shape)).detach();
    }

    /** The operand made from its base as the script does (see make_linalg.py for the recipes). */
    static Tensor recipe(Tensor base, String recipe) {
        if (recipe.isEmpty()) return base;
        if (recipe.equals("mT")) return base.mT();
        if (recipe.startsWith("step")) {
            String[] p = recipe.substring(4).split(":");
            int dim = Integer.parseInt(p[0]);
            return base.slice(dim, 0, Long.MAX_VALUE, Long.parseLong(p[1]));
        }
        if (recipe.startsWith("expand:")) return base.expand(dims(recipe.substring(7)));
        throw new IllegalArgumentException("unknown recipe " + recipe);
    }

    static Tensor run(Case c, List<Tensor> in) {
        return switch (c.op()) {
            case "dot" -> in.get(0).dot(in.get(1));
            case "mv" -> in.get(0).mv(in.get(1));
            case "mm" -> in.get(0).mm(in.get(1));
            case "matmul" -> in.get(0).matmul(in.get(1));
            case "bmm" -> in.get(0).bmm(in.get(1));
            case "outer" -> in.get(0).outer(in.get(1));
            case "addmm" -> addmm(in.get(0), in.get(1), in.get(2), c.beta(), c.alpha());
            case "baddbmm" -> baddbmm(in.get(0), in.get(1), in.get(2), c.beta(), c.alpha());
            default -> throw new IllegalArgumentException(c.op());
        };
    }

    /** The operands; with {@code bases} non-null, base leaves requiring grad are added to it. */
    static List<Tensor> operands(Case c, List<Tensor> bases) {
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < c.inputs(); i++) {
            Tensor base = build(c.dtype(), c.row()[5 + 3 * i], c.row()[6 + 3 * i]);
            if (bases != null) {
                base.requiresGrad_(true);
                bases.add(base);
            }
            in.add(recipe(base, c.row()[7 + 3 * i]));
        }
        return in;
    }

    /**
     * Per-dtype tolerance relative to the result's magnitude: float32 1e-5, float64 1e-12, float16 and
     * bfloat16 one unit in the last place of the largest value (BLAS may sum in another order than
     * PyTorch, which moves the float32 sum by an ulp and can flip a rounding to the half type).
     */
    static void assertClose(DType d, String shape, String expectedValues, Tensor got, String what) {
        assertArrayEquals(dims(shape), got.shape().toArray(), what + ": shape");
        assertEquals(d, got.dtype(), what + ": dtype");
        if (!d.isFloatingPoint()) {
            assertArrayEquals(build(d, shape, expectedValues).toLongArray(), got.toLongArray(), what);
            return;
        }
        double[] want = build(DType.FLOAT64, shape, expectedValues).toDoubleArray(), have = got.toDoubleArray();
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        double rel = switch (d) {
            case FLOAT32 -> 1e-5;
            case FLOAT64 -> 1e-12;
            case FLOAT16 -> 0x1p-10;
            default -> 0x1p-7;
        };
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], have[i], rel * scale, what + " [" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void forwardMatchesPyTorch(Case c) {
        Tensor out = run(c, operands(c, null));
        assertClose(c.dtype(), c.outShape(), c.outValues(), out, c.name());
        assertTrue(out.isContiguous(), "results are contiguous");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCases")
    void gradientsAndNodeNameMatchPyTorch(Case c) {
        List<Tensor> bases = new ArrayList<>();
        List<Tensor> in = operands(c, bases);
        for (Tensor t : in) t.retainGrad();
        Tensor out = run(c, in);
        assertEquals(c.gradFn(), out.gradFn().name(), c.name() + ": grad_fn");
        out.backward(build(DType.FLOAT64, c.outShape(), c.gradOut()));
        for (int i = 0; i < in.size(); i++) {
            String shape = String.join(",", Arrays.stream(in.get(i).shape().toArray()).mapToObj(Long::toString).toList());
            assertClose(DType.FLOAT64, shape, c.grad(i), in.get(i).grad(), c.name() + ": grad of input " + i);
        }
    }
}
