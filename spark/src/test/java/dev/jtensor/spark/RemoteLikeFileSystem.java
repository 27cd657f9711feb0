package dev.jtensor.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code remote:}, so that tests take the code path of a non-local Hadoop
 * file system (copy to the task's temp directory, copy-from-local on write, rename on commit).
 */
public class RemoteLikeFileSystem extends RawLocalFileSystem {
    @Override public URI getUri() { return URI.create("remote:///"); }

    @Override public String getScheme() { return "remote"; }
}
