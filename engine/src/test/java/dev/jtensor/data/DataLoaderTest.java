package dev.jtensor.data;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    static final GoldenNn G = GoldenNn.of("init.tsv");

    @Test
    void randpermMatchesTorch() {
        assertArrayEquals(G.longs("randperm_0_10"), DataLoader.randperm(10, new Generator(0)));
        assertArrayEquals(G.longs("randperm_1_100"), DataLoader.randperm(100, new Generator(1)));
        assertArrayEquals(G.longs("randperm_123_1000"), DataLoader.randperm(1000, new Generator(123)));
    }

    @Test
    void sequentialBatchesAreViewsWithSmallerLast() {
        Tensor x = arange(10).reshape(5, 2), y = arange(5);
        DataLoader loader = new DataLoader(new TensorDataset(x, y), 2);
        assertEquals(3, loader.size());
        List<List<Tensor>> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {4, 5, 6, 7}, batches.get(1).get(0).toLongArray());
        assertArrayEquals(new long[] {4}, batches.get(2).get(1).toLongArray());
        assertArrayEquals(new long[] {1, 2}, batches.get(2).get(0).shape().toArray());
    }

    @Test
    void shuffledBatchesFollowTorchRandpermAndDropLast() {
        Tensor x = arange(20).reshape(10, 2), y = arange(10);
        DataLoader loader = new DataLoader(new TensorDataset(x, y), 4, true, true, new Generator(0));
        assertEquals(2, loader.size());
        long[] perm = G.longs("randperm_0_10");
        List<Long> seen = new ArrayList<>();
        int b = 0;
        for (List<Tensor> batch : loader) {
            long[] ys = batch.get(1).toLongArray(), xs = batch.get(0).toLongArray();
            for (int i = 0; i < ys.length; i++) {
                assertEquals(perm[b * 4 + i], ys[i]);
                assertEquals(2 * ys[i], xs[2 * i]);
                assertEquals(2 * ys[i] + 1, xs[2 * i + 1]);
                seen.add(ys[i]);
            }
            b++;
        }
        assertEquals(8, seen.size());
        // a second epoch draws a new permutation from the same generator
        List<Tensor> first = loader.iterator().next();
        Generator g = new Generator(0);
        DataLoader.randperm(10, g);
        assertEquals(DataLoader.randperm(10, g)[0], first.get(1).toLongArray()[0]);
    }

    @Test
    void mismatchedSizesThrow() {
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(zeros(3), zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(new TensorDataset(zeros(3)), 0));
    }
}
