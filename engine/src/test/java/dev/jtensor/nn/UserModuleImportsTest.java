package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code dev.jtensor.nn.Module} and {@code java.lang.Module} share a simple name, so
 * {@code import dev.jtensor.nn.*} alone makes {@code class Net extends Module} ambiguous (java.lang is
 * imported on demand too). The fix recommended in the README and done by the JShell startup is one
 * single-type import, {@code import dev.jtensor.nn.Module;}, which shadows both wildcards (JLS 6.4.1).
 * This compiles a user's class with exactly the startup file's imports.
 */
class UserModuleImportsTest {
    static final String NET = """
            class Net extends Module {
                final Linear fc = registerModule("fc", new Linear(3, 1));
                final Sequential body = registerModule("body", new Sequential(new Flatten(0, -1), new Identity()));
                @Override public Tensor forward(Tensor x) { return body.forward(fc.forward(x)); }
            }
            """;

    static List<String> startupImports() throws IOException {
        Path startup = Path.of("..", "docs", "jshell-startup.jsh");
        return Files.readAllLines(startup).stream().filter(l -> l.startsWith("import ")).toList();
    }

    /** Compiles {@code source} as Net.java with javac (java.util.spi.ToolProvider, in java.base); returns javac's errors. */
    static String compile(String source, Path dir) throws IOException {
        Path file = dir.resolve("Net.java");
        Files.writeString(file, source);
        String cp = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        var javac = java.util.spi.ToolProvider.findFirst("javac").orElseThrow();
        var out = new StringWriter();
        try (var pw = new PrintWriter(out)) {
            int rc = javac.run(pw, pw, "-classpath", cp, "-d", dir.toString(), "-proc:none", "-Xlint:none", file.toString());
            pw.flush();
            return rc == 0 ? "" : out.toString();
        }
    }

    @Test
    void userModuleCompilesWithTheJShellStartupImports() throws IOException {
        List<String> imports = startupImports();
        assertTrue(imports.contains("import dev.jtensor.nn.*;") && imports.contains("import dev.jtensor.nn.Module;"), imports.toString());
        Path out = Files.createTempDirectory("jt-user");
        String errs = compile(String.join("\n", imports) + "\n" + NET, out);
        assertEquals("", errs);
        assertTrue(Files.exists(out.resolve("Net.class")));
    }

    @Test
    void wildcardAloneIsAmbiguousWhichIsWhyTheSingleTypeImportIsNeeded() throws IOException {
        String src = "import dev.jtensor.Tensor;\nimport dev.jtensor.nn.*;\n" + NET;
        String errs = compile(src, Files.createTempDirectory("jt-user"));
        assertFalse(errs.isEmpty());
        assertTrue(errs.contains("reference to Module is ambiguous"), errs);
    }
}
