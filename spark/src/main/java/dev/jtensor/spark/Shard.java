package dev.jtensor.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One file of a {@link ShardDataset}: only its address and size travel to the task that reads it, never
 * its data. {@code index} is the shard's position in the sorted listing and names its output
 * ({@code part-NNNNN.npy}). A plain class rather than a record, because Spark's Kryo (4.x) cannot build
 * records and Spark ships RDD elements with the configured serializer.
 */
public final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String uri;
    private final long byteSize;
    private final String member;

    /**
     * @param index position in the dataset's sorted listing, from 0
     * @param uri the file's URI ({@code file:/...}, {@code hdfs://...}, any Hadoop file system)
     * @param byteSize the file's length in bytes when it was listed
     * @param member for {@code .npz} shards, the array to read ({@code null}: the archive's first array)
     */
    public Shard(int index, String uri, long byteSize, String member) {
        this.index = index;
        this.uri = Objects.requireNonNull(uri, "uri");
        this.byteSize = byteSize;
        this.member = member;
    }

    /** Position in the dataset's sorted listing, from 0. */
    public int index() { return index; }

    /** The file's URI. */
    public String uri() { return uri; }

    /** The file's length in bytes when it was listed. */
    public long byteSize() { return byteSize; }

    /** For {@code .npz} shards, the array to read ({@code null}: the archive's first array). */
    public String member() { return member; }

    /** The file name, the last segment of the URI. */
    public String fileName() { return uri.substring(uri.lastIndexOf('/') + 1); }

    /** Whether the file is a NumPy {@code .npz} archive (otherwise a single {@code .npy} array). */
    public boolean isArchive() { return uri.endsWith(".npz"); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shard s && s.index == index && s.uri.equals(uri) && s.byteSize == byteSize && Objects.equals(s.member, member);
    }

    @Override
    public int hashCode() { return Objects.hash(index, uri, byteSize, member); }

    @Override
    public String toString() { return "Shard[" + index + ", " + uri + ", " + byteSize + " bytes" + (member == null ? "" : ", " + member) + "]"; }
}
