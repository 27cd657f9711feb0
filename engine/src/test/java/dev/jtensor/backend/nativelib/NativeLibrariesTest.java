package dev.jtensor.backend.nativelib;

import dev.jtensor.backend.nativelib.NativeCache.NativeFile;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.SymbolLookup;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeLibrariesTest {
    private static final String OPENBLAS_JAR = "openblas-0.3.28-1.5.11-linux-x86_64.jar";

    @Test
    void openBlasLoadsOnceAndExportsCblas() {
        LoadedLibrary first = NativeLibraries.openBlas();
        assertSame(first, NativeLibraries.openBlas(), "the second call returns the cached result");
        assertTrue(Files.isRegularFile(first.path()), first.path() + " exists");
        assertTrue(SymbolLookup.loaderLookup().find("cblas_sgemm").isPresent(), "cblas_sgemm is visible to loaderLookup");
        if (System.getProperty(NativeLibraries.BLAS_LIBRARY_PROPERTY) == null) {
            assertTrue(first.isBundled());
            assertEquals(NativeLibraries.BUNDLED_OPENBLAS_SOURCE, first.source());
            assertEquals(NativeLibraries.OPENBLAS_CACHE_ENTRY, first.path().getParent().getFileName().toString());
            for (NativeFile file : NativeLibraries.OPENBLAS_FILES) {
                assertEquals(file.sizeBytes(), size(first.path().resolveSibling(file.name())), file.name());
            }
        }
    }

    @Test
    void extractsVerifiesAndReusesTheCacheEntry(@TempDir Path root) throws Exception {
        NativeSource source = classLoaderSource();
        Path entry = NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, source, false);
        assertEquals(root.resolve("entry"), entry);
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true), "hashes match the pinned ones");
        Object inode = Files.readAttributes(entry.resolve("libopenblas.so.0"), BasicFileAttributes.class).fileKey();

        Path again = NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, source, false);
        assertEquals(entry, again);
        assertEquals(inode, Files.readAttributes(again.resolve("libopenblas.so.0"), BasicFileAttributes.class).fileKey(),
                "a good entry is used as it is, not extracted again");
        assertEquals(List.of("entry"), list(root), "no staging directories are left behind");
    }

    @Test
    void damagedCacheEntryIsReplaced(@TempDir Path root) throws Exception {
        NativeSource source = classLoaderSource();
        Path entry = NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, source, false);
        try (RandomAccessFile f = new RandomAccessFile(entry.resolve("libgfortran.so.5").toFile(), "rw")) {
            f.setLength(1000); // a truncated file
        }
        Files.delete(entry.resolve("libquadmath.so.0"));
        assertFalse(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, false));

        NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, source, false);
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true), "re-extracted in full");
        assertEquals(List.of("entry"), list(root), "the damaged copy and the staging directory are gone");
    }

    @Test
    void sameSizeButDifferentBytesIsCaughtWhenVerifyingHashes(@TempDir Path root) throws Exception {
        Path entry = NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, classLoaderSource(), false);
        try (RandomAccessFile f = new RandomAccessFile(entry.resolve("libopenblas.so.0").toFile(), "rw")) {
            f.seek(12345);
            f.write(f.read() ^ 0xFF);
        }
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, false), "sizes alone still match");
        assertFalse(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true), "-Djtensor.cache.verify sees it");
        NativeCache.ensure(root, "entry", NativeLibraries.OPENBLAS_FILES, classLoaderSource(), true);
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true));
    }

    @Test
    void wrongArtifactContentIsRejectedWithTheFileName(@TempDir Path root) throws Exception {
        Path fake = root.resolve("fake");
        Path dir = Files.createDirectories(fake.resolve(NativeLibraries.OPENBLAS_JAR_DIRECTORY));
        for (NativeFile file : NativeLibraries.OPENBLAS_FILES) Files.write(dir.resolve(file.name()), new byte[] {1, 2, 3});
        NativeSource source = NativeSource.locate(null, NativeLibraries.OPENBLAS_JAR_DIRECTORY, "libopenblas.so.0",
                fake.toString(), null).orElseThrow();
        assertInstanceOf(NativeSource.DirectorySource.class, source);

        var e = assertThrows(NativeCache.WrongContentException.class,
                () -> NativeCache.ensure(root.resolve("cache"), "entry", NativeLibraries.OPENBLAS_FILES, source, false));
        assertTrue(e.getMessage().contains("libgcc_s.so.1") && e.getMessage().contains("SHA-256")
                && e.getMessage().contains("0.3.28-1.5.11"), e.getMessage());
        assertEquals(List.of(), list(root.resolve("cache")), "nothing half-written is left in the cache");
    }

    @Test
    void findsTheJarOnClassPathOrModulePathWithoutAClassLoader(@TempDir Path root) throws Exception {
        Path jar = openBlasJar();
        String dir = NativeLibraries.OPENBLAS_JAR_DIRECTORY;
        String classPath = String.join(File.pathSeparator, "/nonexistent/x.jar", jar.toString(), "/tmp");
        NativeSource viaClassPath = NativeSource.locate(null, dir, "libopenblas.so.0", classPath, null).orElseThrow();
        assertEquals(new NativeSource.JarSource(jar.toAbsolutePath(), dir), viaClassPath);

        Path modules = Files.createDirectories(root.resolve("mods")); // --module-path mods/ holds jars
        Files.copy(jar, modules.resolve(OPENBLAS_JAR));
        NativeSource viaModulePath = NativeSource.locate(null, dir, "libopenblas.so.0", null, modules.toString()).orElseThrow();
        assertInstanceOf(NativeSource.JarSource.class, viaModulePath);

        Path entry = NativeCache.ensure(root.resolve("cache"), "entry", NativeLibraries.OPENBLAS_FILES, viaModulePath, false);
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true), "extracted from the jar itself");
        assertTrue(NativeSource.locate(null, dir, "libopenblas.so.0", "/nonexistent", root.toString()).isEmpty());
    }

    @Test
    void twoJvmsStartingAtOnceBothLoadFromOneFreshCache(@TempDir Path cache) throws Exception {
        long startAt = System.currentTimeMillis() + 1500; // both children are up by then and start together
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(startChild(cache.resolve("out" + i + ".txt"), testClassPath(),
                    List.of("-D" + NativeLibraries.CACHE_DIR_PROPERTY + "=" + cache.resolve("root")), String.valueOf(startAt)));
        }
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) outputs.add(await(children.get(i), cache.resolve("out" + i + ".txt")));
        Path entry = cache.resolve("root").resolve(NativeLibraries.OPENBLAS_CACHE_ENTRY);
        for (String out : outputs) {
            assertTrue(out.startsWith("OK " + entry.resolve("libopenblas.so.0") + " | " + NativeLibraries.BUNDLED_OPENBLAS_SOURCE
                    + " | 32.0 | OpenBLAS 0.3.28"), out);
        }
        assertEquals(List.of(NativeLibraries.OPENBLAS_CACHE_ENTRY), list(cache.resolve("root")), "one entry, no leftovers");
        assertTrue(NativeCache.isComplete(entry, NativeLibraries.OPENBLAS_FILES, true));
    }

    @Test
    void loadsFromTheJarOnTheModulePathWhenNoClassLoaderSeesIt(@TempDir Path cache) throws Exception {
        Path jar = openBlasJar();
        Path modules = Files.createDirectories(cache.resolve("mods"));
        Files.copy(jar, modules.resolve(OPENBLAS_JAR));
        String withoutJar = Arrays.stream(testClassPath().split(File.pathSeparator))
                .filter(e -> !e.endsWith(OPENBLAS_JAR)).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        // The bytedeco module is on the module path but not resolved (nothing requires it): exactly what a
        // modular application sees. Only the jdk.module.path fallback can find it.
        String out = await(startChild(cache.resolve("out.txt"), withoutJar, List.of("--module-path", modules.toString(),
                "-D" + NativeLibraries.CACHE_DIR_PROPERTY + "=" + cache.resolve("root")), "0"), cache.resolve("out.txt"));
        assertTrue(out.startsWith("OK ") && out.contains(NativeLibraries.BUNDLED_OPENBLAS_SOURCE + " | 32.0"), out);
    }

    @Test
    void loadsWhenTheEngineIsTheNamedModuleDevJtensor(@TempDir Path cache) throws Exception {
        Path classes = location(NativeLibraries.class), testClasses = location(LoadInChildJvm.class);
        assumeTrue(Files.isRegularFile(classes.resolve("module-info.class")), "engine classes are not a module here");
        // Everything on the module path, as a modular application has it; the test's main class is patched
        // into dev.jtensor. The bytedeco jar is an explicit module that nothing requires, so it is not resolved.
        String modulePath = Stream.concat(Stream.of(classes.toString()), Arrays.stream(testClassPath().split(File.pathSeparator))
                        .filter(e -> e.endsWith(".jar")))
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=dev.jtensor", "-Xmx256m",
                "-D" + NativeLibraries.CACHE_DIR_PROPERTY + "=" + cache.resolve("root"),
                "--module-path", modulePath, "--patch-module", "dev.jtensor=" + testClasses,
                "-m", "dev.jtensor/" + LoadInChildJvm.class.getName(), "0");
        Path output = cache.resolve("out.txt");
        String out = await(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start(), output);
        assertTrue(out.startsWith("OK ") && out.contains(NativeLibraries.BUNDLED_OPENBLAS_SOURCE + " | 32.0"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void withoutAUsableHomeItLoadsFromAPrivateTemporaryDirectoryAndDeletesIt(@TempDir Path tmp) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-Duser.home=not/absolute",
                "-cp", testClassPath(), LoadInChildJvm.class.getName(), "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        builder.environment().remove("XDG_CACHE_HOME");
        String out = await(builder.start(), tmp.resolve("out.txt"));
        assertTrue(out.startsWith("OK ") && out.contains("/jtensor-natives-"), out);
        Path library = Path.of(out.substring(3, out.indexOf(" | ")));
        assertFalse(Files.exists(library.getParent().getParent()), "the private directory is deleted once loaded: " + library);
    }

    @Test
    void overrideLoadsTheGivenLibrary(@TempDir Path tmp) throws Exception {
        // Debian's reference BLAS with CBLAS (package libblas3); another CBLAS than OpenBLAS on purpose.
        Path reference = Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3");
        assumeTrue(Files.isRegularFile(reference), "no " + reference + " on this machine");
        String out = await(startChild(tmp.resolve("out.txt"), testClassPath(),
                List.of("-D" + NativeLibraries.BLAS_LIBRARY_PROPERTY + "=" + reference), "0"), tmp.resolve("out.txt"));
        // libblas.so.3 is a Debian alternative: the reference BLAS (its config unknown), or OpenBLAS once a package
        // such as python3-torch installs libopenblas0 (then the library reports its own config).
        boolean openBlas = reference.toRealPath().toString().contains("openblas");
        String expected = "OK " + reference + " | " + NativeLibraries.OVERRIDE_OPENBLAS_SOURCE + " | 32.0 | " + (openBlas ? "OpenBLAS" : "unknown");
        assertTrue(out.startsWith(expected), out);
    }

    @Test
    void missingOverrideFileFailsNamingTheProperty(@TempDir Path tmp) throws Exception {
        Process child = startChild(tmp.resolve("out.txt"), testClassPath(),
                List.of("-D" + NativeLibraries.BLAS_LIBRARY_PROPERTY + "=/nonexistent/libopenblas.so"), "0");
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(tmp.resolve("out.txt"));
        assertEquals(1, child.exitValue(), out);
        assertTrue(out.contains("FAILED java.lang.IllegalStateException: -Djtensor.blas.library=/nonexistent/libopenblas.so: no such file"), out);
    }

    // ---------------------------------------------------------------- helpers

    private static NativeSource classLoaderSource() {
        return NativeSource.locate(NativeLibrariesTest.class.getClassLoader(), NativeLibraries.OPENBLAS_JAR_DIRECTORY,
                "libopenblas.so.0", null, null).orElseThrow();
    }

    /** The real class path (surefire hides it behind a manifest-only booter jar in java.class.path). */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Path openBlasJar() {
        return Arrays.stream(testClassPath().split(File.pathSeparator)).filter(e -> e.endsWith(OPENBLAS_JAR))
                .map(Path::of).findFirst().orElseThrow(() -> new AssertionError(OPENBLAS_JAR + " not on the test class path"));
    }

    private static Process startChild(Path output, String classPath, List<String> jvmOptions, String startAt)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, LoadInChildJvm.class.getName(), startAt));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String await(Process child, Path output) throws Exception {
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        String out = Files.readString(output).strip();
        assertEquals(0, child.exitValue(), out);
        return out;
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
