package dev.jtensor.backend.nativelib;

import dev.jtensor.backend.nativelib.NativeCache.NativeFile;
import dev.jtensor.internal.Config;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Loads jtensor's native libraries, once per JVM (DESIGN section 6).
 *
 * <p><b>OpenBLAS.</b> By default the OpenBLAS 0.3.28 build of the Maven Central artifact
 * {@value #OPENBLAS_ARTIFACT} (a dependency of the engine) is used: its {@code libopenblas.so.0} and the
 * Fortran runtime it needs are extracted once into a versioned per-user cache,
 * {@code ${XDG_CACHE_HOME:-~/.cache}/jtensor/openblas-0.3.28-1.5.11-linux-x86_64/} (or under
 * {@code -Djtensor.cache.dir}), see {@link NativeCache} for how that stays safe with many JVMs, and
 * loaded with {@link System#load}. {@code -Djtensor.blas.library=/path/libopenblas.so} loads that
 * file instead (Debian's OpenBLAS, another CBLAS such as MKL's {@code libmkl_rt.so}).
 *
 * <p>Why {@code System.load} from this class: the jextract bindings find symbols with
 * {@link SymbolLookup#loaderLookup()}, which sees exactly the libraries loaded by their own class
 * loader; this class is in the same module, hence the same loader (STYLE G6).
 *
 * <p>Failures throw {@link IllegalStateException} naming what was missing and how to fix it; the
 * failure is remembered, so later calls throw the same message without retrying.
 */
public final class NativeLibraries {
    /** The Maven coordinates of the bundled OpenBLAS. */
    public static final String OPENBLAS_ARTIFACT = "org.bytedeco:openblas:0.3.28-1.5.11:linux-x86_64";
    /** {@link LoadedLibrary#source()} of the bundled OpenBLAS. */
    public static final String BUNDLED_OPENBLAS_SOURCE = "bundled org.bytedeco:openblas:0.3.28-1.5.11";
    /** {@link LoadedLibrary#source()} when {@value #BLAS_LIBRARY_PROPERTY} chose the library. */
    public static final String OVERRIDE_OPENBLAS_SOURCE = "override -Djtensor.blas.library";
    /** System property: a BLAS library file to load instead of the bundled OpenBLAS. */
    public static final String BLAS_LIBRARY_PROPERTY = "jtensor.blas.library";
    /** System property: the cache root directory (default {@code ${XDG_CACHE_HOME:-~/.cache}/jtensor}). */
    public static final String CACHE_DIR_PROPERTY = "jtensor.cache.dir";
    /** System property: re-hash a cached entry on every start, not only check sizes. */
    public static final String CACHE_VERIFY_PROPERTY = "jtensor.cache.verify";

    /** The cache entry name: library, version, bytedeco build and platform, so versions never mix. */
    static final String OPENBLAS_CACHE_ENTRY = "openblas-0.3.28-1.5.11-linux-x86_64";
    /** Directory of the natives inside the bytedeco jar. */
    static final String OPENBLAS_JAR_DIRECTORY = "org/bytedeco/openblas/linux-x86_64/";
    /**
     * The files taken from the jar, in load order (each after what it needs: libgfortran needs
     * libquadmath and libgcc_s; libopenblas needs libgfortran). Sizes and hashes are those of the
     * artifact on Maven Central, pinned. The jar's JNI libraries (libjniopenblas*) are not used.
     */
    static final List<NativeFile> OPENBLAS_FILES = List.of(
            new NativeFile("libgcc_s.so.1", 104_984,
                    "489803ded8a4d803e2c792763a2767c12185f5764b7bba080742d14ef2452b27"),
            new NativeFile("libquadmath.so.0", 297_784,
                    "36ccd8fddb16b65129879a6ecf379b468d6e920bdcaeb01e3a7fdd4e7ddf1be8"),
            new NativeFile("libgfortran.so.5", 2_911_456,
                    "01fc721062fc3c2b5492202d276c5a374b7d952fc168d2d1e603fa85660cc502"),
            new NativeFile("libopenblas.so.0", 33_753_064,
                    "475a5f66a65fd2f79572560e3e043dad606c30694b6f1934e8fb3fb9b4725757"));
    private static final String OPENBLAS_FILE = "libopenblas.so.0";
    /** libgcc_s belongs to the C runtime; see {@link #loadBundled}. */
    private static final String GCC_RUNTIME_FILE = "libgcc_s.so.1";

    private static volatile LoadedLibrary openBlas;
    private static RuntimeException openBlasFailure;

    private NativeLibraries() {}

    /**
     * Loads OpenBLAS (or the {@value #BLAS_LIBRARY_PROPERTY} override) if this JVM has not yet, and
     * says what was loaded. Thread-safe; after the first call it is a volatile read.
     *
     * @throws IllegalStateException if the library cannot be found, extracted or loaded (the message
     *                               says which file or setting is at fault)
     */
    public static LoadedLibrary openBlas() {
        LoadedLibrary loaded = openBlas;
        return loaded != null ? loaded : loadOpenBlasOnce();
    }

    private static synchronized LoadedLibrary loadOpenBlasOnce() {
        if (openBlas != null) return openBlas;
        if (openBlasFailure != null) {
            throw new IllegalStateException(openBlasFailure.getMessage(), openBlasFailure);
        }
        try {
            String override = Config.string(BLAS_LIBRARY_PROPERTY);
            LoadedLibrary loaded = override != null
                    ? loadOverride(override) : loadBundled();
            requireSymbol(loaded, "cblas_sgemm");
            openBlas = loaded;
            return loaded;
        } catch (RuntimeException e) {
            openBlasFailure = e;
            throw e;
        }
    }

    private static LoadedLibrary loadOverride(String file) {
        Path path = Path.of(file).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("-D" + BLAS_LIBRARY_PROPERTY + "=" + file
                    + ": no such file (" + path + "). Point it at a CBLAS shared library such as "
                    + "/usr/lib/x86_64-linux-gnu/libopenblas.so.0, or remove it to use the bundled OpenBLAS.");
        }
        load(path, "-D" + BLAS_LIBRARY_PROPERTY + "=" + file);
        return new LoadedLibrary(path, OVERRIDE_OPENBLAS_SOURCE);
    }

    private static LoadedLibrary loadBundled() {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("jtensor bundles OpenBLAS for linux-x86_64 only, and this is "
                    + os + "/" + arch + ": install a BLAS and pass -D" + BLAS_LIBRARY_PROPERTY + "=/path/to/it.");
        }
        NativeSource source = NativeSource.locate(NativeLibraries.class.getClassLoader(),
                        OPENBLAS_JAR_DIRECTORY, OPENBLAS_FILE,
                        System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .orElseThrow(() -> new IllegalStateException("OpenBLAS not found: no "
                        + OPENBLAS_JAR_DIRECTORY + OPENBLAS_FILE + " through the class loader, on java.class.path"
                        + " or on jdk.module.path. Add the dependency " + OPENBLAS_ARTIFACT
                        + " (jtensor-engine depends on it; was it excluded?), or pass -D"
                        + BLAS_LIBRARY_PROPERTY + "=/path/to/libopenblas.so."));
        Extracted extracted = extract(source);
        Path entry = extracted.entry();
        try {
            for (NativeFile file : OPENBLAS_FILES) {
                // The C runtime's unwinder library is on every glibc system and may already be in this
                // process; a second copy would register a second unwinder, so the bundled one is a fallback.
                if (file.name().equals(GCC_RUNTIME_FILE) && systemLibraryLoads(GCC_RUNTIME_FILE)) continue;
                load(entry.resolve(file.name()), "bundled " + file.name() + " (from " + source.description() + ")");
            }
        } finally {
            if (extracted.deleteAfterLoad() != null) NativeCache.deleteRecursively(extracted.deleteAfterLoad());
        }
        return new LoadedLibrary(entry.resolve(OPENBLAS_FILE), BUNDLED_OPENBLAS_SOURCE);
    }

    /** An extracted bundle; {@code deleteAfterLoad} is the private temporary directory to remove, or null. */
    private record Extracted(Path entry, Path deleteAfterLoad) {}

    /**
     * Extracts into the per-user cache; when that is not writable and no cache directory was asked for,
     * into a private temporary directory that is deleted once the libraries are loaded (the mappings
     * stay valid after the files are unlinked).
     */
    private static Extracted extract(NativeSource source) {
        String asked = Config.string(CACHE_DIR_PROPERTY);
        Path root = asked != null ? Path.of(asked) : defaultCacheRoot();
        if (root == null) {
            return extractToPrivateTemp(source, Path.of("~/.cache/jtensor"),
                    new FileSystemException("user.home", null, "no absolute home directory"));
        }
        boolean verify = Config.bool(CACHE_VERIFY_PROPERTY, false);
        try {
            return new Extracted(NativeCache.ensure(root, OPENBLAS_CACHE_ENTRY, OPENBLAS_FILES, source, verify), null);
        } catch (NativeCache.WrongContentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (FileSystemException e) { // read-only or foreign home directory, read-only file system
            if (asked != null && !asked.isBlank()) throw cacheFailure(root, e, true);
            return extractToPrivateTemp(source, root, e);
        } catch (IOException e) {
            throw cacheFailure(root, e, asked != null);
        }
    }

    private static Extracted extractToPrivateTemp(NativeSource source, Path root, IOException why) {
        Path temp = null;
        try {
            temp = Files.createTempDirectory("jtensor-natives-"); // mode 0700, a fresh random name
            return new Extracted(NativeCache.ensure(temp, OPENBLAS_CACHE_ENTRY, OPENBLAS_FILES, source, false), temp);
        } catch (IOException e) {
            if (temp != null) NativeCache.deleteRecursively(temp);
            IllegalStateException failure = cacheFailure(root, why, false);
            failure.addSuppressed(e);
            throw failure;
        }
    }

    private static IllegalStateException cacheFailure(Path root, IOException e, boolean asked) {
        return new IllegalStateException("cannot extract OpenBLAS into the cache directory " + root
                + (asked ? " (-D" + CACHE_DIR_PROPERTY + ")" : "") + ": " + e
                + ". Set -D" + CACHE_DIR_PROPERTY + " to a writable directory.", e);
    }

    /**
     * {@code $XDG_CACHE_HOME/jtensor} if that is set to an absolute path, else {@code ~/.cache/jtensor};
     * null without an absolute home directory (then only a private temporary directory is safe).
     */
    static Path defaultCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "jtensor");
        String home = System.getProperty("user.home", "");
        return !home.isBlank() && Path.of(home).isAbsolute() ? Path.of(home, ".cache", "jtensor") : null;
    }

    private static void load(Path path, String what) {
        try {
            System.load(path.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + what + " from " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the dynamic linker finds {@code soname} on the system (it stays loaded if so). */
    private static boolean systemLibraryLoads(String soname) {
        try {
            SymbolLookup.libraryLookup(soname, Arena.global());
            return true;
        } catch (IllegalArgumentException notFound) {
            return false;
        }
    }

    private static void requireSymbol(LoadedLibrary loaded, String symbol) {
        if (SymbolLookup.loaderLookup().find(symbol).isEmpty()) {
            throw new IllegalStateException(loaded.path() + " (" + loaded.source() + ") was loaded but does not"
                    + " export " + symbol + ": it is not a CBLAS library. For MKL use libmkl_rt.so; for"
                    + " reference BLAS, the libblas.so.3 that includes CBLAS.");
        }
    }
}
