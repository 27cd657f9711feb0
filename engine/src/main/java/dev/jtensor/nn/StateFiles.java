package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * State dicts on disk: {@code .npz} archives keyed like PyTorch's {@code state_dict} ({@code 0.weight},
 * ...), one {@code .npy} member per tensor. PyTorch reads one with
 * {@code {k: torch.from_numpy(v) for k, v in np.load(path).items()}} and writes one with
 * {@code np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})}.
 */
final class StateFiles {
    private StateFiles() {}

    static void save(Path path, Map<String, Tensor> state) throws IOException { Npz.save(path, state); }

    static Map<String, Tensor> load(Path path) throws IOException { return Npz.load(path); }
}
