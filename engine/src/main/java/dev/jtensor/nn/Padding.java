package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code F.pad}: pads (or, with negative amounts, crops) the trailing dims. {@code pad} holds pairs
 * {@code (left, right)} starting from the last dim, as PyTorch's. Constant padding joins blocks of the value
 * ({@code cat}); reflect, replicate and circular gather rows by an index table ({@code indexSelect}), so all
 * modes are differentiable on any device.
 */
final class Padding {
    private Padding() {}

    static Tensor pad(Tensor x, long[] pad, String mode, double value) {
        if (pad.length % 2 != 0) throw new IllegalArgumentException("Padding length must be divisible by 2 (got " + pad.length + ")");
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("Padding length too large: " + pad.length + " values for input of shape " + x.shape());
        }
        String m = mode == null ? "constant" : mode;
        if (!m.equals("constant") && value != 0) {
            throw new IllegalArgumentException("Padding mode \"" + m + "\" doesn't take in value argument");
        }
        Tensor y = x;
        for (int p = 0; p < pad.length / 2; p++) {
            int dim = x.dim() - 1 - p;
            long left = pad[2 * p], right = pad[2 * p + 1];
            if (left == 0 && right == 0) continue;
            y = switch (m) {
                case "constant", "zeros" -> constant(y, dim, left, right, value);
                case "reflect", "replicate", "circular" -> gathered(y, x, pad, dim, left, right, m);
                default -> throw new IllegalArgumentException("Unrecognised padding mode " + mode
                        + " (expected constant, reflect, replicate or circular)");
            };
        }
        return y;
    }

    private static Tensor constant(Tensor x, int dim, long left, long right, double value) {
        long size = x.size(dim);
        if (size + left + right < 0 || -left > size || -right > size) {
            throw new IllegalArgumentException("The input size " + size + ", plus negative padding " + left + " and " + right
                    + " resulted in a negative output size, which is invalid. Check dimension " + dim + " of your input.");
        }
        Tensor core = x.narrow(dim, Math.max(0, -left), size - Math.max(0, -left) - Math.max(0, -right));
        List<Tensor> parts = new ArrayList<>(3);
        if (left > 0) parts.add(block(x, dim, left, value));
        parts.add(core);
        if (right > 0) parts.add(block(x, dim, right, value));
        return parts.size() == 1 ? core : Jt.cat(parts, dim);
    }

    private static Tensor block(Tensor x, int dim, long n, double value) {
        long[] shape = x.shape().toArray();
        shape[dim] = n;
        return Jt.full(shape, value, x.dtype(), x.device());
    }

    private static Tensor gathered(Tensor y, Tensor x, long[] pad, int dim, long left, long right, String mode) {
        long n = y.size(dim);
        boolean tooLarge = switch (mode) {
            case "reflect" -> left >= n || right >= n;
            case "circular" -> left > n || right > n;
            default -> n == 0;
        };
        if (tooLarge) {
            throw new IllegalArgumentException((mode.equals("reflect") ? "Argument #4: Padding size should be less than the corresponding "
                    + "input dimension, but got: padding (" : "Padding value causes wrapping around more than once: padding (")
                    + left + ", " + right + ") at dimension " + dim + " of input " + x.shape() + " (pad " + Arrays.toString(pad) + ")");
        }
        long out = n + left + right;
        long[] index = new long[Math.toIntExact(Math.max(out, 0))];
        for (int o = 0; o < index.length; o++) {
            long i = o - left;
            index[o] = switch (mode) {
                case "reflect" -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                case "replicate" -> Math.min(Math.max(i, 0), n - 1);
                default -> Math.floorMod(i, n);
            };
        }
        return y.indexSelect(dim, Jt.tensor(index).to(y.device()));
    }
}
