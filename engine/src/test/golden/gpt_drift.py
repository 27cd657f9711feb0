"""How far float32 rounding alone moves the character GPT's training losses (evidence for CharGptTest's bound; writes
nothing). Runs make_seq.py's GPT and training loop from the same initial weights and batches:
  - float32 against float64,
  - float32 against float32 with every weight (init) or every step's gradient (grad) nudged by relative 6e-8 noise
    (about one float32 rounding), three seeds each,
and prints the largest |loss difference| over the steps.
  /usr/bin/python3 engine/src/test/golden/gpt_drift.py 1e-3 0.99 200   # CharGptTest's settings: 6.4e-6 .. 6.3e-5
  /usr/bin/python3 engine/src/test/golden/gpt_drift.py 3e-3 0.95 200   # 4e-5 .. 2.5e-4
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_seq as ms  # noqa: E402

torch.set_num_threads(1)
lr, beta2, steps = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
text, chars, data = ms.text_vocab()
V, T, C, H, L, B = len(chars), 16, 32, 4, 2, 8
torch.manual_seed(42)
initial = {k: v.clone() for k, v in ms.GPT(V, T, C, H, L).state_dict().items()}
offsets = torch.randint(0, len(data) - T - 1, (steps, B), generator=torch.Generator().manual_seed(43))


def run(dtype=torch.float32, init_noise=0.0, grad_noise=0.0, seed=0):
    gen = torch.Generator().manual_seed(seed)
    model = ms.GPT(V, T, C, H, L).to(dtype)
    model.load_state_dict(initial)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(1 + init_noise * torch.randn(p.shape, generator=gen, dtype=dtype))
    decay = [p for p in model.parameters() if p.dim() >= 2]
    nodecay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": nodecay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, beta2))
    losses = []
    for step in range(steps):
        xb = torch.stack([data[o:o + T] for o in offsets[step]])
        yb = torch.stack([data[o + 1:o + T + 1] for o in offsets[step]])
        loss = F.cross_entropy(model(xb).view(-1, V), yb.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        for p in model.parameters():
            p.grad.mul_(1 + grad_noise * torch.randn(p.shape, generator=gen, dtype=dtype))
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    return np.array(losses)


base = run()
print(f"lr {lr} beta2 {beta2} {steps} steps: float32 vs float64 {np.abs(base - run(torch.float64)).max():.3g}", flush=True)
for kind in ("init", "grad"):
    for s in (1, 2, 3):
        r = run(init_noise=6e-8 if kind == "init" else 0.0, grad_noise=6e-8 if kind == "grad" else 0.0, seed=s)
        print(f"  float32 vs float32 with {kind} nudged (seed {s}): {np.abs(r - base).max():.3g}", flush=True)
