"""Golden values for the transformer decoder side (issue 23), from PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_seq2.py
Writes engine/src/test/resources/golden/seq/decoder.npz (read by TransformerDecoderTest):
  dec_{relu,gelu}_{post,pre}  nn.TransformerDecoderLayer in eval mode (dropout 0.1 configured, inactive) with a causal
                              float tgt_mask, a bool memory_mask, tgt and memory key padding masks; then in train mode
                              with dropout 0 the gradients of tgt, memory and linear1/self_attn/multihead_attn weights
  dec_seq                     a sequence-first layer without masks
  stack                       nn.TransformerDecoder (2 layers and a final norm), eval mode
  tr                          nn.Transformer (2 + 2 layers, batch_first), eval mode, with src/tgt/memory masks
"""
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "golden", "seq")
arrays = {}


def randn(seed, *shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def add(key, t):
    arrays[key] = (t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)).copy()


def add_state(prefix, module):
    for k, v in module.state_dict().items():
        add(f"state.{prefix}.{k}", v)


def causal(n):
    return nn.Transformer.generate_square_subsequent_mask(n)


def main():
    tgt, mem = randn(1, 2, 5, 16), randn(2, 2, 7, 16)
    tkpm = torch.tensor([[False] * 5, [False, False, False, False, True]])
    mkpm = torch.tensor([[False] * 7, [False] * 5 + [True, True]])
    mmask = randn(3, 5, 7) > -0.7  # True = not allowed (PyTorch's bool masks); column 0 always allowed
    mmask[:, 0] = False
    gw = randn(4, 2, 5, 16)
    for k, v in dict(tgt=tgt, mem=mem, tkpm=tkpm, mkpm=mkpm, mmask=mmask, gw=gw).items():
        add(f"in.{k}", v)
    for act in ("relu", "gelu"):
        for nf in (False, True):
            torch.manual_seed(10)  # the same weights for every variant
            layer = nn.TransformerDecoderLayer(16, 4, 32, dropout=0.1, activation=act, batch_first=True, norm_first=nf)
            if act == "relu" and not nf:
                add_state("dec", layer)
            tag = f"dec_{act}_{'pre' if nf else 'post'}"
            layer.eval()
            with torch.no_grad():
                add(f"{tag}.out", layer(tgt, mem, tgt_mask=causal(5), memory_mask=mmask, tgt_key_padding_mask=tkpm,
                                        memory_key_padding_mask=mkpm))
            layer.train()
            for m in layer.modules():
                if isinstance(m, nn.Dropout):
                    m.p = 0.0
            layer.self_attn.dropout = 0.0
            layer.multihead_attn.dropout = 0.0
            x, m = tgt.clone().requires_grad_(), mem.clone().requires_grad_()
            out = layer(x, m, tgt_mask=causal(5), memory_mask=mmask, tgt_key_padding_mask=tkpm, memory_key_padding_mask=mkpm)
            (out * gw).sum().backward()
            add(f"{tag}.train_out", out); add(f"{tag}.dtgt", x.grad); add(f"{tag}.dmem", m.grad)
            add(f"{tag}.d_linear1_weight", layer.linear1.weight.grad)
            add(f"{tag}.d_self_in_proj_weight", layer.self_attn.in_proj_weight.grad)
            add(f"{tag}.d_cross_in_proj_weight", layer.multihead_attn.in_proj_weight.grad)
    # sequence-first, no masks
    torch.manual_seed(11)
    layer = nn.TransformerDecoderLayer(16, 4, 24).eval()
    add_state("dec_seq", layer)
    with torch.no_grad():
        add("dec_seq.out", layer(tgt.transpose(0, 1), mem.transpose(0, 1)))
    # decoder stack with a final norm
    torch.manual_seed(12)
    stack = nn.TransformerDecoder(nn.TransformerDecoderLayer(16, 4, 32, batch_first=True, activation="gelu"), 2,
                                  norm=nn.LayerNorm(16)).eval()
    add_state("stack", stack)
    with torch.no_grad():
        add("stack.out", stack(tgt, mem, tgt_mask=causal(5), memory_key_padding_mask=mkpm))
    # nn.Transformer (src key padding masks are left out: PyTorch 1.13's eval encoder then takes its nested-tensor
    # path, which returns zeros at padded positions, unlike its own training path)
    torch.manual_seed(13)
    tr = nn.Transformer(16, 4, 2, 2, 32, batch_first=True).eval()
    add_state("tr", tr)
    src = randn(5, 2, 7, 16)
    add("in.src", src)
    with torch.no_grad():
        add("tr.out", tr(src, tgt, tgt_mask=causal(5), memory_mask=mmask, tgt_key_padding_mask=tkpm,
                         memory_key_padding_mask=mkpm))
    # the default nn.Transformer's parameters are xavier-uniform: record a weight's bound for a statistics check
    add("tr.xavier_bound", np.sqrt(6.0 / (16 + 48)))
    np.savez_compressed(os.path.join(OUT, "decoder.npz"), **arrays)


if __name__ == "__main__":
    main()
