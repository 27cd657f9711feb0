package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.io.MappedWeights;
import dev.jtensor.io.Npz;
import dev.jtensor.io.Safetensors;
import dev.jtensor.io.TorchFiles;
import dev.jtensor.io.WeightFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * State dicts on disk, keyed like PyTorch's {@code state_dict} ({@code 0.weight}, ...). Written in the format
 * the file name asks for ({@link WeightFiles#formatFor}): safetensors, a PyTorch checkpoint, or by default an
 * {@code .npz} archive (one {@code .npy} member per tensor, which PyTorch reads with
 * {@code {k: torch.from_numpy(v) for k, v in np.load(path).items()}}). Read from any of them, recognised by
 * content; safetensors files are mapped and released once copied into the module.
 */
final class StateFiles {
    private StateFiles() {}

    static void save(Path path, Map<String, Tensor> state) throws IOException {
        switch (WeightFiles.formatFor(path)) {
            case SAFETENSORS -> Safetensors.save(path, state);
            case TORCH -> TorchFiles.save(path, state);
            default -> Npz.save(path, state);
        }
    }

    static void load(Path path, Module into) throws IOException {
        switch (WeightFiles.detect(path)) {
            case SAFETENSORS -> {
                try (MappedWeights m = Safetensors.map(path)) {
                    into.loadStateDict(m);
                    for (Tensor t : m.values()) t.close(); // unmapped now, not when the GC finds them
                }
            }
            case TORCH -> into.loadStateDict(TorchFiles.loadStateDict(path));
            case NPZ -> into.loadStateDict(Npz.load(path));
            case NPY -> throw new IllegalArgumentException(path + " is a single .npy array, not a state dict");
        }
    }
}
