package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Results written as {@code part-NNNNN.npy} with a commit on the driver, so that a failed job leaves no
 * partial file in the output directory. Tasks write into
 * {@code <out>/_temporary/<job>/attempt-<partition>-<attempt>/}; once every task has succeeded the driver
 * moves the files of the attempts Spark accepted into {@code <out>} ({@link #commit}); on failure it deletes
 * {@code _temporary} ({@link #abort}). Same layout and guarantee as Hadoop's {@code FileOutputCommitter}.
 */
final class PartOutput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String jobDirectory;
    private final HadoopConf conf;

    private PartOutput(String directory, String jobDirectory, HadoopConf conf) {
        this.directory = directory;
        this.jobDirectory = jobDirectory;
        this.conf = conf;
    }

    /** Prepares {@code directory} on the driver; refuses one that already holds {@code part-*} files. */
    static PartOutput create(String directory, HadoopConf conf) {
        Path dir = new Path(directory);
        try {
            FileSystem fs = dir.getFileSystem(conf.get());
            if (fs.exists(dir)) {
                for (FileStatus s : fs.listStatus(dir)) {
                    if (s.getPath().getName().startsWith("part-")) {
                        throw new IOException("output directory " + directory + " already holds " + s.getPath().getName()
                                + "; choose another or delete it");
                    }
                }
            }
            Path job = fs.makeQualified(new Path(new Path(dir, "_temporary"), UUID.randomUUID().toString()));
            fs.mkdirs(job);
            return new PartOutput(directory, job.toString(), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The file name of part {@code index}: {@code part-00007.npy}. */
    static String partName(int index) { return String.format("part-%05d.npy", index); }

    /**
     * Writes one part inside a task, under this attempt's directory; returns the written file's path,
     * which the task hands back to the driver for {@link #commit}. The data goes to a hidden
     * {@code .part-NNNNN.npy.tmp} first and is renamed only if the task has not been killed meanwhile;
     * the attempt's directory is created only inside a job directory that still exists: once the driver
     * has aborted the job (deleted its directory), a late task writes nothing.
     */
    String write(int partIndex, int partition, int attemptNumber, Tensor tensor) throws IOException {
        TaskKill.check();
        Path job = new Path(jobDirectory);
        Path attemptDir = new Path(job, "attempt-" + partition + "-" + attemptNumber);
        Path target = new Path(attemptDir, partName(partIndex));
        Path hidden = new Path(attemptDir, "." + partName(partIndex) + ".tmp");
        FileSystem fs = job.getFileSystem(conf.get());
        if (!fs.exists(job)) throw new IOException("output job directory " + job + " no longer exists: the job was aborted");
        if (!fs.mkdirs(attemptDir)) throw new IOException("cannot create " + attemptDir);
        try {
            URI uri = hidden.toUri();
            if (uri.getScheme() == null || uri.getScheme().equals("file")) {
                Npy.save(uri.getScheme() == null ? java.nio.file.Path.of(uri.getPath()) : java.nio.file.Path.of(uri), tensor);
            } else {
                java.nio.file.Path tmp = Files.createTempFile("jtensor-part-", ".npy");
                try {
                    Npy.save(tmp, tensor);
                    fs.copyFromLocalFile(true, true, new Path(tmp.toUri()), hidden);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            TaskKill.check(); // killed while writing: the part never gets its name
            if (!fs.rename(hidden, target)) throw new IOException("could not rename " + hidden + " to " + target);
            return target.toString();
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(attemptDir, true);
            } catch (IOException ignored) {
                // the driver's abort deletes the whole job directory anyway
            }
            throw e;
        }
    }

    /** Moves the accepted attempts' files into the output directory and removes {@code _temporary}; returns the final paths. */
    List<String> commit(List<String> writtenFiles) {
        Path dir = new Path(directory);
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(conf.get());
            for (String f : writtenFiles) {
                Path src = new Path(f);
                Path dst = new Path(dir, src.getName());
                if (!fs.rename(src, dst)) throw new IOException("could not move " + src + " to " + dst);
                out.add(dst.toString());
            }
        } catch (IOException e) {
            abort();
            throw new UncheckedIOException("commit of " + directory + " failed: " + e.getMessage(), e);
        }
        abort();
        return out;
    }

    /** Deletes this job's temporary files (and {@code _temporary} once empty). Never throws. */
    void abort() {
        Path job = new Path(jobDirectory);
        try {
            FileSystem fs = job.getFileSystem(conf.get());
            fs.delete(job, true);
            Path temporary = job.getParent();
            FileStatus[] left = fs.exists(temporary) ? fs.listStatus(temporary) : new FileStatus[0];
            if (left.length == 0) fs.delete(temporary, true);
        } catch (IOException ignored) {
            // best effort: a leftover _temporary is ignored by ShardDataset and by Spark's readers
        }
    }
}
