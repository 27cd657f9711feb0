package dev.jtensor.backend.nativelib;

import dev.jtensor.internal.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * One of our own libraries shipped inside the engine jar ({@code dev/jtensor/native/linux-x86_64/}, built by
 * {@code native/build-*.sh}): found as a class-path resource, written once into the per-user cache under a
 * name made of its content checksum ({@code <cache>/<stem>-<crc32>-<size>/<file>}, atomic rename, so several
 * JVMs starting at once and different builds never clash), and {@link System#load}ed from this module, so
 * that the jextract bindings' {@code SymbolLookup.loaderLookup()} sees it (STYLE G6).
 *
 * <p>Why a CRC-32 and not SHA-256: the name only tells builds apart (it guards nothing: whoever can write the
 * cache can write any file there), and the jar's directory already holds each entry's CRC-32 and size, so a
 * JVM finding the library in the cache reads nothing more; reading and hashing the 1 MB library in a cold
 * JVM (interpreted SHA-256) cost 50-150 ms of every process's first op.
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
        URL url = BundledLibrary.class.getResource(resource);
        if (url == null) throw new IllegalStateException("no " + resource.substring(1) + " in the engine jar");
        Path file = extract(fileName, Contents.of(url));
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * A resource's size and CRC-32, and its bytes on demand. From a jar both come from the zip directory, so a
     * JVM whose cache already holds the library reads none of its megabyte; from a class directory (tests) the
     * bytes are read and checksummed.
     */
    record Contents(long size, long crc32, URL url, byte[] read) {
        static Contents of(URL url) {
            try {
                if (url.openConnection() instanceof JarURLConnection jar) {
                    JarEntry entry = jar.getJarEntry();
                    if (entry.getSize() >= 0 && entry.getCrc() >= 0) return new Contents(entry.getSize(), entry.getCrc(), url, null);
                }
                return of(readAll(url));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + url + ": " + e, e);
            }
        }

        static Contents of(byte[] bytes) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return new Contents(bytes.length, crc.getValue(), null, bytes);
        }

        byte[] bytes() throws IOException {
            return read != null ? read : readAll(url); // a zip stream checks the entry's CRC-32 as it inflates
        }

        private static byte[] readAll(URL url) throws IOException {
            try (InputStream in = url.openStream()) {
                return in.readAllBytes();
            }
        }
    }

    /** Writes the library into the per-user cache (or, failing that, a temporary directory) and returns its path. */
    private static Path extract(String fileName, Contents contents) {
        String hash = HexFormat.of().toHexDigits((int) contents.crc32()) + "-" + Long.toHexString(contents.size());
        String stem = fileName.startsWith("lib") ? fileName.substring(3) : fileName; // libjtensor_cpu.so -> jtensor-cpu
        if (stem.contains(".so")) stem = stem.substring(0, stem.indexOf(".so"));
        stem = stem.replace('_', '-');
        String asked = Config.string(NativeLibraries.CACHE_DIR_PROPERTY);
        Path root = asked != null ? Path.of(asked) : NativeLibraries.defaultCacheRoot();
        if (root == null) root = Path.of(System.getProperty("java.io.tmpdir"), "jtensor-" + System.getProperty("user.name", "user"));
        Path dir = root.resolve(stem + "-" + hash);
        Path file = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == contents.size()) return file;
            byte[] bytes = contents.bytes();
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
                Files.write(f, contents.bytes());
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
