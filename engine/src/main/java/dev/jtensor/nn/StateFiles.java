package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** State dicts on disk: {@code .npz} archives keyed like PyTorch's {@code state_dict}. */
final class StateFiles {
    private StateFiles() {}

    static void save(Path path, Map<String, Tensor> state) throws IOException {
        throw new UnsupportedOperationException("Module.save needs dev.jtensor.io.Npz (not merged yet)");
    }

    static Map<String, Tensor> load(Path path) throws IOException {
        throw new UnsupportedOperationException("Module.load needs dev.jtensor.io.Npz (not merged yet)");
    }
}
