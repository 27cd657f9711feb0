package dev.jtensor.internal.ops;

import dev.jtensor.Tensor;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.internal.ops.ElementwiseGoldenTest.Mode;
import dev.jtensor.testing.GoldenElementwise.Case;

/** Maps golden op names to jtensor calls in each mode (fresh, out=, in place). */
final class ElementwiseCalls {
    private ElementwiseCalls() {}

    static Tensor binary(Case c, Tensor a, Tensor b, boolean scalar, Mode mode, Tensor out) {
        double alpha = c.params().isEmpty() ? 1 : Double.parseDouble(c.params().get(0));
        boolean inPlace = mode == Mode.IN_PLACE;
        return switch (c.op()) {
            case "add" -> inPlace ? Binary.add_(a, b, scalar, alpha) : Binary.add(a, b, scalar, alpha, out);
            case "sub" -> inPlace ? Binary.sub_(a, b, scalar, alpha) : Binary.sub(a, b, scalar, alpha, out);
            case "mul" -> inPlace ? Binary.mul_(a, b, scalar) : Binary.mul(a, b, scalar, out);
            case "div" -> inPlace ? Binary.div_(a, b, scalar) : Binary.div(a, b, scalar, out);
            case "floorDiv" -> inPlace ? Binary.floorDiv_(a, b, scalar) : Binary.floorDiv(a, b, scalar, out);
            case "remainder" -> inPlace ? Binary.remainder_(a, b, scalar) : Binary.remainder(a, b, scalar, out);
            case "pow" -> inPlace ? Binary.pow_(a, b, scalar) : Binary.pow(a, b, scalar, out);
            case "atan2" -> inPlace ? Binary.atan2_(a, b, scalar) : Binary.atan2(a, b, scalar, out);
            case "maximum" -> inPlace ? Comparison.maximum_(a, b) : Comparison.maximum(a, b, out);
            case "minimum" -> inPlace ? Comparison.minimum_(a, b) : Comparison.minimum(a, b, out);
            case "eq", "ne", "lt", "le", "gt", "ge" -> {
                BinaryKernel k = BinaryKernel.valueOf(c.op().toUpperCase());
                yield inPlace ? Comparison.compare_(k, a, b, scalar) : Comparison.compare(k, a, b, scalar, out);
            }
            case "logicalAnd", "logicalOr", "logicalXor" -> {
                BinaryKernel k = BinaryKernel.valueOf("LOGICAL_" + c.op().substring(7).toUpperCase());
                yield inPlace ? Comparison.compare_(k, a, b, false) : Comparison.logical(k, a, b, out);
            }
            default -> throw new IllegalArgumentException("no binary op " + c.op());
        };
    }

    static Tensor unary(String op, Tensor a, Mode mode, Tensor out) {
        UnaryKernel k = switch (op) {
            case "logicalNot" -> UnaryKernel.LOGICAL_NOT;
            default -> UnaryKernel.valueOf(op.toUpperCase());
        };
        return mode == Mode.IN_PLACE ? Pointwise.apply_(k, a) : Pointwise.apply(k, a, out);
    }

    static Tensor unaryWithParams(Case c, Tensor a, Mode mode, Tensor out) {
        var p = c.params();
        boolean inPlace = mode == Mode.IN_PLACE;
        return switch (c.op()) {
            case "clamp" -> {
                double min = p.get(0).equals("none") ? Double.NaN : Double.parseDouble(p.get(0));
                double max = p.get(1).equals("none") ? Double.NaN : Double.parseDouble(p.get(1));
                yield inPlace ? Pointwise.clamp_(a, min, max, true) : Pointwise.clamp(a, min, max, true, out);
            }
            case "nanToNum" -> {
                if (p.isEmpty()) yield inPlace ? Pointwise.nanToNum_(a, 0, null, null) : Pointwise.nanToNum(a, 0, null, null, out);
                double nan = Double.parseDouble(p.get(0));
                Double pos = Double.parseDouble(p.get(1)), neg = Double.parseDouble(p.get(2));
                yield inPlace ? Pointwise.nanToNum_(a, nan, pos, neg) : Pointwise.nanToNum(a, nan, pos, neg, out);
            }
            case "gelu" -> {
                UnaryKernel k = p.isEmpty() ? UnaryKernel.GELU : Pointwise.geluKernel(p.get(0));
                yield inPlace ? Pointwise.apply_(k, a) : Pointwise.apply(k, a, out);
            }
            default -> throw new IllegalArgumentException(c.op());
        };
    }
}
