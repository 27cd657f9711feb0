package dev.jtensor.backend.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The per-user cache of extracted native files: one directory per bundle and version
 * ({@code <root>/openblas-0.3.28-1.5.11-linux-x86_64/}), made atomically.
 *
 * <p>Protocol, safe with any number of JVMs starting at once: a complete entry is only ever created by
 * renaming a fully written and verified staging directory ({@code <root>/.<entry>.tmp-*}) onto the entry
 * name ({@code rename(2)}, {@link StandardCopyOption#ATOMIC_MOVE}). A JVM that loses the race finds the
 * entry already there, checks it and uses it. An entry that fails the check (a file missing or of the
 * wrong size: damaged by hand or by disk trouble) is renamed aside and replaced.
 *
 * <p>Checks: every extraction verifies each file's size and SHA-256 against the pinned values (so a
 * different bytedeco version on the class path is caught, not silently cached under this version's
 * name). A cache hit checks sizes only (a {@code stat} per file); hashing 37 MB costs 30-150 ms per JVM
 * start, so the full re-hash of a hit runs only with {@code -Djtensor.cache.verify=true}.
 */
final class NativeCache {

    /** One file of a bundle, with its pinned size and SHA-256 (lower-case hex). */
    record NativeFile(String name, long sizeBytes, String sha256) {}

    /** Thrown when a bundle's file is not the pinned one: a different artifact, not a damaged cache. */
    static final class WrongContentException extends IOException {
        WrongContentException(String message) { super(message); }
    }

    private NativeCache() {}

    /**
     * Returns {@code root/entryName}, holding {@code files} exactly, extracting them from {@code source}
     * first unless a good copy is already there.
     */
    static Path ensure(Path root, String entryName, List<NativeFile> files, NativeSource source,
                       boolean verifyHashes) throws IOException {
        Path entry = root.resolve(entryName);
        if (isComplete(entry, files, verifyHashes)) return entry;
        Files.createDirectories(root);
        for (int attempt = 0; ; attempt++) {
            Path staging = Files.createTempDirectory(root, "." + entryName + ".tmp-");
            try {
                for (NativeFile file : files) extract(source, file, staging.resolve(file.name()));
                try {
                    Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
                    return entry;
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException lost) {
                    // fall through: someone else created the entry
                } catch (IOException lost) {
                    // Linux reports ENOTEMPTY as a plain FileSystemException; anything else rethrows below
                    if (!Files.exists(entry)) throw lost;
                }
                if (isComplete(entry, files, verifyHashes)) return entry; // another JVM won: use its copy
                if (attempt > 0) {
                    throw new IOException("cannot replace the damaged cache entry " + entry
                            + ": it still fails the size check after one replacement");
                }
                moveAsideAndDelete(root, entry);
            } finally {
                deleteRecursively(staging); // nothing left there after a successful move
            }
        }
    }

    /** Whether {@code entry} holds every file with its pinned size (and hash, if asked). */
    static boolean isComplete(Path entry, List<NativeFile> files, boolean verifyHashes) {
        if (!Files.isDirectory(entry)) return false;
        try {
            for (NativeFile file : files) {
                Path p = entry.resolve(file.name());
                if (!Files.isRegularFile(p) || Files.size(p) != file.sizeBytes()) return false;
                if (verifyHashes) {
                    try (InputStream in = Files.newInputStream(p)) {
                        if (!sha256(in, OutputStream.nullOutputStream()).equals(file.sha256())) return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void extract(NativeSource source, NativeFile file, Path target) throws IOException {
        String hash;
        try (InputStream in = source.open(file.name()); OutputStream out = Files.newOutputStream(target)) {
            hash = sha256(in, out);
        }
        long size = Files.size(target);
        if (size != file.sizeBytes() || !hash.equals(file.sha256())) {
            throw new WrongContentException(file.name() + " from " + source.description() + " is " + size
                    + " bytes with SHA-256 " + hash + ", but jtensor expects " + file.sizeBytes()
                    + " bytes with SHA-256 " + file.sha256() + " (" + NativeLibraries.OPENBLAS_ARTIFACT
                    + "). Is another version of that artifact on the class path?");
        }
    }

    /** Copies {@code in} to {@code out} and returns the SHA-256 of what was copied. */
    private static String sha256(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Renames a damaged entry out of the way (atomically: a racing JVM sees it or not), then deletes it. */
    private static void moveAsideAndDelete(Path root, Path entry) throws IOException {
        Path aside = Files.createTempDirectory(root, "." + entry.getFileName() + ".damaged-");
        Path target = aside.resolve("entry");
        try {
            Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException alreadyMoved) {
            // another JVM moved it first
        }
        deleteRecursively(aside);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover hidden staging directory costs only disk space
        }
    }
}
