package dev.jtensor.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration in a form tasks receive: file system credentials and settings set on
 * the driver ({@code spark.hadoop.*}) then apply in every task. Hadoop's own {@code Configuration} is
 * {@code Writable} but not {@code Serializable}.
 */
final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] written;
    private transient Configuration conf;

    HadoopConf(Configuration conf) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            conf.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the Hadoop configuration", e);
        }
        this.written = bytes.toByteArray();
        this.conf = conf;
    }

    /** The configuration, rebuilt once per deserialized copy. */
    synchronized Configuration get() {
        if (conf == null) {
            var c = new Configuration(false);
            try (var in = new DataInputStream(new ByteArrayInputStream(written))) {
                c.readFields(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the Hadoop configuration shipped by the driver", e);
            }
            conf = c;
        }
        return conf;
    }
}
