package dev.jtensor.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.nn.KVCache;
import dev.jtensor.optim.AdamW;
import dev.jtensor.testing.GoldenSeq;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A character GPT (nanoGPT's model: 2 layers, 32 wide, 4 heads, context 16) trained 200 steps from PyTorch's initial
 * weights on the opening of Lewis Carroll's "Alice's Adventures in Wonderland" (1865, public domain;
 * golden/seq/alice.txt) with nanoGPT's character-level settings (config/train_shakespeare_char.py: AdamW at lr 1e-3,
 * betas 0.9/0.99, weight decay 0.1 on the matrices and embeddings and none on biases and norms, gradients clipped
 * to norm 1; constant rate, no dropout): every step's loss equal to PyTorch's within 1e-4 (golden/seq/gpt.npz).
 * Then greedy generation gives PyTorch's tokens with and without the KV cache, and top-k sampling after
 * {@code manualSeed(5)} gives PyTorch's sampled tokens.
 *
 * <p>Why this rate and what 1e-4 means: training amplifies float32 rounding, so two correct float32 runs drift apart.
 * Measured with torch 1.13 (one thread) over these 200 steps: PyTorch float32 against the same run in float64 differs
 * by up to 3.1e-5; PyTorch float32 against itself with every weight or every step's gradient nudged by one rounding
 * (relative 6e-8 noise, three seeds each) differs by 6.4e-6 to 6.3e-5; jtensor differs from PyTorch's float32 run by
 * 2.7e-5 and from its float64 run by 4.6e-6. At lr 3e-3 (betas 0.9/0.95) the same nudges move PyTorch against itself
 * by 4e-5 to 2.5e-4 (and jtensor by 1.7e-4), so 1e-4 there would test luck rather than semantics. In float64 both
 * rates give PyTorch's float64 losses within 1e-14 over the 200 steps (8.9e-15 at lr 3e-3; this test asserts 1e-9 at
 * lr 1e-3): the float32 drift is rounding, not a semantic difference. engine/src/test/golden/gpt_drift.py measures it.
 */
class CharGptTest {
    private static final GoldenSeq G = GoldenSeq.of("gpt.npz");
    static final long T = 16;

    static String text() {
        try (InputStream in = CharGptTest.class.getResourceAsStream("/golden/seq/alice.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text as int64 token ids over its sorted distinct characters; {@code vocab[0]} receives the vocabulary size. */
    static Tensor tokens(String text, int[] vocab) {
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : text.toCharArray()) chars.add(c);
        List<Character> sorted = new ArrayList<>(chars);
        long[] ids = new long[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = sorted.indexOf(text.charAt(i));
        vocab[0] = sorted.size();
        return Jt.tensor(ids);
    }

    /** Rows {@code data[o + shift .. o + shift + T)} for each offset. */
    static Tensor batch(Tensor data, long[] offsets, long shift) {
        List<Tensor> rows = new ArrayList<>();
        for (long o : offsets) rows.add(data.narrow(0, o + shift, T));
        return Jt.stack(rows, 0);
    }

    /** Trains {@code model} on the golden's batches as nanoGPT does; returns each step's loss and pre-clip gradient norm. */
    static double[][] train(CharGpt model, Tensor data, int v) {
        List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Tensor p : model.parameters()) (p.dim() >= 2 ? decay : noDecay).add(p);
        AdamW decayed = (AdamW) new AdamW(decay, 1e-3).betas(0.9, 0.99).weightDecay(0.1);
        AdamW plain = (AdamW) new AdamW(noDecay, 1e-3).betas(0.9, 0.99).weightDecay(0.0);
        long[][] offsets = offsets(G.get("offsets"));
        double[][] out = new double[2][offsets.length];
        for (int step = 0; step < offsets.length; step++) {
            try (Scope scope = Jt.scope()) {
                Tensor x = batch(data, offsets[step], 0), y = batch(data, offsets[step], 1);
                Tensor loss = F.crossEntropy(model.forward(x).view(-1, v), y.view(-1));
                decayed.zeroGrad();
                plain.zeroGrad();
                loss.backward();
                out[1][step] = GradClipping.clipGradNorm_(model.parameters(), 1.0).item();
                decayed.step();
                plain.step();
                out[0][step] = loss.item();
            }
        }
        return out;
    }

    private static double largestDifference(double[] expected, double[] actual) {
        double d = 0;
        for (int i = 0; i < expected.length; i++) d = Math.max(d, Math.abs(expected[i] - actual[i]));
        return d;
    }

    @Test
    void trainsTwoHundredStepsWithPyTorchsLossesThenGeneratesItsTokens() {
        int[] vocab = new int[1];
        Tensor data = tokens(text(), vocab);
        int v = vocab[0];
        CharGpt model = new CharGpt(v, T, 32, 4, 2);
        model.loadStateDict(G.stateDict("gpt"));
        double[][] run = train(model, data, v);
        double[] losses = G.get("losses").toDoubleArray(), norms = G.get("grad_norms").toDoubleArray();
        double lossDiff = largestDifference(losses, run[0]), lossDiff64 = largestDifference(G.get("losses_f64").toDoubleArray(), run[0]);
        double normDiff = 0;
        int clipped = 0;
        for (int step = 0; step < norms.length; step++) {
            if (run[1][step] > 1) clipped++;
            normDiff = Math.max(normDiff, Math.abs(norms[step] - run[1][step]) / norms[step]);
            if (step < 5) assertEquals(norms[step], run[1][step], 1e-5 * norms[step], "gradient norm at step " + step);
        }
        System.out.println("CharGpt: largest |loss - PyTorch's| " + lossDiff + " (float64 run: " + lossDiff64
                + "), largest relative gradient-norm difference " + normDiff + ", " + clipped + " steps clipped");
        assertEquals(200, losses.length, "steps in the golden");
        assertTrue(clipped >= 20, "gradient clipping must act in the run, it did at " + clipped + " steps");
        assertTrue(lossDiff <= 1e-4, "largest loss difference from PyTorch's over " + losses.length + " steps: " + lossDiff);
        assertTrue(lossDiff64 <= 1e-4, "largest loss difference from PyTorch's float64 run: " + lossDiff64);
        assertTrue(normDiff <= 1e-2, "largest relative gradient-norm difference: " + normDiff);
        model.eval();
        try (var g = Jt.noGrad()) {
            Tensor prompt = data.narrow(0, 0, 4).view(1, 4);
            assertArrayEquals(G.get("greedy").toLongArray(), greedy(model, prompt, false), "greedy, no cache");
            assertArrayEquals(G.get("greedy").toLongArray(), greedy(model, prompt, true), "greedy, KV cache");
            Jt.manualSeed(5);
            assertArrayEquals(G.get("topk5_seed5").toLongArray(), topK(model, prompt, 5), "top-5 sampling after manualSeed(5)");
        }
    }

    private static long[][] offsets(Tensor t) {
        long[] flat = t.toLongArray();
        int rows = (int) t.size(0), cols = (int) t.size(1);
        long[][] out = new long[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(flat, r * cols, out[r], 0, cols);
        return out;
    }

    /** Appends argmax tokens up to the block size; with {@code cached}, the prompt once and then one token per step. */
    static long[] greedy(CharGpt model, Tensor prompt, boolean cached) {
        Tensor idx = prompt;
        List<KVCache> caches = cached ? model.newCaches() : null;
        Tensor input = idx;
        while (idx.size(1) < T) {
            Tensor logits = cached ? model.forward(input, caches) : model.forward(idx);
            Tensor next = logits.select(1, logits.size(1) - 1).argmax(-1, true);
            idx = Jt.cat(List.of(idx, next), 1);
            input = next;
        }
        return idx.toLongArray();
    }

    /** PyTorch's top-k sampling: logits below the k-th largest set to -inf, softmax, one multinomial draw. */
    static long[] topK(CharGpt model, Tensor prompt, int k) {
        Tensor idx = prompt;
        while (idx.size(1) < T) {
            Tensor logits = model.forward(idx);
            logits = logits.select(1, logits.size(1) - 1);
            Tensor kth = logits.topk(k).values().narrow(-1, k - 1, 1);
            logits = logits.maskedFill(logits.lt(kth), Double.NEGATIVE_INFINITY);
            idx = Jt.cat(List.of(idx, F.softmax(logits, -1).multinomial(1, false)), 1);
        }
        return idx.toLongArray();
    }

    /**
     * In float64 rounding no longer hides anything: the same 200 steps from the same weights give PyTorch's float64
     * losses within 1e-9, so forward, backward, clipping and AdamW compute what PyTorch's do.
     */
    @Test
    void float64RunEqualsPyTorchsFloat64RunWithinOneBillionth() {
        int[] vocab = new int[1];
        Tensor data = tokens(text(), vocab);
        CharGpt model = new CharGpt(vocab[0], T, 32, 4, 2, DType.FLOAT64);
        model.loadStateDict(G.stateDict("gpt"));
        assertEquals(DType.FLOAT64, model.parameters().get(0).dtype());
        double diff = largestDifference(G.get("losses_f64").toDoubleArray(), train(model, data, vocab[0])[0]);
        System.out.println("CharGpt float64: largest |loss - PyTorch's float64 loss| " + diff);
        assertTrue(diff <= 1e-9, "largest float64 loss difference over 200 steps: " + diff);
    }

    @Test
    void vocabularyIsTheTextsSortedCharacters() {
        int[] vocab = new int[1];
        Tensor data = tokens(text(), vocab);
        assertEquals(DType.INT64, data.dtype());
        assertEquals(G.stateDict("gpt").get("transformer.wte.weight").size(0), vocab[0]);
    }
}
