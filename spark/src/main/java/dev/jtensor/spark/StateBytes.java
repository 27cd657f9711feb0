package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A state dict as the bytes of its {@code .npz} file, to travel between driver and tasks (any dtype, exact). */
final class StateBytes implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] npz;

    private StateBytes(byte[] npz) { this.npz = npz; }

    static StateBytes of(Map<String, Tensor> state) {
        try {
            Path tmp = Files.createTempFile("jtensor-state-", ".npz");
            try {
                Npz.save(tmp, state);
                return new StateBytes(Files.readAllBytes(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a state dict: " + e.getMessage(), e);
        }
    }

    /** Fresh tensors in jtensor's memory, in the saved order. */
    Map<String, Tensor> tensors() {
        try {
            Path tmp = Files.createTempFile("jtensor-state-", ".npz");
            try {
                Files.write(tmp, npz);
                Map<String, Tensor> mapped = Npz.load(tmp);
                Map<String, Tensor> out = new LinkedHashMap<>();
                mapped.forEach((k, v) -> out.put(k, v.clone()));
                mapped.values().forEach(Tensor::close);
                return out;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a state dict: " + e.getMessage(), e);
        }
    }
}
