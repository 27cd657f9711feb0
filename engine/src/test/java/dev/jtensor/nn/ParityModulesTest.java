package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenRepr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: Flatten, Unflatten, Identity, containers, parameter and module printing, against PyTorch. */
class ParityModulesTest {
    static final GoldenRepr R = GoldenRepr.of("parity_repr.txt");

    @Test
    void modulesPrintAsPyTorch() {
        assertEquals(R.get("seq_linear_flatten"), new Sequential(new Linear(3, 1), new Flatten(0, 1)).toString());
        assertEquals(R.get("flatten_default"), new Flatten().toString());
        assertEquals(R.get("unflatten"), new Unflatten(1, 2, 5).toString());
        assertEquals("Unflatten(dim=0, unflattened_size=(4,))", new Unflatten(0, 4).toString());
        assertEquals(R.get("identity"), new Identity().toString());
        assertEquals(R.get("modulelist"), new ModuleList(new Linear(2, 2), new ReLU()).toString());
        Map<String, Module> d = new LinkedHashMap<>();
        d.put("lin", new Linear(2, 3));
        d.put("act", new ReLU());
        assertEquals(R.get("moduledict"), new ModuleDict(d).toString());
    }

    @Test
    void parametersPrintAsPyTorch() {
        manualSeed(42);
        Linear lin = new Linear(3, 2);
        assertEquals(R.get("parameter_weight"), lin.weight().toString());
        assertEquals(R.get("parameter_bias"), lin.bias().toString());
        assertTrue(Parameter.isParameter(lin.weight()));
        assertFalse(Parameter.isParameter(lin.weight().detach()));
        assertFalse(lin.weight().mul(2).toString().startsWith("Parameter"));
        Tensor p = Parameter.of(zeros(2));
        assertTrue(p.requiresGrad());
        assertEquals("Parameter containing:\ntensor([0., 0.], requires_grad=True)", p.toString());
    }

    @Test
    void flattenUnflattenIdentityShapes() {
        assertEquals(R.shape("flatten_out_shape"), new Flatten().forward(arange(24.0).reshape(2, 3, 4)).shape().toString());
        assertEquals(R.shape("unflatten_out_shape"), new Unflatten(1, 2, 5).forward(zeros(3, 10)).shape().toString());
        assertEquals("[3, 2, 5]", new Unflatten(-1, 2, -1).forward(zeros(3, 10)).shape().toString());
        Tensor x = ones(2);
        assertSame(x, new Identity().forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 3, 5).forward(zeros(3, 10)));
    }

    @Test
    void sequentialIsIndexableReplaceableIterable() {
        Sequential seq = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
        seq.set(2, new Linear(4, 3));
        assertEquals(R.get("seq_set_head"), seq.toString());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(seq.namedParameters().keySet()));
        assertTrue(seq.get(-1) instanceof Linear l && l.outFeatures() == 3);
        List<Module> seen = new ArrayList<>();
        for (Module m : seq) seen.add(m);
        assertEquals(3, seen.size());
        assertEquals("[2, 3]", seq.forward(ones(2, 2)).shape().toString());
        seq.set(-1, new Identity());
        assertEquals("[2, 4]", seq.forward(ones(2, 2)).shape().toString());
        Sequential head = seq.slice(0, -1);
        assertEquals(2, head.size());
        assertSame(seq.get(0), head.get(0));
        assertEquals(0, seq.slice(5, 9).size());
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> seq.set(-4, new ReLU()));
    }

    @Test
    void containersOwnTheirItemsParameters() {
        class Net extends Module {
            final ModuleList layers = registerModule("layers", new ModuleList(new Linear(2, 2), new Linear(2, 1)));
            final ModuleDict heads = registerModule("heads", new ModuleDict());

            Net() { heads.put("out", new Linear(1, 1)); }

            @Override
            public Tensor forward(Tensor x) {
                for (Module m : layers) x = m.forward(x);
                return heads.get("out").forward(x);
            }
        }
        Net net = new Net();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "heads.out.weight", "heads.out.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        assertEquals("[3, 1]", net.forward(ones(3, 2)).shape().toString());
        net.heads.put("out", new Identity());
        assertEquals(4, net.parameters().size());
        assertEquals(List.of("out"), new ArrayList<>(net.heads.keys()));
        assertThrows(IllegalArgumentException.class, () -> net.heads.get("missing"));
        assertThrows(UnsupportedOperationException.class, () -> net.layers.forward(ones(1)));
        net.heads.remove("out");
        assertEquals(0, net.heads.size());
    }
}
