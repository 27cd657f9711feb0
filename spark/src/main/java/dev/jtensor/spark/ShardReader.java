package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.io.NpyFormatException;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One shard opened inside a task. A local file ({@code file:} URI) is memory-mapped where it lies:
 * zero-copy, pages read on first touch. A file on another Hadoop file system is first copied to the
 * task's local temporary directory, then mapped; the copy is deleted on {@link #close()}. Malformed files
 * raise {@link NpyFormatException} naming the shard's own URI and the byte offset.
 */
public final class ShardReader implements AutoCloseable {
    private final Shard shard;
    private final Path localCopy;
    private final Map<String, Tensor> arrays;

    private ShardReader(Shard shard, Path localCopy, Map<String, Tensor> arrays) {
        this.shard = shard;
        this.localCopy = localCopy;
        this.arrays = arrays;
    }

    static ShardReader open(Shard shard, HadoopConf conf) throws IOException {
        URI uri = URI.create(shard.uri());
        Path local;
        Path copy = null;
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            local = uri.getScheme() == null ? Path.of(shard.uri()) : Path.of(uri);
        } else {
            copy = Files.createTempFile("jtensor-shard-", "-" + shard.fileName());
            var src = new org.apache.hadoop.fs.Path(uri);
            src.getFileSystem(conf.get()).copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(copy.toUri()), true);
            local = copy;
        }
        try {
            Map<String, Tensor> arrays = shard.isArchive() ? Npz.load(local) : Map.of("", Npy.map(local));
            return new ShardReader(shard, copy, arrays);
        } catch (NpyFormatException e) {
            if (copy != null) Files.deleteIfExists(copy);
            String detail = e.getMessage();
            String prefix = e.file() + ": ";
            if (detail.startsWith(prefix)) detail = detail.substring(prefix.length());
            int at = detail.lastIndexOf(" (at byte offset ");
            if (at >= 0) detail = detail.substring(0, at);
            String file = e.file().startsWith(local.toString()) ? shard.uri() + e.file().substring(local.toString().length()) : e.file();
            throw new NpyFormatException(file, e.byteOffset(), "bad shard " + shard.index() + ": " + detail);
        } catch (IOException | RuntimeException e) {
            if (copy != null) Files.deleteIfExists(copy);
            throw e;
        }
    }

    /** The shard this reader opened. */
    public Shard shard() { return shard; }

    /**
     * The shard's array: the {@code .npy} file's, or the {@link Shard#member() member} of an {@code .npz}
     * archive (its first array when none was named).
     *
     * @throws IllegalArgumentException if the archive has no such member
     */
    public Tensor array() {
        if (!shard.isArchive()) return arrays.get("");
        if (shard.member() == null) {
            if (arrays.isEmpty()) throw new IllegalArgumentException("shard " + shard.uri() + " is an empty .npz archive");
            return arrays.values().iterator().next();
        }
        return array(shard.member());
    }

    /** The named array of an {@code .npz} shard. */
    public Tensor array(String member) {
        Tensor t = arrays.get(member);
        if (t == null) {
            throw new IllegalArgumentException("shard " + shard.uri() + " has no array '" + member + "'; it has " + arrays.keySet());
        }
        return t;
    }

    /** Unmaps the shard's arrays (their views then throw) and deletes a local copy. */
    @Override
    public void close() throws IOException {
        for (Tensor t : arrays.values()) t.close();
        if (localCopy != null) Files.deleteIfExists(localCopy);
    }
}
