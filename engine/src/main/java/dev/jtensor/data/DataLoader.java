package dev.jtensor.data;

import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Batches of a {@link TensorDataset}, as {@code torch.utils.data.DataLoader}: each batch is a list with
 * one tensor per dataset tensor, of first size {@code batchSize} (the last may be smaller unless
 * {@code dropLast}). Without shuffling, batches are views ({@code narrow} along dim 0, no copy); with
 * shuffling, each epoch draws a permutation exactly as {@code torch.randperm(n, generator=g)} does
 * (PyTorch's {@code RandomSampler} given a generator) and gathers the rows into fresh tensors.
 *
 * <pre>{@code
 * var loader = new DataLoader(new TensorDataset(x, y), 32, true, false, new Generator(0));
 * for (List<Tensor> batch : loader) { Tensor xb = batch.get(0), yb = batch.get(1); ... }
 * }</pre>
 */
public final class DataLoader implements Iterable<List<Tensor>> {
    private final TensorDataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final Generator generator;

    /** In order, no shuffling, keeping a smaller last batch. */
    public DataLoader(TensorDataset dataset, int batchSize) { this(dataset, batchSize, false, false, null); }

    /**
     * @param generator the source of the shuffling permutations; null uses this thread's default generator
     */
    public DataLoader(TensorDataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.generator = generator;
    }

    /** Number of batches per epoch. */
    public long size() {
        long n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The dataset. */
    public TensorDataset dataset() { return dataset; }

    /** One epoch of batches; a shuffled loader draws a new permutation each time this is called. */
    @Override
    public Iterator<List<Tensor>> iterator() {
        long n = dataset.size();
        long[] order = shuffle ? randperm(n, generator == null ? Generator.defaultGenerator() : generator) : null;
        long batches = size();
        return new Iterator<>() {
            long next;

            @Override
            public boolean hasNext() { return next < batches; }

            @Override
            public List<Tensor> next() {
                if (!hasNext()) throw new NoSuchElementException();
                long start = next++ * batchSize, len = Math.min(batchSize, n - start);
                List<Tensor> out = new ArrayList<>();
                for (Tensor t : dataset.tensors()) out.add(order == null ? t.narrow(0, start, len) : gather(t, order, start, len));
                return out;
            }
        };
    }

    /**
     * {@code torch.randperm(n, generator=g)} on the CPU (PyTorch 1.x's algorithm): a Fisher-Yates shuffle
     * of {@code 0..n-1} swapping {@code i} with {@code i + random() % (n - i)}.
     */
    public static long[] randperm(long n, Generator g) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("randperm: n=" + n + " is too large");
        long[] r = new long[(int) n];
        for (int i = 0; i < n; i++) r[i] = i;
        synchronized (g) { // one unbroken run of the stream (Generator is shared across threads)
            for (int i = 0; i < n - 1; i++) {
                int z = (int) (g.random() % (n - i));
                long sav = r[i];
                r[i] = r[z + i];
                r[z + i] = sav;
            }
        }
        return r;
    }

    /** Rows {@code order[start..start+len)} of {@code t} copied into a new contiguous tensor ({@code index_select}). */
    private static Tensor gather(Tensor t, long[] order, long start, long len) {
        long[] rows = java.util.Arrays.copyOfRange(order, (int) start, (int) (start + len));
        try (var m = GradMode.set(false)) {
            return t.indexSelect(0, Jt.tensor(rows));
        }
    }
}
