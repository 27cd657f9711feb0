package dev.jtensor.testing;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the golden cases written by {@code engine/src/test/golden/make_reduce.py} (format in its docstring). */
public final class GoldenReduce {
    private GoldenReduce() {}

    /** One input or output line: dtype, shape, view code and the row-major values. */
    public record Data(DType dtype, long[] shape, String view, double[] values) {
        /** The input tensor: built from the base values, then the view applied. */
        public Tensor tensor() {
            Tensor base = Jt.tensor(values, DType.FLOAT64).to(dtype).reshape(shape);
            return switch (view) {
                case "t" -> base.transpose(0, 1);
                case "s" -> base.slice(0, 0, shape[0], 2);
                case "e" -> {
                    long[] target = shape.clone();
                    target[0] = 3;
                    yield base.expand(target);
                }
                default -> base;
            };
        }
    }

    /** A case: name, op, key=value arguments, inputs, expected outputs. */
    public record Case(String name, String op, Map<String, String> args, List<Data> inputs, List<Data> outputs) {
        public String arg(String key) { return args.get(key); }

        public int intArg(String key) { return Integer.parseInt(args.get(key)); }

        public boolean flag(String key) { return "1".equals(args.get(key)); }

        /** A comma-separated dims argument; empty means all dims. */
        public int[] dims(String key) {
            String s = args.getOrDefault(key, "");
            return s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        @Override
        public String toString() { return name; }
    }

    public static List<Case> load(String resource) throws IOException {
        try (InputStream in = GoldenReduce.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < lines.length; ) {
                String name = lines[i++].substring(5);
                String[] op = lines[i++].split(" ");
                Map<String, String> args = new HashMap<>();
                for (int k = 2; k < op.length; k++) {
                    String[] kv = op[k].split("=", 2);
                    args.put(kv[0], kv[1]);
                }
                List<Data> ins = new ArrayList<>(), outs = new ArrayList<>();
                while (i < lines.length && lines[i].startsWith("in ")) ins.add(parse(lines[i++], true));
                while (i < lines.length && lines[i].startsWith("out ")) outs.add(parse(lines[i++], false));
                cases.add(new Case(name, op[1], args, ins, outs));
            }
            return cases;
        }
    }

    private static Data parse(String line, boolean input) {
        String[] f = line.split(" ");
        DType dtype = DType.valueOf(f[1].toUpperCase());
        long[] shape = f[2].equals("-") ? new long[0] : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
        int first = input ? 4 : 3;
        double[] values = new double[f.length - first];
        for (int k = first; k < f.length; k++) values[k - first] = Double.parseDouble(f[k].replace("nan", "NaN").replace("inf", "Infinity"));
        return new Data(dtype, shape, input ? f[3] : "c", values);
    }
}
