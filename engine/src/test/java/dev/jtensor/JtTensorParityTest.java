package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code torch.op(x, ...)} and {@code x.op(...)} are one op: every {@code Jt} static taking a tensor first has
 * its {@code Tensor} method and vice versa, for every name both sides know (out= forms are Jt-only, as in
 * PyTorch, where {@code out=} is a keyword of the function form).
 */
class JtTensorParityTest {
    /** Names whose Jt and Tensor forms differ on purpose, each with its PyTorch reason. */
    private static final Set<String> DIFFERENT_BY_DESIGN = Set.of(
            "where",    // torch.where(cond, x, y) vs x.where(cond, y): the condition comes first in the function form
            "pow",      // Jt.pow(double, Tensor) is torch.pow(2, x): no tensor receiver
            "tensor", "scalarTensor", "full", "fullLike", // factories
            "cuda");    // Jt.cuda() is the torch.cuda namespace; x.cuda() moves a tensor (torch has no torch.cuda(x))

    private static List<Method> jtStatics() {
        return Arrays.stream(Jt.class.getMethods()).filter(m -> Modifier.isStatic(m.getModifiers())).toList();
    }

    private static List<Method> tensorMethods() {
        return Arrays.stream(Tensor.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getDeclaringClass().getPackageName().equals("dev.jtensor")).toList();
    }

    private static String sig(String name, List<Class<?>> params) {
        return name + params.stream().map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    @Test
    void everyFunctionHasItsMethodAndEveryMethodItsFunction() {
        Set<String> tensorSigs = new TreeSet<>(), tensorNames = new TreeSet<>(), jtSigs = new TreeSet<>(), jtNames = new TreeSet<>();
        for (Method m : tensorMethods()) {
            tensorSigs.add(sig(m.getName(), List.of(m.getParameterTypes())));
            tensorNames.add(m.getName());
        }
        for (Method m : jtStatics()) {
            jtSigs.add(sig(m.getName(), List.of(m.getParameterTypes())));
            jtNames.add(m.getName());
        }
        List<String> missing = new ArrayList<>();
        for (Method m : jtStatics()) {
            String name = m.getName();
            List<Class<?>> p = List.of(m.getParameterTypes());
            if (DIFFERENT_BY_DESIGN.contains(name) || !tensorNames.contains(name) || p.isEmpty() || p.get(0) != Tensor.class) continue;
            List<Class<?>> rest = p.subList(1, p.size());
            boolean outForm = !rest.isEmpty() && rest.get(rest.size() - 1) == Tensor.class
                    && jtSigs.contains(sig(name, p.subList(0, p.size() - 1)));
            if (outForm) continue;
            if (!tensorSigs.contains(sig(name, rest))) missing.add("Tensor." + sig(name, rest) + " for Jt." + sig(name, p));
        }
        for (Method m : tensorMethods()) {
            String name = m.getName();
            if (DIFFERENT_BY_DESIGN.contains(name) || !jtNames.contains(name) || m.getReturnType() != Tensor.class) continue;
            List<Class<?>> p = new ArrayList<>(List.of(m.getParameterTypes()));
            p.add(0, Tensor.class);
            if (!jtSigs.contains(sig(name, p))) missing.add("Jt." + sig(name, p) + " for Tensor." + sig(name, List.of(m.getParameterTypes())));
        }
        assertTrue(missing.isEmpty(), missing.size() + " one-sided forms:\n" + String.join("\n", missing));
    }

    /** The drift this test exists for: both forms of a scalar operand make the same operand. */
    @Test
    void scalarOperandsMatchBetweenForms() {
        Tensor i = Jt.arange(4), f = Jt.arange(4.0);
        assertEquals(Jt.sub(i, 2.0).toString(), i.sub(2.0).toString());
        assertEquals(Jt.sub(f, 2.0).toString(), f.sub(2.0).toString());
        assertEquals(Jt.mul(i, 3.0).dtype(), i.mul(3.0).dtype());
        assertEquals(Jt.div(i, 2.0).toString(), i.div(2.0).toString());
    }
}
