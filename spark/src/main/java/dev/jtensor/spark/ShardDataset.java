package dev.jtensor.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A directory of NumPy shards ({@code .npy} arrays, or one named array of each {@code .npz} archive), on
 * the local disk or any Hadoop file system. The driver lists the directory once; tasks receive only each
 * {@link Shard}'s address and size and map the file themselves ({@link ShardReader}), zero-copy where
 * the file is local. Files whose names start with {@code _} or {@code .} are ignored, as Spark does.
 *
 * <pre>{@code
 * ShardDataset data = ShardDataset.open(sc, "hdfs://nn/features");        // part-*.npy
 * ShardDataset pairs = ShardDataset.open(sc, "/data/train", "x");          // member x of each .npz
 * }</pre>
 */
public final class ShardDataset implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final List<Shard> shards;
    private final HadoopConf hadoopConf;

    private ShardDataset(String directory, List<Shard> shards, HadoopConf hadoopConf) {
        this.directory = directory;
        this.shards = List.copyOf(shards);
        this.hadoopConf = hadoopConf;
    }

    /** The {@code .npy} and {@code .npz} files of {@code directory}, sorted by name; {@code .npz} shards give their first array. */
    public static ShardDataset open(JavaSparkContext sc, String directory) { return open(sc, directory, null); }

    /**
     * The {@code .npy} and {@code .npz} files of {@code directory}, sorted by name.
     *
     * @param npzMember the array to read from each {@code .npz} archive ({@code null}: its first array)
     * @throws UncheckedIOException if the directory cannot be listed or holds no shard
     */
    public static ShardDataset open(JavaSparkContext sc, String directory, String npzMember) {
        var conf = new HadoopConf(sc.hadoopConfiguration());
        Path dir = new Path(directory);
        try {
            FileSystem fs = dir.getFileSystem(conf.get());
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isFile() && !name.startsWith("_") && !name.startsWith(".")
                        && (name.endsWith(".npy") || name.endsWith(".npz"))) files.add(s);
            }
            if (files.isEmpty()) throw new IOException("no .npy or .npz shard in " + directory);
            files.sort(Comparator.comparing(s -> s.getPath().getName()));
            List<Shard> shards = new ArrayList<>();
            for (FileStatus s : files) {
                shards.add(new Shard(shards.size(), s.getPath().toUri().toString(), s.getLen(), npzMember));
            }
            return new ShardDataset(directory, shards, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list shards in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The directory this dataset was listed from. */
    public String directory() { return directory; }

    /** The shards in listing order. */
    public List<Shard> shards() { return shards; }

    /** The number of shards. */
    public int size() { return shards.size(); }

    /** The shards as an RDD with one partition per shard: partition {@code i} holds shard {@code i}. */
    public JavaRDD<Shard> rdd(JavaSparkContext sc) { return sc.parallelize(shards, shards.size()); }

    /** Opens a shard inside a task (see {@link ShardReader}); the caller closes it. */
    public ShardReader read(Shard shard) throws IOException { return ShardReader.open(shard, hadoopConf); }

    HadoopConf hadoopConf() { return hadoopConf; }
}
