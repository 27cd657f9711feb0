"""PyTorch 1.13 figures for GptBench's rows (issue 23), and the TorchScript trace DJL's row loads.

nanoGPT's model (github.com/karpathy/nanoGPT, model.py; no dropout) at the Shakespeare-char size: 6 layers, 384 wide,
6 heads, context 256, vocabulary 65. Rows, median of timed repeats after warm-up:
  trainStep         batch 16 x 256: forward, cross entropy, backward, clip_grad_norm_(1.0), AdamW with nanoGPT's
                    weight-decay groups (0.1 on matrices and embeddings, 0 on biases and norms)   ms per step
  generateCached    greedy, 128 tokens after a 16-token prompt, batch 1, with a KV cache per block  ms per token
  generateUncached  the same tokens, each forward over the whole sequence so far                     ms per token
With --trace PATH it also writes torch.jit.trace(model) (input [batch, T] int64 -> logits [batch, T, 65]; T may vary up
to 256) for DJL (bench/.../peers/DjlGptBench.java reads bench/target/gpt_trace.pt), after checking the trace against
the eager model at other shapes. The trace is made at benchmark time and not committed.
    /usr/bin/python3 bench/torch_gpt_bench.py [threads] [--trace bench/target/gpt_trace.pt]
"""
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, BLOCK, EMBD, HEADS, LAYERS, BATCH, PROMPT, NEW = 65, 256, 384, 6, 6, 16, 16, 128


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(EMBD, 3 * EMBD)
        self.c_proj = nn.Linear(EMBD, EMBD)

    def forward(self, x, cache=None):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, HEADS, C // HEADS).transpose(1, 2) for t in (q, k, v))
        past = 0
        if cache is not None:  # a list [k, v] grown in place: the new keys follow the cached ones
            if cache:
                past = cache[0].size(2)
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            cache[:] = [k, v]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        S = k.size(2)
        mask = torch.ones(T, S, dtype=torch.bool).tril(past)
        att = att.masked_fill(mask.logical_not(), float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(EMBD), CausalSelfAttention(), nn.LayerNorm(EMBD)
        self.mlp = nn.Sequential(nn.Linear(EMBD, 4 * EMBD), nn.GELU(), nn.Linear(4 * EMBD, EMBD))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln_1(x), cache)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, EMBD), nn.Embedding(BLOCK, EMBD)
        self.h = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln_f = nn.LayerNorm(EMBD)
        self.lm_head = nn.Linear(EMBD, VOCAB, bias=False)
        self.wte.weight = self.lm_head.weight
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, idx, caches=None):
        past = caches[0][0].size(2) if caches and caches[0] else 0
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(past, past + T))
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i])
        return self.lm_head(self.ln_f(x))


def median_ms(fn, warm=2, reps=5, min_s=2.0):
    for _ in range(warm):
        fn()
    times, t_end = [], time.perf_counter() + min_s
    while len(times) < reps or time.perf_counter() < t_end:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= 50:
            break
    return statistics.median(times)


def generate(model, prompt, cached, tokens=NEW):
    with torch.no_grad():
        caches = [[] for _ in range(LAYERS)] if cached else None
        idx, inp = prompt, prompt
        for _ in range(tokens):
            logits = model(inp, caches) if cached else model(idx)
            nxt = logits[:, -1, :].argmax(-1, keepdim=True)
            idx, inp = torch.cat([idx, nxt], 1), nxt
        return idx


def main():
    args = sys.argv[1:]
    trace = None
    if "--trace" in args:
        trace = args[args.index("--trace") + 1]
        del args[args.index("--trace"):args.index("--trace") + 2]
    torch.set_num_threads(int(args[0]) if args else 2)
    torch.manual_seed(0)
    model = GPT()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")
    decay = [p for p in model.parameters() if p.dim() >= 2]
    nodecay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": nodecay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99))
    x, y = torch.randint(0, VOCAB, (BATCH, BLOCK)), torch.randint(0, VOCAB, (BATCH, BLOCK))

    def step():
        loss = F.cross_entropy(model(x).view(-1, VOCAB), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    model.train()
    print(f"trainStep: {median_ms(step, warm=1, reps=5):.3f} ms")
    model.eval()
    prompt = torch.randint(0, VOCAB, (1, PROMPT))
    assert torch.equal(generate(model, prompt, True, 8), generate(model, prompt, False, 8)), "cached != uncached"
    print(f"generateCached: {median_ms(lambda: generate(model, prompt, True), warm=1, reps=3) / NEW:.3f} ms/token")
    print(f"generateUncached: {median_ms(lambda: generate(model, prompt, False), warm=1, reps=3) / NEW:.3f} ms/token")
    if trace:
        with torch.no_grad():
            traced = torch.jit.trace(model, torch.randint(0, VOCAB, (2, 32)))
            for shape in ((BATCH, BLOCK), (1, 17)):
                t = torch.randint(0, VOCAB, shape)
                assert torch.allclose(traced(t), model(t), atol=1e-4), f"the trace differs from the model at {shape}"
        os.makedirs(os.path.dirname(os.path.abspath(trace)), exist_ok=True)
        traced.save(trace)
        print(f"wrote {trace}")


if __name__ == "__main__":
    main()
