package dev.jtensor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What PyTorch prints, recorded by {@code engine/src/test/golden/make_parity.py} in
 * {@code golden/nn/parity_repr.txt}: blocks of {@code #### name} then the text verbatim.
 */
public final class GoldenRepr {
    private final Map<String, String> texts = new LinkedHashMap<>();

    private GoldenRepr(String file) {
        try (InputStream in = GoldenRepr.class.getResourceAsStream("/golden/nn/" + file)) {
            if (in == null) throw new IllegalArgumentException("no golden file golden/nn/" + file);
            String name = null;
            StringBuilder body = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("#### ")) {
                    if (name != null) texts.put(name, strip(body));
                    name = line.substring(5);
                    body.setLength(0);
                } else {
                    body.append(line).append('\n');
                }
            }
            if (name != null) texts.put(name, strip(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String strip(StringBuilder b) {
        String s = b.toString();
        while (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        return s;
    }

    public static GoldenRepr of(String file) { return new GoldenRepr(file); }

    /** The text PyTorch printed for {@code name}. */
    public String get(String name) {
        String t = texts.get(name);
        if (t == null) throw new IllegalArgumentException("golden repr '" + name + "' not found");
        return t;
    }

    /** A {@code torch.Size([2, 3])} line as jtensor's Shape prints it ({@code [2, 3]}). */
    public String shape(String name) { return get(name).replace("torch.Size(", "").replace(")", ""); }
}
