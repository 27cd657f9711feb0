"""Golden values for sequence models (issue 23), from PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_seq.py [part ...]
Writes engine/src/test/resources/golden/seq/*.npz (numpy archives the Java tests read with Npz.load):
  ops.npz          tril/triu, sort/argsort/topk, multinomial (seeded), einsum, repeat_interleave, one_hot, clip_grad
  attention.npz    F.scaled_dot_product_attention (composite reference, see below) with masks, causal, scale
  transformer.npz  nn.MultiheadAttention, nn.TransformerEncoderLayer/DecoderLayer/Encoder with PyTorch's weights
  rnn.npz          nn.RNN/LSTM/GRU/LSTMCell/GRUCell with weights, outputs, gradients; a char LSTM's losses
  gpt.npz          a tiny character GPT: initial weights and 200 AdamW steps of losses; greedy and top-k tokens
  norms.npz        RMSNorm and rotary embeddings (formula references: both are newer than torch 1.13)
torch 1.13 has no F.scaled_dot_product_attention (added in 2.0); its reference here is the formula PyTorch 2
documents for it, written in float64 ops.
"""
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "golden", "seq")
os.makedirs(OUT, exist_ok=True)


def randn(seed, *shape, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=dtype)


class Archive:
    def __init__(self, name):
        self.name = name
        self.arrays = {}

    def add(self, key, t):
        if isinstance(t, torch.Tensor):
            t = t.detach().numpy()
        self.arrays[key] = np.array(t, copy=True, order="C")  # a copy: live parameters change as training goes on

    def write(self):
        np.savez_compressed(os.path.join(OUT, self.name), **self.arrays)


def ops():
    a = Archive("ops.npz")
    x = randn(1, 2, 4, 5)
    a.add("tri.x", x)
    for d in (-1, 0, 2):
        a.add(f"tril.{d}", torch.tril(x, d))
        a.add(f"triu.{d}", torch.triu(x, d))
    # sort with ties (stable), NaN, along both dims
    s = torch.tensor([[3., 1., 2., 1., 5., 3., 0.], [2., 2., -1., float("nan"), 4., 2., 9.], [0., 0., 0., 0., 1., -1., 0.]])
    a.add("sort.x", s)
    for desc in (False, True):
        v, i = torch.sort(s, dim=1, descending=desc, stable=True)
        a.add(f"sort.d1.{desc}.values", v)
        a.add(f"sort.d1.{desc}.indices", i)
        v, i = torch.sort(s, dim=0, descending=desc, stable=True)
        a.add(f"sort.d0.{desc}.values", v)
        a.add(f"sort.d0.{desc}.indices", i)
    t = randn(2, 3, 8)
    a.add("topk.x", t)
    for largest in (True, False):
        v, i = torch.topk(t, 3, dim=-1, largest=largest)
        a.add(f"topk.{largest}.values", v)
        a.add(f"topk.{largest}.indices", i)
    v, i = torch.topk(t, 2, dim=1)
    a.add("topk.dim1.values", v)
    a.add("topk.dim1.indices", i)
    # multinomial from the default generator
    p = torch.tensor([[0.1, 0.2, 0.3, 0.4, 0.0, 1.0], [5.0, 1.0, 1.0, 0.5, 2.0, 0.25]])
    a.add("multinomial.p", p)
    for dtype, tag in ((torch.float32, "f32"), (torch.float64, "f64")):
        pd = p.to(dtype)
        torch.manual_seed(7)
        a.add(f"multinomial.{tag}.repl", torch.multinomial(pd, 9, replacement=True))
        a.add(f"multinomial.{tag}.norepl", torch.multinomial(pd, 4, replacement=False))
        a.add(f"multinomial.{tag}.one", torch.multinomial(pd, 1))
        a.add(f"multinomial.{tag}.vec", torch.multinomial(pd[1], 3, replacement=True))
    # einsum
    A, B, C = randn(3, 3, 4), randn(4, 4, 5), randn(5, 2, 3, 4)
    D, E = randn(6, 2, 4, 5), randn(7, 2, 2, 3, 4)
    v1, v2, sq = randn(8, 4), randn(9, 4), randn(10, 4, 4)
    a.add("einsum.A", A); a.add("einsum.B", B); a.add("einsum.C", C); a.add("einsum.D", D)
    a.add("einsum.E", E); a.add("einsum.v1", v1); a.add("einsum.v2", v2); a.add("einsum.sq", sq)
    a.add("einsum.ij,jk->ik", torch.einsum("ij,jk->ik", A, B))
    a.add("einsum.bij,bjk->bik", torch.einsum("bij,bjk->bik", C, D))
    a.add("einsum.i,i->", torch.einsum("i,i->", v1, v2))
    a.add("einsum.i,j->ij", torch.einsum("i,j->ij", v1, v2))
    a.add("einsum.ij->ji", torch.einsum("ij->ji", A))
    a.add("einsum.ii->", torch.einsum("ii->", sq))
    a.add("einsum.ii->i", torch.einsum("ii->i", sq))
    a.add("einsum.ij->", torch.einsum("ij->", A))
    a.add("einsum.ij->j", torch.einsum("ij->j", A))
    a.add("einsum.bhqd,bhkd->bhqk", torch.einsum("bhqd,bhkd->bhqk", E, E))
    a.add("einsum.bij,jk->bik", torch.einsum("bij,jk->bik", C, B))
    a.add("einsum.ij,ij->i", torch.einsum("ij,ij->i", A, A))
    a.add("einsum....ij,...jk->...ik", torch.einsum("...ij,...jk->...ik", C, D))
    a.add("einsum.ik,jk", torch.einsum("ik,jk", A, A))
    # repeat_interleave
    r = randn(11, 2, 3)
    a.add("ri.x", r)
    a.add("ri.2.d0", torch.repeat_interleave(r, 2, dim=0))
    a.add("ri.3.d1", torch.repeat_interleave(r, 3, dim=1))
    a.add("ri.tensor.d1", torch.repeat_interleave(r, torch.tensor([1, 0, 2]), dim=1))
    a.add("ri.flat", torch.repeat_interleave(r, 2))
    a.add("ri.counts", torch.repeat_interleave(torch.tensor([2, 0, 3])))
    # one_hot
    a.add("onehot.idx", torch.tensor([[0, 2], [3, 1]]))
    a.add("onehot.5", F.one_hot(torch.tensor([[0, 2], [3, 1]]), 5))
    a.add("onehot.auto", F.one_hot(torch.tensor([[0, 2], [3, 1]])))
    # clip_grad_norm_ / clip_grad_value_
    g1, g2 = randn(12, 3, 4), randn(13, 5)
    a.add("clip.g1", g1); a.add("clip.g2", g2)
    for norm_type in (2.0, 1.0, float("inf")):
        p1, p2 = torch.zeros(3, 4, requires_grad=True), torch.zeros(5, requires_grad=True)
        p1.grad, p2.grad = g1.clone(), g2.clone()
        total = torch.nn.utils.clip_grad_norm_([p1, p2], 1.5, norm_type=norm_type)
        a.add(f"clip.norm.{norm_type}.total", total)
        a.add(f"clip.norm.{norm_type}.g1", p1.grad)
        a.add(f"clip.norm.{norm_type}.g2", p2.grad)
    p1 = torch.zeros(3, 4, requires_grad=True)
    p1.grad = g1.clone()
    torch.nn.utils.clip_grad_value_([p1], 0.5)
    a.add("clip.value.g1", p1.grad)
    a.write()


def sdpa_reference(q, k, v, attn_mask=None, is_causal=False, scale=None, enable_gqa=False):
    """PyTorch 2's documented reference for F.scaled_dot_product_attention (dropout 0)."""
    L, S = q.size(-2), k.size(-2)
    scale_factor = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    bias = torch.zeros(L, S, dtype=q.dtype)
    if is_causal:
        bias.masked_fill_(torch.ones(L, S, dtype=torch.bool).tril(0).logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            bias = bias.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            bias = attn_mask + bias
    if enable_gqa:
        k = k.repeat_interleave(q.size(-3) // k.size(-3), -3)
        v = v.repeat_interleave(q.size(-3) // v.size(-3), -3)
    w = q @ k.transpose(-2, -1) * scale_factor
    w = w + bias
    return torch.softmax(w, dim=-1) @ v


def attention():
    a = Archive("attention.npz")
    mask_bool = randn(30, 5, 7) > -0.8
    mask_bool[:, 0] = True  # no fully masked row
    cases = {
        "plain": dict(q=(2, 3, 5, 8), k=(2, 3, 7, 8), v=(2, 3, 7, 8)),
        "causal": dict(q=(2, 3, 5, 8), k=(2, 3, 5, 8), v=(2, 3, 5, 8), is_causal=True),
        "causal_rect": dict(q=(1, 2, 3, 4), k=(1, 2, 5, 4), v=(1, 2, 5, 4), is_causal=True),
        "bool_mask": dict(q=(2, 3, 5, 8), k=(2, 3, 7, 8), v=(2, 3, 7, 8), attn_mask=mask_bool),
        "float_mask": dict(q=(2, 3, 5, 8), k=(2, 3, 7, 8), v=(2, 3, 7, 8), attn_mask=randn(31, 2, 1, 5, 7)),
        "scale": dict(q=(2, 2, 4, 8), k=(2, 2, 6, 8), v=(2, 2, 6, 8), scale=0.3),
        "gqa": dict(q=(2, 4, 5, 8), k=(2, 2, 7, 8), v=(2, 2, 7, 8), enable_gqa=True),
        "three_d": dict(q=(3, 5, 8), k=(3, 7, 8), v=(3, 7, 6)),
        "odd": dict(q=(1, 1, 17, 5), k=(1, 1, 33, 5), v=(1, 1, 33, 3), is_causal=True),
    }
    for i, (name, c) in enumerate(cases.items()):
        q, k, v = randn(100 + i, *c["q"]), randn(200 + i, *c["k"]), randn(300 + i, *c["v"])
        a.add(f"{name}.q", q); a.add(f"{name}.k", k); a.add(f"{name}.v", v)
        m = c.get("attn_mask")
        if m is not None:
            a.add(f"{name}.mask", m)
        q64, k64, v64 = (t.double().requires_grad_() for t in (q, k, v))
        out = sdpa_reference(q64, k64, v64, None if m is None else (m if m.dtype == torch.bool else m.double()),
                             c.get("is_causal", False), c.get("scale"), c.get("enable_gqa", False))
        w = randn(400 + i, *out.shape, dtype=torch.float64)
        (out * w).sum().backward()
        a.add(f"{name}.out", out); a.add(f"{name}.w", w)
        a.add(f"{name}.dq", q64.grad); a.add(f"{name}.dk", k64.grad); a.add(f"{name}.dv", v64.grad)
    a.write()


def add_state(a, prefix, module):
    for k, v in module.state_dict().items():
        a.add(f"state.{prefix}.{k}", v)


def transformer():
    a = Archive("transformer.npz")
    # MultiheadAttention, batch_first self-attention with a key padding mask and a causal float mask
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(16, 4, batch_first=True)
    add_state(a, "mha1", mha)
    x = randn(50, 2, 5, 16).requires_grad_()
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    causal = torch.triu(torch.full((5, 5), float("-inf")), 1)
    out, wts = mha(x, x, x, key_padding_mask=kpm, attn_mask=causal)
    gw = randn(51, 2, 5, 16)
    (out * gw).sum().backward()
    a.add("mha1.x", x); a.add("mha1.kpm", kpm); a.add("mha1.out", out); a.add("mha1.weights", wts); a.add("mha1.gw", gw)
    a.add("mha1.dx", x.grad); a.add("mha1.d_in_proj_weight", mha.in_proj_weight.grad)
    a.add("mha1.d_out_proj_weight", mha.out_proj.weight.grad)
    # sequence-first, kdim/vdim (separate projections), per-head weights, bool attn mask
    torch.manual_seed(1)
    mha = nn.MultiheadAttention(12, 3, kdim=10, vdim=6)
    add_state(a, "mha2", mha)
    q, k, v = randn(52, 4, 2, 12), randn(53, 6, 2, 10), randn(54, 6, 2, 6)
    am = randn(55, 4, 6) > -0.5
    am[:, 0] = False
    out, wts = mha(q, k, v, attn_mask=am, average_attn_weights=False)
    a.add("mha2.q", q); a.add("mha2.k", k); a.add("mha2.v", v); a.add("mha2.am", am)
    a.add("mha2.out", out); a.add("mha2.weights", wts)
    # no bias
    torch.manual_seed(2)
    mha = nn.MultiheadAttention(8, 2, bias=False, batch_first=True)
    add_state(a, "mha3", mha)
    x = randn(56, 3, 4, 8)
    out, _ = mha(x, x, x, need_weights=False)
    a.add("mha3.x", x); a.add("mha3.out", out)
    # encoder layers (train mode with dropout 0 keeps PyTorch off its fused inference path)
    src = randn(60, 2, 5, 16)
    kpm = torch.tensor([[False] * 5, [False, False, False, False, True]])
    causal = nn.Transformer.generate_square_subsequent_mask(5)
    a.add("enc.src", src); a.add("enc.kpm", kpm)
    for act in ("relu", "gelu"):
        for nf in (False, True):
            torch.manual_seed(3)
            layer = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, activation=act, batch_first=True, norm_first=nf)
            tag = f"enc_{act}_{'pre' if nf else 'post'}"
            if act == "relu" and not nf:
                add_state(a, "enc", layer)  # every variant draws the same weights from seed 3
            x = src.clone().requires_grad_()
            out = layer(x, src_mask=causal, src_key_padding_mask=kpm)
            (out * randn(61, 2, 5, 16)).sum().backward()
            a.add(f"{tag}.out", out); a.add(f"{tag}.dx", x.grad)
            a.add(f"{tag}.d_linear1_weight", layer.linear1.weight.grad)
    a.add("enc.gw", randn(61, 2, 5, 16))
    torch.manual_seed(4)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True), 2, norm=nn.LayerNorm(16),
                                enable_nested_tensor=False)
    add_state(a, "stack", enc)
    a.add("stack.out", enc(src, mask=causal))
    # decoder layer
    tgt, mem = randn(62, 2, 4, 16), randn(63, 2, 5, 16)
    a.add("dec.tgt", tgt); a.add("dec.mem", mem)
    for nf in (False, True):
        torch.manual_seed(5)
        dec = nn.TransformerDecoderLayer(16, 4, 32, dropout=0.0, batch_first=True, norm_first=nf)
        tag = f"dec_{'pre' if nf else 'post'}"
        add_state(a, tag, dec)
        out = dec(tgt, mem, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4), memory_key_padding_mask=kpm)
        a.add(f"{tag}.out", out)
    a.write()


def text_vocab():
    with open(os.path.join(OUT, "alice.txt"), encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    return text, chars, torch.tensor([chars.index(c) for c in text], dtype=torch.int64)


def rnn():
    a = Archive("rnn.npz")
    x = randn(70, 3, 4, 5)  # batch-first [N, L, in]
    a.add("x", x)
    cases = {
        "lstm": (lambda: nn.LSTM(5, 6, num_layers=2, batch_first=True, bidirectional=True), True, True),
        "gru": (lambda: nn.GRU(5, 6, num_layers=2), False, False),
        "rnn_relu": (lambda: nn.RNN(5, 6, nonlinearity="relu", bias=False, bidirectional=True, batch_first=True), False, True),
        "rnn_tanh": (lambda: nn.RNN(5, 6, batch_first=True), True, True),
    }
    for i, (name, (make, with_state, batch_first)) in enumerate(cases.items()):
        torch.manual_seed(10 + i)
        m = make()
        add_state(a, name, m)
        xi = (x if batch_first else x.transpose(0, 1).contiguous()).clone().requires_grad_()
        d = 2 if m.bidirectional else 1
        h0 = randn(80 + i, d * m.num_layers, 3, 6) if with_state else None
        if name == "lstm":
            c0 = randn(90 + i, d * m.num_layers, 3, 6)
            out, (hn, cn) = m(xi, (h0, c0))
            a.add(f"{name}.c0", c0); a.add(f"{name}.cn", cn)
        else:
            out, hn = m(xi, h0) if with_state else m(xi)
        if h0 is not None:
            a.add(f"{name}.h0", h0)
        gw = randn(100 + i, *out.shape)
        loss = (out * gw).sum() + hn.sum()
        loss.backward()
        a.add(f"{name}.out", out); a.add(f"{name}.hn", hn); a.add(f"{name}.gw", gw)
        a.add(f"{name}.dx", xi.grad)
        a.add(f"{name}.d_weight_ih_l0", m.weight_ih_l0.grad)
        a.add(f"{name}.d_weight_hh_l0", m.weight_hh_l0.grad)
    torch.manual_seed(20)
    a.add("init.lstm_3_4.weight_ih_l0", nn.LSTM(3, 4).weight_ih_l0)
    # cells
    for name, make in (("lstmcell", lambda: nn.LSTMCell(5, 6)), ("grucell", lambda: nn.GRUCell(5, 6))):
        torch.manual_seed(21)
        cell = make()
        add_state(a, name, cell)
        h = randn(110, 3, 6)
        c = randn(111, 3, 6)
        hs = []
        for t in range(4):
            if name == "lstmcell":
                h, c = cell(x[:, t], (h, c))
            else:
                h = cell(x[:, t], h)
            hs.append(h)
        a.add(f"{name}.h", torch.stack(hs, 1))
    a.add("cell.h0", randn(110, 3, 6)); a.add("cell.c0", randn(111, 3, 6))
    # a character LSTM trained 100 steps with Adam
    text, chars, data = text_vocab()
    V = len(chars)

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(V, 16)
            self.lstm = nn.LSTM(16, 32, batch_first=True)
            self.head = nn.Linear(32, V)

        def forward(self, idx):
            out, _ = self.lstm(self.embed(idx))
            return self.head(out)

    torch.manual_seed(22)
    model = CharLSTM()
    add_state(a, "charlstm", model)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(23)
    T, B, steps = 16, 4, 100
    offsets = torch.randint(0, len(data) - T - 1, (steps, B), generator=g)
    losses = []
    for step in range(steps):
        xb = torch.stack([data[o:o + T] for o in offsets[step]])
        yb = torch.stack([data[o + 1:o + T + 1] for o in offsets[step]])
        logits = model(xb)
        loss = F.cross_entropy(logits.reshape(-1, V), yb.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    a.add("charlstm_data.offsets", offsets)
    a.add("charlstm_data.losses", torch.tensor(losses, dtype=torch.float64))
    a.write()


class CausalSelfAttention(nn.Module):
    def __init__(self, C, H):
        super().__init__()
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.n_head = H

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).tril().logical_not(), float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.c_fc = nn.Linear(C, 4 * C)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * C, C)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, C, H):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C)
        self.attn = CausalSelfAttention(C, H)
        self.ln_2 = nn.LayerNorm(C)
        self.mlp = MLP(C)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """nanoGPT's model (github.com/karpathy/nanoGPT, model.py) without dropout."""

    def __init__(self, V, T, C, H, L):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(wte=nn.Embedding(V, C), wpe=nn.Embedding(T, C),
                                              h=nn.ModuleList([Block(C, H) for _ in range(L)]), ln_f=nn.LayerNorm(C)))
        self.lm_head = nn.Linear(C, V, bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * L))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx):
        T = idx.size(1)
        x = self.transformer.wte(idx) + self.transformer.wpe(torch.arange(T))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))


def train_gpt(model, data, offsets, V, T, lr, betas):
    """nanoGPT's training loop at a constant learning rate: AdamW with weight decay 0.1 on the parameters of two or more
    dimensions (matrices and embeddings) and none on biases and norms (nanoGPT's configure_optimizers), the gradients
    clipped to norm 1 between backward and step (nanoGPT's grad_clip). Returns the losses and pre-clip gradient norms."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    nodecay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": nodecay, "weight_decay": 0.0}],
                            lr=lr, betas=betas)
    losses, norms = [], []
    for step in range(len(offsets)):
        xb = torch.stack([data[o:o + T] for o in offsets[step]])
        yb = torch.stack([data[o + 1:o + T + 1] for o in offsets[step]])
        loss = F.cross_entropy(model(xb).view(-1, V), yb.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item())
        opt.step()
        losses.append(loss.item())
    return losses, norms


def gpt():
    """200 steps at nanoGPT's character-level settings (config/train_shakespeare_char.py: learning_rate 1e-3,
    beta2 0.99, weight_decay 0.1, grad_clip 1.0; constant rate, no warmup or decay, no dropout). The same run in
    float64 from the same initial weights is stored beside it (losses_f64) to show how far float32 rounding alone
    moves the losses (3.1e-5 at most over the 200 steps)."""
    a = Archive("gpt.npz")
    text, chars, data = text_vocab()
    V, T, C, H, L, B, steps = len(chars), 16, 32, 4, 2, 8, 200
    lr, betas = 1e-3, (0.9, 0.99)
    torch.manual_seed(42)
    model = GPT(V, T, C, H, L)
    add_state(a, "gpt", model)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(43)
    offsets = torch.randint(0, len(data) - T - 1, (steps, B), generator=g)
    model64 = GPT(V, T, C, H, L).double()
    model64.load_state_dict(initial)
    losses64, _ = train_gpt(model64, data, offsets, V, T, lr, betas)
    losses, norms = train_gpt(model, data, offsets, V, T, lr, betas)
    a.add("offsets", offsets)
    a.add("losses", torch.tensor(losses, dtype=torch.float64))
    a.add("losses_f64", torch.tensor(losses64, dtype=torch.float64))
    a.add("grad_norms", torch.tensor(norms, dtype=torch.float64))
    model.eval()
    prompt = data[:4].view(1, -1)
    with torch.no_grad():
        idx = prompt
        for _ in range(T - 4):
            idx = torch.cat([idx, model(idx)[:, -1, :].argmax(-1, keepdim=True)], 1)
        a.add("greedy", idx)
        torch.manual_seed(5)
        idx = prompt
        for _ in range(T - 4):
            logits = model(idx)[:, -1, :]
            v, _ = torch.topk(logits, 5)
            logits[logits < v[:, [-1]]] = float("-inf")
            idx = torch.cat([idx, torch.multinomial(F.softmax(logits, dim=-1), 1)], 1)
        a.add("topk5_seed5", idx)
    a.write()


def norms_and_rotary():
    """RMSNorm and rotary embeddings are newer than torch 1.13: their references are the formulas of PyTorch 2.4's
    nn.RMSNorm and of GPT-NeoX/LLaMA's rotate-half RoPE, in float64 numpy."""
    a = Archive("norms.npz")
    x, w = randn(120, 2, 3, 8).double(), randn(121, 8).double()
    a.add("rms.x", x); a.add("rms.w", w)
    a.add("rms.out", (x / np.sqrt((x ** 2).mean(-1, keepdims=True) + 1e-6) * w).numpy())
    a.add("rms.out_eps_none_f32", (x.float() / torch.sqrt((x.float() ** 2).mean(-1, keepdim=True) + torch.finfo(torch.float32).eps)))
    q = randn(122, 2, 3, 5, 8).double()
    d, offset = 8, 3
    inv = 1.0 / (10000.0 ** (np.arange(0, d, 2) / d))
    ang = np.outer(np.arange(offset, offset + 5), inv)
    emb = np.concatenate([ang, ang], -1)
    rot = np.concatenate([-q.numpy()[..., d // 2:], q.numpy()[..., :d // 2]], -1)
    a.add("rope.q", q); a.add("rope.out", q.numpy() * np.cos(emb) + rot * np.sin(emb))
    a.write()


if __name__ == "__main__":
    import sys
    parts = dict(ops=ops, attention=attention, transformer=transformer, rnn=rnn, gpt=gpt, norms=norms_and_rotary)
    for name in sys.argv[1:] or parts:  # e.g. `make_seq.py gpt` regenerates gpt.npz only
        parts[name]()
