package dev.jtensor.io;

import dev.jtensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * {@code torch.load} / {@code torch.save} for every format jtensor reads ({@code Jt.load}, {@code Jt.save},
 * {@code Module.load}): reading recognises the format from the file's first bytes (the {@code .npy} magic, a
 * zip holding {@code <archive>/data.pkl} (PyTorch) or not ({@code .npz}), a pickle (a legacy PyTorch file,
 * refused with a clear error), otherwise safetensors' length-prefixed JSON); writing picks it from the name.
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** The formats jtensor reads and writes. */
    public enum Format { NPY, NPZ, SAFETENSORS, TORCH }

    /** The format of an existing file, from its contents. */
    public static Format detect(Path path) throws IOException {
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(9);
            while (head.hasRemaining() && ch.read(head) >= 0) { /* fill */ }
            int n = head.position();
            byte[] b = head.array();
            if (n >= 6 && b[0] == (byte) 0x93 && b[1] == 'N' && b[2] == 'U' && b[3] == 'M' && b[4] == 'P' && b[5] == 'Y') return Format.NPY;
            if (n >= 2 && (b[0] & 0xff) == 0x80) return Format.TORCH; // a pickle: TorchFiles says it is a legacy file
            if (n >= 4 && b[0] == 'P' && b[1] == 'K') return isTorchZip(ch, file) ? Format.TORCH : Format.NPZ;
            if (n == 9 && b[8] == '{') return Format.SAFETENSORS;
            throw new NpyFormatException(file, 0, "not a file jtensor reads (.npy, .npz, safetensors or a PyTorch zip checkpoint)");
        }
    }

    private static boolean isTorchZip(FileChannel ch, String file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zip = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            for (ZipDirectory.Entry e : ZipDirectory.read(zip, file)) {
                int slash = e.name().indexOf('/');
                if (slash > 0 && e.name().substring(slash).equals("/data.pkl")) return true;
            }
            return false;
        }
    }

    /** The format a file of this name is written in: by extension, {@code .pt .pth .bin .ckpt} being PyTorch's, NPZ otherwise. */
    public static Format formatFor(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return Format.NPY;
        if (name.endsWith(".safetensors")) return Format.SAFETENSORS;
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin") || name.endsWith(".ckpt")) return Format.TORCH;
        return Format.NPZ;
    }

    /**
     * What {@code path} holds: a {@link Tensor} ({@code .npy}, loaded into fresh memory), a
     * {@code Map<String, Tensor>} ({@code .npz}: {@link Npz#load}; safetensors: the {@link MappedWeights} of
     * {@link Safetensors#map}), or a PyTorch checkpoint's object ({@link TorchFiles#load}).
     */
    public static Object load(Path path) throws IOException {
        return switch (detect(path)) {
            case NPY -> Npy.load(path);
            case NPZ -> Npz.load(path);
            case SAFETENSORS -> Safetensors.map(path);
            case TORCH -> TorchFiles.load(path);
        };
    }

    /**
     * Writes {@code obj} in the format {@link #formatFor} gives: {@code .npy} takes a {@link Tensor},
     * {@code .npz} and {@code .safetensors} a {@code Map<String, Tensor>}, a PyTorch checkpoint any object
     * {@link TorchFiles#save} takes. Atomic in every format.
     *
     * @throws IllegalArgumentException if {@code obj} does not fit the format
     */
    @SuppressWarnings("unchecked")
    public static void save(Object obj, Path path) throws IOException {
        Format f = formatFor(path);
        switch (f) {
            case NPY -> {
                if (!(obj instanceof Tensor t)) throw new IllegalArgumentException(path + ": an .npy file holds one tensor, not a " + type(obj));
                Npy.save(path, t);
            }
            case NPZ, SAFETENSORS -> {
                if (!(obj instanceof Map<?, ?> m) || !m.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof Tensor)) {
                    throw new IllegalArgumentException(path + ": " + f + " holds a Map<String, Tensor>, not a " + type(obj));
                }
                if (f == Format.NPZ) Npz.save(path, (Map<String, Tensor>) m); else Safetensors.save(path, (Map<String, Tensor>) m);
            }
            case TORCH -> TorchFiles.save(path, obj);
        }
    }

    private static String type(Object o) { return o == null ? "null" : o.getClass().getSimpleName(); }
}
