package dev.jtensor.backend.nativelib;

import dev.jtensor.internal.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One of our own libraries shipped inside the engine jar ({@code dev/jtensor/native/linux-x86_64/}, built by
 * {@code native/build-*.sh}): found as a class-path resource, written once into the per-user cache under a
 * name made of its content hash ({@code <cache>/<stem>-<sha256 prefix>/<file>}, atomic rename, so several
 * JVMs starting at once and different builds never clash), and {@link System#load}ed from this module, so
 * that the jextract bindings' {@code SymbolLookup.loaderLookup()} sees it (STYLE G6).
 */
public final class BundledLibrary {
    /** Where the libraries sit inside the jar. */
    public static final String RESOURCE_DIRECTORY = "/dev/jtensor/native/linux-x86_64/";

    private BundledLibrary() {}

    /** True on the one platform our libraries are built for (linux-x86_64). */
    public static boolean platformSupported() {
        String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "?");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * The library file named by system property {@code property} (a user's own build, a test's), loaded; null
     * when the property is unset or blank.
     *
     * @throws IllegalStateException naming the property when the file does not exist
     */
    public static Path loadNamed(String property) {
        String asked = Config.string(property);
        if (asked == null) return null;
        Path p = Path.of(asked.strip()).toAbsolutePath();
        if (!Files.isRegularFile(p)) throw new IllegalStateException("-D" + property + "=" + asked + ": no such file");
        System.load(p.toString());
        return p;
    }

    /**
     * Extracts {@code fileName} from the jar into the cache and loads it; returns the loaded file.
     *
     * @throws IllegalStateException naming what is missing: the resource (a build without the compiler),
     *         a writable cache directory, or the loader's error
     */
    public static Path load(String fileName) {
        String resource = RESOURCE_DIRECTORY + fileName;
        byte[] bytes;
        try (InputStream in = BundledLibrary.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no " + resource.substring(1) + " in the engine jar");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from the engine jar: " + e, e);
        }
        Path file = extract(fileName, bytes);
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Writes the library into the per-user cache (or, failing that, a temporary directory) and returns its path. */
    static Path extract(String fileName, byte[] bytes) {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String stem = fileName.replaceFirst("^lib", "").replaceFirst("\\.so.*$", "").replace('_', '-');
        String asked = Config.string(NativeLibraries.CACHE_DIR_PROPERTY);
        Path root = asked != null ? Path.of(asked) : NativeLibraries.defaultCacheRoot();
        if (root == null) root = Path.of(System.getProperty("java.io.tmpdir"), "jtensor-" + System.getProperty("user.name", "user"));
        Path dir = root.resolve(stem + "-" + hash);
        Path file = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return file;
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, stem, ".part");
            Files.write(temp, bytes);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            try {
                Path temp = Files.createTempDirectory(stem + "-");
                Path f = temp.resolve(fileName);
                Files.write(f, bytes);
                f.toFile().deleteOnExit();
                temp.toFile().deleteOnExit();
                return f;
            } catch (IOException e2) {
                IllegalStateException failure = new IllegalStateException("cannot extract " + fileName + " into " + dir
                        + " or a temporary directory: " + e + "; set -D" + NativeLibraries.CACHE_DIR_PROPERTY
                        + " to a writable directory", e);
                failure.addSuppressed(e2);
                throw failure;
            }
        }
    }
}
