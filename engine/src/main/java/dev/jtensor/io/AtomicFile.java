package dev.jtensor.io;

import dev.jtensor.internal.Config;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old contents or the complete new ones: a temporary file
 * in the same directory, forced to disk ({@code -Djtensor.io.fsync=false} skips that for speed, keeping
 * only crash-of-process safety), then an atomic rename over the target.
 */
final class AtomicFile {
    private AtomicFile() {}

    private static final boolean FSYNC = Config.bool("jtensor.io.fsync", true);

    interface Body {
        void write(FileChannel ch) throws IOException;
    }

    static void write(Path path, Body body) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            setPermissionsLike(target, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                body.write(ch);
                if (FSYNC) ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Temp files are created 0600; give the result the target's permissions, or rw-r--r-- as np.save would. */
    private static void setPermissionsLike(Path target, Path tmp) throws IOException {
        try {
            var perms = Files.exists(target) ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException | FileSystemException e) {
            // not a POSIX file system, or not ours to change: keep the default
        }
    }
}
