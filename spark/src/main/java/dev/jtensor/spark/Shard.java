package dev.jtensor.spark;

import java.io.Serializable;

/**
 * One file of a {@link ShardDataset}: only its address and size travel to the task that reads it, never
 * its data. {@code index} is the shard's position in the sorted listing and names its output
 * ({@code part-NNNNN.npy}).
 *
 * @param index position in the dataset's sorted listing, from 0
 * @param uri the file's URI ({@code file:/...}, {@code hdfs://...}, any Hadoop file system)
 * @param byteSize the file's length in bytes when it was listed
 * @param member for {@code .npz} shards, the array to read ({@code null}: the archive's first array)
 */
public record Shard(int index, String uri, long byteSize, String member) implements Serializable {

    /** The file name, the last segment of the URI. */
    public String fileName() { return uri.substring(uri.lastIndexOf('/') + 1); }

    /** Whether the file is a NumPy {@code .npz} archive (otherwise a single {@code .npy} array). */
    public boolean isArchive() { return uri.endsWith(".npz"); }
}
