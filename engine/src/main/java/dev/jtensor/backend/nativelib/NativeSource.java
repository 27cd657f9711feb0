package dev.jtensor.backend.nativelib;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the bundled native files are read from: a directory of resources inside the
 * {@code org.bytedeco:openblas:...:linux-x86_64} jar, however that jar reached the JVM.
 *
 * <p>Two ways, tried in order ({@link #locate}):
 * <ol>
 *   <li>the class loader ({@code getResource}): works on the class path, in fat jars, and for a
 *       resolved module (the resources sit in a directory that is no Java package, so a named module
 *       does not encapsulate them);</li>
 *   <li>the jar itself, found on {@code java.class.path} or {@code jdk.module.path} and read with
 *       {@link ZipFile}: on the module path the bytedeco jar is usually <em>not</em> resolved (its
 *       module requires {@code org.bytedeco.javacpp}, which jtensor does not ship), so no class loader
 *       sees its resources, but the file is still there.</li>
 * </ol>
 */
sealed interface NativeSource {

    /** Opens the file {@code name} of the bundle (e.g. {@code libopenblas.so.0}). */
    InputStream open(String name) throws IOException;

    /** Where the bundle was found, for messages. */
    String description();

    /** Resources visible to a class loader under {@code directory} ("a/b/c/"). */
    record ClassLoaderSource(ClassLoader loader, String directory, URL probe) implements NativeSource {
        @Override public InputStream open(String name) throws IOException {
            InputStream in = loader.getResourceAsStream(directory + name);
            if (in == null) throw new IOException(directory + name + " is not visible to " + loader);
            return in;
        }
        @Override public String description() { return probe.toString(); }
    }

    /** A jar file read directly. The {@link ZipFile} is opened per file, so nothing stays open. */
    record JarSource(Path jar, String directory) implements NativeSource {
        @Override public InputStream open(String name) throws IOException {
            ZipFile zip = new ZipFile(jar.toFile());
            ZipEntry entry = zip.getEntry(directory + name);
            if (entry == null) {
                zip.close();
                throw new IOException(jar + " has no entry " + directory + name);
            }
            InputStream in = zip.getInputStream(entry);
            return new java.io.FilterInputStream(in) {
                @Override public void close() throws IOException {
                    try (zip) { super.close(); }
                }
            };
        }
        @Override public String description() { return jar.toString(); }
    }

    /** An exploded class-path directory. */
    record DirectorySource(Path root, String directory) implements NativeSource {
        @Override public InputStream open(String name) throws IOException {
            return Files.newInputStream(root.resolve(directory + name));
        }
        @Override public String description() { return root.resolve(directory).toString(); }
    }

    /**
     * Finds the bundle whose directory {@code directory} holds {@code probeName}: first through
     * {@code loader}, then on the given class path and module path (each a
     * {@link File#pathSeparator}-separated list, either may be null).
     */
    static Optional<NativeSource> locate(ClassLoader loader, String directory, String probeName,
                                         String classPath, String modulePath) {
        if (loader != null) {
            URL probe = loader.getResource(directory + probeName);
            if (probe != null) return Optional.of(new ClassLoaderSource(loader, directory, probe));
        }
        for (String path : new String[] {classPath, modulePath}) {
            for (Path candidate : candidates(path)) {
                Optional<NativeSource> found = probe(candidate, directory, probeName);
                if (found.isPresent()) return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The entries of a path list, with module-path directories expanded to the jars in them.
     * Only jars whose name mentions "openblas" are opened, so a long class path costs nothing.
     */
    private static List<Path> candidates(String pathList) {
        List<Path> out = new ArrayList<>();
        if (pathList == null || pathList.isBlank()) return out;
        for (String entry : pathList.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                out.add(p); // an exploded class-path directory ...
                try (Stream<Path> files = Files.list(p)) { // ... or a module-path directory of jars
                    files.filter(NativeSource::looksLikeOpenBlasJar).sorted().forEach(out::add);
                } catch (IOException | UncheckedIOException e) {
                    // unreadable directory: nothing to find there
                }
            } else if (looksLikeOpenBlasJar(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean looksLikeOpenBlasJar(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return name.endsWith(".jar") && name.contains("openblas") && Files.isRegularFile(p);
    }

    private static Optional<NativeSource> probe(Path candidate, String directory, String probeName) {
        if (Files.isDirectory(candidate)) {
            return Files.isRegularFile(candidate.resolve(directory + probeName))
                    ? Optional.of(new DirectorySource(candidate, directory)) : Optional.empty();
        }
        try (ZipFile zip = new ZipFile(candidate.toFile())) {
            return zip.getEntry(directory + probeName) != null
                    ? Optional.of(new JarSource(candidate.toAbsolutePath(), directory)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not a readable jar
        }
    }
}
