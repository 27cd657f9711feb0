package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** STYLE.md G7, G11, G15 as tests: file sizes, facade-only bindings, layering. */
class ArchitectureTest {
    static final Path MAIN = Path.of("src/main/java");
    static final int HARD_LIMIT_LINES = 600;

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).filter(p -> !p.toString().contains("/bindings/")).toList();
        }
    }

    /** Our C/CUDA sources and build scripts (not build outputs under native/target). */
    private static boolean isNativeSource(Path p) {
        String n = p.getFileName().toString();
        return !p.toString().contains("/target/") && (n.endsWith(".c") || n.endsWith(".cu") || n.endsWith(".cuh") || n.endsWith(".h")
                || n.endsWith(".sh"));
    }

    @Test
    void noSourceFileExceedsTheHardLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path p : sources()) {
            long lines = Files.readAllLines(p).size();
            if (lines > HARD_LIMIT_LINES) tooLong.add(p + " (" + lines + " lines)");
        }
        Path nativeDir = Path.of("../native");
        if (Files.isDirectory(nativeDir)) {
            try (Stream<Path> s = Files.walk(nativeDir)) {
                for (Path p : s.filter(Files::isRegularFile).filter(ArchitectureTest::isNativeSource).toList()) {
                    long lines = Files.readAllLines(p).size();
                    if (lines > HARD_LIMIT_LINES) tooLong.add(p + " (" + lines + " lines)");
                }
            }
        }
        assertTrue(tooLong.isEmpty(), "files over " + HARD_LIMIT_LINES + " lines: " + tooLong);
    }

    /**
     * Every package a user imports is exported by module-info (on the module path an unexported package
     * is invisible: "package dev.jtensor.io is not visible"), and internal.* / backend.* are not.
     */
    @Test
    void everyPublicPackageIsExportedAndNoOtherIs() throws IOException {
        String moduleInfo = Files.readString(MAIN.resolve("module-info.java"));
        java.util.Set<String> exported = new java.util.TreeSet<>();
        var m = java.util.regex.Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;").matcher(moduleInfo);
        while (m.find()) exported.add(m.group(1));
        java.util.Set<String> packages = new java.util.TreeSet<>();
        for (Path p : sources()) {
            if (p.getFileName().toString().equals("module-info.java")) continue;
            packages.add(MAIN.relativize(p.getParent()).toString().replace('/', '.'));
        }
        List<String> problems = new ArrayList<>();
        for (String pkg : packages) {
            boolean internal = pkg.contains(".internal") || pkg.contains(".backend");
            if (!internal && !exported.contains(pkg)) problems.add(pkg + " is public but not exported");
            if (internal && exported.contains(pkg)) problems.add(pkg + " is internal but exported");
        }
        for (String pkg : exported) if (!packages.contains(pkg)) problems.add(pkg + " is exported but has no sources");
        assertTrue(packages.contains("dev.jtensor.io"), "package scan found " + packages);
        assertTrue(problems.isEmpty(), "module-info.java: " + problems);
    }

    /** Storage and Buffer are device-neutral: no CPU backend class, no allocator (issue 9's seam). */
    @Test
    void storageIsDeviceNeutral() throws IOException {
        for (String f : new String[] {"Storage.java", "Buffer.java"}) {
            String text = Files.readString(MAIN.resolve("dev/jtensor/backend/" + f));
            assertTrue(!text.contains("backend.cpu") && !text.contains("NativeMemory"), f + " reaches into the CPU backend");
        }
    }

    /**
     * nn, optim, amp and models are written on the public API, as a user's module or optimizer would be, except for
     * named hooks: Parameter's marks (which tensors print as Parameters); optimizers' fused steps (FusedSteps
     * and the backend's OptimizerStep records: one kernel per update, as torch.optim's fused paths); the
     * scope of optimizer state (state made inside a scope lives with its parameter); GradScaler's fused
     * finite check and unscale (AmpSteps); and LeafGrads, the engine's own reads of gradients, which do not hand
     * them out, so that zero_grad can give a gradient no user code holds back to the pool at once.
     */
    @Test
    void nnAndOptimUseThePublicApiAndThreeHooks() throws IOException {
        java.util.Set<String> hooks = java.util.Set.of("import dev.jtensor.internal.ParameterMarks;",
                "import dev.jtensor.internal.ops.FusedSteps;", "import dev.jtensor.backend.OptimizerStep;",
                "import dev.jtensor.internal.Tensors;", "import dev.jtensor.internal.ops.AmpSteps;",
                "import dev.jtensor.internal.LeafGrads;");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String s = p.toString();
            if (!s.contains("/dev/jtensor/nn/") && !s.contains("/dev/jtensor/optim/") && !s.contains("/dev/jtensor/amp/")
                    && !s.contains("/dev/jtensor/models/")) continue;
            for (String line : Files.readAllLines(p)) {
                String t = line.strip();
                boolean internal = t.contains("dev.jtensor.internal") || t.contains("dev.jtensor.backend");
                if (internal && !hooks.contains(t)) offenders.add(p.getFileName() + ": " + t);
                if (t.equals("import dev.jtensor.internal.Tensors;") && !s.endsWith("optim/Optimizer.java")) offenders.add(p.getFileName() + ": " + t);
                if (t.equals("import dev.jtensor.internal.ops.AmpSteps;") && !s.endsWith("amp/GradScaler.java")) offenders.add(p.getFileName() + ": " + t);
            }
        }
        assertTrue(offenders.isEmpty(), "nn/optim reach past the public API: " + offenders);
    }

    /**
     * The backend seam (DESIGN section 4): op families, nn, optim, data and autograd reach kernels only
     * through the Dispatch door (optimizers through FusedSteps) and the public API, never backend.cpu or raw
     * memory; tensors made from Java data (tensor(data), arange, linspace, eye) are written through HostData.
     */
    @Test
    void opFamiliesNnOptimDataAndAutogradStayAboveTheSeam() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String s = p.toString();
            boolean above = s.contains("/dev/jtensor/internal/ops/") || s.contains("/dev/jtensor/nn/")
                    || s.contains("/dev/jtensor/optim/") || s.contains("/dev/jtensor/data/") || s.contains("/dev/jtensor/autograd/")
                    || s.contains("/dev/jtensor/amp/");
            if (!above) continue;
            String text = Files.readString(p);
            if (text.contains("import dev.jtensor.backend.cpu") || text.contains("import java.lang.foreign")
                    || text.contains("dev.jtensor.backend.cpu.")) {
                offenders.add(s);
            }
        }
        assertTrue(offenders.isEmpty(), "reaching below the seam: " + offenders);
    }

    /** The one door for host bytes (issue 21, STYLE G16): the only file above the backend seam that touches a storage's memory. */
    static final String HOST_BYTES_DOOR = "dev/jtensor/internal/HostData.java";

    /**
     * Host bytes enter and leave tensors through {@link #HOST_BYTES_DOOR} only (creation from Java data, io,
     * printing, scalar and array reads): above the backend seam no other file takes a storage's raw memory
     * ({@code segment()}, {@code writableSegment()}, {@code acquire()}), wraps memory as storage
     * ({@code Storage.wrap}, {@code wrapMapped}), fills fresh storage itself ({@code allocateUninitialized}), or
     * reads elements off a segment ({@code Elements}, {@code Buffer.HostMemory}).
     */
    @Test
    void hostBytesHaveOneDoor() throws IOException {
        java.util.regex.Pattern raw = java.util.regex.Pattern.compile("\\.(segment|writableSegment|acquire)\\(\\)|\\bStorage\\.(wrap|wrapMapped|allocateUninitialized)\\b"
                + "|\\bElements\\.|\\bHostMemory\\b");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String s = p.toString().replace('\\', '/');
            if (s.contains("/dev/jtensor/backend/") || s.endsWith(HOST_BYTES_DOOR)) continue;
            String[] lines = codeOnly(Files.readString(p)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (raw.matcher(lines[i]).find()) offenders.add(p + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        assertTrue(offenders.isEmpty(), "host bytes outside " + HOST_BYTES_DOOR + ": " + offenders);
    }

    /**
     * Issue 21: one offset convention. A verb's offsets count elements and travel inside its operands' layouts (or
     * the plans built from them), never as parameters of their own (bytes here, elements there).
     */
    @Test
    void backendVerbsTakeNoOffsetParameters() throws IOException {
        String[] lines = codeOnly(Files.readString(MAIN.resolve("dev/jtensor/backend/Backend.java"))).split("\n", -1);
        java.util.regex.Pattern offsetParameter = java.util.regex.Pattern.compile("\\blong\\s+\\w*(?:[oO]ffset|Byte)\\w*\\s*[,)]");
        List<String> offenders = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) if (offsetParameter.matcher(lines[i]).find()) offenders.add("Backend.java:" + (i + 1) + ": " + lines[i].strip());
        assertTrue(offenders.isEmpty(), "Backend verbs with offset parameters (put offsets in the operands' layouts): " + offenders);
    }

    /** A project type written as {@code dev.jtensor.x.Y} in code hides a dependency from the imports (issue 21). */
    @Test
    void projectTypesAreImportedNotSpelledOut() throws IOException {
        java.util.regex.Pattern qualified = java.util.regex.Pattern.compile("\\bdev\\.jtensor\\.(?:[a-z0-9_]+\\.)*[A-Z]\\w*");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String[] lines = codeOnly(Files.readString(p)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.startsWith("import ") || line.startsWith("package ")) continue;
                if (qualified.matcher(line).find()) offenders.add(p + ":" + (i + 1) + ": " + line);
            }
        }
        assertTrue(offenders.isEmpty(), "fully qualified project types in code (import them): " + offenders);
    }

    @Test
    void codeOnlyKeepsCodeAndBlanksCommentsAndLiterals() {
        String src = "int a = dev.jtensor.X.f(); // dev.jtensor.Y\n/* dev.jtensor.Z\n */ s(\"dev.jtensor.W\\\"\", 'x'); t.segment();";
        String code = codeOnly(src);
        assertTrue(code.contains("dev.jtensor.X.f()") && code.contains("t.segment();"), code);
        assertTrue(!code.contains("jtensor.Y") && !code.contains("jtensor.Z") && !code.contains("jtensor.W") && !code.contains("'x'"), code);
        assertTrue(code.split("\n", -1).length == 3 && code.length() == src.length(), code);
    }

    /** {@code text} with comments and string/char literals blanked (newlines kept, so line numbers hold). */
    static String codeOnly(String text) {
        StringBuilder b = new StringBuilder(text);
        int i = 0, n = text.length();
        while (i < n) {
            int end;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                char quote = text.charAt(i);
                end = i + 1;
                while (end < n && text.charAt(end) != quote && text.charAt(end) != '\n') end += text.charAt(end) == '\\' ? 2 : 1;
                end = Math.min(end + 1, n);
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) if (b.charAt(k) != '\n') b.setCharAt(k, ' ');
            i = end;
        }
        return b.toString();
    }

    @Test
    void onlyFacadesImportGeneratedBindings() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String text = Files.readString(p);
            if (!text.contains("import dev.jtensor.bindings") && !text.contains("import static dev.jtensor.bindings")) continue;
            String name = p.getFileName().toString();
            // the CUDA backend's package is CUDA's facade as a whole (library loading, allocator, transfers, launchers, cuBLAS)
            boolean facade = name.equals("Blas.java") || name.equals("Cuda.java") || name.equals("Cublas.java")
                    || name.equals("Kernels.java") || name.equals("NativeKernels.java")
                    || name.equals("NativeElementwise.java") || name.equals("NativeSteps.java") || name.equals("NativeAttention.java") || name.equals("NativeWindows.java") || name.equals("NativeRnnCells.java") || name.equals("NativeNorms.java") // NativeKernels' parts
                    || p.toString().contains("/backend/nativelib/")
                    || p.toString().contains("/backend/cuda/");
            if (!facade) offenders.add(p.toString());
        }
        assertTrue(offenders.isEmpty(), "generated bindings imported outside the facades: " + offenders);
    }

    @Test
    void backendsNeverSeeTensorsOrAutograd() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.toString().contains("/dev/jtensor/backend/")) continue;
            String text = Files.readString(p);
            // issue 21: nor the public Generator; backends draw from their own RandomSource
            if (text.contains("import dev.jtensor.Tensor;") || text.contains("import dev.jtensor.autograd")
                    || text.contains("dev.jtensor.Generator")) {
                offenders.add(p.toString());
            }
        }
        assertTrue(offenders.isEmpty(), "backend classes importing Tensor/autograd/Generator: " + offenders);
    }

    /** Issue 21: the seam points one way, the op families call the backends and never the reverse. */
    @Test
    void backendImportsNothingFromInternalOps() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.toString().contains("/dev/jtensor/backend/")) continue;
            if (Files.readString(p).contains("dev.jtensor.internal.ops")) offenders.add(p.toString());
        }
        assertTrue(offenders.isEmpty(), "backend classes using internal.ops: " + offenders);
    }

    /**
     * Issue 21: everything below the seam lives under backend (the plans in backend.plan, native loading in
     * backend.nativelib, the CPU's thread pool in backend.cpu, host element access in backend); from internal
     * a backend reads only the shared configuration ({@code internal.Config}: the jtensor.* properties every
     * layer reads).
     */
    @Test
    void backendImportsOnlyConfigFromInternal() throws IOException {
        var use = java.util.regex.Pattern.compile("dev\\.jtensor\\.internal\\.(\\w+)");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.toString().contains("/dev/jtensor/backend/")) continue;
            var m = use.matcher(Files.readString(p));
            while (m.find()) if (!m.group(1).equals("Config")) offenders.add(p.getFileName() + ": " + m.group());
        }
        assertTrue(offenders.isEmpty(), "backend classes reaching up into internal: " + offenders);
    }

    /** Issue 21: the emulated CUDA device inherits the CPU's verbs; it declares only what makes it a device. */
    @Test
    void emulatedDeviceRepeatsNoVerb() {
        java.util.Set<String> own = java.util.Set.of("device", "allocate");
        List<String> repeated = new ArrayList<>();
        for (var m : dev.jtensor.backend.cuda.EmulatedCudaBackend.class.getDeclaredMethods()) {
            boolean verb = java.util.Arrays.stream(dev.jtensor.backend.Backend.class.getMethods()).anyMatch(v -> v.getName().equals(m.getName()));
            if (verb && !own.contains(m.getName())) repeated.add(m.getName());
        }
        assertTrue(repeated.isEmpty(), "EmulatedCudaBackend repeats CpuBackend's verbs: " + repeated);
    }

    /** Issue 21: the CPU's kernel thresholds (C from N elements on) are one table, KernelChoice, not spread over the facades. */
    @Test
    void cpuKernelThresholdsLiveInOneTable() throws IOException {
        var threshold = java.util.regex.Pattern.compile("static final long \\w+_MIN\\b|threshold\\(\\d");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.toString().contains("/dev/jtensor/backend/cpu/") || p.endsWith("KernelChoice.java")) continue;
            if (threshold.matcher(Files.readString(p)).find()) offenders.add(p.getFileName().toString());
        }
        assertTrue(offenders.isEmpty(), "kernel thresholds outside KernelChoice: " + offenders);
    }

    /** Issue 21: below the seam, project types are imported, so the imports show every dependency. */
    @Test
    void backendCodeNamesProjectTypesByImport() throws IOException {
        var qualified = java.util.regex.Pattern.compile("\\bdev\\.jtensor\\.[a-z.]*[A-Z]");
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.toString().contains("/dev/jtensor/backend/")) continue;
            for (String line : Files.readAllLines(p)) {
                String t = line.strip();
                if (t.startsWith("import ") || t.startsWith("package ") || t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) continue;
                if (qualified.matcher(t.replaceAll("//.*", "")).find()) offenders.add(p.getFileName() + ": " + t);
            }
        }
        assertTrue(offenders.isEmpty(), "fully qualified project types in backend code: " + offenders);
    }

    @Test
    void noManagerHelperOrUtilClasses() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String n = p.getFileName().toString();
            if (n.matches(".*(Manager|Helper|Utils?)\\.java")) offenders.add(n);
        }
        assertTrue(offenders.isEmpty(), "names STYLE G10 forbids: " + offenders);
    }
}
