package dev.jtensor.models;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Embedding;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GELU;
import dev.jtensor.nn.Init;
import dev.jtensor.nn.KVCache;
import dev.jtensor.nn.LayerNorm;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ModuleDict;
import dev.jtensor.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * nanoGPT's model (github.com/karpathy/nanoGPT, {@code model.py}) without dropout, line for line: token and position
 * embeddings, pre-norm blocks of causal self-attention and a GELU MLP, a final layer norm, and an output head tied to
 * the token embedding. State-dict keys are nanoGPT's ({@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight},
 * ..., {@code lm_head.weight}). {@link #forward(Tensor, List)} with KV caches decodes incrementally.
 */
public final class CharGpt extends Module {
    final long blockSize, nEmbd;
    private final Embedding wte, wpe;
    private final ModuleList h;
    private final LayerNorm lnF;
    private final Tensor lmHead;

    public CharGpt(long vocab, long blockSize, long nEmbd, long nHead, int nLayer) { this(vocab, blockSize, nEmbd, nHead, nLayer, DType.FLOAT32); }

    /** With parameters of {@code dtype} (FLOAT32 or FLOAT64; a float64 model trains as PyTorch's {@code model.double()}). */
    public CharGpt(long vocab, long blockSize, long nEmbd, long nHead, int nLayer, DType dtype) {
        this.blockSize = blockSize;
        this.nEmbd = nEmbd;
        wte = new Embedding(vocab, nEmbd, dtype);
        wpe = new Embedding(blockSize, nEmbd, dtype);
        List<Module> blocks = new ArrayList<>();
        for (int i = 0; i < nLayer; i++) blocks.add(new Block(nEmbd, nHead, dtype));
        h = new ModuleList(blocks);
        lnF = new LayerNorm(new long[] {nEmbd}, 1e-5, true, dtype);
        ModuleDict transformer = new ModuleDict();
        transformer.put("wte", wte);
        transformer.put("wpe", wpe);
        transformer.put("h", h);
        transformer.put("ln_f", lnF);
        registerModule("transformer", transformer);
        lmHead = registerModule("lm_head", new Tied(wte.weight())).weight;
        initWeights(nLayer);
    }

    /** nanoGPT's initialisation: N(0, 0.02) linear weights and embeddings, zero biases, N(0, 0.02/sqrt(2 nLayer)) c_proj weights. */
    private void initWeights(int nLayer) {
        for (Module m : modules()) {
            if (m instanceof Linear l) {
                Init.normal_(l.weight(), 0, 0.02);
                if (l.bias() != null) Init.zeros_(l.bias());
            } else if (m instanceof Embedding e) {
                Init.normal_(e.weight(), 0, 0.02);
            }
        }
        for (var p : namedParameters().entrySet()) {
            if (p.getKey().endsWith("c_proj.weight")) Init.normal_(p.getValue(), 0, 0.02 / Math.sqrt(2 * nLayer));
        }
    }

    /** {@code lm_head}: a bias-free Linear whose weight is the token embedding (weight tying). */
    static final class Tied extends Module {
        final Tensor weight;

        Tied(Tensor weight) { this.weight = registerParameter("weight", weight); }

        @Override
        public Tensor forward(Tensor x) { return F.linear(x, weight, null); }
    }

    static final class Block extends Module {
        final LayerNorm ln1, ln2;
        final CausalSelfAttention attn;
        final Mlp mlp;

        Block(long c, long heads, DType dtype) {
            ln1 = registerModule("ln_1", new LayerNorm(new long[] {c}, 1e-5, true, dtype));
            attn = registerModule("attn", new CausalSelfAttention(c, heads, dtype));
            ln2 = registerModule("ln_2", new LayerNorm(new long[] {c}, 1e-5, true, dtype));
            mlp = registerModule("mlp", new Mlp(c, dtype));
        }

        @Override
        public Tensor forward(Tensor x) { return forward(x, null); }

        Tensor forward(Tensor x, KVCache cache) {
            x = x.add(attn.forward(ln1.forward(x), cache));
            return x.add(mlp.forward(ln2.forward(x)));
        }
    }

    static final class CausalSelfAttention extends Module {
        final Linear cAttn, cProj;
        final long nHead;

        CausalSelfAttention(long c, long heads, DType dtype) {
            cAttn = registerModule("c_attn", new Linear(c, 3 * c, true, dtype));
            cProj = registerModule("c_proj", new Linear(c, c, true, dtype));
            nHead = heads;
        }

        @Override
        public Tensor forward(Tensor x) { return forward(x, null); }

        /** With a cache, the new tokens' queries attend to every cached key (the new ones causally among themselves). */
        Tensor forward(Tensor x, KVCache cache) {
            long b = x.size(0), t = x.size(1), c = x.size(2);
            List<Tensor> qkv = cAttn.forward(x).split(c, 2);
            Tensor q = heads(qkv.get(0), b, t, c), k = heads(qkv.get(1), b, t, c), v = heads(qkv.get(2), b, t, c);
            Tensor y;
            if (cache == null) {
                y = F.scaledDotProductAttention(q, k, v, null, true);
            } else {
                long past = cache.length();
                Tensor[] kv = cache.update(k, v);
                // bottom-right aligned causal mask: query i (absolute past + i) sees keys 0 .. past + i
                Tensor mask = Jt.ones(new long[] {t, past + t}, DType.BOOL).tril(past);
                y = F.scaledDotProductAttention(q, kv[0], kv[1], mask, false);
            }
            return cProj.forward(y.transpose(1, 2).contiguous().view(b, t, c));
        }

        private Tensor heads(Tensor x, long b, long t, long c) { return x.view(b, t, nHead, c / nHead).transpose(1, 2); }
    }

    static final class Mlp extends Module {
        final Linear cFc, cProj;
        final GELU gelu = new GELU();

        Mlp(long c, DType dtype) {
            cFc = registerModule("c_fc", new Linear(c, 4 * c, true, dtype));
            registerModule("gelu", gelu);
            cProj = registerModule("c_proj", new Linear(4 * c, c, true, dtype));
        }

        @Override
        public Tensor forward(Tensor x) { return cProj.forward(gelu.forward(cFc.forward(x))); }
    }

    /** Logits {@code [B, T, vocab]} of int64 tokens {@code [B, T]}. */
    @Override
    public Tensor forward(Tensor idx) { return forward(idx, null); }

    /** With one KV cache per block (null for none): the tokens continue the cached positions. */
    public Tensor forward(Tensor idx, List<KVCache> caches) {
        long t = idx.size(1), past = caches == null ? 0 : caches.get(0).length();
        if (past + t > blockSize) throw new IllegalArgumentException("sequence of " + (past + t) + " exceeds block size " + blockSize);
        Tensor x = wte.forward(idx).add(wpe.forward(Jt.arange(past, past + t)));
        List<Module> blocks = h.children();
        for (int i = 0; i < blocks.size(); i++) x = ((Block) blocks.get(i)).forward(x, caches == null ? null : caches.get(i));
        return F.linear(lnF.forward(x), lmHead, null);
    }

    /** One empty cache per block. */
    public List<KVCache> newCaches() {
        List<KVCache> out = new ArrayList<>();
        for (int i = 0; i < h.children().size(); i++) out.add(new KVCache(blockSize));
        return out;
    }
}
