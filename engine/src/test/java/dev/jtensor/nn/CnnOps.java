package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one golden case of {@link CnnGoldenTest} through jtensor's public API (modules where PyTorch's case used one). */
final class CnnOps {
    private CnnOps() {}

    static Tensor run(CnnGoldenTest.Case c, Tensor x, Map<String, Tensor> in, Map<String, Tensor> extra, Module[] holder) {
        Tensor w = in.get("w"), b = in.get("b");
        return switch (c.op()) {
            case "conv2d" -> {
                if (c.dtype() != dev.jtensor.DType.FLOAT32) yield functionalConv(c, x, w, b);
                long[] ws = w.shape().toArray();
                int[] k = {(int) ws[2], (int) ws[3]};
                String p = c.s("padding");
                long inCh = ws[1] * c.i("groups");
                Conv2d m = p.equals("same") || p.equals("valid")
                        ? new Conv2d(inCh, ws[0], k, c.ints("stride"), p, c.ints("dilation"), c.i("groups"), b != null, c.s("mode"))
                        : new Conv2d(inCh, ws[0], k, c.ints("stride"), c.ints("padding"), c.ints("dilation"), c.i("groups"), b != null, c.s("mode"));
                yield module(m, w, b, x, holder);
            }
            case "conv1d" -> {
                if (c.dtype() != dev.jtensor.DType.FLOAT32) yield functionalConv(c, x, w, b);
                long[] ws = w.shape().toArray();
                String p = c.s("padding");
                long inCh = ws[1] * c.i("groups");
                Conv1d m = p.equals("same") || p.equals("valid")
                        ? new Conv1d(inCh, ws[0], (int) ws[2], c.i("stride"), p, c.i("dilation"), c.i("groups"), b != null, c.s("mode"))
                        : new Conv1d(inCh, ws[0], (int) ws[2], c.i("stride"), c.i("padding"), c.i("dilation"), c.i("groups"), b != null, c.s("mode"));
                yield module(m, w, b, x, holder);
            }
            case "conv_transpose2d" -> F.convTranspose2d(x, w, b, c.ints("stride"), c.ints("padding"), c.ints("output_padding"), c.i("groups"),
                    c.ints("dilation"));
            case "conv_transpose1d" -> F.convTranspose1d(x, w, b, c.i("stride"), c.i("padding"), c.i("output_padding"), c.i("groups"), c.i("dilation"));
            case "max_pool2d" -> indices(F.maxPool2dWithIndices(x, c.ints("kernel"), c.ints("stride"), c.ints("padding"), c.ints("dilation"),
                    c.i("ceil") == 1), extra);
            case "max_pool1d" -> indices(F.maxPool1dWithIndices(x, c.i("kernel"), c.i("stride"), c.i("padding"), c.i("dilation"), c.i("ceil") == 1),
                    extra);
            case "avg_pool2d" -> F.avgPool2d(x, c.ints("kernel"), c.ints("stride"), c.ints("padding"), c.i("ceil") == 1, c.i("cip") == 1,
                    c.i("div") == 0 ? null : c.i("div"));
            case "avg_pool1d" -> F.avgPool1d(x, c.i("kernel"), c.i("stride"), c.i("padding"), c.i("ceil") == 1, c.i("cip") == 1);
            case "adaptive_avg_pool2d" -> F.adaptiveAvgPool2d(x, c.ints("out")[0], c.ints("out")[1]);
            case "adaptive_avg_pool1d" -> F.adaptiveAvgPool1d(x, c.i("out"));
            case "adaptive_max_pool2d" -> indices(F.adaptiveMaxPool2dWithIndices(x, c.ints("out")[0], c.ints("out")[1]), extra);
            case "max_unpool2d" -> F.maxUnpool2d(x, in.get("i"), c.ints("kernel"), c.ints("stride"), c.ints("padding"),
                    new long[] {c.ints("out")[0], c.ints("out")[1]});
            case "batch_norm" -> {
                Tensor rm = in.get("rm0").clone(), rv = in.get("rv0").clone();
                extra.put("rm", rm);
                extra.put("rv", rv);
                yield F.batchNorm(x, rm, rv, w, b, c.i("training") == 1, c.d("momentum"), c.d("eps"));
            }
            case "local_response_norm" -> new LocalResponseNorm(c.i("size"), c.d("alpha"), c.d("beta"), c.d("k")).forward(x);
            case "group_norm" -> F.groupNorm(x, c.i("groups"), w, b, c.d("eps"));
            case "instance_norm" -> {
                InstanceNorm2d m = new InstanceNorm2d(x.size(1), c.d("eps"), c.d("momentum"), true, true);
                Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
                state.put("weight", w.detach());
                state.put("bias", b.detach());
                m.loadStateDict(state);
                holder[0] = m;
                Tensor y = m.forward(x);
                extra.put("rm", m.runningMean());
                extra.put("rv", m.runningVar());
                yield y;
            }
            case "pad" -> {
                int[] p = c.ints("pad");
                long[] pad = java.util.Arrays.stream(p).asLongStream().toArray();
                yield c.s("mode").equals("constant") ? F.pad(x, pad, "constant", c.d("value")) : F.pad(x, pad, c.s("mode"), 0);
            }
            case "interpolate" -> {
                Boolean ac = c.s("ac").isEmpty() ? null : c.i("ac") == 1;
                yield c.params().containsKey("size")
                        ? F.interpolate(x, java.util.Arrays.stream(c.ints("size")).asLongStream().toArray(), c.s("mode"), ac)
                        : F.interpolate(x, new double[] {c.d("scale")}, c.s("mode"), ac);
            }
            case "unfold" -> F.unfold(x, c.ints("kernel"), c.ints("dilation"), c.ints("padding"), c.ints("stride"));
            case "fold" -> F.fold(x, c.ints("out"), c.ints("kernel"), c.ints("dilation"), c.ints("padding"), c.ints("stride"));
            case "pixel_shuffle" -> F.pixelShuffle(x, c.i("r"));
            case "pixel_unshuffle" -> F.pixelUnshuffle(x, c.i("r"));
            default -> throw new IllegalArgumentException("unknown golden op " + c.op());
        };
    }

    /** A module's float32 parameters cannot become float64 in place: other dtypes go through F (padding modes via F.pad). */
    private static Tensor functionalConv(CnnGoldenTest.Case c, Tensor x, Tensor w, Tensor b) {
        String p = c.s("padding"), mode = c.s("mode");
        boolean named = p.equals("same") || p.equals("valid");
        if (c.op().equals("conv1d")) {
            if (named) return F.conv1d(x, w, b, c.i("stride"), p, c.i("dilation"), c.i("groups"));
            int pad = c.i("padding");
            if (mode.equals("zeros")) return F.conv1d(x, w, b, c.i("stride"), pad, c.i("dilation"), c.i("groups"));
            return F.conv1d(F.pad(x, new long[] {pad, pad}, mode, 0), w, b, c.i("stride"), 0, c.i("dilation"), c.i("groups"));
        }
        if (named) return F.conv2d(x, w, b, c.ints("stride"), p, c.ints("dilation"), c.i("groups"));
        int[] pad = Convolutions.pair("padding", c.ints("padding"));
        if (mode.equals("zeros")) return F.conv2d(x, w, b, c.ints("stride"), pad, c.ints("dilation"), c.i("groups"));
        return F.conv2d(F.pad(x, new long[] {pad[1], pad[1], pad[0], pad[0]}, mode, 0), w, b, c.ints("stride"), new int[] {0},
                c.ints("dilation"), c.i("groups"));
    }

    private static Tensor module(Module m, Tensor w, Tensor b, Tensor x, Module[] holder) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", w.detach());
        if (b != null) state.put("bias", b.detach());
        m.loadStateDict(state);
        holder[0] = m;
        return m.forward(x);
    }

    private static Tensor indices(ValuesIndices r, Map<String, Tensor> extra) {
        extra.put("idx", r.indices());
        return r.values();
    }
}
